import { backoffMs } from '../inbox/backoff.ts';
import type { Settlement } from '../inbox/store.ts';
import type { Session } from '../model/session.ts';
import { StoreHealth } from './health.ts';
import { observationsOf } from './history.ts';
import type {
  AppendOptions,
  EventStore,
  EventTransaction,
  Observation,
  SessionEvent,
  SessionEventSource,
} from './store.ts';

export interface TimelineOptions {
  /** How long observations gather before they are appended in one transaction, ms (default 20). */
  flushDelayMs?: number;
  /** Observations appended per transaction at most (default 200); a full batch is flushed at once. */
  maxBatch?: number;
  /**
   * Observations held at most (default 10 000), waiting or being appended: while the store is away they wait here and
   * are retried; past the bound new ones are dropped (`onDropped`) and not remembered as recorded.
   */
  maxPending?: number;
  /** Sessions whose latest recorded state is remembered, to skip the store for an unchanged one (default 10 000). */
  rememberSessions?: number;
  /** First wait before a failed batch is tried again, ms (default 250); doubled per failure up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  /** Longest wait between two tries of a failed batch, ms (default 30 000). */
  maxRetryDelayMs?: number;
  /** Called with the number of observations in a batch that failed (they stay queued and are retried). */
  onFailure?: (count: number) => void;
  /** Called with the number of observations dropped: more than `maxPending` waiting, or still waiting at close. */
  onDropped?: (count: number) => void;
  /** Runs inside each append's transaction with the entries it inserted (the outbox of outbound webhooks). */
  onAppended?: AppendOptions['onAppended'];
  /** Called once an append that inserted entries is committed (wakes the outbound dispatcher). */
  onCommitted?: (entries: readonly SessionEvent[]) => void;
  /** Marks durable hints done in the transaction that records their reload (the inbox's `settle`). */
  settle?: (tx: EventTransaction, settlement: Settlement) => Promise<void>;
  /** Shared with the inbox: whether the store answers (the gauge and the log lines). */
  health?: StoreHealth;
}

type TimelineTuning =
  | 'flushDelayMs'
  | 'maxBatch'
  | 'maxPending'
  | 'rememberSessions'
  | 'retryDelayMs'
  | 'maxRetryDelayMs';

/** A reload the inbox asked for: its rows are settled with it, and its caller learns whether it changed the session. */
interface Durable {
  rows: readonly number[];
  key: string;
  resolve(changed: boolean): void;
  reject(error: unknown): void;
}

/** One queued observation; each of a durable record's observations carries the record. */
interface Item {
  observation: Observation;
  owner?: Durable;
}

/** The durable records of some items, each once. */
const ownersOf = (items: readonly Item[]) => [...new Set(items.flatMap((i) => (i.owner ? [i.owner] : [])))];

/** The store is known to be away: a durable record fails at once (the inbox retries it from its row). */
export class StoreUnavailableError extends Error {
  constructor() {
    super('the event store is unavailable');
  }
}

const keyOf = (o: Pick<Observation, 'provider' | 'providerSessionId'>) => `${o.provider}\u0000${o.providerSessionId}`;
const stateOf = (o: Pick<Observation, 'status' | 'providerStatus' | 'redacted'>) =>
  `${o.status}\u0000${o.providerStatus}\u0000${o.redacted}`;

/**
 * Where Verigate records what it learns. `observe` is called with every session freshly fetched from a provider
 * (fire-and-forget, never throwing, never awaited by a query) and appends the ones that differ from their latest
 * entry, in batches, one transaction each, off the request path. A batch that fails stays queued, first in line, and
 * is tried again with backoff while the store is away (`maxPending` bounds what waits). `record` is the inbox's
 * durable path through the same queue (so one session's changes are appended in the order they were seen): its rows
 * are marked done in the transaction that appends the change, and it resolves once that is committed.
 */
