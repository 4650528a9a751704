import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { UserAction } from '../../model/declines.ts';
import type { Provider, VerificationStatus } from '../../model/session.ts';
import { categoriesOf, categoriesText } from '../declineColumns.ts';
import { LEDGER_DDL, pending, readMigrations } from '../migrate.ts';
import type {
  AppendOptions,
  EventFilter,
  EventStore,
  EventTransaction,
  Observation,
  SessionEvent,
  SessionEventSource,
  SessionRef,
} from '../store.ts';

const MIGRATIONS = new URL('./migrations/', import.meta.url);

/**
 * Inserts the observation as the session's next entry unless its latest entry already has this (status,
 * providerStatus, redacted), or this vendor event is already recorded, or it is the vendor's history (`PROVIDER`) and
 * older than the latest entry (src/events/history.ts). One statement: the check and the insert cannot be split.
 */
const APPEND = `
INSERT INTO session_events
  (provider, provider_session_id, sequence, at, source, status, previous_status, provider_status, reason_code, vendor_event_id,
   redacted, user_action, decline_categories)
SELECT :provider, :id, coalesce(l.sequence, 0) + 1, :at, :source, :status, l.status, :providerStatus, :reasonCode, :vendorEventId,
  :redacted, :userAction, :declineCategories
FROM (SELECT 1) AS one
LEFT JOIN (
  SELECT sequence, at, status, provider_status, redacted FROM session_events
  WHERE provider = :provider AND provider_session_id = :id ORDER BY sequence DESC LIMIT 1
) AS l ON true
WHERE (l.sequence IS NULL OR l.status <> :status OR l.provider_status <> :providerStatus OR l.redacted <> :redacted)
  AND (:source <> 'PROVIDER' OR l.sequence IS NULL OR l.at <= :at)
  AND (:vendorEventId IS NULL OR NOT EXISTS (
    SELECT 1 FROM session_events v
    WHERE v.provider = :provider AND v.provider_session_id = :id AND v.vendor_event_id = :vendorEventId))
RETURNING *`;

/** Old entries, but never a session's latest. */
const PRUNE = `
DELETE FROM session_events WHERE id IN (
  SELECT e.id FROM session_events e
  WHERE e.at < ? AND EXISTS (
    SELECT 1 FROM session_events n
    WHERE n.provider = e.provider AND n.provider_session_id = e.provider_session_id AND n.sequence > e.sequence)
  LIMIT ?)`;

/**
 * The embedded engine: Node's built-in `node:sqlite`, one file in WAL mode, for one replica (several processes on one
 * file would serialise on its write lock, and replicas on different hosts cannot share it). Calls are synchronous, so
 * each is one short indexed statement or one batched transaction; the timeline batches appends off the request path.
 */
export class SqliteEventStore implements EventStore {
  readonly engine = 'sqlite';
  readonly #db: DatabaseSync;
  readonly #append;
  /** Appends one after another: a transaction on this one connection must not interleave with the next. */
  #serial: Promise<unknown> = Promise.resolve();
  /** Statements callers run in transactions (the outbox's), prepared once each. */
  readonly #statements = new Map<string, StatementSync>();

  private constructor(db: DatabaseSync) {
    this.#db = db;
    this.#append = db.prepare(APPEND);
  }

  /** Opens (creating the file and its folder if needed) and migrates the store at `path` (`:memory:` allowed). */
  static open(path: string): SqliteEventStore {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    migrate(db);
    return new SqliteEventStore(db);
  }

  append(observations: readonly Observation[], options: AppendOptions = {}): Promise<SessionEvent[]> {
    if (observations.length === 0) return Promise.resolve([]);
    const run = this.#serial.then(() => this.#appendNow(observations, options));
    this.#serial = run.catch(() => undefined);
    return run;
  }

