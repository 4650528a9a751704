import type { StatusTable } from '../status.ts';

/**
 * Onfido workflow run `status` (DESIGN §7; every value of `workflow_run_status` in onfido-openapi-spec
 * schemas/workflow_runs/definitions.yaml).
 */
export const onfidoWorkflowRunStatus: StatusTable = {
  provider: 'ONFIDO',
  field: 'workflow run status',
  rows: [
    { value: 'processing', status: 'IN_PROGRESS' },
    { value: 'awaiting_input', status: 'IN_PROGRESS', note: 'waiting for the applicant (a capture step)' },
    {
      value: 'awaiting_client_input',
      status: 'IN_PROGRESS',
      note: 'waiting for your systems (a task completed through the API)',
    },
    { value: 'review', status: 'IN_REVIEW', note: 'a manual review task is open' },
    { value: 'approved', status: 'APPROVED' },
    { value: 'declined', status: 'DECLINED' },
    { value: 'abandoned', status: 'ABANDONED', note: 'the applicant left before the workflow finished' },
    { value: 'error', status: 'ERROR', note: 'reasonCode is the error’s `type`' },
  ],
};

/**
 * A report's verdict in a run's output (`report_result` and, for document reports, `report_sub_result` in
 * schemas/reports/definitions.yaml): the status of a kyc, face or aml part and of its check. Onfido flags a report
 * `consider` and leaves the decision to you, so only a document's `rejected`/`suspected` sub-result declines.
 */
export const onfidoReportResult: StatusTable = {
  provider: 'ONFIDO',
  field: 'report result',
  rows: [
    { value: 'clear', status: 'APPROVED' },
    { value: 'consider', status: 'IN_REVIEW', note: 'something needs a look; the workflow decides' },
    { value: 'unidentified', status: 'IN_REVIEW', note: 'identity reports: no record matched' },
    { value: 'rejected', status: 'DECLINED', note: 'document sub-result: the document cannot be accepted' },
    { value: 'suspected', status: 'DECLINED', note: 'document sub-result: signs of fraud' },
    { value: 'caution', status: 'IN_REVIEW', note: 'document sub-result: e.g. expired, or data to check' },
  ],
};
