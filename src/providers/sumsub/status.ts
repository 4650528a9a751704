import type { StatusTable } from '../status.ts';

/**
 * Sumsub's status has two axes, `review.reviewStatus` and, once `completed`, `reviewResult.reviewAnswer` with
 * `reviewRejectType` for a RED answer (docs.sumsub.com/docs/receive-and-interpret-results-via-api; DESIGN §7). One
 * table keyed by both: a row's value is the composite key `sumsubStatusKey` builds, which is also `providerStatus`.
 */
export const sumsubReviewStatus: StatusTable = {
  provider: 'SUMSUB',
  field: 'reviewStatus/reviewAnswer/reviewRejectType',
  rows: [
    { value: 'init', status: 'NOT_STARTED', note: 'created; the applicant has not submitted anything yet' },
    { value: 'pending', status: 'IN_PROGRESS' },
    { value: 'prechecked', status: 'IN_PROGRESS' },
    { value: 'queued', status: 'IN_PROGRESS' },
    { value: 'awaitingService', status: 'IN_PROGRESS' },
    { value: 'awaitingUser', status: 'IN_PROGRESS' },
    { value: 'onHold', status: 'IN_REVIEW', note: 'held for a manual check' },
    { value: 'completed/GREEN', status: 'APPROVED' },
    {
      value: 'completed/RED/RETRY',
      status: 'RESUBMISSION_REQUESTED',
      note: 'a temporary rejection: the applicant may resubmit',
    },
    { value: 'completed/RED/FINAL', status: 'DECLINED' },
  ],
};

/**
 * The composite key of one review: the status alone until `completed`, then `completed/<answer>` and, for RED,
 * `/<reject type>`. A verdict left from an earlier attempt (a resubmitted applicant is `pending` again) is not read.
 */
export function sumsubStatusKey(
  reviewStatus: string,
  reviewAnswer: string | null | undefined,
  reviewRejectType: string | null | undefined,
): string {
  if (reviewStatus !== 'completed') return reviewStatus;
  const parts = [reviewStatus];
  if (reviewAnswer) parts.push(reviewAnswer);
  if (reviewAnswer === 'RED' && reviewRejectType) parts.push(reviewRejectType);
  return parts.join('/');
}
