import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import { GatewayError } from '../upstream/errors.ts';
import type { SessionChanges } from './changes.ts';
import type { SessionStore } from './store.ts';

export interface RefresherOptions {
  /** Least time between two refreshes of one session, ms (default 1 000): a flood of webhooks costs a few calls. */
  minIntervalMs?: number;
  /** First wait after a failed refresh, ms (default 1 000); doubled each time up to `maxBackoffMs`. */
  backoffMs?: number;
  /** Longest wait between attempts, ms (default 60 000). */
  maxBackoffMs?: number;
  /** Attempts before a refresh is given up (default 8); the next read of the session loads it anyway. */
  maxAttempts?: number;
  /** Sessions waiting for a refresh at most (default 10 000); past it a refresh is skipped, reads still load. */
  maxPending?: number;
}

interface Pending {
  provider: Provider;
  id: string;
  running: boolean;
  /** Another change came while a refresh was running: one more refresh follows it. */
  again: boolean;
  attempt: number;
  lastRunAt: number;
  timer: NodeJS.Timeout | null;
}

/** Errors worth another attempt: the vendor is down, slow or rate-limited (Verigate's own budget included). */
const RETRYABLE = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_RATE_LIMITED']);

/**
 * Reloads sessions a webhook said changed, through the store (so through the adapter, its policy and rate budget,
 * coalesced with any load under way), then publishes `sessionChanged` with the fresh status. Per session, at most
 * one refresh runs and one more waits, at least `minIntervalMs` apart. A failure is retried with exponential
 * backoff; meanwhile nothing stale is served as fresh, because the cached copy was dropped before the webhook was
 * answered.
 */
export class SessionRefresher {
  readonly #store: SessionStore;
  readonly #changes: SessionChanges;
  readonly #options: Required<RefresherOptions>;
  readonly #pending = new Map<string, Pending>();
  #closed = false;

  constructor(store: SessionStore, changes: SessionChanges, options: RefresherOptions = {}) {
    this.#store = store;
    this.#changes = changes;
    this.#options = {
      minIntervalMs: options.minIntervalMs ?? 1_000,
      backoffMs: options.backoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 8,
      maxPending: options.maxPending ?? 10_000,
    };
  }

  /** Queues a refresh of the session; false when too many are waiting (it is skipped). */
  request(provider: Provider, id: string): boolean {
    if (this.#closed) return false;
    const key = `${provider}\u0000${id}`;
    const pending = this.#pending.get(key);
    if (pending) {
      if (pending.running) pending.again = true;
      else if (pending.attempt > 0 && pending.timer) this.#schedule(key, pending, 0); // a new change: try now
      return true;
    }
    if (this.#pending.size >= this.#options.maxPending) return false;
    const fresh: Pending = { provider, id, running: false, again: false, attempt: 0, lastRunAt: 0, timer: null };
    this.#pending.set(key, fresh);
    this.#schedule(key, fresh, 0);
    return true;
  }

  /** Sessions waiting for or in a refresh (for tests and shutdown). */
  get size(): number {
    return this.#pending.size;
  }

  close(): void {
    this.#closed = true;
    for (const p of this.#pending.values()) if (p.timer) clearTimeout(p.timer);
    this.#pending.clear();
  }

  #schedule(key: string, pending: Pending, delayMs: number): void {
    if (pending.timer) clearTimeout(pending.timer);
    const wait = Math.max(delayMs, pending.lastRunAt + this.#options.minIntervalMs - Date.now(), 0);
    pending.timer = setTimeout(() => {
      pending.timer = null;
      void this.#run(key, pending);
    }, wait);
    pending.timer.unref();
  }

  async #run(key: string, pending: Pending): Promise<void> {
    if (this.#closed) return;
    pending.running = true;
    pending.again = false;
    pending.lastRunAt = Date.now();
    const { provider, id } = pending;
    try {
      const session = await this.#store.session(provider, id, 'WEBHOOK');
      pending.attempt = 0;
      await this.#changes
        .publish({ provider, id, status: session.status })
        .catch((error: unknown) => logger.warn({ provider, err: message(error) }, 'webhook refresh: publish failed'));
      logger.info({ provider, status: session.status }, 'webhook refresh: session reloaded');
    } catch (error) {
      const code = error instanceof GatewayError ? error.code : 'INTERNAL';
      pending.attempt += 1;
      if (RETRYABLE.has(code) && pending.attempt < this.#options.maxAttempts && !pending.again) {
        const backoff = Math.min(this.#options.backoffMs * 2 ** (pending.attempt - 1), this.#options.maxBackoffMs);
        logger.warn(
          { provider, code, attempt: pending.attempt, retryInMs: backoff },
          'webhook refresh failed; retrying',
        );
        pending.running = false;
        this.#schedule(key, pending, backoff);
        return;
      }
      if (!pending.again) logger.warn({ provider, code, attempt: pending.attempt }, 'webhook refresh given up');
    } finally {
      pending.running = false;
    }
    if (this.#closed || this.#pending.get(key) !== pending) return;
    if (pending.again) this.#schedule(key, pending, 0);
    else if (!pending.timer) this.#pending.delete(key);
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
