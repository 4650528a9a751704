import { Batcher } from '../events/batcher.ts';
import { idList, runSql } from '../events/dialect.ts';
import type { EventStore, EventTransaction } from '../events/store.ts';
import type { Provider } from '../model/session.ts';

/**
 * The inbox's queries (DESIGN §8): a verified vendor webhook becomes one `inbox` row in the timeline's database
 * before the vendor is answered 2xx; the inbox worker (worker.ts) claims due rows under a lease, and marks them done
 * in the transaction that records what the vendor's reload showed (`settle`, called by the timeline). Every
 * statement takes its ids as one JSON array, so a batch is one statement whatever its size.
 */

/** How a row ended: an entry appended, nothing new, the vendor no longer knows the session, or given up. */
export type InboxOutcome = 'changed' | 'unchanged' | 'not_found' | 'failed';

/** What the webhook route knows of a verified delivery (no body, no personal data). */
export interface InboxHint {
  /**
   * The delivery's name in the replay log under the signature that verified first (its aliases, the names under its
   * other signatures, are the replay log's to remember: as there, a delivery is a duplicate by its first name).
   */
  replayKey: string;
  provider: Provider;
  providerSessionId: string;
  /** The event's name in the vendor's words (`status.updated`). */
  event: string;
  vendorEventId: string | null;
  receivedAt: string;
}

/** A claimed row: what the worker needs to reload its session. */
export interface ClaimedHint {
  id: number;
  provider: Provider;
  providerSessionId: string;
  attempts: number;
}

/** Why rows are given back: the failure's code (kept as their last error), and whether it was a vendor attempt. */
export interface Failure {
  code: string;
  attempt: boolean;
}

/** Rows the timeline settles in the transaction of one append: those whose session it changed, and the others. */
export interface Settlement {
  changed: readonly number[];
  unchanged: readonly number[];
}

/**
 * The hints of one group commit as one statement: the batch is one JSON array parameter of hint objects; a delivery
 * already in the inbox (or twice in the batch) is left out of RETURNING, so it is a duplicate.
 */
const INSERT = {
  postgres: `
INSERT INTO inbox (replay_key, provider, provider_session_id, event, vendor_event_id, received_at, status, attempts,
  next_attempt_at)
SELECT h."replayKey", h.provider, h."providerSessionId", h.event, h."vendorEventId", h."receivedAt", 'pending', 0,
  h."receivedAt"
FROM json_to_recordset($1::json) AS h("replayKey" text, provider text, "providerSessionId" text, event text,
  "vendorEventId" text, "receivedAt" timestamptz)
ON CONFLICT (replay_key) DO NOTHING
RETURNING replay_key`,
  sqlite: `
INSERT INTO inbox (replay_key, provider, provider_session_id, event, vendor_event_id, received_at, status, attempts,
  next_attempt_at)
SELECT value ->> 'replayKey', value ->> 'provider', value ->> 'providerSessionId', value ->> 'event',
  value ->> 'vendorEventId', value ->> 'receivedAt', 'pending', 0, value ->> 'receivedAt'
FROM json_each($1) WHERE true
ON CONFLICT (replay_key) DO NOTHING
RETURNING replay_key`,
};

export class InboxStore {
  readonly #store: EventStore;
  /** Hints that arrive while a commit is under way go together in the next one (a burst is a few commits). */
  readonly #accepts = new Batcher<InboxHint, 'accepted' | 'duplicate'>((hints) => this.#insert(hints));

  constructor(store: EventStore) {
    this.#store = store;
  }

  /**
   * Records the hint; `duplicate` when this delivery is already in the inbox, pending or done. Resolves only once the
   * row is committed; rejects when the store fails (with every hint of its group commit).
   */
  accept(hint: InboxHint): Promise<'accepted' | 'duplicate'> {
    return this.#accepts.add(hint);
  }

