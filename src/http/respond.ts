import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Small response helpers shared by the routes. */

/** Writes the answer; nothing when one was already begun (the listener may have answered a too-slow body with 408). */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

/** A GraphQL-shaped refusal: `{ errors: [{ message, extensions: { code } }] }`. */
export function writeErrors(res: ServerResponse, status: number, code: string, message: string): void {
  writeJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** The caller's `x-request-id` when it is a sane token, a new UUID otherwise. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

export function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(.+\+)?json\b/i.test(contentType.trim());
}

/** The request body stopped before its end: the client went away, or its connection was closed (too slow, evicted). */
export class RequestBodyAborted extends Error {
  override readonly name = 'RequestBodyAborted';

  constructor() {
    super('the request body ended before it was complete');
  }
}

/**
 * The body as received, byte for byte (signatures cover bytes); null past `max` (the rest is not read). Throws
 * RequestBodyAborted when the body stops before its end.
 */
export async function readRawBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) {
        req.resume();
        return null;
      }
      chunks.push(chunk);
    }
  } catch {
    throw new RequestBodyAborted();
  }
  return Buffer.concat(chunks, size);
}

/** The body as UTF-8 text, up to `max` bytes; null when it is larger (the rest is not read). */
export async function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  const raw = await readRawBody(req, max);
  return raw === null ? null : raw.toString('utf8');
}

/** True for GET and HEAD, the methods the read-only routes answer. */
export const isRead = (req: IncomingMessage): boolean => req.method === 'GET' || req.method === 'HEAD';
