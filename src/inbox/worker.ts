import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { StoreHealth } from '../events/health.ts';
import type { Timeline } from '../events/timeline.ts';
import { logger } from '../logger.ts';
import type { Provider, Session } from '../model/session.ts';
import type { SessionChanges } from '../sessions/changes.ts';
import type { SessionStore } from '../sessions/store.ts';
import { BudgetSpentError, GatewayError } from '../upstream/errors.ts';
import { inBackground } from '../upstream/priority.ts';
import { backoffMs } from './backoff.ts';
import type { ClaimedHint, Failure, InboxOutcome, InboxStore } from './store.ts';

export interface InboxWorkerOptions {
  /** Time between two looks for due rows when nothing woke the worker, ms (default 1 000). */
  pollMs?: number;
  /** How long a claim is leased, ms (default 30 000): past it, a replica that died has its rows taken by another. */
  leaseMs?: number;
  /** Rows claimed at once at most (default 100); the sessions among them are reloaded `maxConcurrent` at a time. */
  batchSize?: number;
  /** Sessions reloaded at once (default 4). */
  maxConcurrent?: number;
  /** Least time between two reloads of one session by this replica, ms (default 1 000): a flood costs a few calls. */
  minIntervalMs?: number;
  /** First wait after a failed reload, ms (default 1 000); doubled per attempt (with jitter) up to `maxBackoffMs`. */
  backoffMs?: number;
  /** Longest wait between two attempts, ms (default 300 000). */
  maxBackoffMs?: number;
  /** Failed vendor attempts before a row is given up (default 20; with the defaults, about an hour and a half). */
  maxAttempts?: number;
}

export interface InboxWorkerDeps {
  inbox: InboxStore;
  store: SessionStore;
  timeline: Timeline;
  changes: SessionChanges;
  health: StoreHealth;
  /** Counts a row's end (outcome) and a retry, by provider. */
  onProcessed?: (provider: Provider, outcome: InboxOutcome, rows: number) => void;
  onRetry?: (provider: Provider, code: string) => void;
}

/** Where a given-up row's session goes, so that a subscriber still learns the change (the subscription pollers). */
export type GivenUp = (provider: Provider, id: string) => void;

/** Vendor answers worth another attempt: the vendor is down, slow or rate-limiting. */
const RETRYABLE = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_RATE_LIMITED']);

/** The claimed rows of one session: one vendor reload settles them all. */
interface Group {
  provider: Provider;
  id: string;
  rows: ClaimedHint[];
}

/**
 * This replica's inbox worker (DESIGN §8). It claims due inbox rows under a lease, reloads each session once however
 * many of its rows were claimed (as background work: the provider's rate budget is spent only down to the reserve
 * kept for user reads), then hands the fresh session to the timeline, which appends the change (WEBHOOK), its
 * outbound rows and the rows' settling in one transaction. A vendor or store failure releases the rows with
 * backoff; a lease that lapses (the replica died) makes them due for any worker. Woken at once by a new row on this
 * replica, and polling for the rest (another replica's rows, retries coming due).
 */
export class InboxWorker {
  readonly #deps: InboxWorkerDeps;
  readonly #options: Required<InboxWorkerOptions>;
  /** When this replica last reloaded each session (`minIntervalMs`). */
  readonly #lastReload = new LRUCache<string, number>({ max: 10_000 });
  #timer: NodeJS.Timeout | null = null;
  #wakeTimer: NodeJS.Timeout | null = null;
  #wakeTimerAt = 0;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = true;
  /** Set while Verigate's own budget is spent: no claim before it. */
  #pausedUntil = 0;
  #givenUp: GivenUp = () => {};

