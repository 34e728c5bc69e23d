// What every answer shares: the error body, field messages, labels, and the empty answers.
import { z } from 'zod';

/** A text in both languages of the service. */
export const Label = z.strictObject({ sv: z.string(), en: z.string() });
export type Label = z.output<typeof Label>;

/** One problem of a request, named by its field path and a stable rule id, in the user's language. */
export const FieldMessage = z.strictObject({ path: z.string(), rule: z.string(), message: z.string() });
export type FieldMessage = z.output<typeof FieldMessage>;

/** Every 4xx and 5xx answer (src/http/errors.ts): a stable code, a message, and the field problems. */
export const ApiErrorBody = z.strictObject({ code: z.string(), message: z.string(), errors: z.array(FieldMessage) });
export type ApiErrorBody = z.output<typeof ApiErrorBody>;

/** The error answers a route declares besides its own: any 4xx or 5xx is an ApiErrorBody. */
export const errorResponses = { '4xx': ApiErrorBody, '5xx': ApiErrorBody } as const;

/** 204, and the redirects of the identity provider's sign-in: no body. */
export const NoBody = z.null().describe('Inget innehåll / no content');

/** A support programme's programme (the code list `programme`). */
export const OrganisationProgramme = z.enum(['nsp', 'amp']);
export type OrganisationProgramme = z.output<typeof OrganisationProgramme>;

/** What the actor may do: ability name → allowed. */
export const Abilities = z.record(z.string(), z.boolean());
export type Abilities = z.output<typeof Abilities>;

/** A page of a list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

/**
 * A file, not JSON (a stream, bytes or text): Fastify sends these as they are, without the
 * serializer, so the schema only documents them; OpenAPI calls it binary.
 */
export const Binary = z.any().meta({ type: 'string', format: 'binary' });
