import type { StatusTable } from '../status.ts';

/**
 * A VerificationSession's `status` (`VerificationSession.Status`: canceled, processing, requires_input, verified, and
 * `OtherString`), exactly as DESIGN §8. `requires_input` means two things: not started yet, or sent back after a
 * failed check, which Stripe tells by `last_error` — so that row is composite (`requires_input/last_error`: the
 * status with a `last_error` whose `code` is set). `providerStatus` stays Stripe's own word.
 */
export const stripeSessionStatus: StatusTable = {
  provider: 'STRIPE',
  field: 'verification session status',
  rows: [
    { value: 'requires_input', status: 'NOT_STARTED', note: 'no `last_error` (or one with `code: null`)' },
    {
      value: 'requires_input/last_error',
      status: 'RESUBMISSION_REQUESTED',
      note: 'a check failed and the user may try again in the same session; `reasonCode` is `last_error.code`, `providerStatus` stays `requires_input`',
    },
    { value: 'processing', status: 'IN_PROGRESS', note: 'Stripe is checking what the user submitted' },
    { value: 'verified', status: 'APPROVED' },
    { value: 'canceled', status: 'ABANDONED', note: 'canceled by the integration; the session takes no more input' },
  ],
};

/** The table row a session's status and error select: the composite row where the table has one, else the word. */
export function stripeStatusKey(status: string, hasError: boolean): string {
  const composite = `${status}/last_error`;
  return hasError && stripeSessionStatus.rows.some((r) => r.value === composite) ? composite : status;
}

/** A report check's `status` (`Document.Status`, `Selfie.Status`, …: unverified, verified): not a session status. */
export const stripeCheckStatus: StatusTable = {
  provider: 'STRIPE',
  field: 'check status',
  rows: [
    { value: 'verified', status: 'APPROVED' },
    { value: 'unverified', status: 'DECLINED' },
  ],
};
