/**
 * Client-side rate budget for one provider: a token bucket refilled continuously. Verigate spends one token
 * per HTTP request it sends; with none left it answers UPSTREAM_RATE_LIMITED itself instead of burning the
 * vendor's quota into 429s.
 */
export interface RateBudgetOptions {
  /** Sustained requests per minute (the vendor's documented limit for the endpoint). */
  perMinute: number;
  /** Largest burst; defaults to the per-minute figure (a full minute's worth may be spent at once). */
  burst?: number;
  now?: () => number;
}

/** A token taken, or how many whole seconds until one is there. */
export type Spend = { ok: true } | { ok: false; retryAfterSeconds: number };

export class RateBudget {
  readonly #ratePerMs: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(options: RateBudgetOptions) {
    this.#ratePerMs = options.perMinute / 60_000;
    this.#capacity = Math.max(1, options.burst ?? options.perMinute);
    this.#now = options.now ?? Date.now;
    this.#tokens = this.#capacity;
    this.#last = this.#now();
  }

  /** Takes a token; when none is left, says in how many whole seconds one will be. */
  take(): Spend {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#last) * this.#ratePerMs);
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - this.#tokens) / this.#ratePerMs / 1000)) };
  }
}
