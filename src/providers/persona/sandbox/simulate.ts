import { z } from 'zod';
import type { InquiryDocument, JsonObject } from './scenarios.ts';

/**
 * Persona's sandbox control, `POST /inquiries/{id}/perform-simulate-actions` (paths/inquiries_{inquiry-id}_
 * perform-simulate-actions.yaml; components/schemas/inquiry-status-action.yaml, create-verification-action.yaml;
 * docs.withpersona.com/integration-testing): each status action sets the inquiry's status and fires its event.
 */
export const STATUS_ACTIONS = {
  start_inquiry: { status: 'pending', stamp: 'started-at', event: 'inquiry.started' },
  complete_inquiry: { status: 'completed', stamp: 'completed-at', event: 'inquiry.completed' },
  fail_inquiry: { status: 'failed', stamp: 'failed-at', event: 'inquiry.failed' },
  expire_inquiry: { status: 'expired', stamp: 'expired-at', event: 'inquiry.expired' },
  mark_for_review_inquiry: {
    status: 'needs_review',
    stamp: 'marked-for-review-at',
    event: 'inquiry.marked-for-review',
  },
  approve_inquiry: { status: 'approved', stamp: 'decisioned-at', event: 'inquiry.approved' },
  decline_inquiry: { status: 'declined', stamp: 'decisioned-at', event: 'inquiry.declined' },
} as const;
const VERIFICATION_ACTIONS = { create_passed_verification: 'passed', create_failed_verification: 'failed' } as const;

const action = z.union([
  z.object({ type: z.enum(Object.keys(STATUS_ACTIONS) as [keyof typeof STATUS_ACTIONS]) }).strict(),
  z
    .object({
      type: z.enum(Object.keys(VERIFICATION_ACTIONS) as [keyof typeof VERIFICATION_ACTIONS]),
      data: z.object({ 'verification-template-id': z.string().regex(/^vtmpl_[A-Za-z0-9]+$/) }).strict(),
    })
    .strict(),
]);

/** The request body; `simulate-actions` in whichever inflection the client sent. */
export const simulateRequest = z
  .object({
    meta: z.object({ 'simulate-actions': z.array(action).min(1).max(20) }).strict(),
  })
  .strict();
export type SimulateAction = z.infer<typeof action>;

/** Re-keys `simulateActions` / `simulate_actions` and `verificationTemplateId` / `verification_template_id` to kebab. */
export function kebabRequest(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(kebabRequest);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replaceAll('_', '-'),
        kebabRequest(v),
      ]),
    );
  return value;
}

/** Applies the actions to a copy of `document`; the events they fire, in order. */
export function simulate(
  document: InquiryDocument,
  actions: readonly SimulateAction[],
  now: Date,
): { document: InquiryDocument; events: string[] } {
  const next = structuredClone(document);
  const attributes = next.data.attributes;
  const events: string[] = [];
  const stamp = now.toISOString();
  for (const a of actions) {
    if (a.type in STATUS_ACTIONS) {
      const effect = STATUS_ACTIONS[a.type as keyof typeof STATUS_ACTIONS];
      attributes.status = effect.status;
      attributes[effect.stamp] = stamp;
      attributes['updated-at'] = stamp;
      events.push(effect.event);
      continue;
    }
    const status = VERIFICATION_ACTIONS[a.type as keyof typeof VERIFICATION_ACTIONS];
    const verification = simulatedVerification(next, status, stamp, events.length);
    next.included.push(verification);
    const relationships = next.data.relationships as JsonObject & { verifications?: { data?: JsonObject[] } };
    relationships.verifications = {
      data: [...(relationships.verifications?.data ?? []), { type: verification.type, id: verification.id }],
    };
    events.push(`verification.${status}`);
  }
  return { document: next, events };
}

/** A government-id verification with the one check the action decides, as Persona's sandbox creates it. */
function simulatedVerification(doc: InquiryDocument, status: string, stamp: string, n: number): JsonObject {
  return {
    type: 'verification/government-id',
    id: `ver_Simulated${doc.included.length}${n}`,
    attributes: {
      status,
      'created-at': stamp,
      'submitted-at': stamp,
      'completed-at': stamp,
      'redacted-at': null,
      'country-code': 'US',
      checks: [{ name: 'id_compromised_detection', status, reasons: [], requirement: 'required', metadata: {} }],
      'id-class': 'dl',
    },
    relationships: { inquiry: { data: { type: 'inquiry', id: doc.data.id } } },
  };
}
