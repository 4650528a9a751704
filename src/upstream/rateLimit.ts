/**
 * Client-side rate budget for one provider: at most `perMinute` requests in any 60 s window, counted from the times
 * of the requests themselves (a sliding log, so no burst at a window boundary and no burst on top of a refill).
 * Verigate spends one per HTTP request it sends; with none left it answers UPSTREAM_RATE_LIMITED itself instead of
 * burning the vendor's quota into 429s. Background work (webhook refreshes, subscription pollers) stops short of the
 * last fifth of the window, which only user reads may spend.
 */
export interface RateBudgetOptions {
  /** Requests in any 60 s window at most (the vendor's documented limit for the endpoint). */
  perMinute: number;
  now?: () => number;
}

/** Who is asking: a user's read may spend the whole budget, background work all but the reserve. */
export type Priority = 'user' | 'background';

/** A token taken, or how many whole seconds until one is there. */
export type Spend = { ok: true } | { ok: false; retryAfterSeconds: number };

/** The window the budget counts over, ms. */
export const RATE_WINDOW_MS = 60_000;

/** Requests of a window that `priority` may spend: background work leaves a fifth (rounded down) to user reads. */
export function rateLimitFor(perMinute: number, priority: Priority): number {
  return priority === 'user' ? perMinute : perMinute - Math.floor(perMinute / 5);
}

/** Seconds until the log holds fewer than `limit` entries, given its sorted times (oldest first), at least 1. */
export function secondsUntilRoom(times: readonly number[], limit: number, now: number): number {
  const edge = times[times.length - limit] ?? now;
  return Math.max(1, Math.ceil((edge + RATE_WINDOW_MS - now) / 1000));
}

export class RateBudget {
  readonly perMinute: number;
  readonly #now: () => number;
  /** Times of the requests in the current window, oldest first; never more than `perMinute`. */
  #times: number[] = [];

  constructor(options: RateBudgetOptions) {
    this.perMinute = Math.max(1, options.perMinute);
    this.#now = options.now ?? Date.now;
  }

  /** Takes a token; when none is left for `priority`, says in how many whole seconds one will be. */
  take(priority: Priority = 'user'): Spend {
    const now = this.#now();
    this.#expire(now);
    const limit = rateLimitFor(this.perMinute, priority);
    if (this.#times.length < limit) {
      this.#times.push(now);
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: secondsUntilRoom(this.#times, limit, now) };
  }

  /** Counts a request decided elsewhere (by the shared budget), so that this budget, deciding next, knows of it. */
  record(): void {
    const now = this.#now();
    this.#expire(now);
    if (this.#times.length >= this.perMinute) this.#times.shift();
    this.#times.push(now);
  }

  #expire(now: number): void {
    let stale = 0;
    while (stale < this.#times.length && (this.#times[stale] ?? now) <= now - RATE_WINDOW_MS) stale += 1;
    if (stale > 0) this.#times.splice(0, stale);
  }
}
