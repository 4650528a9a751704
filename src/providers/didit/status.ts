import type { StatusTable } from '../status.ts';

/**
 * Didit session `status` (providers.md §2.4 and §5): the KYC words, case-sensitive with spaces, and the KYB
 * UPPER_SNAKE forms. Also the vocabulary of `reviews[].new_status`.
 */
export const diditSessionStatus: StatusTable = {
  provider: 'DIDIT',
  field: 'session status',
  rows: [
    { value: 'Not Started', status: 'NOT_STARTED' },
    { value: 'In Progress', status: 'IN_PROGRESS' },
    { value: 'Awaiting User', status: 'IN_PROGRESS', note: 'KYB: waiting for related parties’ own sessions' },
    { value: 'In Review', status: 'IN_REVIEW' },
    { value: 'Resubmitted', status: 'RESUBMISSION_REQUESTED' },
    { value: 'Approved', status: 'APPROVED', note: 'final, but a reviewer or the API can still change it' },
    { value: 'Declined', status: 'DECLINED', note: 'final, but a reviewer or the API can still change it' },
    { value: 'Expired', status: 'EXPIRED', note: 'timed out before the user opened the link' },
    { value: 'Abandoned', status: 'ABANDONED', note: 'the user started but did not finish in time' },
    {
      value: 'Kyc Expired',
      status: 'EXPIRED',
      note: 'an approved session whose document has since expired; reasonCode KYC_EXPIRED',
    },
    { value: 'NOT_STARTED', status: 'NOT_STARTED', note: 'KYB form' },
    { value: 'IN_PROGRESS', status: 'IN_PROGRESS', note: 'KYB form' },
    { value: 'AWAITING_USER', status: 'IN_PROGRESS', note: 'KYB form' },
    { value: 'IN_REVIEW', status: 'IN_REVIEW', note: 'KYB form' },
    { value: 'RESUBMITTED', status: 'RESUBMISSION_REQUESTED', note: 'KYB form' },
    { value: 'APPROVED', status: 'APPROVED', note: 'KYB form' },
    { value: 'DECLINED', status: 'DECLINED', note: 'KYB form' },
    { value: 'EXPIRED', status: 'EXPIRED', note: 'KYB form' },
    { value: 'ABANDONED', status: 'ABANDONED', note: 'KYB form' },
  ],
};

/**
 * The `status` of one check (v1 `kyc`/`aml`/`face`/`location` and their sub-statuses; v3 every feature item).
 * Independent of the session status: an approved session can hold a check that needed review.
 */
export const diditFeatureStatus: StatusTable = {
  provider: 'DIDIT',
  field: 'feature status',
  rows: [
    { value: 'Approved', status: 'APPROVED' },
    { value: 'Declined', status: 'DECLINED' },
    { value: 'In Review', status: 'IN_REVIEW' },
    { value: 'Not Finished', status: 'IN_PROGRESS', note: 'the check has not produced its result yet' },
    { value: 'Resub Requested', status: 'RESUBMISSION_REQUESTED' },
    { value: 'Expired', status: 'EXPIRED', note: 'ID, phone and email verifications' },
    {
      value: 'No Action',
      status: 'APPROVED',
      note: 'a workflow status rule decided nothing needs doing: the check neither declines nor asks for review',
    },
    { value: 'NOT_FINISHED', status: 'IN_PROGRESS', note: 'KYB form' },
    { value: 'APPROVED', status: 'APPROVED', note: 'KYB form' },
    { value: 'DECLINED', status: 'DECLINED', note: 'KYB form' },
    { value: 'IN_REVIEW', status: 'IN_REVIEW', note: 'KYB form' },
    { value: 'RESUB_REQUESTED', status: 'RESUBMISSION_REQUESTED', note: 'KYB form' },
  ],
};
