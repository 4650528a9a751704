import { logger } from '../logger.ts';
import type { EventStore } from './store.ts';

export interface RetentionOptions {
  /** Entries older than this many days are pruned. */
  retentionDays: number;
  /** Time between two prune passes, ms (default one hour); the first runs shortly after start. */
  intervalMs?: number;
  /** Entries deleted per statement (default 1 000): short statements, so appends never wait long behind one. */
  batchSize?: number;
  /** Statements per pass at most (default 100); the rest waits for the next pass. */
  maxBatchesPerPass?: number;
  /**
   * Other records kept under the same retention (the outbox's finished deliveries): each deletes up to `limit` rows
   * older than `before` and says how many it deleted.
   */
  alsoPrune?: ReadonlyArray<(before: string, limit: number) => Promise<number>>;
  /**
   * Records kept for a fixed time of their own, whatever the timeline's retention (startVerification's idempotency
   * records: 24 h): each pass deletes those older than `maxAgeMs`.
   */
  alsoPruneAfter?: ReadonlyArray<{ maxAgeMs: number; prune: (before: string, limit: number) => Promise<number> }>;
}

/**
 * Prunes the timeline in the background: every `intervalMs`, entries older than the retention (then the outbox's
 * finished deliveries), in small batches with a pause between them. A session's latest entry is kept whatever its age (the store's rule), so its sequence goes on
 * from there. Every replica may run it: a second pruner only finds less to delete.
 */
export class RetentionPruner {
  readonly #store: EventStore;
  readonly #options: Required<RetentionOptions>;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<number> | null = null;
  #stopped = false;

  constructor(store: EventStore, options: RetentionOptions) {
    this.#store = store;
    this.#options = {
      intervalMs: 3_600_000,
      batchSize: 1_000,
      maxBatchesPerPass: 100,
      alsoPrune: [],
      alsoPruneAfter: [],
      ...options,
    };
  }

  start(firstDelayMs = 10_000): void {
    this.#schedule(firstDelayMs);
  }

  /** One pass now: deletes what is past the retention (up to the per-pass bound); returns how many entries went. */
  async pass(now = Date.now()): Promise<number> {
    const before = new Date(now - this.#options.retentionDays * 86_400_000).toISOString();
    let total = 0;
    for (const prune of [(b: string, l: number) => this.#store.prune(b, l), ...this.#options.alsoPrune])
      total += await this.#inBatches((limit) => prune(before, limit));
    for (const { maxAgeMs, prune } of this.#options.alsoPruneAfter) {
      const cutoff = new Date(now - maxAgeMs).toISOString();
      total += await this.#inBatches((limit) => prune(cutoff, limit));
    }
    return total;
  }

  async #inBatches(prune: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < this.#options.maxBatchesPerPass && !this.#stopped; i += 1) {
      const deleted = await prune(this.#options.batchSize);
      total += deleted;
      if (deleted < this.#options.batchSize) break;
      await new Promise((resolve) => setImmediate(resolve)); // let requests and appends in between
    }
    return total;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.pass();
      this.#running
        .then(
          (deleted) => {
            if (deleted > 0) logger.info({ deleted }, 'timeline: entries past retention pruned');
          },
          (error: unknown) =>
            logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'timeline: prune failed'),
        )
        .finally(() => {
          this.#running = null;
          this.#schedule(this.#options.intervalMs);
        });
    }, delayMs);
    this.#timer.unref();
  }
}
