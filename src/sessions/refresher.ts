import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import { BudgetSpentError, GatewayError } from '../upstream/errors.ts';
import { inBackground } from '../upstream/priority.ts';
import type { SessionChanges } from './changes.ts';
import type { SessionStore } from './store.ts';

export interface RefresherOptions {
  /** Least time between two refreshes of one session, ms (default 1 000): a flood of webhooks costs a few calls. */
  minIntervalMs?: number;
  /** First wait after a failed refresh, ms (default 1 000); doubled each time up to `maxBackoffMs`. */
  backoffMs?: number;
  /** Longest wait between attempts, ms (default 60 000). */
  maxBackoffMs?: number;
  /** Failed attempts before a refresh is given up (default 8); a wait for Verigate's own budget is not one. */
  maxAttempts?: number;
  /** Sessions queued for a refresh at most (default 10 000); past it a refresh is given up at once. */
  maxPending?: number;
  /** Refreshes running at once (default 4): the rest wait in the queue, in the order their webhooks came. */
  maxConcurrent?: number;
}

/** Where a given-up refresh goes, so that a subscriber still learns the change (the subscription pollers). */
export type GivenUp = (provider: Provider, id: string) => void;

interface Pending {
  provider: Provider;
  id: string;
  running: boolean;
  /** Another change came while a refresh was running: one more refresh follows it. */
  again: boolean;
  attempt: number;
  lastRunAt: number;
  /** Waiting out `minIntervalMs` or a backoff before joining the queue. */
  timer: NodeJS.Timeout | null;
}

/** Errors worth another attempt: the vendor is down, slow or rate-limiting. */
const RETRYABLE = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_RATE_LIMITED']);

/**
 * Reloads sessions a webhook said changed, through the store (so through the adapter, its policy and rate budget,
 * coalesced with any load under way), then publishes `sessionChanged` with the fresh status. Refreshes are
 * background work: they spend the provider's budget only down to the reserve kept for user reads, and when it is
 * spent they wait in a queue (one entry per session, however many webhooks came) for it to come back rather than
 * being dropped. A vendor failure is retried with exponential backoff; a refresh given up (queue full, too many
 * failures) is handed to the subscription pollers. Meanwhile nothing stale is served as fresh: the cached copy was
 * dropped before the webhook was answered.
 */
export class SessionRefresher {
  readonly #store: SessionStore;
  readonly #changes: SessionChanges;
  readonly #options: Required<RefresherOptions>;
  readonly #pending = new Map<string, Pending>();
  /** Keys ready to run, oldest first. */
  readonly #queue = new Set<string>();
  #running = 0;
  /** Set while Verigate's own budget is spent: nothing runs until it fires. */
  #paused: NodeJS.Timeout | null = null;
  #givenUp: GivenUp = () => {};
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
      maxConcurrent: options.maxConcurrent ?? 4,
    };
  }

  /** Where given-up refreshes go (the subscription pollers, wired by the server). */
  handGivenUpTo(givenUp: GivenUp): void {
    this.#givenUp = givenUp;
  }

  /** Queues a refresh of the session (one per session, however many ask); false when the queue is full. */
  request(provider: Provider, id: string): boolean {
    if (this.#closed) return false;
    const key = `${provider}\u0000${id}`;
    const pending = this.#pending.get(key);
    if (pending) {
      if (pending.running) pending.again = true;
      else if (pending.attempt > 0 && pending.timer) this.#enqueue(key, pending, 0); // a new change: try now
      return true;
    }
    if (this.#pending.size >= this.#options.maxPending) {
      this.#giveUp(provider, id, 'queue_full');
      return false;
    }
    const fresh: Pending = { provider, id, running: false, again: false, attempt: 0, lastRunAt: 0, timer: null };
    this.#pending.set(key, fresh);
    this.#enqueue(key, fresh, 0);
    return true;
  }

  /** Sessions waiting for or in a refresh (for tests and shutdown). */
  get size(): number {
    return this.#pending.size;
  }

  close(): void {
    this.#closed = true;
    for (const p of this.#pending.values()) if (p.timer) clearTimeout(p.timer);
    if (this.#paused) clearTimeout(this.#paused);
    this.#pending.clear();
    this.#queue.clear();
  }

  /** Joins the queue after `delayMs`, and no sooner than `minIntervalMs` after the session's last refresh. */
  #enqueue(key: string, pending: Pending, delayMs: number): void {
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = null;
    const wait = Math.max(delayMs, pending.lastRunAt + this.#options.minIntervalMs - Date.now(), 0);
    if (wait === 0) {
      this.#queue.add(key);
      this.#pump();
      return;
    }
    pending.timer = setTimeout(() => {
      pending.timer = null;
      this.#queue.add(key);
      this.#pump();
    }, wait);
    pending.timer.unref();
  }

  #pump(): void {
    while (!this.#closed && !this.#paused && this.#running < this.#options.maxConcurrent) {
      const key = this.#queue.values().next().value;
      if (key === undefined) return;
      this.#queue.delete(key);
      const pending = this.#pending.get(key);
      if (!pending) continue;
      this.#running += 1;
      void this.#run(key, pending).finally(() => {
        this.#running -= 1;
        this.#pump();
      });
    }
  }

  /** Verigate's own budget is spent: nothing runs until it has room again (the refused refresh stays queued). */
  #pause(seconds: number): void {
    if (this.#paused) return;
    this.#paused = setTimeout(() => {
      this.#paused = null;
      this.#pump();
    }, seconds * 1000);
    this.#paused.unref();
  }

  async #run(key: string, pending: Pending): Promise<void> {
    if (this.#closed) return;
    pending.running = true;
    pending.again = false;
    pending.lastRunAt = Date.now();
    const { provider, id } = pending;
    try {
      const session = await inBackground(() => this.#store.session(provider, id, 'WEBHOOK'));
      pending.attempt = 0;
      await this.#changes
        .publish({ provider, id, status: session.status })
        .catch((error: unknown) => logger.warn({ provider, err: message(error) }, 'webhook refresh: publish failed'));
      logger.info({ provider, status: session.status }, 'webhook refresh: session reloaded');
    } catch (error) {
      pending.running = false;
      if (error instanceof BudgetSpentError) {
        // Not an attempt: no call was made. Back in the queue, which waits until the budget has room.
        this.#queue.add(key);
        this.#pause(error.retryAfterSeconds ?? 1);
        return;
      }
      const code = error instanceof GatewayError ? error.code : 'INTERNAL';
      pending.attempt += 1;
      if (RETRYABLE.has(code) && pending.attempt < this.#options.maxAttempts && !pending.again) {
        const backoff = Math.min(this.#options.backoffMs * 2 ** (pending.attempt - 1), this.#options.maxBackoffMs);
        logger.warn(
          { provider, code, attempt: pending.attempt, retryInMs: backoff },
          'webhook refresh failed; retrying',
        );
        this.#enqueue(key, pending, backoff);
        return;
      }
      if (!pending.again) this.#giveUp(provider, id, code);
    } finally {
      pending.running = false;
    }
    if (this.#closed || this.#pending.get(key) !== pending) return;
    if (pending.again) this.#enqueue(key, pending, 0);
    else if (!pending.timer && !this.#queue.has(key)) this.#pending.delete(key);
  }

  #giveUp(provider: Provider, id: string, reason: string): void {
    logger.warn({ provider, reason }, 'webhook refresh given up; the session is handed to the poller');
    this.#givenUp(provider, id);
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
