import { createHash, randomBytes } from 'node:crypto';
import type { OutboundEndpointConfig, OutboundEventType } from '../config/outbound.ts';
import type { EventStore, EventTransaction, SessionEvent } from '../events/store.ts';
import { toGlobalId } from '../graphql/ids.ts';
import { TERMINAL_STATUSES } from '../model/session.ts';
import { type BatchColumn, batchRows } from './rows.ts';

/**
 * The outbox of outbound webhooks (DESIGN §7): one `outbound_deliveries` row per event and endpoint, written in the
 * transaction that appends the timeline entry (`enqueueStatusChanges`, the store's `onAppended` hook), so an entry
 * and its deliveries are committed together or not at all. The dispatcher (dispatcher.ts) claims, sends and records;
 * GraphQL lists and re-queues. SQL is written once with `$n` placeholders (SQLite reads them as `?n`).
 */

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One row of the outbox, as GraphQL and the dispatcher see it. */
export interface WebhookDelivery {
  /** Insertion order: per-session delivery order, and what pages are cut by. */
  seq: number;
  /** The `webhook-id`. */
  id: string;
  endpoint: string;
  eventType: OutboundEventType;
  provider: string | null;
  providerSessionId: string | null;
  sequence: number | null;
  /** The JSON body exactly as sent on every attempt. */
  body: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** The `webhook-id` of one timeline entry for one endpoint: derived, so it is the same however often it is sent. */
export function deliveryId(endpoint: string, entry: Pick<SessionEvent, 'provider' | 'providerSessionId' | 'sequence'>) {
  const key = `${endpoint}\u0000${entry.provider}\u0000${entry.providerSessionId}\u0000${entry.sequence}`;
  return `msg_${createHash('sha256').update(key, 'utf8').digest('base64url').slice(0, 27)}`;
}

/**
 * The body of `verification.session.status_changed`: statuses, ids, the next step and the decline categories only,
 * never personal data (no vendor text, not even the user-safe `userMessage`).
 */
export function statusChangedBody(entry: SessionEvent, now: string): string {
  return JSON.stringify({
    type: 'verification.session.status_changed',
    timestamp: now,
    data: {
      provider: entry.provider,
      sessionId: entry.providerSessionId,
      globalId: toGlobalId({ provider: entry.provider, id: entry.providerSessionId }),
      status: entry.status,
      previousStatus: entry.previousStatus,
      providerStatus: entry.providerStatus,
      isTerminal: TERMINAL_STATUSES.has(entry.status),
      reasonCode: entry.reasonCode,
      // What the person does next and why, in the unified vocabulary (DESIGN §8); additive: older receivers ignore them.
      userAction: entry.userAction,
      declineCategories: entry.declineCategories,
      sequence: entry.sequence,
      occurredAt: entry.at,
    },
  });
}

/** True when `endpoint` asked for events of this type (and, for a session's event, of this provider). */
export function wants(endpoint: OutboundEndpointConfig, type: OutboundEventType, provider: string | null): boolean {
  if (endpoint.events && !endpoint.events.includes(type)) return false;
  return provider === null || !endpoint.providers || endpoint.providers.includes(provider);
}

const INSERT = `
INSERT INTO outbound_deliveries
  (id, endpoint, event_type, provider, provider_session_id, event_id, sequence, body, status, attempts, next_attempt_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', 0, $9, $9)
ON CONFLICT (id) DO NOTHING
RETURNING *`;

/** The columns a batch of new rows fills (the rest are a new row's defaults). */
const ROW_COLUMNS: readonly BatchColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'endpoint', type: 'text' },
  { name: 'event_type', type: 'text' },
  { name: 'provider', type: 'text' },
  { name: 'provider_session_id', type: 'text' },
  { name: 'event_id', type: 'bigint' },
  { name: 'sequence', type: 'integer' },
  { name: 'body', type: 'text' },
];

/** Many rows in one statement, in batch order (their `seq`, so each session's deliveries go out in that order). */
const insertBatch = (source: string) => `
INSERT INTO outbound_deliveries
  (${ROW_COLUMNS.map((c) => c.name).join(', ')}, status, attempts, next_attempt_at, created_at)
SELECT ${ROW_COLUMNS.map((c) => `r.${c.name}`).join(', ')}, 'pending', 0, $1, $1
FROM (${source}) AS r WHERE true ORDER BY r.ord
ON CONFLICT (id) DO NOTHING`;

/** One attempt's outcome, as the dispatcher hands it to `record`. */
export interface AttemptOutcome {
  id: string;
  /** The lease's token: only its holder records (a dispatcher whose lease ran out and was re-claimed does not). */
  token: string;
  /** A 2xx. */
  delivered: boolean;
  statusCode: number | null;
  error: string | null;
  /** Not delivered: due again then, or null after the last attempt (`failed`). */
  nextAttemptAt: string | null;
}

