import type { BrowserConfig } from '../config/index.ts';
import { varyOn } from './cacheHeaders.ts';
import type { Route } from './route.ts';

/**
 * CORS for /graphql (DESIGN §6 "Browsers and mobile networks"). A browser preflights every Verigate request (it
 * carries `Authorization`), so preflights are answered here, before authentication; answers to allowed origins,
 * errors and 401s included, carry `Access-Control-Allow-Origin` so a page can read them. Verigate uses no cookies:
 * never `Access-Control-Allow-Credentials`. A disallowed origin gets no CORS header, and its browser blocks the read.
 */

/** What a request may carry besides the safelisted headers: credentials, Apollo's CSRF headers, tracing, ids. */
const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version',
  'x-request-id',
  'traceparent',
  'tracestate',
].join(', ');

/** Chromium caps a cached preflight at 2 h; without it a mobile page pays a second round trip per request. */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/** Any port on the loopback names a browser uses, outside production only. */
const LOCAL_DEV_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** The `Access-Control-Allow-Origin` value for `origin`, or null when that origin may not call Verigate. */
export function allowedOrigin(config: BrowserConfig, origin: string): string | null {
  if (config.corsAnyOrigin) return '*';
  if (config.corsOrigins.includes(origin)) return origin;
  if (config.corsLocalDevOrigins && LOCAL_DEV_ORIGIN.test(origin)) return origin;
  return null;
}

/**
 * Whether a WebSocket upgrade may open. Browsers send `Origin` on every upgrade but apply no CORS to WebSockets, so
 * the same allow-list is checked here; a page the gateway serves itself (the playground) has the request's own
 * host. Clients outside a browser send no `Origin` and may connect.
 */
export function mayOpenWebSocket(config: BrowserConfig, origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined || allowedOrigin(config, origin) !== null) return true;
  return host !== undefined && URL.parse(origin)?.host === host.toLowerCase();
}

/** Sets CORS headers on /graphql answers for allowed origins, and answers preflights itself (204). */
export function corsRoute(config: BrowserConfig): Route {
  return (req, res, url) => {
    if (url.pathname !== '/graphql') return false;
    varyOn(res, 'Origin');
    const origin = req.headers.origin;
    const allowed = typeof origin === 'string' ? allowedOrigin(config, origin) : null;
    if (allowed) {
      res.setHeader('access-control-allow-origin', allowed);
      res.setHeader('access-control-expose-headers', 'x-request-id');
    }
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) return false;
    if (allowed) {
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    res.writeHead(204);
    res.end();
    return true;
  };
}
