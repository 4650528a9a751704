import { logger } from '../logger.ts';
import {
  bySeverity,
  type DeclineCategory,
  type DeclineReason,
  defaultRetryScope,
  type RetryScope,
} from '../model/declines.ts';
import type { Provider } from '../model/session.ts';

/**
 * One code of a vendor's documented decline vocabulary and its unified category. `retry` is set where the vendor's
 * own list says whether the code allows a retry (Sumsub's RETRY and FINAL label groups): it is then a vendor signal.
 */
export interface DeclineRow {
  code: string;
  category: DeclineCategory;
  retry?: RetryScope;
  note?: string;
}

/** A named decline vocabulary of one provider (e.g. Sumsub `rejectLabels`), as data: docs/decline-reasons.md. */
export interface DeclineTable {
  provider: Provider;
  /** Which vendor field the codes come from. */
  field: string;
  /** Where the list comes from (the vendor's page or spec file), for the docs. */
  source: string;
  rows: readonly DeclineRow[];
}

/** One reason as a normaliser read it from the vendor's payload, before the table gives it its meaning. */
export interface DeclineSignal {
  /** The table whose `field` the code belongs to. */
  table: DeclineTable;
  /** The vendor's code, exactly as sent. */
  code: string;
  /** The vendor's explicit retry signal on this session (Sumsub `reviewRejectType`, Persona `requires_retry`, …). */
  retry?: RetryScope;
  /** Vendor text documented as safe for the end user, only. */
  userMessage?: string | null;
  /** Where the code alone does not decide (Didit `POSSIBLE_MATCH_FOUND` by the hit's datasets). */
  category?: DeclineCategory;
}

const warned = new Set<string>();

/** The row for a code, or null (an unknown code: OTHER, its code kept; logged once per provider, field and code). */
export function declineRow(table: DeclineTable, code: string): DeclineRow | null {
  const row = table.rows.find((r) => r.code === code);
  if (row) return row;
  const key = `${table.provider}\u0000${table.field}\u0000${code}`;
  if (!warned.has(key)) {
    warned.add(key);
    // Codes are vendor vocabulary, not personal data; capped in case a vendor sends garbage.
    logger.warn(
      { provider: table.provider, field: table.field, code: code.slice(0, 64) },
      'unknown decline code mapped to OTHER',
    );
  }
  return null;
}

/** One signal → one unified reason: the vendor's retry signal first (on the session, then its list), else the default. */
export function declineReason(signal: DeclineSignal): DeclineReason {
  // A signal that brings its own category (a vocabulary the vendor does not publish) is looked up without a warning.
  const row = signal.category
    ? (signal.table.rows.find((r) => r.code === signal.code) ?? null)
    : declineRow(signal.table, signal.code);
  const category = signal.category ?? row?.category ?? 'OTHER';
  const vendorRetry = signal.retry ?? row?.retry;
  const retryScope = vendorRetry ?? defaultRetryScope(category);
  return {
    category,
    retryable: retryScope !== 'NONE',
    retryScope,
    vendorSignal: vendorRetry !== undefined,
    providerCode: signal.code,
    userMessage: signal.userMessage ?? null,
  };
}

/** Every signal as a reason, duplicates (same category and code) once, most severe first. */
export function declineReasons(signals: readonly DeclineSignal[]): DeclineReason[] {
  const seen = new Set<string>();
  const reasons: DeclineReason[] = [];
  for (const signal of signals) {
    const reason = declineReason(signal);
    const key = `${reason.category}\u0000${reason.providerCode}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reasons.push(reason);
  }
  return bySeverity(reasons);
}

/**
 * Vendor text for the end user that is not tied to one code (Sumsub `moderationComment`, Verifa `rejection_reason`):
 * on the first (most severe) reason, unless a reason already has its own.
 */
export function withUserMessage(reasons: readonly DeclineReason[], message: string | null): DeclineReason[] {
  const out = [...reasons];
  const first = out[0];
  if (message === null || first === undefined || out.some((r) => r.userMessage !== null)) return out;
  out[0] = { ...first, userMessage: message };
  return out;
}

/** A session's `declineReasons` part: absent when there are none, so a session without reasons reads as before. */
export function declinesPart(reasons: readonly DeclineReason[]): { declineReasons?: DeclineReason[] } {
  return reasons.length > 0 ? { declineReasons: [...reasons] } : {};
}
