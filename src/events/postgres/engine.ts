import pg from 'pg';
import type { UserAction } from '../../model/declines.ts';
import type { Provider, VerificationStatus } from '../../model/session.ts';
import { categoriesOf } from '../declineColumns.ts';
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
import { APPEND_BATCH, appendParameters } from './append.ts';

const MIGRATIONS = new URL('./migrations/', import.meta.url);
/** The advisory lock migrations run under: one replica migrates, the others wait and find nothing pending. */
const MIGRATION_LOCK = 7_246_813_900;
/** A conflicting append (another replica took the sequence) is re-evaluated this many times at most. */
const MAX_APPEND_ATTEMPTS = 5;
/** Unique violation (another replica took the sequence), deadlock (the other batch goes on): re-run the batch. */
const CONFLICTS = new Set(['23505', '40P01']);

const PRUNE = `
DELETE FROM session_events WHERE id IN (
  SELECT e.id FROM session_events e
  WHERE e.at < $1 AND EXISTS (
    SELECT 1 FROM session_events n
    WHERE n.provider = e.provider AND n.provider_session_id = e.provider_session_id AND n.sequence > e.sequence)
  LIMIT $2)`;

/** The production engine: PostgreSQL through a small `pg` pool, shared by every replica. */
export class PostgresEventStore implements EventStore {
  readonly engine = 'postgres';
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  /** Connects and migrates; rejects when the database cannot be reached or a migration fails. */
  static async open(url: string, poolSize = 5): Promise<PostgresEventStore> {
    const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 });
    // An idle client's error (the server restarted) would otherwise crash the process; the next query reconnects.
    pool.on('error', () => {});
    // So would a checked-out client's: its query rejects with the error, and the pool discards it on release.
    pool.on('connect', (client) => client.on('error', () => {}));
    try {
      await migrate(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresEventStore(pool);
  }

  async append(observations: readonly Observation[], options: AppendOptions = {}): Promise<SessionEvent[]> {
    if (observations.length === 0) return [];
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#appendOnce(observations, options);
      } catch (error) {
        if (!CONFLICTS.has(String((error as { code?: string }).code)) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * One statement for the whole batch (append.ts); with an `onAppended` hook, it and the hook's rows share one
   * transaction, committed together or not at all. Alone, the statement is its own transaction: one round trip.
   */
  async #appendOnce(observations: readonly Observation[], options: AppendOptions): Promise<SessionEvent[]> {
    const parameters = appendParameters(observations);
    if (!options.onAppended) return (await this.#pool.query(APPEND_BATCH, parameters)).rows.map(toEvent);
    const { onAppended } = options;
    return this.transaction(async (tx) => {
      const inserted = (await tx.run(APPEND_BATCH, parameters)).map(toEvent);
      if (inserted.length > 0) await onAppended(tx, inserted);
      return inserted;
    });
  }

  async sessionEvents(ref: SessionRef, afterSequence: number, limit: number): Promise<SessionEvent[]> {
    const { rows } = await this.#pool.query(
      'SELECT * FROM session_events WHERE provider = $1 AND provider_session_id = $2 AND sequence > $3 ORDER BY sequence LIMIT $4',
      [ref.provider, ref.id, afterSequence, limit],
    );
    return rows.map(toEvent);
  }

  async feed(filter: EventFilter, beforeId: number | null, limit: number): Promise<SessionEvent[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const bind = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (beforeId !== null) where.push(`id < ${bind(beforeId)}`);
    if (filter.provider) where.push(`provider = ${bind(filter.provider)}`);
    if (filter.status) where.push(`status = ${bind(filter.status)}`);
    if (filter.since) where.push(`at >= ${bind(filter.since)}`);
    if (filter.until) where.push(`at < ${bind(filter.until)}`);
    if (filter.sessions) {
      if (filter.sessions.length === 0) return [];
      const any = filter.sessions.map(
        (s) => `(provider = ${bind(s.provider)} AND provider_session_id = ${bind(s.id)})`,
      );
      where.push(`(${any.join(' OR ')})`);
    }
    const sql = `SELECT * FROM session_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${bind(limit)}`;
    const { rows } = await this.#pool.query(sql, values);
    return rows.map(toEvent);
  }

  async prune(before: string, limit: number): Promise<number> {
    return (await this.#pool.query(PRUNE, [before, limit])).rowCount ?? 0;
  }

  async transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(transaction(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** Pending migrations, each in its own transaction with its ledger row, under the advisory lock. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(LEDGER_DDL);
      const { rows } = await client.query<{ version: string }>('SELECT version FROM verigate_migrations');
      for (const m of pending(readMigrations(MIGRATIONS), new Set(rows.map((r) => r.version)))) {
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO verigate_migrations (version, applied_at) VALUES ($1, $2)', [
            m.version,
            new Date().toISOString(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}

function transaction(client: pg.PoolClient): EventTransaction {
  return {
    engine: 'postgres',
    run: async (sql, values) => (await client.query(sql, values as unknown[])).rows,
  };
}

function toEvent(row: Record<string, unknown>): SessionEvent {
  return {
    id: Number(row.id),
    provider: row.provider as Provider,
    providerSessionId: String(row.provider_session_id),
    sequence: Number(row.sequence),
    at: (row.at as Date).toISOString(),
    source: row.source as SessionEventSource,
    status: row.status as VerificationStatus,
    previousStatus: (row.previous_status ?? null) as VerificationStatus | null,
    providerStatus: String(row.provider_status),
    reasonCode: (row.reason_code ?? null) as string | null,
    vendorEventId: (row.vendor_event_id ?? null) as string | null,
    redacted: row.redacted === true,
    userAction: (row.user_action ?? null) as UserAction | null,
    declineCategories: categoriesOf(row.decline_categories),
  };
}
