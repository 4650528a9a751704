import { z } from 'zod';
import { boundedJson } from '../../upstream/boundedJson.ts';
import {
  bool,
  diditAmlFields,
  diditDocumentFields,
  diditGeoPoint,
  diditNetworkFields,
  diditParsedAddress,
  diditReview,
  diditWarning,
  list,
  num,
  str,
  words,
} from './payload.ts';

/**
 * Didit v3 decision, `GET /v3/session/{id}/decision/` (providers-didit-v3.md §2-§3, from Didit's OpenAPI): one
 * array per feature, one item per workflow node that ran it. An array is null until its feature has produced
 * data; inside an item, attributes the workflow withholds are null (`node_id`, `status`, `warnings` are always
 * kept). Only what Verigate maps is declared; the rest (MRZ, cross-session `matches`, lifecycles...) is dropped.
 */

/** What every feature item carries. */
const item = { node_id: str, status: str, warnings: list(diditWarning) };

export const diditV3IdVerification = diditDocumentFields.extend({
  ...item,
  document_subtype: str,
  age: num,
});
export type DiditV3IdVerification = z.infer<typeof diditV3IdVerification>;

export const diditV3Nfc = z.object({
  ...item,
  portrait_image: str,
  signature_image: str,
  chip_data: z
    .object({
      document_type: str,
      issuing_country: str,
      document_number: str,
      expiration_date: str,
      first_name: str,
      last_name: str,
      birth_date: str,
      gender: str,
      nationality: str,
      address: str,
      place_of_birth: str,
    })
    .nullish(),
  authenticity: z.object({ sod_integrity: bool, dg_integrity: bool }).nullish(),
  certificate_summary: z
    .object({ issuer: str, subject: str, serial_number: str, not_valid_before: str, not_valid_after: str })
    .nullish(),
});
export type DiditV3Nfc = z.infer<typeof diditV3Nfc>;

export const diditV3Liveness = z.object({
  ...item,
  method: str,
  /** 0-100. */
  score: num,
  reference_image: str,
  video_url: str,
  age_estimation: num,
});
export type DiditV3Liveness = z.infer<typeof diditV3Liveness>;

export const diditV3FaceMatch = z.object({
  ...item,
  /** 0-100. */
  score: num,
  source_image: str,
  target_image: str,
});
export type DiditV3FaceMatch = z.infer<typeof diditV3FaceMatch>;

export const diditV3Phone = z.object({
  ...item,
  full_number: str,
  country_code: str,
  country_name: str,
  carrier: z.object({ name: str, type: str }).nullish(),
  is_disposable: bool,
  is_virtual: bool,
  verification_method: str,
  verification_attempts: num,
  verified_at: str,
});
export type DiditV3Phone = z.infer<typeof diditV3Phone>;

export const diditV3Email = z.object({
  ...item,
  email: str,
  is_breached: bool,
  breaches: list(z.object({ name: str, domain: str, breach_date: str, data_classes: words })),
  is_disposable: bool,
  is_undeliverable: bool,
  verification_attempts: num,
  verified_at: str,
});
export type DiditV3Email = z.infer<typeof diditV3Email>;

export const diditV3ProofOfAddress = z.object({
  ...item,
  document_file: str,
  /** ISO 3166 alpha-2 here (alpha-3 on identity documents). */
  issuing_state: str,
  document_type: str,
  document_subtype: str,
  document_language: str,
  document_metadata: z.object({ is_tampered: bool }).nullish(),
  issuer: str,
  issue_date: str,
  expiration_date: str,
  poa_address: str,
  poa_formatted_address: str,
  poa_parsed_address: diditParsedAddress.nullish(),
  name_on_document: str,
  /** 0-100. */
  name_match_score_id_verification: num,
});
export type DiditV3ProofOfAddress = z.infer<typeof diditV3ProofOfAddress>;

export const diditV3Aml = diditAmlFields.extend(item);
export type DiditV3Aml = z.infer<typeof diditV3Aml>;

export const diditV3IpAnalysis = diditNetworkFields.extend({
  ...item,
  device_fingerprint: str,
  ip: z.object({ location: diditGeoPoint.nullish(), distance_from_id_document: num }).nullish(),
  id_document: z.object({ location: diditGeoPoint.nullish(), distance_from_ip: num }).nullish(),
});
export type DiditV3IpAnalysis = z.infer<typeof diditV3IpAnalysis>;

export const diditV3DatabaseValidation = z.object({
  ...item,
  issuing_state: str,
  validation_type: str,
  match_type: str,
  validations: list(
    z.object({
      service_id: str,
      service_name: str,
      outcome_code: str,
      validation: z.object({ full_name: str, date_of_birth: str, identification_number: str }).nullish(),
    }),
  ),
});
export type DiditV3DatabaseValidation = z.infer<typeof diditV3DatabaseValidation>;

/** Items Verigate reads only the warnings of (document AI, questionnaires, the KYB registry, documents, people). */
const warningsOnly = z.object({ node_id: str, warnings: list(diditWarning) });

export const diditV3Decision = z.object({
  session_id: z.string().min(1),
  session_kind: str,
  status: z.string().min(1),
  environment: str,
  vendor_data: str,
  /** Whatever JSON the integrator attached at creation. */
  metadata: boundedJson('DIDIT', 'metadata', z.unknown().optional()),
  expected_details: z
    .object({
      first_name: str,
      last_name: str,
      date_of_birth: str,
      gender: str,
      nationality: str,
      address: str,
    })
    .nullish(),
  contact_details: z.object({ email: str, phone: str }).nullish(),
  id_verifications: list(diditV3IdVerification),
  nfc_verifications: list(diditV3Nfc),
  liveness_checks: list(diditV3Liveness),
  face_matches: list(diditV3FaceMatch),
  phone_verifications: list(diditV3Phone),
  email_verifications: list(diditV3Email),
  poa_verifications: list(diditV3ProofOfAddress),
  document_ai_documents: list(warningsOnly),
  questionnaire_responses: list(warningsOnly),
  aml_screenings: list(diditV3Aml),
  ip_analyses: list(diditV3IpAnalysis),
  database_validations: list(diditV3DatabaseValidation),
  registry_checks: list(warningsOnly),
  document_verifications: list(warningsOnly),
  key_people_checks: list(warningsOnly),
  reviews: list(diditReview),
  created_at: str,
});
export type DiditV3Decision = z.infer<typeof diditV3Decision>;
