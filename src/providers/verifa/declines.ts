import type { DeclineReason, SessionTurn } from '../../model/declines.ts';
import { text } from '../../model/values.ts';
import { type DeclineTable, declineReasons, withUserMessage } from '../declines.ts';
import type { VerifaResult } from './payload.ts';

/**
 * Verifa's `rejection_reason_code` on a result (docs.withverifa.com API reference, "Get session result": "Structured
 * reason a verification was rejected… Stable enum"). Its allowed values are collapsed in the docs; only
 * `document_unreadable` is published (the reference's example), so any other code is OTHER with its code kept.
 * `rejection_reason` is the free text the same page pairs with it, shown to the person as `userMessage`.
 */
export const verifaRejectionReasonCodes: DeclineTable = {
  provider: 'VERIFA',
  field: 'rejection_reason_code',
  source: 'docs.withverifa.com/api-reference (Get session result: rejection_reason_code)',
  rows: [{ code: 'document_unreadable', category: 'DOCUMENT_UNREADABLE', note: 'pinned' }],
};

export const verifaDeclineTables: readonly DeclineTable[] = [verifaRejectionReasonCodes];

/**
 * The result status Verifa's `session.resubmission-required` webhook announces (the word is the event's, as Verifa's
 * result endpoint would spell it): the person redoes a step in the same session.
 */
export const VERIFA_RESUBMISSION_STATUS = 'resubmission_required';

export function verifaDeclineReasons(result: VerifaResult): DeclineReason[] {
  const code = text(result.rejection_reason_code);
  if (code === null) return [];
  const resubmit = result.status === VERIFA_RESUBMISSION_STATUS;
  const reasons = declineReasons([
    { table: verifaRejectionReasonCodes, code, ...(resubmit ? { retry: 'SAME_SESSION' as const } : {}) },
  ]);
  return withUserMessage(reasons, text(result.rejection_reason));
}

/** Before a result: `pending` and `capturing` wait on the person, the other unfinished states on Verifa. */
export function verifaTurn(sessionStatus: string): SessionTurn | undefined {
  if (sessionStatus === 'pending' || sessionStatus === 'capturing') return 'USER';
  if (['processing', 'awaiting_external', 'sandbox_pending', 'completed'].includes(sessionStatus)) return 'VENDOR';
  return undefined;
}
