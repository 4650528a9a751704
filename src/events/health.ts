import { logger } from '../logger.ts';

/**
 * Whether the timeline's database answers, as its users last found it (the timeline's appends, the inbox's
 * statements): the `verigate_store_up` gauge, and one log line when it goes away and one when it is back, however
 * many calls failed in between. No session id, no query text: the engine and the error's message.
 */
export class StoreHealth {
  readonly #engine: string;
  #up = true;
  #downSince = 0;
  readonly #watchers = new Set<(up: boolean) => void>();

  constructor(engine: string) {
    this.#engine = engine;
  }

  get up(): boolean {
    return this.#up;
  }

  /** Tells `watcher` of every change (the gauge; the timeline, which retries at once when the store is back). */
  watch(watcher: (up: boolean) => void): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  /** A call to the store succeeded. */
  succeeded(): void {
    if (this.#up) return;
    this.#up = true;
    logger.info({ engine: this.#engine, downMs: Date.now() - this.#downSince }, 'event store is back');
    for (const watcher of this.#watchers) watcher(true);
  }

  /** A call to the store failed. */
  failed(error: unknown): void {
    if (!this.#up) return;
    this.#up = false;
    this.#downSince = Date.now();
    logger.warn(
      { engine: this.#engine, err: error instanceof Error ? error.message : String(error) },
      'event store unavailable; webhooks are answered 503 and changes wait in memory until it is back',
    );
    for (const watcher of this.#watchers) watcher(false);
  }
}
