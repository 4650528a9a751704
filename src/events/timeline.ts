import { logger } from '../logger.ts';
import type { Session } from '../model/session.ts';
import { observationsOf } from './history.ts';
import type { AppendOptions, EventStore, Observation, SessionEvent, SessionEventSource } from './store.ts';

export interface TimelineOptions {
  /** How long observations gather before they are appended in one transaction, ms (default 20). */
  flushDelayMs?: number;
  /** Observations appended per transaction at most (default 200); a full batch is flushed at once. */
  maxBatch?: number;
  /** Observations waiting at most (default 10 000); past it new ones are dropped and counted as failures. */
  maxPending?: number;
  /** Sessions whose latest recorded state is remembered, to skip the store for an unchanged one (default 10 000). */
  rememberSessions?: number;
  /** Called with the number of observations a failed (or dropped) append lost. */
  onFailure?: (count: number) => void;
  /** Runs inside each append's transaction with the entries it inserted (the outbox of outbound webhooks). */
  onAppended?: AppendOptions['onAppended'];
  /** Called once an append that inserted entries is committed (wakes the outbound dispatcher). */
  onCommitted?: (entries: readonly SessionEvent[]) => void;
}

const keyOf = (o: Pick<Observation, 'provider' | 'providerSessionId'>) => `${o.provider}\u0000${o.providerSessionId}`;
const stateOf = (o: Pick<Observation, 'status' | 'providerStatus' | 'redacted'>) =>
  `${o.status}\u0000${o.providerStatus}\u0000${o.redacted}`;

/**
 * Where Verigate records what it learns: `observe` is called with every session freshly fetched from a provider
 * (fire-and-forget, never throwing, never awaited by a query), and appends the ones that differ from their latest
 * entry, in batches, one transaction each, off the request path. A failed append is logged and counted; the answer
 * that carried the session has long gone out.
 */
export class Timeline {
  readonly #store: EventStore;
  readonly #options: Required<Omit<TimelineOptions, 'onFailure' | 'onAppended' | 'onCommitted'>>;
  readonly #onFailure: (count: number) => void;
  readonly #appendOptions: AppendOptions;
  readonly #onCommitted: (entries: readonly SessionEvent[]) => void;
  #queue: Observation[] = [];
  /** The latest state known to be recorded, per session: an unchanged observation never reaches the store. */
  readonly #known = new Map<string, string>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #closed = false;

  constructor(store: EventStore, options: TimelineOptions = {}) {
    this.#store = store;
    this.#options = {
      flushDelayMs: options.flushDelayMs ?? 20,
      maxBatch: options.maxBatch ?? 200,
      maxPending: options.maxPending ?? 10_000,
      rememberSessions: options.rememberSessions ?? 10_000,
    };
    this.#onFailure = options.onFailure ?? (() => {});
    this.#appendOptions = options.onAppended ? { onAppended: options.onAppended } : {};
    this.#onCommitted = options.onCommitted ?? (() => {});
  }

  get store(): EventStore {
    return this.#store;
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
    if (this.#queue.length + observations.length > this.#options.maxPending) {
      this.#onFailure(observations.length);
      return;
    }
    this.#queue.push(...observations);
    if (this.#queue.length >= this.#options.maxBatch) this.#flushSoon(0);
    else this.#flushSoon(this.#options.flushDelayMs);
  }

  /** Appends everything observed so far; resolves when it is in the store (or its failure counted). */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    while (this.#flushing || this.#queue.length > 0) {
      if (this.#flushing) await this.#flushing;
      else await this.#runBatch();
    }
  }

  /** Stops observing and appends what is still waiting. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  #flushSoon(delayMs: number): void {
    if (this.#flushing) return; // the running batch schedules the next one when it ends
    if (this.#timer && delayMs > 0) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#runBatch();
    }, delayMs);
    this.#timer.unref();
  }

  #runBatch(): Promise<void> {
    // One batch at a time: two in flight could commit one session's changes out of order.
    if (this.#flushing) return this.#flushing;
    const batch = this.#queue.splice(0, this.#options.maxBatch);
    const run = this.#append(batch).finally(() => {
      this.#flushing = null;
      if (this.#queue.length > 0 && !this.#closed) this.#flushSoon(0);
    });
    this.#flushing = run;
    return run;
  }

  async #append(batch: Observation[]): Promise<void> {
    if (batch.length === 0) return;
    try {
      const inserted = await this.#store.append(batch, this.#appendOptions);
      if (inserted.length > 0) this.#onCommitted(inserted);
      // Whether appended here or already recorded (by another replica), each session's latest state is now this.
      for (const o of batch) this.#remember(o);
    } catch (error) {
      this.#onFailure(batch.length);
      // No session id: the engine and the reason only.
      logger.warn(
        {
          engine: this.#store.engine,
          entries: batch.length,
          err: error instanceof Error ? error.message : String(error),
        },
        'timeline: append failed; these changes are not recorded',
      );
    }
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
