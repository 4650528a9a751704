/**
 * Caps the calls in flight to one provider. Callers past the cap wait in a bounded queue; past the queue they
 * are refused at once, so a slow vendor cannot tie up every socket and every request of the gateway.
 */
export class Bulkhead {
  readonly #maxConcurrent: number;
  readonly #maxQueued: number;
  #active = 0;
  readonly #queue: Array<() => void> = [];

  constructor(maxConcurrent: number, maxQueued: number) {
    this.#maxConcurrent = maxConcurrent;
    this.#maxQueued = maxQueued;
  }

  get active(): number {
    return this.#active;
  }

  /** Runs `fn` when a slot is free; returns null (without running it) when the queue is full too. */
  async run<T>(fn: () => Promise<T>): Promise<{ value: T } | null> {
    if (this.#active >= this.#maxConcurrent) {
      if (this.#queue.length >= this.#maxQueued) return null;
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else {
      this.#active += 1;
    }
    try {
      return { value: await fn() };
    } finally {
      const next = this.#queue.shift();
      // The slot passes straight to the next waiter; otherwise it is freed.
      if (next) next();
      else this.#active -= 1;
    }
  }
}