const OUTCOME_COLUMNS: readonly BatchColumn[] = [
  { name: 'id', type: 'text' },
  { name: 'token', type: 'text' },
  { name: 'delivered', type: 'boolean' },
  { name: 'status_code', type: 'integer' },
  { name: 'error', type: 'text' },
  { name: 'retry_at', type: 'timestamptz' },
];

const recordBatch = (source: string) => `
UPDATE outbound_deliveries SET attempts = attempts + 1, last_status_code = o.status_code, last_error = o.error,
  status = CASE WHEN o.delivered THEN 'delivered' WHEN o.retry_at IS NULL THEN 'failed' ELSE 'pending' END,
  delivered_at = CASE WHEN o.delivered THEN $1 ELSE delivered_at END,
  next_attempt_at = coalesce(o.retry_at, next_attempt_at), lease_until = NULL, lease_token = NULL
FROM (${source}) AS o
WHERE outbound_deliveries.id = o.id AND outbound_deliveries.lease_token = o.token
RETURNING outbound_deliveries.id`;

/**
 * The dispatcher's own bookkeeping (a claim's lease, an attempt's outcome) commits without waiting for the WAL flush
 * on PostgreSQL: a server crash may forget the last few, which leaves a row leased until its lease lapses, or pending
 * after it was sent, so it is sent again with the same `webhook-id`, as after any crash (at-least-once). The rows
 * written with a timeline entry are not relaxed: they are what must not be lost.
 */
async function relaxed(tx: EventTransaction): Promise<void> {
  if (tx.engine === 'postgres') await tx.run('SET LOCAL synchronous_commit TO off', []);
}

/** `$1` → `?1` on SQLite (numbered parameters, so one text serves both engines). */
function sql(tx: EventTransaction, text: string): string {
  return tx.engine === 'sqlite' ? text.replace(/\$(\d+)/g, '?$1') : text;
}

const run = (tx: EventTransaction, text: string, params: readonly unknown[]) => tx.run(sql(tx, text), params);

/** The members of a JSON array parameter, as a subquery each engine accepts. */
const jsonList = (tx: EventTransaction, n: number) =>
  tx.engine === 'postgres' ? `SELECT json_array_elements_text($${n}::json)` : `SELECT value FROM json_each($${n})`;

/**
 * A vendor-history entry (`PROVIDER`) followed, in the same append, by a later entry of its session: the past, first
 * learnt now. Backends are told the session's state as it is, not a replay of how it got there (a Persona inquiry in
 * review has `completed`, which maps to APPROVED, in its history: an APPROVED event would unlock an account that is
 * still under review). The timeline keeps every entry.
 */
function supersededHistory(entry: SessionEvent, entries: readonly SessionEvent[]): boolean {
  if (entry.source !== 'PROVIDER') return false;
  return entries.some(
    (e) =>
      e.provider === entry.provider && e.providerSessionId === entry.providerSessionId && e.sequence > entry.sequence,
  );
}

export interface ListFilter {
  endpoint: string | null;
  status: DeliveryStatus | null;
}

export class Outbox {
  readonly #store: EventStore;
  readonly #endpoints: readonly OutboundEndpointConfig[];
  /** Called once rows queued here outside the timeline (a test event, a redelivery) are committed. */
  onQueued: () => void = () => {};

  constructor(store: EventStore, endpoints: readonly OutboundEndpointConfig[]) {
    this.#store = store;
    this.#endpoints = endpoints;
  }

  get endpoints(): readonly OutboundEndpointConfig[] {
    return this.#endpoints;
  }

  endpoint(name: string): OutboundEndpointConfig | null {
    return this.#endpoints.find((e) => e.name === name) ?? null;
  }

  /**
   * The timeline's `onAppended` hook, inside the append's transaction: for each entry that changed the unified
   * status, one `verification.session.status_changed` row per endpoint that wants it. A throw rolls the entries back
   * with the rows, so an entry is never recorded without its deliveries.
   */
  enqueueStatusChanges = async (tx: EventTransaction, entries: readonly SessionEvent[]): Promise<void> => {
    const now = new Date().toISOString();
    const rows: unknown[][] = [];
    for (const entry of entries) {
      if (entry.status === entry.previousStatus) continue; // a provider-status change only: not an event
      if (supersededHistory(entry, entries)) continue;
      const body = statusChangedBody(entry, now);
      for (const endpoint of this.#endpoints) {
        if (!wants(endpoint, 'verification.session.status_changed', entry.provider)) continue;
        rows.push([
          deliveryId(endpoint.name, entry),
          endpoint.name,
          'verification.session.status_changed',
          entry.provider,
          entry.providerSessionId,
          entry.id,
          entry.sequence,
          body,
        ]);
      }
    }
    if (rows.length === 0) return;
    const batch = batchRows(tx, ROW_COLUMNS, rows, 2);
    await run(tx, insertBatch(batch.source), [now, ...batch.params]);
  };

