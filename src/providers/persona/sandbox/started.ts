import { randomBytes } from 'node:crypto';
import type { HostedAction, HostedReason } from '../../../sandbox/hostedPage.ts';
import { type InquiryDocument, inquiryDocument, type JsonObject } from './scenarios.ts';
import { type STATUS_ACTIONS, simulate } from './simulate.ts';

/**
 * Inquiries created through the simulator (`POST /api/v1/inquiries`, what `startVerification` calls) and what the
 * hosted page's buttons do to them: each choice runs the status actions Persona's own sandbox runs
 * (`perform-simulate-actions`), so the inquiry and its webhooks read as a real finished flow.
 */

/** The sandbox's inquiry template: `PERSONA_DEFAULT_FLOW` on the sandbox. */
export const PERSONA_SANDBOX_TEMPLATE_ID = 'itmpl_SandboxKyc0001';
const TEMPLATE = /^(itmpl_|itmplv_|tmpl_)[A-Za-z0-9]{1,64}$/;

/** Government-id and selfie checks a decline or resubmission can fail (persona-openapi check names). */
export const PERSONA_HOSTED_REASONS: readonly HostedReason[] = [
  { code: 'id_expired_detection', label: 'The ID has expired' },
  { code: 'selfie_id_comparison', label: 'The selfie does not match the ID' },
  { code: 'id_tamper_detection', label: 'The ID looks tampered with' },
  { code: 'selfie_liveness_detection', label: 'The selfie failed liveness' },
  { code: 'id_unprocessable_submission_detection', label: 'The ID photo cannot be read' },
];

/** Reads a create request's template and reference (kebab keys); null when Persona would refuse it (422). */
export function createRequest(body: unknown): { template: string; referenceId: string | null } | null {
  const attributes = (body as { data?: { attributes?: JsonObject } } | null)?.data?.attributes;
  if (!attributes || typeof attributes !== 'object') return null;
  const template =
    attributes['inquiry-template-id'] ?? attributes['inquiry-template-version-id'] ?? attributes['template-id'];
  if (typeof template !== 'string' || !TEMPLATE.test(template)) return null;
  const reference = attributes['reference-id'];
  return { template, referenceId: typeof reference === 'string' ? reference : null };
}

/** A new `created` inquiry, as the create call answers it. */
export function createdInquiry(referenceId: string | null, now: Date): InquiryDocument {
  const id = `inq_${randomBytes(12).toString('hex')}`;
  const doc = inquiryDocument(id, 'created');
  const stamp = now.toISOString();
  Object.assign(doc.data.attributes, {
    'reference-id': referenceId,
    'created-at': stamp,
    'updated-at': stamp,
    'expires-at': new Date(now.getTime() + 24 * 3_600_000).toISOString(),
    tags: ['sandbox', 'started'],
  });
  return doc;
}

/** The inquiry after the person's choice on the hosted page, and the events Persona would send. */
export function hostedMove(doc: InquiryDocument, action: HostedAction, now: Date): ReturnType<typeof simulate> {
  const status = (type: keyof typeof STATUS_ACTIONS) => ({ type });
  const verification = (passed: boolean) => ({
    type: passed ? ('create_passed_verification' as const) : ('create_failed_verification' as const),
    data: { 'verification-template-id': 'vtmpl_SandboxGovId0001' },
  });
  const started = doc.data.attributes.status === 'created' ? [status('start_inquiry')] : [];
  switch (action.outcome) {
    case 'approve':
      return simulate(
        doc,
        [...started, verification(true), status('complete_inquiry'), status('approve_inquiry')],
        now,
      );
    case 'decline':
      return failing(
        simulate(doc, [...started, verification(false), status('fail_inquiry'), status('decline_inquiry')], now),
        action.reason,
        'failed',
      );
    case 'resubmit':
      return failing(simulate(doc, [...started, verification(false)], now), action.reason, 'requires_retry');
    case 'abandon':
      return simulate(doc, [...started, status('expire_inquiry')], now);
  }
}

/** The last verification the actions created fails on `check` (and, for a resubmission, asks for a retry). */
function failing(
  result: ReturnType<typeof simulate>,
  check: string | null,
  verificationStatus: 'failed' | 'requires_retry',
): ReturnType<typeof simulate> {
  const verification = result.document.included.at(-1) as JsonObject & { attributes: JsonObject };
  verification.attributes.status = verificationStatus;
  verification.attributes.checks = [
    { name: check ?? 'id_compromised_detection', status: 'failed', reasons: [], requirement: 'required', metadata: {} },
  ];
  if (verificationStatus === 'requires_retry')
    result.events = result.events.map((e) => (e === 'verification.failed' ? 'verification.requires-retry' : e));
  return result;
}
