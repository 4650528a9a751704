import { z } from 'zod';

/**
 * Onfido's JSON (API v3.6), from the official onfido-openapi-spec:
 * - the workflow run: schemas/workflow_runs/workflow_run.yaml and definitions.yaml (`workflow_run_shared`,
 *   `workflow_run_response`, `workflow_run_link`, `workflow_run_error`); only `id` is required, `output`,
 *   `reasons`, `error` and `link` are null in the SDK's example (onfido-node test/test-examples.ts);
 * - the reports a workflow may output: schemas/reports/document_report.yaml, document_properties.yaml,
 *   document_breakdown.yaml, facial_similarity_{photo,photo_fully_auto,video,motion}_breakdown.yaml,
 *   watchlist_{standard,enhanced,aml}_{properties,breakdown}.yaml, definitions.yaml (`report_shared`);
 * - the error body: responses/default_error.yaml.
 * The run's own fields are strict in type (a wrong type fails the answer, as for every vendor); the reports inside
 * `output` are shaped by the workflow's designer, so their fields are read leniently (`loose`: a value of another
 * type reads as null) and an output that matches no report schema is passed on in `metadata`, never an error.
 */

const str = z.string().nullish();

export const onfidoWorkflowRun = z.object({
  id: z.string().min(1),
  applicant_id: str,
  workflow_id: str,
  workflow_version_id: z.number().nullish(),
  /** Absent is allowed by the spec (only `id` is required): it reads as an unknown status. */
  status: str,
  dashboard_url: str,
  /** An object whose keys the workflow's designer chose; read by shape (output.ts). */
  output: z.unknown().optional(),
  reasons: z.array(z.string()).nullish(),
  error: z.object({ type: str, message: str }).nullish(),
  tags: z.array(z.string()).nullish(),
  customer_user_id: str,
  // `link.url` and `sdk_token` are dropped: each lets whoever holds it continue the applicant's run.
  link: z.object({ expires_at: str, language: str }).nullish(),
  created_at: str,
  updated_at: str,
});
export type OnfidoWorkflowRun = z.infer<typeof onfidoWorkflowRun>;

/** A string inside a report, or null: a value of another type is not worth failing a whole session for. */
const loose = z.string().nullish().catch(null);
const looseNumber = z.number().nullish().catch(null);
const looseList = <T extends z.ZodType>(item: T) => z.array(item.nullish().catch(null)).nullish().catch(null);

/** A breakdown leaf (`{ result, properties }`) and a group of them (`{ result, breakdown }`). */
const breakdownLeaf = z.object({
  result: loose,
  properties: z.record(z.string(), z.unknown()).nullish().catch(null),
});
const breakdownGroup = z.object({
  result: loose,
  breakdown: z.record(z.string(), breakdownLeaf.nullish().catch(null)).nullish().catch(null),
  properties: z.record(z.string(), z.unknown()).nullish().catch(null),
});
export const onfidoBreakdown = z.record(z.string(), breakdownGroup.nullish().catch(null));
export type OnfidoBreakdown = z.infer<typeof onfidoBreakdown>;

/** `report_shared`; in a workflow run's output a report carries `uuid` where the reports API has `id`. */
const reportShared = {
  id: loose,
  uuid: loose,
  name: loose,
  status: loose,
  result: loose,
  sub_result: loose,
};

export const onfidoDocumentProperties = z.object({
  first_name: loose,
  middle_name: loose,
  last_name: loose,
  date_of_birth: loose,
  date_of_expiry: loose,
  issuing_date: loose,
  document_type: loose,
  document_subtype: loose,
  /** Not in document_properties.yaml, but in every workflow output the SDK shows (test/media, test-examples.ts). */
  document_number: loose,
  document_numbers: looseList(z.object({ value: loose, type: loose })),
  personal_number: loose,
  issuing_country: loose,
  issuing_state: loose,
  nationality: loose,
  gender: loose,
  place_of_birth: loose,
  address: loose,
  address_lines: z
    .object({
      street_address: loose,
      city: loose,
      state: loose,
      postal_code: loose,
      country: loose,
      country_code: loose,
    })
    .nullish()
    .catch(null),
});

export const onfidoDocumentReport = z.object({
  ...reportShared,
  properties: onfidoDocumentProperties.nullish().catch(null),
  breakdown: onfidoBreakdown.nullish().catch(null),
});
export type OnfidoDocumentReport = z.infer<typeof onfidoDocumentReport>;

export const onfidoFacialSimilarityReport = z.object({
  ...reportShared,
  /** facial_similarity_photo_properties.yaml: a spoofing score (the breakdown's `spoofing_detection` has it too). */
  properties: z.object({ score: looseNumber }).nullish().catch(null),
  breakdown: onfidoBreakdown.nullish().catch(null),
});
export type OnfidoFacialSimilarityReport = z.infer<typeof onfidoFacialSimilarityReport>;

/** watchlist_enhanced_properties.yaml `records[]` (standard/aml leave `records` untyped: read the same way). */
const watchlistRecord = z.object({
  full_name: loose,
  alias: looseList(z.object({ alias_name: loose })),
  position: looseList(z.string()),
  source: looseList(z.object({ source_name: loose })),
  event: looseList(z.object({ category: loose })),
});

export const onfidoWatchlistReport = z.object({
  ...reportShared,
  properties: z
    .object({ records: looseList(watchlistRecord) })
    .nullish()
    .catch(null),
  breakdown: onfidoBreakdown.nullish().catch(null),
});
export type OnfidoWatchlistReport = z.infer<typeof onfidoWatchlistReport>;

/** A profile data capture task's output (onfido-node test-examples.ts `exampleWorkflowRunOutputProfileDataCapture`). */
export const onfidoProfileData = z.object({
  first_name: loose,
  last_name: loose,
  dob: loose,
  email: loose,
  phone_number: loose,
  nationality: loose,
  address: z
    .object({
      line1: loose,
      line2: loose,
      line3: loose,
      town: loose,
      state: loose,
      postcode: loose,
      country: loose,
    })
    .nullish()
    .catch(null),
});
export type OnfidoProfileData = z.infer<typeof onfidoProfileData>;

/** responses/default_error.yaml: `{ "error": { "type", "message", "fields" } }`. */
export const onfidoError = z.object({
  error: z.object({
    type: z.string(),
    message: z.string().nullish(),
    fields: z.record(z.string(), z.unknown()).nullish(),
  }),
});
