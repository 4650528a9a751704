import { z } from 'zod';

/**
 * The vendor's JSON, as its spec documents `GET /v1/checks/{id}` (cite the spec file here). Strict on what is read,
 * lenient on the rest (`z.looseObject`): a field the vendor adds breaks nothing.
 */

const person = z.looseObject({
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  date_of_birth: z.string().nullish(),
});

const document = z.looseObject({
  type: z.string().nullish(),
  number: z.string().nullish(),
  country: z.string().nullish(),
  expires_on: z.string().nullish(),
});

export const templateCheck = z.looseObject({
  id: z.string(),
  status: z.string(),
  created_at: z.string().nullish(),
  reason: z.string().nullish(),
  person: person.nullish(),
  document: document.nullish(),
});
export type TemplateCheck = z.infer<typeof templateCheck>;
