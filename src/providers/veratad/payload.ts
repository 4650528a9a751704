import { z } from 'zod';
import { boundedJson } from '../../upstream/boundedJson.ts';

/**
 * Veratad VX JSON (api.veratad.com, "Get Session Result", "Get Session Status" and "Webhook" pages).
 * Tolerant by design: every leaf may be missing or null, unknown fields are dropped (`Height`, `spoof_score`,
 * top-level `ssn`, `storage`, `documents`...), and only the fields that decide the status are strict.
 */

/**
 * VX is PHP-backed: an empty associative array is serialised as `[]` (the docs show `additionalData: []`).
 * A non-empty list is read the way PHP would key it (`{"0": ..., "1": ...}`) rather than failing the session.
 */
const phpObject = (value: unknown) => (Array.isArray(value) ? Object.fromEntries(value.entries()) : value);
const object = <T extends z.ZodRawShape>(shape: T) => z.preprocess(phpObject, z.object(shape));

/** A text leaf; numbers are accepted too (ZIP codes, phone and document numbers sometimes arrive unquoted). */
const leaf = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (typeof v === 'number' ? String(v) : v));

export const veratadDocumentData = object({
  FirstName: leaf,
  MiddleName: leaf,
  LastName: leaf,
  Address: leaf,
  City: leaf,
  State: leaf,
  Zip: leaf,
  /** ISO alpha-2 or alpha-3 (`US` in one VX example, `USA` in another). */
  CountryCode: leaf,
  FullAddress: leaf,
  DateOfBirth: leaf,
  Sex: leaf,
  DocumentNumber: leaf,
  DocumentType: leaf,
  NationalID: leaf,
  IssueDate: leaf,
  ExpirationDate: leaf,
});
export type VeratadDocumentData = z.infer<typeof veratadDocumentData>;

export const veratadDcamsPlus = object({
  document_data: veratadDocumentData.nullish(),
  /** `vpin` and `spoof_score` are not mapped; `age_estimate` (selfie age estimation) is read as a number if it is one. */
  output: object({ age_estimate: z.unknown().optional() }).nullish(),
  api_processing_error: z.boolean().nullish(),
  service: leaf,
  /** An integer transaction number in the docs. */
  confirmation: leaf,
  action: z.string().nullish(),
  detail: z.string().nullish(),
  issues: z.array(z.string().nullable()).nullish(),
});
export type VeratadDcamsPlus = z.infer<typeof veratadDcamsPlus>;

export const veratadJourneyStop = z.object({
  /** `2024-08-19 20:56:25.223174`, no zone (read as UTC). */
  timestamp: z.string().nullish(),
  type: z.string().nullish(),
  source: z.string().nullish(),
  status: z.string().nullish(),
  action: z.string().nullish(),
  detail: z.string().nullish(),
});
export type VeratadJourneyStop = z.infer<typeof veratadJourneyStop>;

export const veratadJourney = object({
  stops: z.array(veratadJourneyStop).nullish(),
  /** `00h 01m 25s`; the legacy webhook shape sends milliseconds as a number. */
  duration: z.union([z.string(), z.number()]).nullish(),
});

/** The 200 body of `GET /api/session/result/:request_id` (also the webhook body). */
export const veratadResult = z.object({
  request_id: z.string().nullish(),
  /** `PASS`, `FAIL` or `PENDING`; anything else maps to UNKNOWN, but it must be a string. */
  status: z.string(),
  fn: leaf,
  ln: leaf,
  addr: leaf,
  city: leaf,
  state: leaf,
  zip: leaf,
  /** `YYYYMMDD`. */
  dob: leaf,
  email: leaf,
  phone: leaf,
  reference: leaf,
  additionalData: boundedJson(
    'VERATAD',
    'additionalData',
    z.preprocess(phpObject, z.record(z.string(), z.unknown())).nullish(),
  ),
  dcams_plus: veratadDcamsPlus.nullish(),
  journey: veratadJourney.nullish(),
});
export type VeratadResult = z.infer<typeof veratadResult>;

/** The 202 body: `{"message": "IN PROGRESS", "detail": "Session result not found, but user started the process."}`. */
export const veratadInProgress = z.object({
  message: z.string().min(1),
  detail: z.string().nullish(),
});
export type VeratadInProgress = z.infer<typeof veratadInProgress>;

/** The token endpoint's 200 body (Auth0 client-credentials grant). */
export const veratadToken = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().nullish(),
});

/** The token endpoint's error body (Auth0 style). Only `error` is ever logged: the description can name the tenant. */
export const veratadTokenError = z.object({
  error: z.string(),
  error_description: z.string().nullish(),
});