  constructor(deps: InboxWorkerDeps, options: InboxWorkerOptions = {}) {
    this.#deps = deps;
    this.#options = {
      pollMs: options.pollMs ?? 1_000,
      leaseMs: options.leaseMs ?? 30_000,
      batchSize: options.batchSize ?? 100,
      maxConcurrent: options.maxConcurrent ?? 4,
      minIntervalMs: options.minIntervalMs ?? 1_000,
      backoffMs: options.backoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 300_000,
      maxAttempts: options.maxAttempts ?? 20,
    };
  }

  /** Where given-up rows' sessions go (the subscription pollers, wired by the server). */
  handGivenUpTo(givenUp: GivenUp): void {
    this.#givenUp = givenUp;
  }

  start(): void {
    this.#closed = false;
    this.wake();
  }

  /** A row was just committed (or something came due): look now rather than at the next poll. */
  wake(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#schedule(Math.max(this.#pausedUntil - Date.now(), 0));
  }

  /** Stops claiming; waits for the reloads under way (the rows not started are released for another replica). */
  async stop(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#wakeTimer) clearTimeout(this.#wakeTimer);
    this.#timer = null;
    this.#wakeTimer = null;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#pass().finally(() => {
        this.#running = null;
        const again = this.#again;
        this.#again = false;
        this.#schedule(again ? Math.max(this.#pausedUntil - Date.now(), 0) : this.#options.pollMs);
      });
    }, delayMs);
    this.#timer.unref();
  }

  /** Claims due rows and works them until fewer than a full batch came (then the next poll or wake). */
  async #pass(): Promise<void> {
    for (;;) {
      if (this.#closed || Date.now() < this.#pausedUntil) return;
      const token = randomBytes(12).toString('base64url');
      let rows: ClaimedHint[];
      try {
        rows = await this.#deps.inbox.claim(this.#options.batchSize, this.#options.leaseMs, token);
        this.#deps.health.succeeded();
      } catch (error) {
        this.#deps.health.failed(error);
        return;
      }
      if (rows.length === 0) return;
      await this.#work(groupBySession(rows), token, Date.now());
      if (rows.length < this.#options.batchSize) return;
    }
  }

  /**
   * Reloads the groups, `maxConcurrent` at a time, in the order their first rows came. A group not started by half
   * its lease (slow vendors ahead of it) is given back, due now, rather than reloaded under a lease about to lapse.
   */
  async #work(groups: Group[], token: string, claimedAt: number): Promise<void> {
    const queue = [...groups];
    const next = async (): Promise<void> => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        const late = Date.now() - claimedAt > this.#options.leaseMs / 2;
        if (this.#closed || late || Date.now() < this.#pausedUntil) {
          // Not started: released at once for another replica (or for when the budget has room).
          if (late) this.#again = true;
          await this.#release(group, token, new Date(Math.max(this.#pausedUntil, Date.now())), null);
          continue;
        }
        await this.#reload(group, token);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.#options.maxConcurrent, groups.length) }, next));
  }

  async #reload(group: Group, token: string): Promise<void> {
    const { provider, id } = group;
    const key = `${provider}\u0000${id}`;
    const ids = group.rows.map((r) => r.id);
    const last = this.#lastReload.get(key);
    if (last !== undefined && Date.now() - last < this.#options.minIntervalMs) {
      await this.#release(group, token, new Date(last + this.#options.minIntervalMs), null);
      this.#wakeAt(last + this.#options.minIntervalMs);
      return;
    }
    this.#lastReload.set(key, Date.now());
    let session: Session;
    try {
      session = await inBackground(() => this.#deps.store.reload(provider, id));
    } catch (error) {
      await this.#vendorFailed(group, token, error);
      return;
    }
    let changed: boolean;
    try {
      changed = await this.#deps.timeline.record(session, 'WEBHOOK', ids);
    } catch {
      // The store is away (the timeline says so once): the rows wait for it, a vendor attempt not counted.
      this.#deps.onRetry?.(provider, 'STORE_UNAVAILABLE');
      await this.#release(group, token, this.#retryAt(group), { attempt: false, code: 'STORE_UNAVAILABLE' });
      return;
    }
    this.#deps.onProcessed?.(provider, changed ? 'changed' : 'unchanged', ids.length);
    await this.#deps.changes
      .publish({ provider, id, status: session.status })
      .catch((error: unknown) => logger.warn({ provider, err: message(error) }, 'webhook refresh: publish failed'));
    logger.info(
      { provider, status: session.status, outcome: changed ? 'changed' : 'unchanged', hints: ids.length },
      'webhook refresh: session reloaded',
    );
  }

  async #vendorFailed(group: Group, token: string, error: unknown): Promise<void> {
    const { provider, id } = group;
    if (error instanceof BudgetSpentError) {
      // Not an attempt: no call was made. Nothing is claimed until the budget has room again.
      this.#lastReload.delete(`${provider}\u0000${id}`);
      this.#pausedUntil = Date.now() + (error.retryAfterSeconds ?? 1) * 1000;
      await this.#release(group, token, new Date(this.#pausedUntil), null);
      this.#wakeAt(this.#pausedUntil);
      return;
    }
    const code = error instanceof GatewayError ? error.code : 'INTERNAL';
    if (code === 'NOT_FOUND') {
      await this.#finish(group, 'not_found', code);
      return;
    }
    const attempt = Math.max(...group.rows.map((r) => r.attempts)) + 1;
    if (RETRYABLE.has(code) && attempt < this.#options.maxAttempts) {
      const at = this.#retryAt(group);
      logger.warn(
        { provider, code, attempt, retryInMs: at.getTime() - Date.now() },
        'webhook refresh failed; retrying',
      );
      this.#deps.onRetry?.(provider, code);
      await this.#release(group, token, at, { attempt: true, code });
      return;
    }
    logger.warn({ provider, code, attempt }, 'webhook refresh given up; the session is handed to the poller');
    await this.#finish(group, 'failed', code);
    this.#givenUp(provider, id);
  }

  /** When a failed group is due again: the backoff of its next attempt. */
  #retryAt(group: Group): Date {
    const attempt = Math.max(...group.rows.map((r) => r.attempts)) + 1;
    const wait = backoffMs(attempt, this.#options.backoffMs, this.#options.maxBackoffMs);
    this.#wakeAt(Date.now() + wait);
    return new Date(Date.now() + wait);
  }

  async #finish(group: Group, outcome: 'not_found' | 'failed', code: string): Promise<void> {
    try {
      await this.#deps.inbox.finish(
        group.rows.map((r) => r.id),
        outcome,
        code,
      );
      this.#deps.onProcessed?.(group.provider, outcome, group.rows.length);
    } catch (error) {
      // The lease lapses and the rows come back: the same answer then ends them.
      this.#deps.health.failed(error);
    }
  }

  /**
   * Gives the rows back, due at `at`, with why (a failure's code, counted as a vendor attempt or not); none: a wait
   * that is no failure. A store failure here leaves the lease to lapse: the rows come back then.
   */
  async #release(group: Group, token: string, at: Date, failure: Failure | null): Promise<void> {
    try {
      await this.#deps.inbox.release(
        group.rows.map((r) => r.id),
        token,
        at,
        failure,
      );
    } catch (error) {
      this.#deps.health.failed(error);
    }
  }

  /** This replica knows when its released rows are due: it looks then (the earliest such time), not at a poll. */
  #wakeAt(at: number): void {
    if (this.#closed || (this.#wakeTimer && this.#wakeTimerAt <= at)) return;
    if (this.#wakeTimer) clearTimeout(this.#wakeTimer);
    this.#wakeTimerAt = at;
    this.#wakeTimer = setTimeout(
      () => {
        this.#wakeTimer = null;
        this.wake();
      },
      Math.max(at - Date.now(), 0),
    );
    this.#wakeTimer.unref();
  }
}

/** The claimed rows by session, in the order each session's first row came. */
function groupBySession(rows: readonly ClaimedHint[]): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const key = `${row.provider}\u0000${row.providerSessionId}`;
    const group = groups.get(key) ?? { provider: row.provider, id: row.providerSessionId, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  return [...groups.values()];
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
