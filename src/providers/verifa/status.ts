import type { StatusTable } from '../status.ts';

/** Verifa result `status` (GET /sessions/{id}/result), providers.md §5. */
export const verifaResultStatus: StatusTable = {
  provider: 'VERIFA',
  field: 'result status',
  rows: [
    { value: 'approved', status: 'APPROVED' },
    { value: 'rejected', status: 'DECLINED' },
    { value: 'needs_review', status: 'IN_REVIEW' },
    {
      value: 'resubmission_required',
      status: 'RESUBMISSION_REQUESTED',
      note: 'the state `session.resubmission-required` announces (word inferred from the event): redo a step in the same session',
    },
    { value: 'declined', status: 'DECLINED', note: 'not documented; accepted defensively, as Verifa’s own demo does' },
    { value: 'failed', status: 'DECLINED', note: 'not documented; accepted defensively, as Verifa’s own demo does' },
    { value: 'passed', status: 'APPROVED', note: 'not documented; accepted defensively, as Verifa’s own demo does' },
  ],
};

/** Verifa session lifecycle `status` (GET /sessions/{id}), used while no result exists. */
export const verifaSessionStatus: StatusTable = {
  provider: 'VERIFA',
  field: 'session status',
  rows: [
    { value: 'pending', status: 'NOT_STARTED' },
    { value: 'capturing', status: 'IN_PROGRESS' },
    { value: 'processing', status: 'IN_PROGRESS' },
    { value: 'awaiting_external', status: 'IN_PROGRESS' },
    { value: 'sandbox_pending', status: 'IN_PROGRESS' },
    { value: 'under_review', status: 'IN_REVIEW' },
    { value: 'completed', status: 'IN_PROGRESS', note: 'completed but no result yet: the result is being written' },
    { value: 'expired', status: 'EXPIRED' },
    { value: 'failed', status: 'ERROR' },
  ],
};
