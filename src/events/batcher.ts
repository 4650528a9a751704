/**
 * Group commit: items added while a write is under way go together in the next one, so a burst of outcomes is a few
 * statements rather than one each, and a lone outcome waits for nothing (no timer: the first is written at once).
 * `add` resolves with its item's result once the write committed (`write` returns one result per item, in order),
 * and rejects with that write's error.
 */
export class Batcher<T, R> {
  readonly #write: (items: T[]) => Promise<R[]>;
  #queued: Array<{ item: T; resolve: (result: R) => void; reject: (error: unknown) => void }> = [];
  #writing = false;

  constructor(write: (items: T[]) => Promise<R[]>) {
    this.#write = write;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queued.push({ item, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    while (this.#queued.length > 0) {
      const batch = this.#queued;
      this.#queued = [];
      try {
        const results = await this.#write(batch.map((b) => b.item));
        for (const [i, b] of batch.entries()) b.resolve(results[i] as R);
      } catch (error) {
        for (const b of batch) b.reject(error ?? new Error('batch write failed'));
      }
    }
    this.#writing = false;
  }
}
