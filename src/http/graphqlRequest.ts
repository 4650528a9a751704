import type { IncomingMessage } from 'node:http';
import { HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { isJson, RequestBodyAborted, readBody } from './respond.ts';

/** A request turned into what Apollo executes, or the refusal to answer instead. */
export type ReadRequest =
  | { ok: true; request: HTTPGraphQLRequest; rawBody: string }
  | { ok: false; status: number; code: string; message: string; closeConnection?: boolean };

/**
 * Reads a /graphql request: the body (capped), its charset (UTF-8 only) and, for JSON, its parse. Nothing here
 * knows GraphQL: Apollo (or the trusted-documents admission before it) judges the operation.
 */
export async function readGraphQLRequest(req: IncomingMessage, url: URL, maxBodyBytes: number): Promise<ReadRequest> {
  let body: string | null;
  try {
    body = await readBody(req, maxBodyBytes);
  } catch (error) {
    if (!(error instanceof RequestBodyAborted)) throw error;
    // Usually already answered by the listener (408, too slow); otherwise the connection is gone.
    const message = 'The request body did not arrive in time.';
    return { ok: false, status: 408, code: 'BAD_REQUEST', message, closeConnection: true };
  }
  if (body === null) {
    // The rest of the body is not read: this connection cannot carry another request.
    const message = `The request body is larger than ${maxBodyBytes} bytes.`;
    return { ok: false, status: 413, code: 'BAD_REQUEST', message, closeConnection: true };
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
    // Bodies are read as UTF-8 (GraphQL over HTTP): one labelled otherwise would be misread.
    return { ok: false, status: 415, code: 'BAD_REQUEST', message: 'Send the request body as UTF-8.' };
  }
  let parsedBody: unknown = body;
  if (req.method === 'POST' && isJson(req.headers['content-type'])) {
    try {
      parsedBody = body.length === 0 ? undefined : JSON.parse(body);
    } catch {
      return { ok: false, status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' };
    }
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  return { ok: true, request: { method, headers, search: url.search, body: parsedBody }, rawBody: body };
}
