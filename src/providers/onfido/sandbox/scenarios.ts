import {
  documentReport,
  facialSimilarityReport,
  profileData,
  type SandboxControls,
  watchlistReport,
} from './reports.ts';

/**
 * The Onfido sandbox catalogue: one workflow run per status, report verdict, edge case and failure the adapter
 * handles. Values are fake but for Onfido's own examples (examples/sdk.ts). The first is the playground's example.
 */

export type OnfidoBehaviour =
  | OnfidoStaticBehaviour
  /** A timed scenario: each step's run, and the webhook event Onfido sends as the step begins. */
  | { kind: 'timeline'; steps: ReadonlyArray<{ event: string; behaviour: OnfidoStaticBehaviour }> };

export type OnfidoStaticBehaviour =
  | { kind: 'run'; run: Record<string, unknown> }
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number; run: Record<string, unknown> }
  | { kind: 'raw'; status: number; body: string; contentType: string };

export interface OnfidoScenario {
  id: string;
  description: string;
  behaviour: OnfidoBehaviour;
}

/** Fake run ids: `00f1d000-0000-4000-8000-<n, 12 digits>`. */
export const onfidoScenarioId = (n: number) => `00f1d000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The run the SDK's document report example belongs to (onfido-node test/media/studio_webhook_event_*.json). */
export const ONFIDO_DOCUMENTED_RUN_ID = 'b48fdff9-66a1-405d-9912-54780799bd68';

const CREATED = '2026-03-02T09:30:00Z';

/** A workflow run as GET /workflow_runs/{id} returns it (schemas/workflow_runs/definitions.yaml). */
export function workflowRun(id: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    applicant_id: '7f3b2c1d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    workflow_id: '5025d9fd-7842-4805-bce1-a7bfd7131b4e',
    workflow_version_id: 3,
    dashboard_url: `https://dashboard.onfido.com/results/${id}`,
    status,
    output: null,
    reasons: [],
    error: null,
    sdk_token: 'eyJhbGciOiJIUzI1NiJ9.sandbox-sdk-token.not-a-real-signature',
    link: {
      url: `https://eu.onfido.app/l/${id}`,
      completed_redirect_url: null,
      expired_redirect_url: null,
      expires_at: '2026-03-09T09:30:00Z',
      language: 'en_US',
    },
    customer_user_id: `crm-${id.slice(-4)}`,
    tags: ['sandbox'],
    created_at: CREATED,
    updated_at: '2026-03-02T09:41:12Z',
    ...extra,
  };
}

/** The output of the SDK's "document and facial similarity photo" workflow, under its keys `doc` and `selfie`. */
export const docSelfieOutput = (controls: SandboxControls = {}) => ({
  doc: documentReport(controls),
  selfie: facialSimilarityReport(controls),
});

const run = (n: number, status: string, extra: Record<string, unknown> = {}): OnfidoStaticBehaviour => ({
  kind: 'run',
  run: workflowRun(onfidoScenarioId(n), status, extra),
});
const error = (status: number, type: string, message: string, headers?: Record<string, string>) => ({
  kind: 'error' as const,
  status,
  type,
  message,
  ...(headers ? { headers } : {}),
});

