import { Pool, errors as undiciErrors } from 'undici';
import type { Provider } from '../model/session.ts';
import { type BodyRateFloor, BodyRateGuard, SlowBodyError } from './bodyRate.ts';
import { GatewayError, upstreamError } from './errors.ts';
import { type AttemptResult, DEFAULT_POLICY, ProviderPolicy } from './policy.ts';

export interface HttpTimeouts {
  /** TCP (and TLS) connect, ms. */
  connectMs: number;
  /** From request sent to response headers received, ms. */
  headersMs: number;
  /** Longest silence while the body streams, ms. */
  bodyMs: number;
  /** Whole call, retries and backoff included, ms: the hard deadline whatever the phases do. */
  totalMs: number;
}

export interface UpstreamHttpOptions {
  timeouts: HttpTimeouts;
  /** Bodies larger than this are cut off and fail as UPSTREAM_BAD_RESPONSE. */
  maxBodyBytes: number;
  /** Bodies slower than this are cut off and fail as UPSTREAM_UNAVAILABLE (default: 16 KiB/s after 2 s). */
  minBodyRate?: BodyRateFloor;
  /** Keep-alive connections per origin. */
  connections: number;
  /** The provider's resilience policy, shared by all of its pools. Without one, calls are unguarded. */
  policy?: ProviderPolicy;
}

const DEFAULT_MIN_BODY_RATE: BodyRateFloor = { graceMs: 2_000, bytesPerSecond: 16 * 1024 };

/**
 * Defaults: a vendor gets 2 s to accept a connection, 5 s to start answering and 5 s of silence mid-body;
 * a whole call (retries included) ends after 8 s, below the 10 s a client is told to wait for an operation.
 * Vendor session payloads are a few KiB; 2 MiB leaves room for image-heavy decisions. A body still streaming 2 s
 * after its headers must have averaged 16 KiB/s: a few-KiB payload is done long before, a 2 MiB one needs 256 KiB/s
 * to beat the deadline anyway, and a trickling body frees its connection after 2 s instead of 8. (The grace stays
 * above the short deadlines tests use, so a stalled body there still reads as the timeout it is.)
 */
export const DEFAULT_HTTP_OPTIONS: UpstreamHttpOptions = {
  timeouts: { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000, totalMs: 8_000 },
  maxBodyBytes: 2 * 1024 * 1024,
  minBodyRate: DEFAULT_MIN_BODY_RATE,
  connections: 32,
};

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST';
  /** Path relative to the base URL's path prefix, already encoded. */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** A POST that only reads (Plaid's `/identity_verification/get`): retried as a GET is. */
  readOnly?: boolean;
}

/**
 * One keep-alive pool for one provider origin, with phase timeouts, a body size cap, and the provider's
 * resilience policy around every call. Bodies are always read to the end or destroyed.
 */
export class UpstreamHttp {
  readonly #pool: Pool;
  readonly #prefix: string;
  readonly #options: UpstreamHttpOptions;
  readonly #provider: Provider;
  readonly #policy: ProviderPolicy;

  constructor(provider: Provider, baseUrl: string, options: UpstreamHttpOptions = DEFAULT_HTTP_OPTIONS) {
    const url = new URL(baseUrl);
    this.#provider = provider;
    this.#options = options;
    this.#policy = options.policy ?? new ProviderPolicy(provider, DEFAULT_POLICY);
    this.#prefix = url.pathname.replace(/\/+$/, '');
    this.#pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      connect: { timeout: options.timeouts.connectMs },
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyMs,
    });
  }

  request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const totalMs = this.#options.timeouts.totalMs;
    const deadline = AbortSignal.timeout(totalMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    const retriedAs = req.readOnly ? 'GET' : (req.method ?? 'GET');
    return this.#policy.execute(retriedAs, Date.now() + totalMs, () => this.#attempt(req, signal, deadline));
  }

  async #attempt(
    req: UpstreamRequest,
    signal: AbortSignal,
    deadline: AbortSignal,
  ): Promise<AttemptResult<UpstreamResponse>> {
    try {
      const res = await this.#pool.request({
        method: req.method ?? 'GET',
        path: this.#prefix + req.path,
        headers: req.headers,
        body: req.body,
        signal,
      });
      const body = await readCapped(
        res.body,
        this.#options.maxBodyBytes,
        this.#options.minBodyRate ?? DEFAULT_MIN_BODY_RATE,
      );
      if (body === null) {
        return {
          status: res.statusCode,
          failure: 'bad_response',
          error: upstreamError.badResponse(this.#provider, 'the response body is too large'),
        };
      }
      return {
        status: res.statusCode,
        headers: res.headers,
        response: { status: res.statusCode, headers: res.headers, body },
      };
    } catch (error) {
      return { status: null, ...this.#transportFailure(error, deadline) };
    }
  }

  #transportFailure(error: unknown, deadline: AbortSignal): Pick<AttemptResult<never>, 'error' | 'failure'> {
    const p = this.#provider;
    if (error instanceof GatewayError) return { error, failure: 'bad_response' };
    if (error instanceof SlowBodyError) {
      return {
        error: upstreamError.unavailable(p, 'the response body arrived too slowly', error),
        failure: 'slow_body',
      };
    }
    if (
      deadline.aborted ||
      error instanceof undiciErrors.HeadersTimeoutError ||
      error instanceof undiciErrors.BodyTimeoutError
    ) {
      return { error: upstreamError.unavailable(p, 'the request timed out', error), failure: 'timeout' };
    }
    if (error instanceof undiciErrors.ConnectTimeoutError) {
      return { error: upstreamError.unavailable(p, 'the connection timed out', error), failure: 'network_error' };
    }
    if (error instanceof Error && error.name === 'AbortError') {
      return { error: upstreamError.unavailable(p, 'the request was cancelled', error), failure: 'network_error' };
    }
    return { error: upstreamError.unavailable(p, 'the connection failed', error), failure: 'network_error' };
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/**
 * Reads a body up to `max` bytes; past that destroys the stream and returns null. Below the rate floor the stream
 * is destroyed with a SlowBodyError, which the read throws.
 */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(err?: Error): void },
  max: number,
  floor: BodyRateFloor,
): Promise<Buffer | null> {
  const guard = new BodyRateGuard(body, floor);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > max) {
        body.destroy();
        return null;
      }
      guard.received(chunk.length);
      chunks.push(chunk);
    }
  } finally {
    guard.stop();
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}
