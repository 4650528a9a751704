import type { StatusTable } from '../status.ts';

/**
 * Persona inquiry `status` (components/schemas/inquiry.yaml, every version), exactly as DESIGN §7. Persona warns the
 * list "is not static": a word not here is UNKNOWN with the raw word kept.
 */
export const personaInquiryStatus: StatusTable = {
  provider: 'PERSONA',
  field: 'inquiry status',
  rows: [
    { value: 'created', status: 'NOT_STARTED' },
    { value: 'pending', status: 'IN_PROGRESS' },
    { value: 'completed', status: 'APPROVED', note: 'the user finished and no decision step followed' },
    { value: 'failed', status: 'DECLINED', note: 'the user ran out of attempts or a required verification failed' },
    { value: 'needs_review', status: 'IN_REVIEW' },
    { value: 'approved', status: 'APPROVED' },
    { value: 'declined', status: 'DECLINED' },
    { value: 'expired', status: 'EXPIRED' },
  ],
};

/**
 * A verification's `status` (components/schemas/verification-shared-attributes.yaml): the status of `kyc` and `face`
 * and of each run in `checks`. Not a session status, so not among the module's published tables.
 */
export const personaVerificationStatus: StatusTable = {
  provider: 'PERSONA',
  field: 'verification status',
  rows: [
    { value: 'initiated', status: 'IN_PROGRESS' },
    { value: 'submitted', status: 'IN_PROGRESS' },
    { value: 'tentatively_passed', status: 'IN_PROGRESS', note: 'awaiting a final answer' },
    { value: 'tentatively_failed', status: 'IN_PROGRESS', note: 'awaiting a final answer' },
    { value: 'passed', status: 'APPROVED' },
    { value: 'confirmed', status: 'APPROVED', note: 'email and phone verifications' },
    { value: 'failed', status: 'DECLINED' },
    { value: 'requires_retry', status: 'RESUBMISSION_REQUESTED' },
    { value: 'skipped', status: 'ABANDONED' },
    { value: 'canceled', status: 'ABANDONED' },
  ],
};

/** One check of a verification (`checks[].status`): `not_applicable` has no unified meaning and reads as null. */
export const personaCheckStatus: StatusTable = {
  provider: 'PERSONA',
  field: 'check status',
  rows: [
    { value: 'passed', status: 'APPROVED' },
    { value: 'failed', status: 'DECLINED' },
  ],
};

/**
 * A report's `status` (components/schemas/report-shared-attributes.yaml); a `ready` watchlist report with
 * `has-match: true` is IN_REVIEW (someone must look at the match), without a match APPROVED.
 */
export const personaReportStatus: StatusTable = {
  provider: 'PERSONA',
  field: 'report status',
  rows: [
    { value: 'pending', status: 'IN_PROGRESS' },
    { value: 'ready', status: 'APPROVED', note: 'IN_REVIEW when the report has a match' },
    { value: 'errored', status: 'ERROR' },
  ],
};
