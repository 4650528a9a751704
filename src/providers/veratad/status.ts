import type { VerificationStatus } from '../../model/session.ts';
import { mapStatus, type StatusTable } from '../status.ts';

/** VX result/webhook top-level `status` (providers.md §1.4a, §5). */
export const veratadResultStatus: StatusTable = {
  provider: 'VERATAD',
  field: 'status (session result)',
  rows: [
    { value: 'PASS', status: 'APPROVED' },
    {
      value: 'FAIL',
      status: 'DECLINED',
      note: 'inferred: the docs say the status shows whether the session "passed, failed, or is pending"',
    },
    {
      value: 'PENDING',
      status: 'IN_PROGRESS',
      note:
        'IN_REVIEW instead when the last journey stop’s action is REVIEW (the document waits for a manual ' +
        'review); otherwise the user is mid-journey (for example waiting for a one-time code)',
    },
  ],
};

/** VX per-check `action` (`dcams_plus.action`) and a journey stop’s `status`/`action` (providers.md §1.4c). */
export const veratadActionStatus: StatusTable = {
  provider: 'VERATAD',
  field: 'action (dcams_plus.action, journey stop status)',
  rows: [
    { value: 'PASS', status: 'APPROVED' },
    { value: 'FAIL', status: 'DECLINED' },
    {
      value: 'REVIEW',
      status: 'IN_REVIEW',
      note: 'the target was found but an attribute did not match; `issues` says which',
    },
    { value: 'PENDING', status: 'IN_PROGRESS', note: 'more input is needed, e.g. the Smart 2FA one-time code' },
  ],
};

/** VX processing failures inside an otherwise successful 200 body. */
export const veratadProcessingError: StatusTable = {
  provider: 'VERATAD',
  field: 'dcams_plus.api_processing_error',
  rows: [
    {
      value: 'true',
      status: 'ERROR',
      note: 'overrides the session status unless it is PASS; VX asks for the transaction to be resubmitted',
    },
  ],
};

/** The result endpoint's HTTP 202 body `message`: the user started but no result is written yet. */
export const veratadInProgressStatus: StatusTable = {
  provider: 'VERATAD',
  field: 'message (HTTP 202 from the session result)',
  rows: [{ value: 'IN PROGRESS', status: 'IN_PROGRESS', note: 'the session has no parts yet: they are null' }],
};

export const VERATAD_STATUS_TABLES: readonly StatusTable[] = [
  veratadResultStatus,
  veratadActionStatus,
  veratadProcessingError,
  veratadInProgressStatus,
];

/** What decides a VX session's unified status, beside the top-level `status`. */
export interface VeratadStatusInputs {
  /** Top-level `status` as sent. */
  status: string;
  /** `dcams_plus.api_processing_error`. */
  processingError: boolean;
  /** The last journey stop’s `action`, if any. */
  lastStopAction: string | null;
}

/** The unified status of a VX session result (the rules of providers.md §5, Veratad VX). */
export function veratadSessionStatus({
  status,
  processingError,
  lastStopAction,
}: VeratadStatusInputs): VerificationStatus {
  if (processingError && status !== 'PASS') return mapStatus(veratadProcessingError, 'true');
  if (status === 'PENDING' && lastStopAction === 'REVIEW') return 'IN_REVIEW';
  return mapStatus(veratadResultStatus, status);
}
