export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts: number;
  /** First backoff, ms; doubled per retry, with full jitter. Default 100. */
  baseDelayMs: number;
  /** Longest backoff, ms. Default 1 000. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the 429 goes back to the client. Default 2 s. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterSeconds: 2,
};

/** Exponential backoff with full jitter: a random delay in [0, min(max, base * 2^(attempt-1))]. */
export function backoffMs(attempt: number, options: RetryOptions, random = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** Counts events over a rolling window in ten buckets: constant memory and time, whatever the traffic. */
class WindowCounter {
  readonly #width: number;
  readonly #buckets = Array.from({ length: 10 }, () => ({ start: -1, n: 0 }));

  constructor(windowMs: number) {
    this.#width = windowMs / 10;
  }

  add(now: number): void {
    const start = Math.floor(now / this.#width) * this.#width;
    const bucket = this.#buckets[Math.floor(start / this.#width) % 10] as { start: number; n: number };
    if (bucket.start !== start) Object.assign(bucket, { start, n: 0 });
    bucket.n += 1;
  }

  sum(now: number): number {
    const since = now - this.#width * 10;
    let n = 0;
    for (const b of this.#buckets) if (b.start > since) n += b.n;
    return n;
  }
}

/**
 * Caps retries to a share of recent requests, so that a vendor that is down sees at most (1 + ratio) times the
 * normal load instead of `maxAttempts` times (no retry storms). A small floor lets retries happen at low traffic.
 */
export class RetryBudget {
  readonly #ratio: number;
  readonly #floor: number;
  readonly #now: () => number;
  readonly #requests: WindowCounter;
  readonly #retries: WindowCounter;

  constructor(options: { ratio?: number; minPerWindow?: number; windowMs?: number; now?: () => number } = {}) {
    this.#ratio = options.ratio ?? 0.1;
    this.#floor = options.minPerWindow ?? 10;
    this.#now = options.now ?? Date.now;
    this.#requests = new WindowCounter(options.windowMs ?? 10_000);
    this.#retries = new WindowCounter(options.windowMs ?? 10_000);
  }

  /** Counts a first attempt. */
  recordRequest(): void {
    this.#requests.add(this.#now());
  }

  /** Takes permission for one retry, or refuses when the budget is spent. */
  tryRetry(): boolean {
    const now = this.#now();
    if (this.#retries.sum(now) >= this.#floor + this.#ratio * this.#requests.sum(now)) return false;
    this.#retries.add(now);
    return true;
  }
}
