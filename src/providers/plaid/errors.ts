import { logger } from '../../logger.ts';
import { type GatewayError, parseRetryAfter, statusError, upstreamError } from '../../upstream/errors.ts';
import type { UpstreamResponse } from '../../upstream/http.ts';
import { type PlaidError, plaidError } from './payload.ts';

/**
 * Plaid's error answers (`PlaidError`: `error_type`, `error_code`, `error_message`, `request_id`), mapped by
 * `error_code` first, as Plaid asks ("use these in preference to HTTP status codes"): bad keys come back as HTTP 400.
 * Only the type and code are logged (vocabulary); `error_message` may echo what was sent.
 */

/** Codes that say Verigate's keys are wrong or not allowed here (plaid.com/docs/errors/invalid-input/). */
const AUTH_CODES = new Set([
  'INVALID_API_KEYS',
  'UNAUTHORIZED_ENVIRONMENT',
  'INVALID_PRODUCT',
  'PRODUCTS_NOT_SUPPORTED',
]);
/** Plaid's limits are per minute (plaid.com/docs/errors/rate-limit-exceeded/): the wait when no Retry-After comes. */
export const PLAID_RETRY_AFTER_SECONDS = 60;

/** The error body, or null when the answer is not a Plaid error. */
export function readPlaidError(res: UpstreamResponse): PlaidError | null {
  try {
    const parsed = plaidError.safeParse(JSON.parse(res.body.toString('utf8')));
    return parsed.success && (parsed.data.error_code || parsed.data.error_type) ? parsed.data : null;
  } catch {
    return null;
  }
}

/** What a failed call is, whatever it was: credentials, rate limit, outage; null for the caller's own cases. */
function commonError(res: UpstreamResponse, error: PlaidError | null): GatewayError | null {
  const code = error?.error_code ?? null;
  if ((code !== null && AUTH_CODES.has(code)) || res.status === 401 || res.status === 403)
    return upstreamError.authFailed('PLAID', res.status);
  if (error?.error_type === 'RATE_LIMIT_EXCEEDED' || res.status === 429)
    return upstreamError.rateLimited('PLAID', parseRetryAfter(res.headers['retry-after'], PLAID_RETRY_AFTER_SECONDS));
  if (res.status >= 500 || error?.error_type === 'API_ERROR' || error?.error_type === 'INSTITUTION_ERROR')
    return upstreamError.unavailable('PLAID', `it answered HTTP ${res.status}`);
  return null;
}

function logged(res: UpstreamResponse, error: PlaidError | null, call: string): void {
  logger.warn(
    {
      provider: 'PLAID',
      call,
      status: res.status,
      errorType: error?.error_type?.slice(0, 64) ?? null,
      errorCode: error?.error_code?.slice(0, 64) ?? null,
    },
    'provider answered with an error',
  );
}

/**
 * A failed `/identity_verification/get`: an unknown id (`NOT_FOUND`, 404 or 400) is NOT_FOUND; so is `INVALID_FIELD`,
 * since the id is the request's only field and Verigate has checked its form: Plaid does not know it.
 */
export function plaidGetError(res: UpstreamResponse): GatewayError {
  const error = readPlaidError(res);
  const code = error?.error_code;
  if (code === 'NOT_FOUND' || code === 'INVALID_FIELD' || res.status === 404) return upstreamError.notFound('PLAID');
  logged(res, error, 'identity_verification/get');
  return commonError(res, error) ?? statusError('PLAID', res, PLAID_RETRY_AFTER_SECONDS);
}

/**
 * A failed `/identity_verification/create`: Plaid's 4xx about the input (`INVALID_FIELD`, `MISSING_FIELDS`, an unknown
 * template…) is BAD_USER_INPUT, with the code only as its safe message; nothing is retried.
 */
export function plaidCreateError(res: UpstreamResponse): GatewayError {
  const error = readPlaidError(res);
  logged(res, error, 'identity_verification/create');
  const common = commonError(res, error);
  if (common) return common;
  if (res.status >= 400 && res.status < 500) {
    const code = error?.error_code && /^[A-Z0-9_]{1,64}$/.test(error.error_code) ? ` (${error.error_code})` : '';
    return upstreamError.badInput(`Plaid refused the verification's input${code}.`, 'PLAID');
  }
  return statusError('PLAID', res, PLAID_RETRY_AFTER_SECONDS);
}
