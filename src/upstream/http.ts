import { Pool, errors as undiciErrors } from 'undici';
import type { Provider } from '../model/session.ts';
import { upstreamError } from './errors.ts';

export interface HttpTimeouts {
  /** TCP (and TLS) connect, ms. */
  connectMs: number;
  /** From request sent to response headers received, ms. */
  headersMs: number;
  /** Longest silence while the body streams, ms. */
  bodyMs: number;
  /** Whole call, ms: the hard deadline whatever the phases do. */
  totalMs: number;
}

export interface UpstreamHttpOptions {
  timeouts: HttpTimeouts;
  /** Bodies larger than this are cut off and fail as UPSTREAM_BAD_RESPONSE. */
  maxBodyBytes: number;
  /** Keep-alive connections per origin. */
  connections: number;
}

export const DEFAULT_HTTP_OPTIONS: UpstreamHttpOptions = {
  timeouts: { connectMs: 2_000, headersMs: 8_000, bodyMs: 5_000, totalMs: 10_000 },
  maxBodyBytes: 5 * 1024 * 1024,
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
}

/** One keep-alive pool for one provider origin, with phase timeouts and a body size cap. */
export class UpstreamHttp {
  readonly #pool: Pool;
  readonly #prefix: string;
  readonly #options: UpstreamHttpOptions;
  readonly #provider: Provider;

  constructor(provider: Provider, baseUrl: string, options: UpstreamHttpOptions = DEFAULT_HTTP_OPTIONS) {
    const url = new URL(baseUrl);
    this.#provider = provider;
    this.#options = options;
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

  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    const deadline = AbortSignal.timeout(this.#options.timeouts.totalMs);
    const signal = req.signal ? AbortSignal.any([req.signal, deadline]) : deadline;
    try {
      const res = await this.#pool.request({
        method: req.method ?? 'GET',
        path: this.#prefix + req.path,
        headers: req.headers,
        body: req.body,
        signal,
      });
      const body = await readCapped(res.body, this.#options.maxBodyBytes);
      if (body === null) throw upstreamError.badResponse(this.#provider, 'the response body is too large');
      return { status: res.statusCode, headers: res.headers, body };
    } catch (error) {
      throw this.#mapTransportError(error, deadline);
    }
  }

  #mapTransportError(error: unknown, deadline: AbortSignal): unknown {
    if (error instanceof Error && 'extensions' in error) return error; // already a GatewayError
    if (deadline.aborted) return upstreamError.unavailable(this.#provider, 'the request timed out', error);
    if (error instanceof undiciErrors.ConnectTimeoutError) {
      return upstreamError.unavailable(this.#provider, 'the connection timed out', error);
    }
    if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) {
      return upstreamError.unavailable(this.#provider, 'the request timed out', error);
    }
    if (error instanceof Error && error.name === 'AbortError') {
      return upstreamError.unavailable(this.#provider, 'the request was cancelled', error);
    }
    return upstreamError.unavailable(this.#provider, 'the connection failed', error);
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }
}

/** Reads a body up to `max` bytes; past that destroys the stream and returns null. */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(err?: Error): void },
  max: number,
): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}
