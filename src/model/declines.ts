import type { VerificationStatus } from './session.ts';

/**
 * Why a session was declined (or asked to redo a step), in one vocabulary for every vendor: DESIGN §8 "Why a session
 * was declined". Each provider module maps its own codes onto these (src/providers/<name>/declines.ts).
 */
export const DECLINE_CATEGORIES = [
  'DOCUMENT_EXPIRED',
  'DOCUMENT_UNREADABLE',
  'DOCUMENT_INCOMPLETE',
  'DOCUMENT_UNSUPPORTED',
  'DOCUMENT_NOT_ORIGINAL',
  'DOCUMENT_TAMPERED',
  'DATA_MISMATCH',
  'DATA_UNVERIFIED',
  'SELFIE_UNUSABLE',
  'FACE_MISMATCH',
  'LIVENESS_FAILED',
  'UNDERAGE',
  'SANCTIONS_MATCH',
  'PEP_OR_ADVERSE_MEDIA',
  'DUPLICATE',
  'FRAUD_SUSPECTED',
  'RESTRICTED_JURISDICTION',
  'USER_FLOW_INCOMPLETE',
  'PROVIDER_ERROR',
  'OTHER',
] as const;
export type DeclineCategory = (typeof DECLINE_CATEGORIES)[number];

/** Where a retry happens: in the same vendor session, in a new one, or not at all. */
export const RETRY_SCOPES = ['SAME_SESSION', 'NEW_SESSION', 'NONE'] as const;
export type RetryScope = (typeof RETRY_SCOPES)[number];

/** What the person should do next, for a frontend to act on. */
export const USER_ACTIONS = ['NONE', 'WAIT', 'CONTINUE', 'RETRY', 'START_OVER', 'CONTACT_SUPPORT'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

export interface DeclineReason {
  category: DeclineCategory;
  /** May the end user try again? */
  retryable: boolean;
  /** NONE exactly when `retryable` is false. */
  retryScope: RetryScope;
  /** True: the vendor said whether a retry is allowed; false: the category's default. */
  vendorSignal: boolean;
  /** The vendor's own code, unchanged. */
  providerCode: string;
  /** Only vendor text documented as safe to show the end user; null otherwise. */
  userMessage: string | null;
}

/** Severity groups, most severe first (DESIGN §8): within a group, the vendor's order is kept. */
const SEVERITY_GROUPS: readonly (readonly DeclineCategory[])[] = [
  [
    'SANCTIONS_MATCH',
    'PEP_OR_ADVERSE_MEDIA',
    'FRAUD_SUSPECTED',
    'DUPLICATE',
    'RESTRICTED_JURISDICTION',
    'DOCUMENT_TAMPERED',
    'UNDERAGE',
  ],
  ['FACE_MISMATCH', 'LIVENESS_FAILED', 'SELFIE_UNUSABLE'],
  ['DOCUMENT_EXPIRED', 'DOCUMENT_UNREADABLE', 'DOCUMENT_INCOMPLETE', 'DOCUMENT_UNSUPPORTED', 'DOCUMENT_NOT_ORIGINAL'],
  ['DATA_MISMATCH', 'DATA_UNVERIFIED'],
  ['USER_FLOW_INCOMPLETE'],
  ['PROVIDER_ERROR'],
  ['OTHER'],
];

const SEVERITY = new Map<DeclineCategory, number>(
  SEVERITY_GROUPS.flatMap((group, rank) => group.map((category) => [category, rank] as const)),
);

/** The severity group's rank of a category: 0 is fraud/compliance, 6 is other. */
export function severityOf(category: DeclineCategory): number {
  return SEVERITY.get(category) ?? SEVERITY_GROUPS.length;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<DeclineCategory> = new Set([
  'DOCUMENT_EXPIRED',
  'DOCUMENT_UNREADABLE',
  'DOCUMENT_INCOMPLETE',
  'DOCUMENT_UNSUPPORTED',
  'DOCUMENT_NOT_ORIGINAL',
  'DATA_MISMATCH',
  'DATA_UNVERIFIED',
  'SELFIE_UNUSABLE',
  'USER_FLOW_INCOMPLETE',
  'PROVIDER_ERROR',
]);

/** The category default when the vendor gives no retry signal: retryable ones are retried in a new session. */
export function defaultRetryScope(category: DeclineCategory): RetryScope {
  return RETRYABLE_BY_DEFAULT.has(category) ? 'NEW_SESSION' : 'NONE';
}

/** Most severe first; a stable sort, so the vendor's order stands within a group. */
export function bySeverity(reasons: readonly DeclineReason[]): DeclineReason[] {
  return [...reasons].sort((a, b) => severityOf(a.category) - severityOf(b.category));
}

/** Who moves an IN_PROGRESS session on: the person (they have steps left) or the vendor (it is checking). */
export type SessionTurn = 'USER' | 'VENDOR';

/**
 * What the person does next (DESIGN §8), from the unified status, the reasons (most severe first, the first decides)
 * and, for IN_PROGRESS, whose turn it is (unknown: the person's, so an unfinished flow is never left waiting).
 */
export function userActionFor(
  status: VerificationStatus,
  reasons: readonly DeclineReason[],
  turn: SessionTurn | null = null,
): UserAction {
  const first = reasons[0];
  switch (status) {
    case 'APPROVED':
      return 'NONE';
    case 'IN_REVIEW':
    case 'UNKNOWN':
      return 'WAIT';
    case 'IN_PROGRESS':
      return turn === 'VENDOR' ? 'WAIT' : 'CONTINUE';
    case 'NOT_STARTED':
      return 'CONTINUE';
    case 'RESUBMISSION_REQUESTED':
      return 'RETRY';
    case 'EXPIRED':
    case 'ABANDONED':
      return first && !first.retryable ? 'CONTACT_SUPPORT' : 'START_OVER';
    case 'DECLINED':
    case 'ERROR':
      if (!first) return status === 'ERROR' ? 'START_OVER' : 'CONTACT_SUPPORT';
      if (!first.retryable) return 'CONTACT_SUPPORT';
      return first.retryScope === 'SAME_SESSION' ? 'RETRY' : 'START_OVER';
  }
}

/** The statuses whose reasons a session shows (DESIGN §8); any other status answers an empty list. */
const STATUSES_WITH_REASONS: ReadonlySet<VerificationStatus> = new Set([
  'DECLINED',
  'RESUBMISSION_REQUESTED',
  'EXPIRED',
  'ABANDONED',
  'ERROR',
  'IN_REVIEW',
]);

/** What a session carries, as far as its reasons and next step go. */
export interface DeclineView {
  status: VerificationStatus;
  declineReasons?: readonly DeclineReason[];
  turn?: SessionTurn;
}

/** `Session.declineReasons`: never null, empty for a status that shows none (an approved session says nothing). */
export function shownDeclineReasons(session: DeclineView): DeclineReason[] {
  return STATUSES_WITH_REASONS.has(session.status) ? [...(session.declineReasons ?? [])] : [];
}

/** `Session.userAction`: `userActionFor` over the reasons the session shows. */
export function sessionUserAction(session: DeclineView): UserAction {
  return userActionFor(session.status, shownDeclineReasons(session), session.turn ?? null);
}

/** The categories of the reasons a session shows, most severe first, each once (timeline and outbound events). */
export function declineCategoriesOf(session: DeclineView): DeclineCategory[] {
  return [...new Set(shownDeclineReasons(session).map((r) => r.category))];
}
