/**
 * Client-side rate budget for one provider: at most `perMinute` requests in any 60 s window, counted from the times
 * of the requests themselves (a sliding log, so no burst at a window boundary and no burst on top of a refill).
 * Verigate spends one per HTTP request it sends; with none left it answers UPSTREAM_RATE_LIMITED itself instead of
 * burning the vendor's quota into 429s. Background work (webhook refreshes, subscription pollers) stops short of the
 * last fifth of the window, which only user reads may spend.
 *
 * Fair shares: while several credentials (API keys, JWT clients) compete for one provider, each may spend at most
 * `perMinute / n` of any window, n being the credentials that called it in the last `COMPETITION_WINDOW_MS`. So one
 * caller firing at the budget is refused with its own `UPSTREAM_RATE_LIMITED` while the others keep their share; a
 * credential alone may spend the whole budget. (A credential that starts competing while the others already hold
 * the window waits for their calls to age out of it, at most a minute, the others being held to their new share.)
 */
export interface RateBudgetOptions {
  /** Requests in any 60 s window at most (the vendor's documented limit for the endpoint). */
  perMinute: number;
  now?: () => number;
}

/** Who is asking: a user's read may spend the whole budget, background work all but the reserve. */
export type Priority = 'user' | 'background';

/**
 * A token taken, or how many whole seconds until one is there; `share` when the caller's credential had spent its
 * share (the budget itself may have room for the others).
 */
export type Spend = { ok: true } | { ok: false; retryAfterSeconds: number; share?: true };

/** A credential competes for a provider's budget this long after its last call to it, ms. */
export const COMPETITION_WINDOW_MS = 600_000;

/** The part of `perMinute` one of `competing` credentials may spend: all of it alone, an equal share among several. */
export function shareOf(perMinute: number, competing: number): number {
  return competing <= 1 ? perMinute : Math.max(1, Math.floor(perMinute / competing));
}

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
  /** Per credential: times of its requests in the window, and when it last asked (competition). */
  readonly #credentials = new Map<string, { times: number[]; lastAsked: number }>();

  constructor(options: RateBudgetOptions) {
    this.perMinute = Math.max(1, options.perMinute);
    this.#now = options.now ?? Date.now;
  }

  /**
   * Takes a token for `credential` (null: work of no caller, such as a webhook refresh); when none is left for
   * `priority`, or the credential has spent its share, says in how many whole seconds one will be.
   */
  take(priority: Priority = 'user', credential: string | null = null): Spend {
    const now = this.#now();
    expire(this.#times, now);
    const mine = credential === null ? null : this.#competitor(credential, now);
    const competing = mine ? this.#competing(now) : 0;
    if (mine && competing > 1) {
      const share = shareOf(this.perMinute, competing);
      if (mine.times.length >= share) {
        return { ok: false, retryAfterSeconds: secondsUntilRoom(mine.times, share, now), share: true };
      }
    }
    const limit = rateLimitFor(this.perMinute, priority);
    if (this.#times.length < limit) {
      this.#times.push(now);
      mine?.times.push(now);
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: secondsUntilRoom(this.#times, limit, now) };
  }

  /** Counts a request decided elsewhere (by the shared budget), so that this budget, deciding next, knows of it. */
  record(credential: string | null = null): void {
    const now = this.#now();
    expire(this.#times, now);
    if (this.#times.length >= this.perMinute) this.#times.shift();
    this.#times.push(now);
    if (credential !== null) this.#competitor(credential, now).times.push(now);
  }

  /** The credential's entry, marked as asking now; entries idle past the competition window are dropped. */
  #competitor(credential: string, now: number): { times: number[]; lastAsked: number } {
    for (const [name, entry] of this.#credentials) {
      if (entry.lastAsked <= now - COMPETITION_WINDOW_MS) this.#credentials.delete(name);
    }
    const entry = this.#credentials.get(credential) ?? { times: [], lastAsked: now };
    entry.lastAsked = now;
    expire(entry.times, now);
    this.#credentials.set(credential, entry);
    return entry;
  }

  /** Credentials that asked in the competition window (the caller included). */
  #competing(now: number): number {
    let n = 0;
    for (const entry of this.#credentials.values()) if (entry.lastAsked > now - COMPETITION_WINDOW_MS) n += 1;
    return n;
  }
}

/** Drops the times that left the window (the log is sorted, oldest first). */
function expire(times: number[], now: number): void {
  let stale = 0;
  while (stale < times.length && (times[stale] ?? now) <= now - RATE_WINDOW_MS) stale += 1;
  if (stale > 0) times.splice(0, stale);
}
