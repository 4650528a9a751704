import { GraphQLError } from 'graphql';
import { PROVIDER_LABELS } from '../generated/providers.ts';
import type { Provider } from '../model/session.ts';

/** The error codes of DESIGN §3, plus the ones Apollo and the HTTP layer use. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'UPSTREAM_AUTH_FAILED'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_BAD_RESPONSE';

export interface GatewayErrorOptions {
  provider?: Provider;
  retryAfterSeconds?: number;
  /** HTTP status for errors raised before execution (authentication). */
  httpStatus?: number;
  /** Internal detail for logs only (never sent to clients, never personal data). */
  cause?: unknown;
}

/**
 * The one error type resolvers and adapters throw. Its message and extensions are safe to show a client:
 * no upstream URL, header, token, payload or stack.
 */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;
  readonly provider: Provider | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    const extensions: Record<string, unknown> = { code };
    if (options.provider) extensions.provider = options.provider;
    if (options.retryAfterSeconds !== undefined) extensions.retryAfterSeconds = options.retryAfterSeconds;
    if (options.httpStatus !== undefined) extensions.http = { status: options.httpStatus };
    super(message, { extensions, originalError: options.cause instanceof Error ? options.cause : undefined });
    this.code = code;
    this.provider = options.provider;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** UPSTREAM_RATE_LIMITED by Verigate's own budget: no call was made, so waiting for it costs the vendor nothing. */
export class BudgetSpentError extends GatewayError {}

export function providerName(provider: Provider): string {
  return PROVIDER_LABELS[provider];
}

/** Builders for the upstream failures every adapter maps to, with the same wording everywhere. */
export const upstreamError = {
  notFound: (provider: Provider) =>
    new GatewayError('NOT_FOUND', `${providerName(provider)} has no such session.`, { provider }),
  authFailed: (provider: Provider, status: number) =>
    new GatewayError(
      'UPSTREAM_AUTH_FAILED',
      `${providerName(provider)} rejected Verigate's credentials (HTTP ${status}).`,
      {
        provider,
      },
    ),
  rateLimited: (provider: Provider, retryAfterSeconds: number, byVerigate = false) =>
    new (byVerigate ? BudgetSpentError : GatewayError)(
      'UPSTREAM_RATE_LIMITED',
      byVerigate
        ? `Verigate's request budget for ${providerName(provider)} is spent; retry in ${retryAfterSeconds} s.`
        : `${providerName(provider)} is rate limiting Verigate; retry in ${retryAfterSeconds} s.`,
      { provider, retryAfterSeconds },
    ),
  unavailable: (provider: Provider, why: string, cause?: unknown) =>
    new GatewayError('UPSTREAM_UNAVAILABLE', `${providerName(provider)} is unavailable: ${why}.`, { provider, cause }),
  badResponse: (provider: Provider, why: string, cause?: unknown) =>
    new GatewayError(
      'UPSTREAM_BAD_RESPONSE',
      `${providerName(provider)} sent a response Verigate cannot read: ${why}.`,
      {
        provider,
        cause,
      },
    ),
  badInput: (message: string, provider?: Provider) =>
    new GatewayError('BAD_USER_INPUT', message, provider ? { provider } : {}),
};

/**
 * The error for a vendor answer that is not a result, by status code alone (401/403: our credentials; 429: rate
 * limited, with `Retry-After`; 5xx: unavailable; anything else: unexpected). Adapters handle their own special
 * statuses (404, 202, …) before falling back to this.
 */
export function statusError(
  provider: Provider,
  res: { status: number; headers: Record<string, string | string[] | undefined> },
  fallbackRetryAfterSeconds = 60,
): GatewayError {
  const { status } = res;
  if (status === 401 || status === 403) return upstreamError.authFailed(provider, status);
  if (status === 429)
    return upstreamError.rateLimited(provider, parseRetryAfter(res.headers['retry-after'], fallbackRetryAfterSeconds));
  if (status >= 500) return upstreamError.unavailable(provider, `it answered HTTP ${status}`);
  return upstreamError.badResponse(provider, `it answered with unexpected HTTP ${status}`);
}

/** Parses a `Retry-After` header (delta-seconds or HTTP date) to whole seconds, at least 1. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  fallbackSeconds: number,
  now = Date.now(),
): number {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw !== undefined && raw.trim() !== '') {
    const seconds = Number(raw.trim());
    if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds));
    const date = Date.parse(raw);
    if (!Number.isNaN(date)) return Math.max(1, Math.ceil((date - now) / 1000));
  }
  return fallbackSeconds;
}
