import { AsyncLocalStorage } from 'node:async_hooks';
import type { z } from 'zod';
import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import { providerName, upstreamError } from './errors.ts';
import type { UpstreamResponse } from './http.ts';
import { assertJsonLabelled } from './mediaType.ts';

/** Bytes of vendor bodies parsed in the current `measuringParsedBytes` call. */
const parsed = new AsyncLocalStorage<{ bytes: number }>();

/**
 * Runs `load` and adds up the vendor bodies it parsed: what the session cache counts an entry as (the value built
 * from them holds about as much), known without serialising anything again.
 */
export async function measuringParsedBytes<T>(load: () => Promise<T>): Promise<{ value: T; bytes: number }> {
  const tally = { bytes: 0 };
  const value = await parsed.run(tally, load);
  return { value, bytes: tally.bytes };
}

/**
 * Parses a vendor body labelled as JSON and validates it against its zod schema. Failures are
 * UPSTREAM_BAD_RESPONSE; the log names the failing paths and zod codes only, never values (they may be personal data).
 */
export function parseUpstreamJson<T extends z.ZodType>(
  provider: Provider,
  schema: T,
  res: UpstreamResponse,
  what: string,
): z.infer<T> {
  const tally = parsed.getStore();
  if (tally) tally.bytes += res.body.length;
  assertJsonLabelled(provider, res, what);
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    logger.warn(
      { provider, what, status: res.status, bytes: res.body.length },
      'provider sent a body that is not JSON',
    );
    throw upstreamError.badResponse(provider, `the ${what} body is not JSON`);
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), code: i.code }));
    logger.warn({ provider, what, status: res.status, issues }, 'provider payload failed validation');
    throw upstreamError.badResponse(
      provider,
      `the ${what} does not match ${providerName(provider)}'s documented shape`,
    );
  }
  return result.data;
}
