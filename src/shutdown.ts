/** One named step of shutdown; its name is what a hard stop logs when shutdown is stuck there. */
export type ShutdownStep = readonly [name: string, run: () => Promise<unknown> | unknown];

/**
 * The gateway's shutdown, run once however often it is asked for: `announce` (readiness turns 503, nothing new is
 * started), a wait of `announceMs` while requests are still served, then each step in order.
 */
export class Shutdown {
  readonly #announce: () => void;
  readonly #steps: readonly ShutdownStep[];
  #step: string | null = null;
  #running: Promise<void> | null = null;

  constructor(announce: () => void, steps: readonly ShutdownStep[]) {
    this.#announce = announce;
    this.#steps = steps;
  }

  /** What shutdown is waiting for right now; null before it starts. */
  get step(): string | null {
    return this.#step;
  }

  run(announceMs = 0): Promise<void> {
    this.#running ??= this.#run(announceMs);
    return this.#running;
  }

  async #run(announceMs: number): Promise<void> {
    this.#announce();
    this.#step = 'announcing draining on /readyz';
    if (announceMs > 0) await new Promise((resolve) => setTimeout(resolve, announceMs));
    for (const [name, run] of this.#steps) {
      this.#step = name;
      await run();
    }
    this.#step = 'done';
  }
}