export class Timeline {
  readonly #store: EventStore;
  readonly #options: Required<Pick<TimelineOptions, TimelineTuning>>;
  readonly #onFailure: (count: number) => void;
  readonly #onDropped: (count: number) => void;
  readonly #onAppended: AppendOptions['onAppended'] | null;
  readonly #onCommitted: (entries: readonly SessionEvent[]) => void;
  readonly #settle: TimelineOptions['settle'] | null;
  readonly #health: StoreHealth;
  #queue: Item[] = [];
  /** Observations of the batch being appended: they count against `maxPending` until they are recorded. */
  #inFlight = 0;
  /** The latest state known to be recorded, per session: an unchanged observation never reaches the store. */
  readonly #known = new Map<string, string>();
  #timer: NodeJS.Timeout | null = null;
  /** Set while a failed batch waits for its retry: nothing else starts an append meanwhile. */
  #retryTimer: NodeJS.Timeout | null = null;
  #failures = 0;
  #flushing: Promise<boolean> | null = null;
  #closed = false;
  readonly #unwatch: () => void;

  constructor(store: EventStore, options: TimelineOptions = {}) {
    this.#store = store;
    this.#options = {
      flushDelayMs: options.flushDelayMs ?? 20,
      maxBatch: options.maxBatch ?? 200,
      maxPending: options.maxPending ?? 10_000,
      rememberSessions: options.rememberSessions ?? 10_000,
      retryDelayMs: options.retryDelayMs ?? 250,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    };
    this.#onFailure = options.onFailure ?? (() => {});
    this.#onDropped = options.onDropped ?? (() => {});
    this.#onAppended = options.onAppended ?? null;
    this.#onCommitted = options.onCommitted ?? (() => {});
    this.#settle = options.settle ?? null;
    this.#health = options.health ?? new StoreHealth(store.engine);
    // Another caller found the store back (the inbox, a webhook's commit): the batch waiting for its retry goes now.
    this.#unwatch = this.#health.watch((up) => {
      if (up && this.#retryTimer && !this.#closed) void this.#runBatch();
    });
  }

  get store(): EventStore {
    return this.#store;
  }

  /** Whether the store answered the last append (or inbox statement). */
  get health(): StoreHealth {
    return this.#health;
  }

  /** Observations waiting or being appended. */
  get pending(): number {
    return this.#queue.length + this.#inFlight;
  }

  /**
   * Records the session as `source` saw it now, after the vendor's history it carries (src/events/history.ts), if
   * that is a change; returns at once.
   */
  observe(session: Session, source: SessionEventSource): void {
    if (this.#closed) return;
    const observations = observationsOf(session, source, new Date().toISOString());
    const observed = observations.at(-1) as Observation;
    // Unchanged since it was recorded: nothing new in its history either (a vendor's new item is a new status).
    if (this.#known.get(keyOf(observed)) === stateOf(observed)) return;
    if (this.pending + observations.length > this.#options.maxPending) {
      // Not remembered as recorded: the session's next load offers it again.
      this.#onDropped(observations.length);
      return;
    }
    this.#enqueue(observations.map((observation) => ({ observation })));
  }

  /**
   * The inbox's reload of a session, appended (if a change) in one transaction with its outbound rows and the
   * settling of the inbox `rows` that asked for it. Resolves with whether the session changed, once committed;
   * rejects when the store is away or fails (the rows stay pending: the inbox worker retries them).
   */
  record(session: Session, source: SessionEventSource, rows: readonly number[]): Promise<boolean> {
    if (this.#closed || !this.#health.up) return Promise.reject(new StoreUnavailableError());
    const observations = observationsOf(session, source, new Date().toISOString());
    const key = keyOf(observations.at(-1) as Observation);
    return new Promise<boolean>((resolve, reject) => {
      const owner: Durable = { rows, key, resolve, reject };
      this.#enqueue(observations.map((observation) => ({ observation, owner })));
    });
  }

  /**
   * Appends everything observed so far; resolves when it is in the store, or when an attempt failed (what failed
   * stays queued for its retry).
   */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#flushing || this.#queue.length > 0) {
      const ok = await (this.#flushing ?? this.#runBatch());
      if (!ok) return;
    }
  }

  /** Stops observing and appends what is still waiting: one try; what cannot be recorded is dropped and counted. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unwatch();
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    await this.flush();
    if (this.#queue.length > 0) {
      const left = this.#queue;
      this.#queue = [];
      for (const owner of ownersOf(left)) owner.reject(new StoreUnavailableError());
      this.#onDropped(left.filter((i) => !i.owner).length);
    }
  }

  #enqueue(items: Item[]): void {
    this.#queue.push(...items);
    // While a failed batch waits for its retry, only the retry appends (the store is away: no flood of attempts).
    if (this.#retryTimer) return;
    if (this.#queue.length >= this.#options.maxBatch) this.#flushSoon(0);
    else this.#flushSoon(this.#options.flushDelayMs);
  }

  #flushSoon(delayMs: number): void {
    if (this.#flushing || this.#retryTimer) return; // the running batch (or the retry) schedules the next one
    if (this.#timer && delayMs > 0) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#runBatch();
    }, delayMs);
    this.#timer.unref();
  }

  /** One batch; true when it was recorded. */
  #runBatch(): Promise<boolean> {
    // One batch at a time: two in flight could commit one session's changes out of order.
    if (this.#flushing) return this.#flushing;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    const batch = this.#takeBatch();
    this.#inFlight = batch.length;
    const run = this.#append(batch).then((ok) => {
      this.#flushing = null;
      this.#inFlight = 0;
      if (ok) this.#failures = 0;
      if (this.#closed) return ok;
      if (!ok) this.#scheduleRetry();
      else if (this.#queue.length > 0) this.#flushSoon(0);
      return ok;
    });
    this.#flushing = run;
    return run;
  }

  /** Up to `maxBatch` observations, never splitting a durable record (it is settled in one transaction). */
  #takeBatch(): Item[] {
    let end = Math.min(this.#options.maxBatch, this.#queue.length);
    while (
      end > 0 &&
      end < this.#queue.length &&
      this.#queue[end]?.owner &&
      this.#queue[end]?.owner === this.#queue[end - 1]?.owner
    )
      end += 1;
    return this.#queue.splice(0, end);
  }

  #scheduleRetry(): void {
    this.#failures += 1;
    const wait = backoffMs(this.#failures, this.#options.retryDelayMs, this.#options.maxRetryDelayMs);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#runBatch();
    }, wait);
    this.#retryTimer.unref();
  }

  async #append(batch: Item[]): Promise<boolean> {
    if (batch.length === 0) return true;
    const durable = ownersOf(batch);
    let inserted: SessionEvent[];
    try {
      inserted = await this.#store.append(
        batch.map((i) => i.observation),
        {
          onAppended: async (tx, entries) => {
            await this.#onAppended?.(tx, entries);
            await this.#settleIn(tx, durable, entries);
          },
        },
      );
    } catch (error) {
      this.#failed(batch, error);
      return false;
    }
    this.#health.succeeded();
    if (inserted.length > 0) this.#onCommitted(inserted);
    // Whether appended here or already recorded (by another replica), each session's latest state is now this.
    for (const i of batch) this.#remember(i.observation);
    if (durable.length === 0) return true;
    // Nothing appended, so `onAppended` did not run: the rows are settled on their own (no entry to be atomic with).
    if (inserted.length === 0) {
      try {
        await this.#store.transaction((tx) => this.#settleIn(tx, durable, []));
      } catch (error) {
        this.#health.failed(error);
        for (const d of durable) d.reject(error);
        return true;
      }
    }
    for (const d of durable) d.resolve(inserted.some((e) => keyOf(e) === d.key));
    return true;
  }

  async #settleIn(tx: EventTransaction, durable: readonly Durable[], entries: readonly SessionEvent[]): Promise<void> {
    if (durable.length === 0 || !this.#settle) return;
    const changed = new Set(entries.map(keyOf));
    await this.#settle(tx, {
      changed: durable.filter((d) => changed.has(d.key)).flatMap((d) => d.rows),
      unchanged: durable.filter((d) => !changed.has(d.key)).flatMap((d) => d.rows),
    });
  }

  /** A batch failed: its durable records fail to their callers, its observations go back first in line. */
  #failed(batch: Item[], error: unknown): void {
    this.#health.failed(error);
    this.#onFailure(batch.length);
    for (const owner of ownersOf(batch)) owner.reject(error);
    // A record's own observations are the inbox's to retry (from its row); the others wait here for the retry.
    this.#queue.unshift(...batch.filter((i) => !i.owner));
  }

  #remember(o: Observation): void {
    const key = keyOf(o);
    this.#known.delete(key); // re-inserted last: the Map's order is recency
    this.#known.set(key, stateOf(o));
    if (this.#known.size > this.#options.rememberSessions) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
  }
}
