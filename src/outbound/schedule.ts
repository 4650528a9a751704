/**
 * When a failed delivery is tried again (DESIGN §7): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after each failure,
 * then it is `failed` (eight attempts in about 27.5 hours). A receiver's `Retry-After` is honoured when it asks
 * for longer, up to the next-but-one step, so one answer cannot park a delivery for days.
 */
export const RETRY_DELAYS_SECONDS = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000] as const;

/** Attempts a delivery gets in all. */
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/**
 * Seconds until the next attempt after failed attempt number `attempts` (1-based); null: give up. `delays` is the
 * schedule (tests pass a short one; production always runs the one above).
 */
export function retryDelaySeconds(
  attempts: number,
  retryAfterSeconds: number | null,
  delays: readonly number[] = RETRY_DELAYS_SECONDS,
): number | null {
  const base = delays[attempts - 1];
  if (base === undefined) return null;
  if (retryAfterSeconds === null || retryAfterSeconds <= base) return base;
  const cap = delays[attempts] ?? base;
  return Math.min(retryAfterSeconds, Math.max(cap, base));
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return null;
  if (/^\d{1,9}$/.test(text.trim())) return Number(text.trim());
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}
