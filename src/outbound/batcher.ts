/**
 * Group commit: items added while a write is under way go together in the next one, so a burst of outcomes is a few
 * statements rather than one each, and a lone outcome waits for nothing (no timer: the first is written at once).
 * `add` resolves once its item's write committed, and rejects with that write's error.
 */
export class Batcher<T> {
  readonly #write: (items: T[]) => Promise<void>;
  #queued: Array<{ item: T; done: (error?: unknown) => void }> = [];
  #writing = false;

  constructor(write: (items: T[]) => Promise<void>) {
    this.#write = write;
  }

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queued.push({ item, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#queued.length > 0) {
      const batch = this.#queued;
      this.#queued = [];
      const error = await this.#write(batch.map((b) => b.item)).then(
        () => undefined,
        (e: unknown) => e ?? new Error('batch write failed'),
      );
      for (const b of batch) b.done(error);
    }
    this.#writing = false;
  }
}
