import { logger } from '../../logger.ts';
import { type GatewayError, statusError, upstreamError } from '../../upstream/errors.ts';
import type { UpstreamHttpOptions, UpstreamResponse } from '../../upstream/http.ts';
import { diditErrorBody } from './payload.ts';

/** What both Didit adapters share on the wire: the session id rule and the meaning of Didit's error answers. */

export interface DiditAdapterOptions {
  sandbox: boolean;
  /** Pool settings and the provider's shared resilience policy, for every pool an adapter opens. */
  http?: UpstreamHttpOptions;
}

/** Didit session ids are UUIDs. Any hex 8-4-4-4-12 is accepted: the documented example is not RFC 4122. */
const DIDIT_SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkDiditSessionId(id: string): string | null {
  return DIDIT_SESSION_ID.test(id) ? null : 'Didit session ids are UUIDs (8-4-4-4-12 hexadecimal digits).';
}

/** UUIDs are case-insensitive and Didit issues them in lower case: one session, one spelling. */
export function canonicalDiditSessionId(id: string): string {
  return id.toLowerCase();
}

/**
 * The decision path for a checked id. Didit's router matches lowercase UUIDs only (anything else is an HTML
 * 404), so the id is sent lowercased; encoded all the same, so nothing in an id can change the path.
 */
export function decisionPath(version: 'v1' | 'v3', id: string): string {
  return `/${version}/session/${encodeURIComponent(canonicalDiditSessionId(id))}/decision/`;
}

/**
 * Didit's non-200 answers (`{"detail": ...}`, or an HTML page from the router) by status code: the body never
 * decides, so an HTML 404 is NOT_FOUND like a JSON one. The rest is the shared mapping (401/403, 429, 5xx).
 */
export function diditError(res: UpstreamResponse): GatewayError {
  if (res.status === 404) return upstreamError.notFound('DIDIT');
  if (res.status >= 400 && res.status < 500 && res.status !== 429) {
    // Didit's detail says which 4xx it is ("insufficient credits" vs a bad key); it is vendor text, not personal data.
    logger.warn({ provider: 'DIDIT', status: res.status, detail: errorDetail(res) }, 'Didit refused the request');
  }
  return statusError('DIDIT', res);
}

function errorDetail(res: UpstreamResponse): string | null {
  try {
    const parsed = diditErrorBody.safeParse(JSON.parse(res.body.toString('utf8')));
    return parsed.success ? parsed.data.detail.slice(0, 200) : null;
  } catch {
    return null;
  }
}
