import type { z } from 'zod';
import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import { providerName, upstreamError } from './errors.ts';
import type { UpstreamResponse } from './http.ts';
import { assertJsonLabelled } from './mediaType.ts';

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
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: i.path.join('.'), code: i.code }));
    logger.warn({ provider, what, status: res.status, issues }, 'provider payload failed validation');
    throw upstreamError.badResponse(
      provider,
      `the ${what} does not match ${providerName(provider)}'s documented shape`,
    );
  }
  return parsed.data;
}
