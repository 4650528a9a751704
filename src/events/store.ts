import type { DeclineCategory, UserAction } from '../model/declines.ts';
import type { Provider, VerificationStatus } from '../model/session.ts';

/**
 * The session timeline's port (DESIGN §7): an append-only log of the changes Verigate observed, one entry per change
 * of a session's unified or provider status, or of its redaction by the vendor. Two engines implement it, `sqlite/` (one replica) and `postgres/` (any
 * number); test/events/contract.test.ts holds both to the same behaviour. Entries carry no personal data.
 */

export const SESSION_EVENT_SOURCES = ['WEBHOOK', 'POLL', 'QUERY', 'PROVIDER'] as const;
/** Where Verigate learnt of the change: a webhook's refresh, the poller, a query's fresh load, the vendor's history. */
export type SessionEventSource = (typeof SESSION_EVENT_SOURCES)[number];

/** What was seen of one session at one moment: a candidate entry, appended only if it is a change. */
export interface Observation {
  /** The `Provider` enum name, stored as text: a new provider needs no migration. */
  provider: Provider;
  providerSessionId: string;
  /** ISO-8601 UTC with milliseconds (`Date.toISOString()`). */
  at: string;
  source: SessionEventSource;
  status: VerificationStatus;
  providerStatus: string;
  reasonCode: string | null;
  /**
   * The vendor had removed the session's personal data (Verifa's `sensitive_data_expired`, Persona's `redacted-at`):
   * a change of its own, recorded even when the status stays; entries from before migration 003 read false.
   */
  redacted: boolean;
  /** The vendor's own id of the event, where it has one; an entry per vendor event at most. */
  vendorEventId: string | null;
  /**
   * What the person should do next at the time (`Session.userAction`); null on entries from before migration 006.
   * Not part of the append condition: a change is still one of (status, providerStatus, redacted).
   */
  userAction: UserAction | null;
  /** The categories of `Session.declineReasons` at the time, most severe first; empty before migration 006. */
  declineCategories: DeclineCategory[];
}

/** One entry of a session's timeline. */
export interface SessionEvent extends Observation {
  /** Store-wide insertion order: what the feed pages by. */
  id: number;
  /** Per session, from 1, without gaps (until retention prunes the oldest). */
  sequence: number;
  previousStatus: VerificationStatus | null;
}

export interface SessionRef {
  provider: Provider;
  id: string;
}

/** The feed's filter; every part optional, all parts together. */
export interface EventFilter {
  provider?: Provider | null;
  status?: VerificationStatus | null;
  /** Inclusive lower bound on `at`, ISO-8601. */
  since?: string | null;
  /** Exclusive upper bound on `at`, ISO-8601. */
  until?: string | null;
  /** Only these sessions (a credential bound to its sessions); null: any. */
  sessions?: readonly SessionRef[] | null;
}

/**
 * The transaction an append runs in, handed to `onAppended` so a caller can write its own rows atomically with the
 * entries (the outbox of outbound webhooks). SQL is the engine's dialect: `?` placeholders on SQLite, `$1` on
 * PostgreSQL.
 */
export interface EventTransaction {
  readonly engine: 'sqlite' | 'postgres';
  run(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
}

export interface AppendOptions {
  /** Runs inside the append's transaction with the entries it inserted (none: not called); a throw rolls it back. */
  onAppended?: (tx: EventTransaction, entries: readonly SessionEvent[]) => Promise<void>;
}

export interface EventStore {
  readonly engine: 'sqlite' | 'postgres';
  /**
   * Appends, in order and in one transaction, each observation that differs in (status, providerStatus, redacted)
   * from its session's latest entry (and whose `vendorEventId`, if any, is new; and, for a `PROVIDER` one, whose `at`
   * is not before the latest entry's: the vendor's history goes in only in time order); returns the entries inserted.
   * Replicas appending the same change concurrently insert it once: (provider, session, sequence) is unique, and a
   * conflict re-evaluates the condition.
   */
  append(observations: readonly Observation[], options?: AppendOptions): Promise<SessionEvent[]>;
  /** A session's entries with `sequence > afterSequence`, oldest first, `limit` at most. */
  sessionEvents(ref: SessionRef, afterSequence: number, limit: number): Promise<SessionEvent[]>;
  /** Entries matching `filter` with `id < beforeId` (null: from the newest), newest first, `limit` at most. */
  feed(filter: EventFilter, beforeId: number | null, limit: number): Promise<SessionEvent[]>;
  /**
   * Deletes up to `limit` entries older than `before` (ISO-8601), never a session's latest one (its sequence goes on
   * from there, and its current state stays known); returns how many were deleted.
   */
  prune(before: string, limit: number): Promise<number>;
  /**
   * Runs `work` in a transaction of the store's database, for the tables that live beside the timeline (the outbox
   * of outbound webhooks, src/outbound/outbox.ts); committed when it resolves, rolled back when it throws.
   */
  transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
