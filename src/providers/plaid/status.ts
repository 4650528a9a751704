import type { StatusTable } from '../status.ts';

/**
 * Plaid `IdentityVerificationStatus` (plaid-openapi 2020-09-14.yml), exactly as DESIGN §8. A word not here is
 * UNKNOWN with the raw word kept.
 */
export const plaidVerificationStatus: StatusTable = {
  provider: 'PLAID',
  field: 'identity verification status',
  rows: [
    { value: 'active', status: 'IN_PROGRESS', note: 'incomplete: the user has steps left (or Plaid is running one)' },
    { value: 'success', status: 'APPROVED' },
    { value: 'failed', status: 'DECLINED', note: 'the user failed a step and was told to contact support' },
    { value: 'expired', status: 'EXPIRED' },
    { value: 'canceled', status: 'ABANDONED', note: 'canceled in the dashboard or through the API' },
    { value: 'pending_review', status: 'IN_REVIEW', note: 'a screening had hits that need review' },
  ],
};

/**
 * `IdentityVerificationStepStatus`: the status of each step (`steps.*`), shown as the status of the part it fills
 * (`kyc`, `face`, `databaseValidation`, `aml`). `waiting_for_prerequisite` and `not_applicable` read as null (the
 * step has not run); not a session status, so not among the module's published tables.
 */
export const plaidStepStatus: StatusTable = {
  provider: 'PLAID',
  field: 'step status',
  rows: [
    { value: 'success', status: 'APPROVED' },
    { value: 'active', status: 'IN_PROGRESS', note: "the user's current step" },
    { value: 'failed', status: 'DECLINED' },
    { value: 'skipped', status: 'ABANDONED', note: 'skipped by the retry that created this attempt' },
    { value: 'expired', status: 'EXPIRED' },
    { value: 'canceled', status: 'ABANDONED' },
    { value: 'pending_review', status: 'IN_REVIEW' },
    { value: 'manually_approved', status: 'APPROVED' },
    { value: 'manually_rejected', status: 'DECLINED' },
  ],
};

/** The steps of a verification, in Plaid's order (`IdentityVerificationStepSummary`). */
export const PLAID_STEPS = [
  'accept_tos',
  'verify_sms',
  'kyc_check',
  'documentary_verification',
  'selfie_check',
  'watchlist_screening',
  'risk_check',
] as const;
export type PlaidStep = (typeof PLAID_STEPS)[number];

/** Step words that mean the step failed (the person's, or a reviewer's verdict). */
export const FAILED_STEP_STATUSES: ReadonlySet<string> = new Set(['failed', 'manually_rejected']);
