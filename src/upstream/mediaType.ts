import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import { upstreamError } from './errors.ts';
import type { UpstreamResponse } from './http.ts';

/** A media type's `type/subtype`, as RFC 9110 spells tokens. */
const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/** The media type of a Content-Type header, lower-cased and without parameters; null when absent or malformed. */
export function mediaTypeOf(header: string | string[] | undefined): string | null {
  const raw = Array.isArray(header) ? header[0] : header;
  const type = raw?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return MEDIA_TYPE.test(type) && type.length <= 127 ? type : null;
}

/** `application/json` or a structured `+json` type (`application/problem+json`, `application/vnd.x.v1+json`). */
export function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * Refuses a vendor body labelled as anything but JSON (an HTML error page from a proxy, a login page) as that
 * session's UPSTREAM_BAD_RESPONSE. A body without a Content-Type is left to the JSON parser and the schema.
 */
export function assertJsonLabelled(provider: Provider, res: UpstreamResponse, what: string): void {
  const header = res.headers['content-type'];
  if (header === undefined || header === '') return;
  const type = mediaTypeOf(header);
  if (type !== null && isJsonMediaType(type)) return;
  logger.warn({ provider, what, status: res.status, mediaType: type ?? 'malformed' }, 'provider body is not JSON');
  throw upstreamError.badResponse(provider, `the ${what} is not labelled as JSON`);
}
