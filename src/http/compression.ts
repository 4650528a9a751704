import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import { varyOn } from './cacheHeaders.ts';

/**
 * Compression of whole /graphql answers by `Accept-Encoding`, with Node's own zlib (no dependency, brotli included):
 * the answers are complete strings by the time they are written, so one call compresses each and the length is
 * known; no stream wrapping of `res`. Streamed answers (SSE, multipart) never come through here.
 */

export type ContentEncoding = 'br' | 'gzip';

/** Below this, headers and framing eat the gain (an error or a `providers` answer is a few hundred bytes). */
export const COMPRESSION_MIN_BYTES = 1024;

/** Brotli 5 and gzip 6: 7 % fewer bytes than brotli 4 for ~35 µs; past 6, CPU soars (docs/benchmarks.md). */
const BROTLI_QUALITY = 5;
const GZIP_LEVEL = 6;

/**
 * Up to this, compressing inline costs less CPU than the thread pool's hand-off (~50 µs) and holds the loop a
 * fraction of a millisecond; larger answers (introspection, 100 KB) are compressed on the pool.
 */
const INLINE_MAX_BYTES = 64 * 1024;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The encoding the client accepts that we prefer (brotli on a tie), or null for identity. */
export function negotiateEncoding(acceptEncoding: string | undefined): ContentEncoding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (e: string) => weights.get(e) ?? weights.get('*') ?? 0;
  const candidates: ContentEncoding[] = ['br', 'gzip'];
  // A stable sort keeps brotli first among equals.
  const [best] = candidates.filter((e) => weightOf(e) > 0).sort((a, b) => weightOf(b) - weightOf(a));
  return best ?? null;
}

async function encode(body: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  const inline = body.length <= INLINE_MAX_BYTES;
  if (encoding === 'gzip') {
    const options = { level: GZIP_LEVEL };
    return inline ? gzipSync(body, options) : gzipAsync(body, options);
  }
  const options = {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  };
  return inline ? brotliCompressSync(body, options) : brotli(body, options);
}

/**
 * Ends `res` with `body`, compressed when the client accepts br or gzip and the body is worth it. Status and other
 * headers are set by the caller beforehand; this sets `Vary`, `Content-Encoding` and `Content-Length`.
 */
export async function sendCompressible(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
  varyOn(res, 'Accept-Encoding');
  const type = String(res.getHeader('content-type') ?? '');
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  const length = Buffer.byteLength(body, 'utf8');
  if (encoding === null || length < COMPRESSION_MIN_BYTES || type.startsWith('text/event-stream')) {
    // Written as the string it is: socket writes encode it straight into the kernel's buffer, where a Buffer copy
    // first cost a (pool-less, above 4 KiB) allocation per answer and more garbage collection.
    res.setHeader('content-length', length);
    res.end(body, 'utf8');
    return;
  }
  const encoded = await encode(Buffer.from(body, 'utf8'), encoding);
  res.setHeader('content-encoding', encoding);
  res.setHeader('content-length', encoded.length);
  res.end(encoded);
}
