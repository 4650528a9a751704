import { randomBytes } from 'node:crypto';
import type { EventStore, EventTransaction } from '../events/store.ts';
import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import { GatewayError } from '../upstream/errors.ts';
import { badField } from './input.ts';

/**
 * `startVerification`'s idempotency records (migration 005, both engines), beside the timeline in its database:
 * (API key name, idempotency key) → the input's hash, the provider and session, a two-step vendor's first step.
 *
 * Exactly one call owns a key: the one whose `INSERT … ON CONFLICT DO NOTHING` inserted the `pending` row, on any
 * replica. A twin arriving meanwhile polls the row (bounded) until it is `started`, then answers it as a replay. An
 * owner that died leaves its lease to lapse; the next call takes the row over and resumes from its checkpoint. Rows
 * hold no secret (no link, no token) and no personal data (the input is hashed), and go after 24 h.
 */

export const RECORD_RETENTION_MS = 24 * 3_600_000;

export interface AttemptRecord {
  provider: Provider;
  /** The error code that ended it; null: it started the session. */
  code: string | null;
}

export interface StartedRecord {
  provider: Provider;
  providerSessionId: string;
  attempts: AttemptRecord[];
  expiresAt: string | null;
}

/** What `claim` found: this call owns the start (maybe resuming a dead owner's), or it was already started. */
export type Claim =
  | { kind: 'owner'; token: string; resume: { provider: Provider; firstStepId: string } | null }
  | { kind: 'started'; record: StartedRecord };

export interface StartRecordsOptions {
  /** How long an owner's claim holds without renewal, ms (renewed at each provider attempt). Default 20 s. */
  leaseMs?: number;
  /** How long a twin waits for the owner to finish, ms. Default 25 s. */
  waitMs?: number;
  /** Between two reads of a pending row, ms. Default 50. */
  pollMs?: number;
}

export interface RecordKey {
  apiKey: string;
  idempotencyKey: string;
}

/** `$1` → `?1` on SQLite (numbered parameters, so one text serves both engines). */
const run = (tx: EventTransaction, text: string, params: readonly unknown[]) =>
  tx.run(tx.engine === 'sqlite' ? text.replace(/\$(\d+)/g, '?$1') : text, params);

const iso = (value: unknown): string | null =>
  value == null ? null : value instanceof Date ? value.toISOString() : String(value);

const INSERT = `
INSERT INTO start_idempotency (api_key, idempotency_key, input_sha256, state, lease_until, lease_token, created_at)
VALUES ($1, $2, $3, 'pending', $4, $5, $6)
ON CONFLICT (api_key, idempotency_key) DO NOTHING
RETURNING lease_token`;

const SELECT = `
SELECT input_sha256, state, provider, provider_session_id, first_step_id, attempts, expires_at, lease_until, lease_token
FROM start_idempotency WHERE api_key = $1 AND idempotency_key = $2`;

const TAKE_OVER = `
UPDATE start_idempotency SET lease_until = $3, lease_token = $4
WHERE api_key = $1 AND idempotency_key = $2 AND state = 'pending' AND lease_token = $5 AND lease_until < $6
RETURNING provider, first_step_id`;

export class StartRecords {
  readonly #store: EventStore;
  readonly #leaseMs: number;
  readonly #waitMs: number;
  readonly #pollMs: number;

  constructor(store: EventStore, options: StartRecordsOptions = {}) {
    this.#store = store;
    this.#leaseMs = options.leaseMs ?? 20_000;
    this.#waitMs = options.waitMs ?? 25_000;
    this.#pollMs = options.pollMs ?? 50;
  }

