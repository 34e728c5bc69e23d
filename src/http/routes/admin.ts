// The administrator's organisations and users (and their one-time codes for a new password), every
// user's own password change and a new password with a one-time code. Thin: the
// services in src/access authorise, validate (naming the field and rule in sv/en) and audit.
import { z } from 'zod';
import { createOrganisation, listOrganisations, updateOrganisation } from '../../access/organisations.ts';
import { generatePassword } from '../../access/passwords.ts';
import { createResetCode, resetPasswordWithCode } from '../../access/reset-codes.ts';
import { changeOwnPassword } from '../../access/sessions.ts';
import { createUser, getUserForAdmin, listUsers, updateUser, UserInputError } from '../../access/users.ts';
import { requireAbility, requireActor, unauthenticated, type AuthContext } from '../auth.ts';
import { HttpProblem } from '../errors.ts';
import {
  AdminUserList,
  AdminUserResult,
  NewOrganisationBody,
  NewUserBody,
  NoBody,
  Organisation,
  OrganisationChangeBody,
  OrganisationList,
  PasswordChangeBody,
  PasswordResetBody,
  ResetCodeResult,
  UserChangeBody,
  errorResponses,
} from '../../contract/index.ts';
import type { Api, Ctx } from '../types.ts';

const Id = z.object({ id: z.string().min(1).max(100) });

export function adminRoutes(app: Api, ctx: Ctx, auth: AuthContext) {
  const db = () => ctx.database.db;
  const tags = ['admin'];
  const organisationsOnly = { preHandler: requireAbility('organisations.manage') };
  const usersOnly = { preHandler: requireAbility('users.manage') };

  app.get('/api/admin/organisations', { ...organisationsOnly, schema: { tags, summary: 'Organisationerna', response: { 200: OrganisationList, ...errorResponses } } }, async (request) => ({
    items: await listOrganisations(db(), requireActor(request)),
  }));

  app.post(
    '/api/admin/organisations',
    { ...organisationsOnly, schema: { tags, summary: 'Lägg till en organisation i civilsamhället eller ett stödprogram', body: NewOrganisationBody, response: { 201: Organisation, ...errorResponses } } },
    async (request, reply) => {
      const created = await createOrganisation(db(), requireActor(request), request.body);
      reply.code(201);
      return created;
    },
  );

  app.patch(
    '/api/admin/organisations/:id',
    { ...organisationsOnly, schema: { tags, summary: 'Byt namn på eller inaktivera en organisation', params: Id, body: OrganisationChangeBody, response: { 200: Organisation, ...errorResponses } } },
    async (request) => updateOrganisation(db(), requireActor(request), request.params.id, request.body),
  );

  app.get('/api/admin/users', { ...usersOnly, schema: { tags, summary: 'Användarna', response: { 200: AdminUserList, ...errorResponses } } }, async (request) => ({
    items: await listUsers(db(), requireActor(request)),
  }));

  app.post(
    '/api/admin/users',
    { ...usersOnly, schema: { tags, summary: 'Lägg till en användare (utan lösenord: ett skapas och visas en gång)', body: NewUserBody, response: { 201: AdminUserResult, ...errorResponses } } },
    async (request, reply) => {
      const actor = requireActor(request);
      const made = request.body.password == null || request.body.password === '' ? generatePassword() : null;
      const user = await createUser(db(), actor, { ...request.body, password: made ?? request.body.password });
      reply.code(201);
      return { user: await getUserForAdmin(db(), actor, user.id), password: made };
    },
  );

  app.patch(
    '/api/admin/users/:id',
    { ...usersOnly, schema: { tags, summary: 'Nytt lösenord för, inaktivera eller återaktivera en användare', params: Id, body: UserChangeBody, response: { 200: AdminUserResult, ...errorResponses } } },
    async (request) => {
      const actor = requireActor(request);
      const { active, password, generatePassword: generate } = request.body;
      if (generate && password !== undefined) {
        throw new UserInputError('password', 'both', { sv: 'Ange ett lösenord eller låt tjänsten skapa ett, inte båda.', en: 'Give a password or let the service make one, not both.' });
      }
      const made = generate ? generatePassword() : null;
      await updateUser(db(), actor, request.params.id, { active, password: made ?? password });
      return { user: await getUserForAdmin(db(), actor, request.params.id), password: made };
    },
  );

  app.post(
    '/api/admin/users/:id/reset-code',
    {
      ...usersOnly,
      schema: { tags, summary: 'Skapa en engångskod för ett nytt lösenord (visas en gång, gäller 24 timmar; ersätter en tidigare kod)', params: Id, response: { 201: ResetCodeResult, ...errorResponses } },
    },
    async (request, reply) => {
      const made = await createResetCode(db(), requireActor(request), request.params.id, auth.clock());
      reply.code(201);
      return made;
    },
  );

  app.post(
    '/api/session/reset',
    {
      config: { csrf: false },
      schema: { tags: ['session'], summary: 'Sätt ett nytt lösenord med en engångskod från administratören (alla sessioner avslutas)', body: PasswordResetBody, response: { 204: NoBody, ...errorResponses } },
    },
    async (request, reply) => {
      const result = await resetPasswordWithCode(db(), { ...request.body, from: request.ip }, auth.clock(), auth.settings);
      if (!result.ok) {
        throw new HttpProblem(
          429,
          'locked_out',
          { sv: 'För många felaktiga försök. Vänta en stund och försök igen.', en: 'Too many wrong attempts. Wait a while and try again.' },
          [],
          { 'retry-after': String(result.retryAfterSeconds) },
        );
      }
      reply.code(204);
    },
  );

  app.post(
    '/api/session/password',
    { schema: { tags: ['session'], summary: 'Byt sitt eget lösenord (andra sessioner avslutas)', body: PasswordChangeBody, response: { 204: NoBody, ...errorResponses } } },
    async (request, reply) => {
      const session = request.authSession;
      if (!session) throw unauthenticated();
      const result = await changeOwnPassword(
        db(),
        { userId: session.user.id, sessionIdHash: session.idHash, current: request.body.current, next: request.body.password, from: request.ip },
        auth.clock(),
        auth.settings,
      );
      if (!result.ok && result.reason === 'locked') {
        throw new HttpProblem(
          429,
          'locked_out',
          { sv: 'För många felaktiga försök. Vänta en stund och försök igen.', en: 'Too many wrong attempts. Wait a while and try again.' },
          [],
          { 'retry-after': String(result.retryAfterSeconds) },
        );
      }
      if (!result.ok) {
        const text = { sv: 'Det nuvarande lösenordet stämmer inte.', en: 'The current password is not right.' };
        throw new HttpProblem(400, 'wrong_password', text, [{ path: 'current', rule: 'incorrect', message: text }]);
      }
      reply.code(204);
    },
  );
}
