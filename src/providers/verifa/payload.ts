import { z } from 'zod';
import { boundedJson } from '../../upstream/boundedJson.ts';

/**
 * Verifa's JSON, as sent with `Key-Inflection: snake` (docs.withverifa.com, API reference "Get session result"
 * and "Get a session"). Every field but the id and status may be missing or null; unknown fields are dropped.
 */

const str = z.string().nullish();

/** Verifa documents `extracted_data` as an object; once the sensitive-data window passed it is empty. */
const emptyArrayAsObject = (v: unknown) => (Array.isArray(v) && v.length === 0 ? {} : v);

export const verifaExtractedData = z.preprocess(
  emptyArrayAsObject,
  z.object({
    first_name: str,
    last_name: str,
    date_of_birth: str,
    address: z.object({ line1: str, line2: str, city: str, state: str, zip: str, country: str }).nullish(),
    document_number: str,
    nationality: str,
    gender: str,
    ssn: str,
    document_type: str,
    document_expiration_date: str,
    document_issuing_state: str,
  }),
);

export const verifaResult = z.object({
  session_id: z.string().min(1),
  status: z.string().min(1),
  is_sandbox: z.boolean().nullish(),
  created_at: str,
  face_match_passed: z.boolean().nullish(),
  face_match_score: z.number().nullish(),
  age_check_passed: z.boolean().nullish(),
  extracted_age: z.number().int().nullish(),
  extracted_data: verifaExtractedData.nullish(),
  rejection_reason: str,
  rejection_reason_code: str,
  processing_mode: str,
  country_used: str,
  sensitive_data_expired: z.boolean().nullish(),
});
export type VerifaResult = z.infer<typeof verifaResult>;

export const verifaSession = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  is_sandbox: z.boolean().nullish(),
  environment: str,
  created_at: str,
  updated_at: str,
  external_ref: str,
  metadata: boundedJson(
    'VERIFA',
    'metadata',
    z.preprocess(emptyArrayAsObject, z.record(z.string(), z.unknown())).nullish(),
  ),
  country: str,
  workflow_id: str,
  document_type: str,
  retention_status: str,
});
export type VerifaSession = z.infer<typeof verifaSession>;

/** Verifa's error body: `{"error": "<machine_code>", "detail": "<text>", "status_code": <int>}`. */
export const verifaError = z.object({
  error: z.string(),
  detail: z.string().nullish(),
  status_code: z.number().nullish(),
});
