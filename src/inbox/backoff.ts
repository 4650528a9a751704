/**
 * The wait before attempt `attempt + 1` after `attempt` failures (from 1): `baseMs` doubled per failure up to
 * `maxMs`, then "equal jitter" (half fixed, half random), so replicas that failed together do not retry together
 * and no wait is shorter than half its step.
 */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const step = Math.min(baseMs * 2 ** Math.max(attempt - 1, 0), maxMs);
  return Math.round(step / 2 + random() * (step / 2));
}
