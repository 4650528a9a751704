import { randomUUID } from 'node:crypto';
import type { HostedAction, HostedReason } from '../../../sandbox/hostedPage.ts';
import { docSelfieOutput, workflowRun } from './scenarios.ts';

/**
 * Applicants and workflow runs created through the simulator (what `startVerification` calls), and what the hosted
 * page's buttons do to a run: each finishes it as Onfido Studio would, with the sandbox's report outcomes.
 */

/** The sandbox's Studio workflow: `ONFIDO_DEFAULT_FLOW` on the sandbox. */
export const ONFIDO_SANDBOX_WORKFLOW_ID = '5025d9fd-7842-4805-bce1-a7bfd7131b4e';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Report breakdowns a decline or resubmission names as the run's `reasons` (onfido-openapi-spec breakdown names). */
export const ONFIDO_HOSTED_REASONS: readonly HostedReason[] = [
  { code: 'visual_authenticity', label: 'The document does not look genuine' },
  { code: 'image_integrity', label: 'The document image cannot be read' },
  { code: 'data_validation', label: 'The document’s data does not check out' },
  { code: 'face_comparison', label: 'The selfie does not match the document' },
];

/** `POST /applicants`: a new applicant, or null when Onfido would refuse it (422: both names are required). */
export function createdApplicant(body: unknown, now: Date): Record<string, unknown> | null {
  const b = body as { first_name?: unknown; last_name?: unknown } | null;
  if (typeof b?.first_name !== 'string' || typeof b.last_name !== 'string') return null;
  const id = randomUUID();
  return {
    id,
    first_name: b.first_name,
    last_name: b.last_name,
    created_at: now.toISOString(),
    href: `/v3.6/applicants/${id}`,
    sandbox: true,
  };
}

/** `POST /workflow_runs`: a new `awaiting_input` run whose link (a bearer token) opens the hosted page; null → 422. */
export function createdRun(
  body: unknown,
  applicants: ReadonlySet<string>,
  linkFor: (runId: string) => string,
  now: Date,
): Record<string, unknown> | null {
  const b = body as {
    workflow_id?: unknown;
    applicant_id?: unknown;
    customer_user_id?: unknown;
    link?: { completed_redirect_url?: unknown; language?: unknown };
  } | null;
  if (typeof b?.workflow_id !== 'string' || !UUID.test(b.workflow_id)) return null;
  if (typeof b.applicant_id !== 'string' || !applicants.has(b.applicant_id)) return null;
  const id = randomUUID();
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return workflowRun(id, 'awaiting_input', {
    applicant_id: b.applicant_id,
    workflow_id: b.workflow_id,
    customer_user_id: typeof b.customer_user_id === 'string' ? b.customer_user_id : null,
    tags: ['sandbox', 'started'],
    created_at: stamp,
    updated_at: stamp,
    sdk_token: `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ run: id })).toString('base64url')}.sandbox`,
    link: {
      url: linkFor(id),
      completed_redirect_url: b.link?.completed_redirect_url ?? null,
      expired_redirect_url: null,
      expires_at: new Date(now.getTime() + 7 * 24 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      language: typeof b.link?.language === 'string' ? b.link.language : 'en_US',
    },
  });
}

/** The run after the person's choice, and the webhook action Onfido sends for it. */
export function hostedMove(
  run: Record<string, unknown>,
  action: HostedAction,
  now: Date,
): { run: Record<string, unknown>; event: string } {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const next = { ...run, updated_at: stamp };
  switch (action.outcome) {
    case 'approve':
      return {
        run: { ...next, status: 'approved', output: docSelfieOutput(), reasons: [] },
        event: 'workflow_run.completed',
      };
    case 'decline':
      return {
        run: {
          ...next,
          status: 'declined',
          output: docSelfieOutput({ consider: ['document'], sub_result: 'rejected' }),
          reasons: [action.reason],
        },
        event: 'workflow_run.completed',
      };
    case 'resubmit':
      // Studio has no resubmission status: the run waits for the applicant again, its reasons saying why.
      return { run: { ...next, status: 'awaiting_input', reasons: [action.reason] }, event: 'workflow_task.started' };
    case 'abandon':
      return { run: { ...next, status: 'abandoned', reasons: [] }, event: 'workflow_run.completed' };
  }
}