  async #appendNow(observations: readonly Observation[], options: AppendOptions): Promise<SessionEvent[]> {
    // IMMEDIATE: the write lock is taken before the latest entries are read, so no other writer slips in between.
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const inserted: SessionEvent[] = [];
      for (const o of observations) {
        const row = this.#append.get(params(o));
        if (row) inserted.push(toEvent(row));
      }
      if (inserted.length > 0 && options.onAppended) await options.onAppended(this.#transaction(), inserted);
      this.#db.exec('COMMIT');
      return inserted;
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  async sessionEvents(ref: SessionRef, afterSequence: number, limit: number): Promise<SessionEvent[]> {
    const rows = this.#db
      .prepare(
        'SELECT * FROM session_events WHERE provider = ? AND provider_session_id = ? AND sequence > ? ORDER BY sequence LIMIT ?',
      )
      .all(ref.provider, ref.id, afterSequence, limit);
    return rows.map(toEvent);
  }

  async feed(filter: EventFilter, beforeId: number | null, limit: number): Promise<SessionEvent[]> {
    const where: string[] = [];
    const values: SQLInputValue[] = [];
    const add = (sql: string, ...v: SQLInputValue[]) => {
      where.push(sql);
      values.push(...v);
    };
    if (beforeId !== null) add('id < ?', beforeId);
    if (filter.provider) add('provider = ?', filter.provider);
    if (filter.status) add('status = ?', filter.status);
    if (filter.since) add('at >= ?', filter.since);
    if (filter.until) add('at < ?', filter.until);
    if (filter.sessions) {
      if (filter.sessions.length === 0) return [];
      add(
        `(${filter.sessions.map(() => '(provider = ? AND provider_session_id = ?)').join(' OR ')})`,
        ...filter.sessions.flatMap((s) => [s.provider, s.id]),
      );
    }
    const sql = `SELECT * FROM session_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.#db
      .prepare(sql)
      .all(...values, limit)
      .map(toEvent);
  }

  async prune(before: string, limit: number): Promise<number> {
    return Number(this.#db.prepare(PRUNE).run(before, limit).changes);
  }

  transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T> {
    const run = this.#serial.then(async () => {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.#transaction());
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        this.#db.exec('ROLLBACK');
        throw error;
      }
    });
    this.#serial = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.#serial;
    if (this.#db.isOpen) this.#db.close();
  }

  #transaction(): EventTransaction {
    const statement = (sql: string) => {
      let prepared = this.#statements.get(sql);
      if (!prepared) {
        prepared = this.#db.prepare(sql);
        this.#statements.set(sql, prepared);
      }
      return prepared;
    };
    return {
      engine: 'sqlite',
      run: async (sql, values) => statement(sql).all(...(values as SQLInputValue[])) as Record<string, unknown>[],
    };
  }
}

/** Applies the pending migrations in one IMMEDIATE transaction: a second process waits, then finds none pending. */
function migrate(db: DatabaseSync): void {
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(LEDGER_DDL);
    const applied = new Set(
      db
        .prepare('SELECT version FROM verigate_migrations')
        .all()
        .map((r) => String(r.version)),
    );
    for (const m of pending(readMigrations(MIGRATIONS), applied)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO verigate_migrations (version, applied_at) VALUES (?, ?)').run(
        m.version,
        new Date().toISOString(),
      );
    }
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

function params(o: Observation): Record<string, SQLInputValue> {
  return {
    provider: o.provider,
    id: o.providerSessionId,
    at: o.at,
    source: o.source,
    status: o.status,
    providerStatus: o.providerStatus,
    reasonCode: o.reasonCode,
    vendorEventId: o.vendorEventId,
    redacted: o.redacted ? 1 : 0, // SQLite has no boolean: 0 or 1
    userAction: o.userAction,
    declineCategories: categoriesText(o.declineCategories),
  };
}

function toEvent(row: Record<string, SQLInputValue>): SessionEvent {
  return {
    id: Number(row.id),
    provider: row.provider as Provider,
    providerSessionId: String(row.provider_session_id),
    sequence: Number(row.sequence),
    at: String(row.at),
    source: row.source as SessionEventSource,
    status: row.status as VerificationStatus,
    previousStatus: (row.previous_status ?? null) as VerificationStatus | null,
    providerStatus: String(row.provider_status),
    reasonCode: (row.reason_code ?? null) as string | null,
    vendorEventId: (row.vendor_event_id ?? null) as string | null,
    redacted: Number(row.redacted) === 1,
    userAction: (row.user_action ?? null) as UserAction | null,
    declineCategories: categoriesOf(row.decline_categories),
  };
}