  /** One statement, one transaction for the batch; a replay key twice in it is accepted at its first place only. */
  async #insert(hints: InboxHint[]): Promise<Array<'accepted' | 'duplicate'>> {
    const rows = await this.#store.transaction((tx) => runSql(tx, INSERT[tx.engine], [JSON.stringify(hints)]));
    const inserted = new Set(rows.map((r) => String(r.replay_key)));
    return hints.map((hint) => (inserted.delete(hint.replayKey) ? 'accepted' : 'duplicate'));
  }

  /**
   * Leases up to `limit` due rows (pending, due, not leased or their lease lapsed), oldest due first, for `leaseMs`
   * under `token`. PostgreSQL: `FOR UPDATE SKIP LOCKED`, so the workers of several replicas claim disjoint rows.
   */
  async claim(limit: number, leaseMs: number, token: string, now = new Date()): Promise<ClaimedHint[]> {
    const rows = await this.#store.transaction((tx) =>
      runSql(
        tx,
        `UPDATE inbox SET lease_until = $2, lease_token = $3
         WHERE id IN (
           SELECT id FROM inbox
           WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
           ORDER BY next_attempt_at, id LIMIT $4 ${tx.engine === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : ''})
         RETURNING id, provider, provider_session_id, attempts`,
        [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), token, limit],
      ),
    );
    return rows
      .map((r) => ({
        id: Number(r.id),
        provider: r.provider as Provider,
        providerSessionId: String(r.provider_session_id),
        attempts: Number(r.attempts),
      }))
      .sort((a, b) => a.id - b.id);
  }

  /**
   * Inside the timeline's append transaction: the rows are done, `changed` or `unchanged`. Whoever holds their lease
   * now (a lapsed one re-claimed elsewhere): the reload recorded here read the vendor after their hints came.
   */
  settle = async (tx: EventTransaction, settlement: Settlement): Promise<void> => {
    const all = [...settlement.changed, ...settlement.unchanged];
    if (all.length === 0) return;
    await runSql(
      tx,
      `UPDATE inbox SET status = 'done', done_at = $1, last_error = NULL, lease_until = NULL, lease_token = NULL,
         outcome = CASE WHEN id IN (${idList(tx, 3)}) THEN 'changed' ELSE 'unchanged' END
       WHERE status = 'pending' AND id IN (${idList(tx, 2)})`,
      [new Date().toISOString(), JSON.stringify(all), JSON.stringify(settlement.changed)],
    );
  };

  /** Ends rows without a timeline entry: the vendor no longer knows the session, or the worker gave up. */
  async finish(ids: readonly number[], outcome: 'not_found' | 'failed', code: string): Promise<void> {
    await this.#store.transaction((tx) =>
      runSql(
        tx,
        `UPDATE inbox SET status = 'done', done_at = $1, outcome = $3, last_error = $4, attempts = attempts + 1,
           lease_until = NULL, lease_token = NULL
         WHERE status = 'pending' AND id IN (${idList(tx, 2)})`,
        [new Date().toISOString(), JSON.stringify(ids), outcome, code],
      ),
    );
  }

  /**
   * Releases this worker's lease of the rows, due again at `at`, with the failure that sent them back (none: a wait
   * for Verigate's own budget or for `minIntervalMs`, or a shutdown). A row re-claimed since by another is left alone.
   */
  async release(ids: readonly number[], token: string, at: Date, failure: Failure | null): Promise<void> {
    await this.#store.transaction((tx) =>
      runSql(
        tx,
        `UPDATE inbox SET next_attempt_at = $3, lease_until = NULL, lease_token = NULL,
           attempts = attempts + $4, last_error = coalesce($5, last_error)
         WHERE status = 'pending' AND lease_token = $2 AND id IN (${idList(tx, 1)})`,
        [JSON.stringify(ids), token, at.toISOString(), failure?.attempt ? 1 : 0, failure?.code ?? null],
      ),
    );
  }

  /** Pending rows (the `verigate_inbox_pending` gauge): the inbox is shared, so every replica reports the same. */
  async pending(): Promise<number> {
    const [row] = await this.#store.transaction((tx) =>
      runSql(tx, `SELECT count(*) AS n FROM inbox WHERE status = 'pending'`, []),
    );
    return Number(row?.n ?? 0);
  }

  /** Retention: deletes up to `limit` done rows finished before `before`; pending rows stay whatever their age. */
  async prune(before: string, limit: number): Promise<number> {
    const rows = await this.#store.transaction((tx) =>
      runSql(
        tx,
        `DELETE FROM inbox WHERE id IN (SELECT id FROM inbox WHERE status = 'done' AND done_at < $1 ORDER BY done_at, id
           LIMIT $2) RETURNING id`,
        [before, limit],
      ),
    );
    return rows.length;
  }
}
