/**
 * In-flight deduplication across requests: concurrent callers asking for the same key share one call.
 * The entry is removed as soon as the call settles, so nothing is cached here.
 */
export class InFlight<T> {
  readonly #calls = new Map<string, Promise<T>>();

  /** Runs `fn` for `key` unless a call for it is already under way; `joined` says which happened. */
  run(key: string, fn: () => Promise<T>): { promise: Promise<T>; joined: boolean } {
    const existing = this.#calls.get(key);
    if (existing) return { promise: existing, joined: true };
    const promise: Promise<T> = fn().finally(() => {
      if (this.#calls.get(key) === promise) this.#calls.delete(key);
    });
    this.#calls.set(key, promise);
    return { promise, joined: false };
  }

  /** Lets later callers start a new call for `key` (the one under way may carry outdated data); it still settles. */
  forget(key: string): void {
    this.#calls.delete(key);
  }

  get size(): number {
    return this.#calls.size;
  }
}