  /**
   * Owns the key, or finds it started (a replay), or waits for its owner. The same key with another input is
   * BAD_USER_INPUT; an owner still at work past the wait is UPSTREAM_UNAVAILABLE (retry with the same key).
   */
  async claim(key: RecordKey, hash: string, signal?: AbortSignal): Promise<Claim> {
    const deadline = Date.now() + this.#waitMs;
    for (;;) {
      const now = Date.now();
      const token = randomBytes(12).toString('base64url');
      const inserted = await this.#tx(INSERT, [
        key.apiKey,
        key.idempotencyKey,
        hash,
        new Date(now + this.#leaseMs).toISOString(),
        token,
        new Date(now).toISOString(),
      ]);
      if (inserted.length > 0) return { kind: 'owner', token, resume: null };
      const row = (await this.#tx(SELECT, [key.apiKey, key.idempotencyKey]))[0];
      if (!row) continue; // pruned or released meanwhile: try the insert again
      if (row.input_sha256 !== hash)
        throw badField('idempotencyKey', 'was already used with another input; use a new key for another start.');
      if (row.state === 'started') return { kind: 'started', record: startedRecord(row) };
      const leaseUntil = iso(row.lease_until) as string;
      if (leaseUntil < new Date(now).toISOString()) {
        const taken = await this.#tx(TAKE_OVER, [
          key.apiKey,
          key.idempotencyKey,
          new Date(now + this.#leaseMs).toISOString(),
          token,
          row.lease_token,
          new Date(now).toISOString(),
        ]);
        const resumed = taken[0];
        if (resumed) {
          const provider = resumed.provider as Provider | null;
          const firstStepId = resumed.first_step_id as string | null;
          return { kind: 'owner', token, resume: provider && firstStepId ? { provider, firstStepId } : null };
        }
        continue; // another call took it first: read again
      }
      if (Date.now() + this.#pollMs > deadline || signal?.aborted) {
        throw new GatewayError(
          'UPSTREAM_UNAVAILABLE',
          'A start under this idempotencyKey is still in progress; retry with the same key shortly.',
          { retryAfterSeconds: 2 },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
    }
  }

  /** The owner moves on to `provider`: its lease renewed; a checkpoint of another provider no longer applies. */
  async attempting(key: RecordKey, token: string, provider: Provider): Promise<void> {
    await this.#owned(
      `UPDATE start_idempotency SET first_step_id = CASE WHEN provider = $4 THEN first_step_id ELSE NULL END,
         provider = $4, lease_until = $5
       WHERE api_key = $1 AND idempotency_key = $2 AND lease_token = $3 AND state = 'pending' RETURNING state`,
      [key.apiKey, key.idempotencyKey, token, provider, new Date(Date.now() + this.#leaseMs).toISOString()],
    );
  }

  /** A two-step vendor's first object, durable before its second call. */
  async checkpoint(key: RecordKey, token: string, provider: Provider, firstStepId: string): Promise<void> {
    await this.#owned(
      `UPDATE start_idempotency SET provider = $4, first_step_id = $5
       WHERE api_key = $1 AND idempotency_key = $2 AND lease_token = $3 AND state = 'pending' RETURNING state`,
      [key.apiKey, key.idempotencyKey, token, provider, firstStepId],
    );
  }

  async started(key: RecordKey, token: string, record: StartedRecord): Promise<void> {
    await this.#owned(
      `UPDATE start_idempotency SET state = 'started', provider = $4, provider_session_id = $5, attempts = $6,
         expires_at = $7
       WHERE api_key = $1 AND idempotency_key = $2 AND lease_token = $3 AND state = 'pending' RETURNING state`,
      [
        key.apiKey,
        key.idempotencyKey,
        token,
        record.provider,
        record.providerSessionId,
        JSON.stringify(record.attempts),
        record.expiresAt,
      ],
    );
  }

  /**
   * The start failed: the key is free again for a retry. A row holding a two-step vendor's first step stays, with its
   * lease lapsed, so the retry resumes from it instead of leaving that object behind.
   */
  async failed(key: RecordKey, token: string): Promise<void> {
    const params = [key.apiKey, key.idempotencyKey, token];
    await storeCall(() =>
      this.#store.transaction(async (tx) => {
        await run(
          tx,
          `DELETE FROM start_idempotency
         WHERE api_key = $1 AND idempotency_key = $2 AND lease_token = $3 AND state = 'pending' AND first_step_id IS NULL`,
          params,
        );
        await run(
          tx,
          `UPDATE start_idempotency SET lease_until = $4
         WHERE api_key = $1 AND idempotency_key = $2 AND lease_token = $3 AND state = 'pending'`,
          [...params, new Date(0).toISOString()],
        );
      }),
    );
  }

  /** Deletes up to `limit` records created before `before` (ISO-8601); returns how many. */
  async prune(before: string, limit: number): Promise<number> {
    const rows = await this.#tx(
      `DELETE FROM start_idempotency WHERE (api_key, idempotency_key) IN (
         SELECT api_key, idempotency_key FROM start_idempotency WHERE created_at < $1 LIMIT $2)
       RETURNING api_key`,
      [before, limit],
    );
    return rows.length;
  }

  /** An update only the row's owner may make; a lost lease (another call took the row over) stops this one. */
  async #owned(sql: string, params: readonly unknown[]): Promise<void> {
    const rows = await this.#tx(sql, params);
    if (rows.length === 0) {
      throw new GatewayError(
        'UPSTREAM_UNAVAILABLE',
        'This start took too long and was taken over by a retry under the same idempotencyKey; retry with it.',
        { retryAfterSeconds: 2 },
      );
    }
  }

  #tx(sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
    return storeCall(() => this.#store.transaction((tx) => run(tx, sql, params)));
  }
}

/** A store failure is the caller's to retry (with the same key): UPSTREAM_UNAVAILABLE, logged without ids. */
async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'start: idempotency store failed');
    throw new GatewayError(
      'UPSTREAM_UNAVAILABLE',
      'Verigate cannot record this start right now; retry with the same idempotencyKey shortly.',
      { retryAfterSeconds: 2, cause: error },
    );
  }
}

function startedRecord(row: Record<string, unknown>): StartedRecord {
  return {
    provider: row.provider as Provider,
    providerSessionId: String(row.provider_session_id),
    attempts: JSON.parse(String(row.attempts)) as AttemptRecord[],
    expiresAt: iso(row.expires_at),
  };
}