export const ONFIDO_SCENARIOS: readonly OnfidoScenario[] = [
  {
    id: ONFIDO_DOCUMENTED_RUN_ID,
    description:
      'Onfido’s example (onfido-node tests): `approved`, a clear document report (passport) as `doc` and a clear facial similarity photo report as `selfie` → APPROVED',
    behaviour: { kind: 'run', run: workflowRun(ONFIDO_DOCUMENTED_RUN_ID, 'approved', { output: docSelfieOutput() }) },
  },
  {
    id: onfidoScenarioId(1),
    description: '`processing`, no output yet → IN_PROGRESS',
    behaviour: run(1, 'processing'),
  },
  {
    id: onfidoScenarioId(2),
    description: '`awaiting_input`: waiting for the applicant to capture their document → IN_PROGRESS',
    behaviour: run(2, 'awaiting_input'),
  },
  {
    id: onfidoScenarioId(3),
    description: '`awaiting_client_input`: waiting for a task your systems complete → IN_PROGRESS',
    behaviour: run(3, 'awaiting_client_input'),
  },
  {
    id: onfidoScenarioId(4),
    description:
      '`review`, created with sandbox `consider: ["document"]`, `sub_result: "caution"`: document `consider`/`caution` (document expired) → IN_REVIEW, reasonCode `document_caution`',
    behaviour: run(4, 'review', {
      output: docSelfieOutput({ consider: ['document'], sub_result: 'caution' }),
      reasons: ['document_caution'],
    }),
  },
  {
    id: onfidoScenarioId(5),
    description:
      '`approved`, every report clear under the designer’s own keys (`id_document`, `biometrics`, `screening`, `applicant_profile`), plus outputs Verigate does not map (`risk_tier`, `is_employed`) → APPROVED, those in metadata',
    behaviour: run(5, 'approved', {
      output: {
        id_document: documentReport(),
        biometrics: facialSimilarityReport(),
        screening: watchlistReport(),
        applicant_profile: profileData(),
        risk_tier: 'low',
        is_employed: false,
      },
      reasons: ['all_reports_clear'],
      tags: ['sandbox', 'premium'],
    }),
  },
  {
    id: onfidoScenarioId(6),
    description:
      '`declined`, created with `consider: ["document"]`, `sub_result: "rejected"`: image quality too poor → DECLINED, reasonCode `document_rejected`',
    behaviour: run(6, 'declined', {
      output: docSelfieOutput({ consider: ['document'], sub_result: 'rejected' }),
      reasons: ['document_rejected', 'manual_review_declined'],
    }),
  },
  {
    id: onfidoScenarioId(7),
    description:
      '`declined`, created with `consider: ["watchlist_standard"]`: a politically exposed person matched → DECLINED, one AML hit; declineReasons PEP_OR_ADVERSE_MEDIA, userAction CONTACT_SUPPORT',
    behaviour: run(7, 'declined', {
      output: {
        doc: documentReport(),
        selfie: facialSimilarityReport(),
        watchlist: watchlistReport({ consider: ['watchlist_standard'] }),
      },
      reasons: ['watchlist_pep_match'],
    }),
  },
  {
    id: onfidoScenarioId(8),
    description:
      '`abandoned`: the applicant left before finishing → ABANDONED; declineReasons USER_FLOW_INCOMPLETE (the run’s reason `applicant_abandoned`), userAction START_OVER',
    behaviour: run(8, 'abandoned', { reasons: ['applicant_abandoned'] }),
  },
  {
    id: onfidoScenarioId(9),
    description: '`error` with `error.type: "task_error"` → ERROR, reasonCode `task_error`',
    behaviour: run(9, 'error', {
      error: { type: 'task_error', message: 'A task of the workflow could not be completed.' },
      reasons: null,
    }),
  },
  {
    id: onfidoScenarioId(10),
    description:
      '`review`, created with `consider: ["facial_similarity_photo"]`: faces do not match, possible spoof → IN_REVIEW',
    behaviour: run(10, 'review', {
      output: docSelfieOutput({ consider: ['facial_similarity_photo'] }),
      reasons: ['face_consider'],
    }),
  },
  {
    id: onfidoScenarioId(11),
    description: 'a status Verigate does not know (`on_hold`) → UNKNOWN, raw value kept',
    behaviour: run(11, 'on_hold'),
  },
  {
    id: onfidoScenarioId(12),
    description: 'the least the spec allows: `id` and `status: "approved"`, nothing else → APPROVED, empty parts',
    behaviour: { kind: 'run', run: { id: onfidoScenarioId(12), status: 'approved' } },
  },
  {
    id: onfidoScenarioId(404),
    description: '404 `resource_not_found` (any id not in this table does the same) → NOT_FOUND',
    behaviour: error(404, 'resource_not_found', 'The resource could not be found'),
  },
  {
    id: onfidoScenarioId(401),
    description: 'Onfido answers 401 `authorization_error` (as for a revoked token) → UPSTREAM_AUTH_FAILED',
    behaviour: error(401, 'authorization_error', 'Authorization error: please re-check your credentials'),
  },
  {
    id: onfidoScenarioId(429),
    description: 'Onfido answers 429 `rate_limit` with `Retry-After: 30` → UPSTREAM_RATE_LIMITED, retryAfterSeconds 30',
    behaviour: error(429, 'rate_limit', 'Rate limit exceeded. Please try again later.', { 'retry-after': '30' }),
  },
  {
    id: onfidoScenarioId(500),
    description: 'Onfido answers 500 `internal_server_error` → UPSTREAM_UNAVAILABLE',
    behaviour: error(500, 'internal_server_error', 'Something went wrong'),
  },
  {
    id: onfidoScenarioId(30),
    description: 'Onfido takes 30 s to answer → UPSTREAM_UNAVAILABLE once Verigate’s timeout passes',
    behaviour: { kind: 'slow', delayMs: 30_000, run: workflowRun(onfidoScenarioId(30), 'approved') },
  },
  {
    id: onfidoScenarioId(31),
    description: 'Onfido answers 200 with a body that is not JSON → UPSTREAM_BAD_RESPONSE',
    behaviour: { kind: 'raw', status: 200, body: '{"id": "00f1d000', contentType: 'application/json' },
  },
  {
    id: onfidoScenarioId(32),
    description: 'Onfido answers 200 with JSON of the wrong shape (`status` is a number) → UPSTREAM_BAD_RESPONSE',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ id: onfidoScenarioId(32), status: 7, reasons: 'none' }),
      contentType: 'application/json',
    },
  },
  {
    id: onfidoScenarioId(40),
    description:
      'timed, with webhooks: `processing` when first read → IN_PROGRESS; a few seconds later `workflow_task.completed` (document `consider`, run in `review`) → IN_REVIEW; then `workflow_run.completed` (`approved`) → APPROVED',
    behaviour: {
      kind: 'timeline',
      steps: [
        { event: 'workflow_task.started', behaviour: run(40, 'processing') },
        {
          event: 'workflow_task.completed',
          behaviour: run(40, 'review', {
            output: docSelfieOutput({ consider: ['document'], sub_result: 'caution' }),
            reasons: ['document_caution'],
          }),
        },
        {
          event: 'workflow_run.completed',
          behaviour: run(40, 'approved', { output: docSelfieOutput(), reasons: ['reviewer_approved'] }),
        },
      ],
    },
  },
];
