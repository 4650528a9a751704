import { z } from 'zod';

/**
 * Plaid's JSON (plaid-openapi `2020-09-14.yml`): `IdentityVerificationGetResponse` and the parts Verigate reads,
 * `PlaidError`, `WebhookVerificationKeyGetResponse` and the identity verification webhooks. Only the id and the status
 * are required; everything Plaid marks nullable (and what a template leaves out) may be missing or null. Enum-valued
 * fields are read as strings: Plaid adds words, and an unknown one is shown, not refused.
 */

const str = z.string().nullish();
const word = z.string().max(64).nullish();

const name = z.object({ given_name: str, family_name: str }).nullish();

/** `IdentityVerificationUserAddress` and `IdentityVerificationDocumentAddressResponse`. */
const address = z
  .object({ street: str, street2: str, city: str, region: str, postal_code: str, country: str })
  .nullish();

/** `IdentityVerificationUserData`. */
export const plaidUser = z
  .object({
    phone_number: str,
    date_of_birth: str,
    ip_address: str,
    email_address: str,
    name,
    address,
    id_number: z.object({ value: str, type: str }).nullish(),
  })
  .nullish();

/** `IdentityVerificationStepSummary`: one status word per step. */
export const plaidSteps = z.record(z.string(), z.string().max(64).nullable()).nullish();

/** `DocumentaryVerificationDocument`: one submission, its extracted data and analysis. */
export const plaidDocument = z.object({
  status: word,
  attempt: z.number().nullish(),
  images: z
    .object({ original_front: str, original_back: str, cropped_front: str, cropped_back: str, face: str })
    .nullish(),
  extracted_data: z
    .object({
      id_number: str,
      category: str,
      expiration_date: str,
      issue_date: str,
      issuing_country: str,
      issuing_region: str,
      date_of_birth: str,
      address,
      name,
    })
    .nullish(),
  analysis: z
    .object({
      authenticity: word,
      image_quality: word,
      extracted_data: z
        .object({ name: word, date_of_birth: word, expiration_date: word, issuing_country: word })
        .nullish(),
    })
    .nullish(),
  redacted_at: str,
});
export type PlaidDocument = z.infer<typeof plaidDocument>;

/** `SelfieCheckSelfie`. */
export const plaidSelfie = z.object({
  status: word,
  attempt: z.number().nullish(),
  capture: z.object({ image_url: str, video_url: str }).nullish(),
  analysis: z.object({ document_comparison: word, liveness_check: word }).nullish(),
});
export type PlaidSelfie = z.infer<typeof plaidSelfie>;

const summary = z.object({ summary: word }).nullish();

/** `KYCCheckDetails` (Data Source Verification): a match summary per field. */
export const plaidKycCheck = z
  .object({
    status: word,
    address: z.object({ summary: word, po_box: word, type: word }).nullish(),
    name: summary,
    date_of_birth: summary,
    id_number: summary,
    phone_number: z.object({ summary: word, area_code: word }).nullish(),
  })
  .nullish();
export type PlaidKycCheck = z.infer<typeof plaidKycCheck>;

/** `RiskCheckDetails`: the signals Verigate shows as warnings. */
export const plaidRiskCheck = z
  .object({
    status: word,
    behavior: z.object({ user_interactions: word, fraud_ring_detected: word, bot_detected: word }).nullish(),
    email: z
      .object({
        is_deliverable: word,
        breach_count: z.number().nullish(),
        domain_is_disposable: word,
        top_level_domain_is_suspicious: word,
      })
      .nullish(),
    devices: z
      .array(z.object({ ip_proxy_type: word, ip_spam_list_count: z.number().nullish(), ip_timezone_offset: word }))
      .max(50)
      .nullish(),
    identity_abuse_signals: z
      .object({
        synthetic_identity: z.object({ score: z.number().nullish() }).nullish(),
        stolen_identity: z.object({ score: z.number().nullish() }).nullish(),
      })
      .nullish(),
    facial_duplicates: z.array(z.object({ id: str, similarity: z.number().nullish() })).nullish(),
    trust_index_score: z.number().nullish(),
  })
  .nullish();
export type PlaidRiskCheck = z.infer<typeof plaidRiskCheck>;

/** `IdentityVerificationGetResponse` (and `…CreateResponse`, the same shape). */
export const plaidIdentityVerification = z.object({
  id: z.string().min(1).max(128),
  client_user_id: str,
  created_at: str,
  completed_at: str,
  previous_attempt_id: str,
  shareable_url: str,
  template: z.object({ id: str, version: z.number().nullish() }).nullish(),
  user: plaidUser,
  status: z.string().min(1).max(64),
  steps: plaidSteps,
  documentary_verification: z.object({ status: word, documents: z.array(plaidDocument).max(50).nullish() }).nullish(),
  selfie_check: z.object({ status: word, selfies: z.array(plaidSelfie).max(50).nullish() }).nullish(),
  kyc_check: plaidKycCheck,
  risk_check: plaidRiskCheck,
  watchlist_screening_id: str,
  beacon_user_id: str,
  user_id: str,
  redacted_at: str,
  request_id: str,
});
export type PlaidIdentityVerification = z.infer<typeof plaidIdentityVerification>;

/** `PlaidError`: what every error answer carries. */
export const plaidError = z.object({
  error_type: z.string().max(64).nullish(),
  error_code: z.string().max(64).nullish(),
  error_message: z.string().nullish(),
  display_message: z.string().nullish(),
  request_id: z.string().max(128).nullish(),
});
export type PlaidError = z.infer<typeof plaidError>;

/** `WebhookVerificationKeyGetResponse`: one `JWKPublicKey`. */
export const plaidVerificationKey = z.object({
  key: z.object({
    alg: z.string(),
    kid: z.string().min(1).max(128),
    kty: z.string(),
    crv: z.string(),
    x: z.string().max(128),
    y: z.string().max(128),
    use: z.string().nullish(),
    created_at: z.number().nullish(),
    expired_at: z.number().nullish(),
  }),
  request_id: str,
});
export type PlaidVerificationKey = z.infer<typeof plaidVerificationKey>['key'];

/** The identity verification webhooks (`IdentityVerificationStatusUpdatedWebhook`, `…StepUpdated…`, `…Retried…`). */
export const plaidWebhookBody = z.object({
  webhook_type: z.string().min(1).max(64),
  webhook_code: z.string().min(1).max(64),
  identity_verification_id: z.unknown().optional(),
  environment: z.string().max(32).nullish(),
});
