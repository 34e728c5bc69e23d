// The CTDC export (docs/ctdc-export.md): a published release's records in CTDC's columns,
// k-anonymised (k = 11), as a CSV file for the statistician.
import { z } from 'zod';

/** `year`, and optionally the published release of that year (default: its newest final, else newest preliminary). */
export const CtdcQuery = z.object({
  year: z.coerce.number().int().min(2018).max(2100),
  release: z
    .string()
    .regex(/^\d{4}-(?:[a-z]{2,4}-)?\d{1,4}$/)
    .optional(),
});
export type CtdcQuery = z.input<typeof CtdcQuery>;

/** The file: CTDC's header row, then one row per record kept, sorted by value; a blank is an empty cell. */
export const CtdcCsv = {
  content: {
    'text/csv': {
      schema: z.any().meta({
        type: 'string',
        format: 'binary',
        description:
          'yearOfRegistration,gender,ageBroad,citizenship,isForcedLabour,isSexualExploit,isOtherExploit,typeOfLabourAgriculture,typeOfLabourConstruction,typeOfLabourDomesticWork,typeOfLabourHospitality,CountryOfExploitation',
      }),
    },
  },
};
