import type { DeclineTable } from '../declines.ts';

/**
 * Every `last_error.code` of `VerificationSession.LastError.Code` (stripe-node
 * `src/resources/Identity/VerificationSessions.ts`); the report checks' `error.code`s (`Document.Error.Code`,
 * `Selfie.Error.Code`, `IdNumber.Error.Code`, `Email.Error.Code`, `Phone.Error.Code` in `VerificationReports.ts`) are
 * a subset of it, so one table serves both. The retry comes from the session, not from the code: `requires_input`
 * is Stripe's in-session retry, `canceled` ends the session (src/providers/stripe/normalize.ts).
 */
export const stripeLastErrorCodes: DeclineTable = {
  provider: 'STRIPE',
  field: 'last_error.code',
  source:
    'stripe-node src/resources/Identity/VerificationSessions.ts (VerificationSession.LastError.Code) and VerificationReports.ts (each check’s Error.Code)',
  rows: [
    { code: 'abandoned', category: 'USER_FLOW_INCOMPLETE' },
    { code: 'consent_declined', category: 'USER_FLOW_INCOMPLETE' },
    {
      code: 'country_not_supported',
      category: 'DOCUMENT_UNSUPPORTED',
      note: 'the document’s issuing country is not one Stripe verifies',
    },
    {
      code: 'device_not_supported',
      category: 'USER_FLOW_INCOMPLETE',
      note: 'the device cannot capture (no camera): the flow can be finished on another one',
    },
    { code: 'document_expired', category: 'DOCUMENT_EXPIRED' },
    { code: 'document_type_not_supported', category: 'DOCUMENT_UNSUPPORTED' },
    {
      code: 'document_unverified_other',
      category: 'DOCUMENT_UNREADABLE',
      note: 'Stripe’s catch-all for a document it could not verify; a clearer capture is the usual fix',
    },
    { code: 'email_unverified_other', category: 'DATA_UNVERIFIED' },
    {
      code: 'email_verification_declined',
      category: 'USER_FLOW_INCOMPLETE',
      note: 'the user did not confirm the code',
    },
    {
      code: 'id_number_insufficient_document_data',
      category: 'DATA_UNVERIFIED',
      note: 'the document lacked the data to check the ID number against',
    },
    { code: 'id_number_mismatch', category: 'DATA_MISMATCH' },
    { code: 'id_number_unverified_other', category: 'DATA_UNVERIFIED' },
    { code: 'phone_unverified_other', category: 'DATA_UNVERIFIED' },
    {
      code: 'phone_verification_declined',
      category: 'USER_FLOW_INCOMPLETE',
      note: 'the user did not confirm the code',
    },
    {
      code: 'selfie_document_missing_photo',
      category: 'DOCUMENT_UNSUPPORTED',
      note: 'the document has no portrait to compare the selfie with',
    },
    { code: 'selfie_face_mismatch', category: 'FACE_MISMATCH' },
    { code: 'selfie_manipulated', category: 'LIVENESS_FAILED' },
    { code: 'selfie_unverified_other', category: 'SELFIE_UNUSABLE' },
    { code: 'under_supported_age', category: 'UNDERAGE' },
  ],
};
