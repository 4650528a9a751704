import { request } from 'undici';

/** What the simulators share to send webhooks: the clock of timed scenarios and an outbox that delivers. */

/** One signed delivery: built again for every attempt, so its timestamp is always current. */
export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

/** A simulator's webhooks, as the gateway wires them: where to send, and how many were delivered (for tests). */
export interface SimulatorWebhooks {
  /** null: send nothing more (the gateway is shutting down). */
  deliverTo(url: string | null): void;
  /** Deliveries the gateway answered 2xx. */
  delivered(): number;
}

/** Waits between attempts, ms: a vendor's backoff (about 30 s, 2 min, 8 min for Verifa), shortened for a sandbox. */
const RETRY_DELAYS_MS = [1_000, 4_000, 16_000];

/**
 * Sends a simulator's deliveries to the gateway's endpoint, one after another in order, retrying a non-2xx answer
 * or a failed connection as the vendors do. Nothing is sent until `deliverTo` names the endpoint.
 */
export class WebhookOutbox implements SimulatorWebhooks {
  #url: string | null = null;
  #delivered = 0;
  #closed = false;
  #queue: Promise<void> = Promise.resolve();
  readonly #timers = new Set<NodeJS.Timeout>();

  deliverTo(url: string | null): void {
    this.#url = url;
  }

  delivered(): number {
    return this.#delivered;
  }

  /** Queues a delivery; `sign` builds it at each attempt. */
  send(sign: () => SignedDelivery): void {
    this.#queue = this.#queue.then(() => this.#attempt(sign, 0));
  }

  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  async #attempt(sign: () => SignedDelivery, attempt: number): Promise<void> {
    const url = this.#url;
    if (this.#closed || url === null) return;
    const { body, headers } = sign();
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) {
        this.#delivered += 1;
        return;
      }
    } catch {
      // a refused connection counts as a failed delivery, as for the vendors
    }
    const delay = RETRY_DELAYS_MS[attempt];
    if (delay === undefined || this.#closed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, delay);
      timer.unref();
      this.#timers.add(timer);
    });
    return this.#attempt(sign, attempt + 1);
  }
}

/**
 * How timed scenarios move: a step every `stepMs`; with `restartAfterMs`, a scenario that reached its last step starts
 * over that long afterwards (its first step's webhook is sent again, so caches drop it, and its next read starts the
 * clock anew), so a second demo of the same scenario shows every step. A number is `stepMs` alone (no restart).
 * `'manual'`: a step only when the test says so (`ScenarioClock.advance`), so no test races the clock.
 */
export type TimelinePace = number | { stepMs: number; restartAfterMs: number } | 'manual';

/**
 * The clock of timed scenarios: a scenario stays on its first step until it is first read, then moves one step
 * every `stepMs` until its last, calling `onStep` as each step begins (the simulator sends its webhook there).
 */
export class ScenarioClock {
  /** null: manual, steps only by `advance`. */
  readonly #stepMs: number | null;
  readonly #restartAfterMs: number | null;
  readonly #onStep: (id: string, step: number) => void;
  readonly #steps = new Map<string, number>();
  readonly #counts = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(pace: TimelinePace, onStep: (id: string, step: number) => void) {
    this.#stepMs = pace === 'manual' ? null : typeof pace === 'number' ? pace : pace.stepMs;
    this.#restartAfterMs = typeof pace === 'object' ? pace.restartAfterMs : null;
    this.#onStep = onStep;
  }

  /** The step scenario `id` (of `count` steps) is on; its first read starts its clock. */
  step(id: string, count: number): number {
    const current = this.#steps.get(id);
    if (current !== undefined) return current;
    this.#steps.set(id, 0);
    this.#counts.set(id, count);
    if (this.#stepMs === null) return 0;
    for (let step = 1; step < count; step += 1) {
      this.#after(step * this.#stepMs, () => {
        this.#steps.set(id, step);
        this.#onStep(id, step);
        if (step === count - 1 && this.#restartAfterMs !== null)
          this.#after(this.#restartAfterMs, () => this.#restart(id));
      });
    }
    return 0;
  }

  /**
   * Manual pace: moves scenario `id` to its next step now (its webhook is sent); false when it has not been read yet
   * or is on its last step.
   */
  advance(id: string): boolean {
    const current = this.#steps.get(id);
    const count = this.#counts.get(id);
    if (current === undefined || count === undefined || current >= count - 1) return false;
    this.#steps.set(id, current + 1);
    this.#onStep(id, current + 1);
    return true;
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  /** Back to the first step, told by its webhook; the next read starts the clock again. */
  #restart(id: string): void {
    this.#steps.delete(id);
    this.#onStep(id, 0);
  }

  #after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }
}
