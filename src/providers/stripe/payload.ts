import { z } from 'zod';
import { boundedJson } from '../../upstream/boundedJson.ts';

/**
 * Stripe Identity's objects, from the official `stripe/stripe-node` (generated from Stripe's OpenAPI):
 * `src/resources/Identity/VerificationSessions.ts` (`VerificationSession`, `LastError`, `Redaction`, `VerifiedOutputs`)
 * and `src/resources/Identity/VerificationReports.ts` (`VerificationReport`, its `Document`, `Selfie`, `IdNumber`,
 * `Email`, `Phone`), with `stripe/openapi` `openapi/spec3.json` and the example objects of `openapi/fixtures3.json`.
 * What Verigate reads is typed; everything else passes (Stripe adds fields without a version change). Fields that
 * Stripe sends only when expanded (`number`, `dob`, `expiration_date`, `verified_outputs`) are optional.
 */

const str = z.string().nullish();
const num = z.number().nullish();

/** `{ day, month, year }`, each nullable (`Document.Dob`, `ExpirationDate`, `IssuedDate`, `VerifiedOutputs.Dob`). */
const stripeDate = z.object({ day: num, month: num, year: num }).nullish();

/** `shared.ts` `Address`. */
const address = z.object({ city: str, country: str, line1: str, line2: str, postal_code: str, state: str }).nullish();

/** `{ code, reason }`: a check's `error` and the session's `last_error`; codes are open (`| OtherString`). */
const stripeError = z.object({ code: str, reason: str }).nullish();

/** `VerificationReport.Document`. */
const reportDocument = z.object({
  status: z.string(),
  type: str,
  number: str,
  issuing_country: str,
  issued_date: stripeDate,
  expiration_date: stripeDate,
  dob: stripeDate,
  first_name: str,
  last_name: str,
  address,
  sex: str,
  unparsed_place_of_birth: str,
  files: z.array(z.string()).nullish(),
  error: stripeError,
});

/** `VerificationReport.Selfie`. */
const reportSelfie = z.object({ status: z.string(), document: str, selfie: str, error: stripeError });

/** `VerificationReport.IdNumber`. */
const reportIdNumber = z.object({
  status: z.string(),
  id_number_type: str,
  first_name: str,
  last_name: str,
  dob: stripeDate,
  error: stripeError,
});

/** `VerificationReport.Email` and `Phone`. */
const reportEmail = z.object({ status: z.string(), email: str, error: stripeError });
const reportPhone = z.object({ status: z.string(), phone: str, error: stripeError });

/** `VerificationReport` (`identity.verification_report`). */
export const stripeVerificationReport = z.object({
  id: z.string(),
  object: z.literal('identity.verification_report').optional(),
  created: num,
  type: str,
  document: reportDocument.nullish(),
  selfie: reportSelfie.nullish(),
  id_number: reportIdNumber.nullish(),
  email: reportEmail.nullish(),
  phone: reportPhone.nullish(),
});

/** `VerificationSession.VerifiedOutputs`. */
const verifiedOutputs = z.object({
  first_name: str,
  last_name: str,
  dob: stripeDate,
  email: str,
  phone: str,
  address,
  sex: str,
  id_number_type: str,
  unparsed_place_of_birth: str,
});

/** `VerificationSession` (`identity.verification_session`), as `GET …/verification_sessions/{id}?expand[]=…` answers. */
export const stripeVerificationSession = z.object({
  id: z.string().min(1),
  object: z.literal('identity.verification_session').optional(),
  status: z.string().min(1),
  type: str,
  verification_flow: str,
  created: num,
  livemode: z.boolean().nullish(),
  client_reference_id: str,
  last_error: stripeError,
  /** An id unless `expand[]=last_verification_report` was sent (Stripe's expandable field). */
  last_verification_report: z.union([z.string(), stripeVerificationReport]).nullish(),
  verified_outputs: verifiedOutputs.nullish(),
  redaction: z.object({ status: z.string() }).nullish(),
  metadata: boundedJson('STRIPE', 'metadata', z.record(z.string(), z.unknown()).nullish()),
  options: boundedJson('STRIPE', 'options', z.unknown().optional()),
  related_customer: str,
});

/** `POST /v1/identity/verification_sessions`' answer: the secrets it issues are read and passed on, never stored. */
export const stripeCreatedSession = z.object({
  id: z.string().regex(/^vs_[A-Za-z0-9]{1,128}$/),
  url: str,
  client_secret: str,
});

/** Stripe's error body (docs.stripe.com/api/errors): `{ error: { type, code?, param?, message? } }`. */
export const stripeErrorBody = z.object({
  error: z.object({ type: z.string(), code: str, param: str, message: str }),
});

export type StripeVerificationSession = z.infer<typeof stripeVerificationSession>;
export type StripeVerificationReport = z.infer<typeof stripeVerificationReport>;
export type StripeDate = z.infer<typeof stripeDate>;
export type StripeAddress = z.infer<typeof address>;
export type StripeError = z.infer<typeof stripeError>;