  /**
   * Retention (`EVENTS_RETENTION_DAYS`, run by the timeline's pruner): deletes up to `limit` delivered or failed rows
   * created before `before`; pending ones stay whatever their age (a disabled endpoint's backlog is not lost).
   */
  async prune(before: string, limit: number): Promise<number> {
    const rows = await this.#store.transaction((tx) =>
      run(
        tx,
        `DELETE FROM outbound_deliveries WHERE seq IN (SELECT seq FROM outbound_deliveries
           WHERE status <> 'pending' AND created_at < $1 ORDER BY seq LIMIT $2) RETURNING seq`,
        [before, limit],
      ),
    );
    return rows.length;
  }

  /** Queues a `verification.test` event for one endpoint (re-enabling it if a 410 had disabled it). */
  async enqueueTest(endpoint: string): Promise<WebhookDelivery> {
    const now = new Date().toISOString();
    const id = `msg_${randomBytes(20).toString('base64url')}`;
    const body = JSON.stringify({ type: 'verification.test', timestamp: now, data: { endpoint } });
    const delivery = await this.#store.transaction(async (tx) => {
      await run(tx, 'DELETE FROM outbound_endpoints WHERE name = $1', [endpoint]);
      const [row] = await run(tx, INSERT, [id, endpoint, 'verification.test', null, null, null, null, body, now]);
      return toDelivery(row as Record<string, unknown>);
    });
    this.onQueued();
    return delivery;
  }

  /**
   * Leases up to `limit` due rows of the `endpoints` named, longest due first (the order of the due index, so a claim
   * reads a few index entries, not every pending row), for `leaseMs`. A row waits while an earlier
   * row of its endpoint and session is still pending (leased or not), so each session's events go out in order.
   * PostgreSQL: `FOR UPDATE SKIP LOCKED`, so dispatchers of several replicas claim disjoint rows.
   */
  async claim(endpoints: readonly string[], limit: number, leaseMs: number, token: string): Promise<WebhookDelivery[]> {
    if (endpoints.length === 0 || limit <= 0) return [];
    const now = new Date();
    const rows = await this.#store.transaction(async (tx) => {
      await relaxed(tx);
      return run(
        tx,
        `UPDATE outbound_deliveries SET lease_until = $2, lease_token = $3
         WHERE seq IN (
           SELECT d.seq FROM outbound_deliveries d
           WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until <= $1)
             AND d.endpoint IN (${jsonList(tx, 4)})
             AND NOT EXISTS (
               SELECT 1 FROM outbound_deliveries e
               WHERE e.status = 'pending' AND e.endpoint = d.endpoint AND e.provider = d.provider
                 AND e.provider_session_id = d.provider_session_id AND e.seq < d.seq)
           ORDER BY d.next_attempt_at, d.seq LIMIT $5 ${tx.engine === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : ''})
         RETURNING *`,
        [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString(), token, JSON.stringify(endpoints), limit],
      );
    });
    return rows.map(toDelivery).sort((a, b) => a.seq - b.seq);
  }

  /**
   * Records a batch of attempts in one statement: a 2xx is `delivered`; a failure is due again at its `nextAttemptAt`,
   * or `failed` when that is null (the last attempt). A row whose lease another dispatcher holds by now is left alone:
   * for each outcome, in order, whether it was recorded.
   */
  async record(outcomes: readonly AttemptOutcome[]): Promise<boolean[]> {
    if (outcomes.length === 0) return [];
    const rows = outcomes.map((o) => [o.id, o.token, o.delivered, o.statusCode, o.error, o.nextAttemptAt]);
    const updated = await this.#store.transaction(async (tx) => {
      await relaxed(tx);
      const batch = batchRows(tx, OUTCOME_COLUMNS, rows, 2);
      return run(tx, recordBatch(batch.source), [new Date().toISOString(), ...batch.params]);
    });
    const recorded = new Set(updated.map((r) => String(r.id)));
    return outcomes.map((o) => recorded.has(o.id));
  }

  /**
   * A 410: the endpoint is disabled (for this URL); the row stays pending, unsent, like the endpoint's others. False,
   * and nothing disabled, when the lease is no longer the caller's (a redelivery re-enabled the endpoint since).
   */
  async gone(id: string, token: string, endpoint: OutboundEndpointConfig): Promise<boolean> {
    const now = new Date().toISOString();
    return this.#store.transaction(async (tx) => {
      const updated = await run(
        tx,
        `UPDATE outbound_deliveries SET attempts = attempts + 1, last_status_code = 410, last_error = NULL,
           lease_until = NULL, lease_token = NULL
         WHERE id = $1 AND lease_token = $2 RETURNING id`,
        [id, token],
      );
      if (updated.length === 0) return false;
      await run(
        tx,
        `INSERT INTO outbound_endpoints (name, url_sha256, disabled_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET url_sha256 = excluded.url_sha256, disabled_at = excluded.disabled_at`,
        [endpoint.name, urlDigest(endpoint.url), now],
      );
      return true;
    });
  }

  /** The configured endpoints a 410 disabled (for their current URL: a new URL is a new receiver). */
  async disabled(): Promise<Set<string>> {
    const rows = await this.#store.transaction((tx) => run(tx, 'SELECT name, url_sha256 FROM outbound_endpoints', []));
    const digests = new Map(rows.map((r) => [String(r.name), String(r.url_sha256)]));
    return new Set(this.#endpoints.filter((e) => digests.get(e.name) === urlDigest(e.url)).map((e) => e.name));
  }

  /** Pending rows per configured endpoint (the queue-depth gauge). */
  async queueDepth(): Promise<Map<string, number>> {
    const rows = await this.#store.transaction((tx) =>
      run(tx, `SELECT endpoint, count(*) AS n FROM outbound_deliveries WHERE status = 'pending' GROUP BY endpoint`, []),
    );
    const depth = new Map(this.#endpoints.map((e) => [e.name, 0]));
    for (const r of rows) if (depth.has(String(r.endpoint))) depth.set(String(r.endpoint), Number(r.n));
    return depth;
  }

  /** Rows matching `filter` with `seq < beforeSeq` (null: from the newest), newest first. */
  async list(filter: ListFilter, beforeSeq: number | null, limit: number): Promise<WebhookDelivery[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.endpoint !== null) where.push(`endpoint = ${bind(filter.endpoint)}`);
    if (filter.status !== null) where.push(`status = ${bind(filter.status)}`);
    if (beforeSeq !== null) where.push(`seq < ${bind(beforeSeq)}`);
    const text = `SELECT * FROM outbound_deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY seq DESC LIMIT ${bind(limit)}`;
    const rows = await this.#store.transaction((tx) => run(tx, text, params));
    return rows.map(toDelivery);
  }

  /**
   * Re-queues a delivery now with a fresh schedule (attempts back to 0, the same `webhook-id`), and re-enables its
   * endpoint if a 410 had disabled it; null when no delivery has this id. An attempt already in flight loses its
   * lease: the row is claimable at once, and that attempt's outcome, arriving later, is not recorded over the new
   * schedule (its UPDATE names the old lease token).
   */
  async redeliver(id: string): Promise<WebhookDelivery | null> {
    const now = new Date().toISOString();
    const delivery = await this.#store.transaction(async (tx) => {
      const [row] = await run(
        tx,
        `UPDATE outbound_deliveries SET status = 'pending', attempts = 0, next_attempt_at = $2, delivered_at = NULL,
           lease_until = NULL, lease_token = NULL
         WHERE id = $1 RETURNING *`,
        [id, now],
      );
      if (!row) return null;
      await run(tx, 'DELETE FROM outbound_endpoints WHERE name = $1', [row.endpoint]);
      return toDelivery(row);
    });
    if (delivery) this.onQueued();
    return delivery;
  }
}

/** The endpoint state remembers which URL said 410, as a digest (no URL is stored). */
const urlDigest = (url: string) => createHash('sha256').update(url, 'utf8').digest('hex');

/** ISO-8601 from either engine: PostgreSQL hands back Dates, SQLite the stored text. */
const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));
const isoOrNull = (value: unknown): string | null => (value == null ? null : iso(value));
const numberOrNull = (value: unknown): number | null => (value == null ? null : Number(value));

function toDelivery(row: Record<string, unknown>): WebhookDelivery {
  return {
    seq: Number(row.seq),
    id: String(row.id),
    endpoint: String(row.endpoint),
    eventType: row.event_type as OutboundEventType,
    provider: (row.provider ?? null) as string | null,
    providerSessionId: (row.provider_session_id ?? null) as string | null,
    sequence: numberOrNull(row.sequence),
    body: String(row.body),
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: iso(row.next_attempt_at),
    lastStatusCode: numberOrNull(row.last_status_code),
    lastError: (row.last_error ?? null) as string | null,
    createdAt: iso(row.created_at),
    deliveredAt: isoOrNull(row.delivered_at),
  };
}
