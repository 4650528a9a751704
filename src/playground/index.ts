import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from '../model/session.ts';
import { loadPlaygroundAssets, PLAYGROUND_BUILD_DIR, type PlaygroundAsset } from './assets.ts';
import { exampleOperations } from './examples.ts';
import type { PlaygroundConfig } from './protocol.ts';

/**
 * GraphiQL for partner teams, served from Verigate's own build of it (`npm run playground:build`): no CDN, so it
 * works offline and under a strict Content-Security-Policy.
 *
 * - `GET /playground`, and `GET /graphql` from a browser (its Accept prefers text/html to JSON): the page
 * - `GET /playground/config.json`: the example tabs and, for a browser on this machine, the development key
 * - `GET /playground/assets/*`: the bundle, precompressed, revalidated by ETag
 */
export interface PlaygroundOptions {
  /** The generated development key (null when GATEWAY_API_KEYS is set): prefilled for browsers on this machine. */
  devKey: string | null;
  /** Providers served by their simulators; each gets a tab built from its scenario catalogue. */
  sandboxed: readonly Provider[];
  /** Where the built bundle is (default: build/playground/, where `npm run playground:build` writes it). */
  buildDir?: string;
}

/** The answer while the bundle is missing: how to build it, from where, and that no restart is needed. */
export const PLAYGROUND_NOT_BUILT =
  'The playground is not built. In the repository, run `npm run playground:build` (npm install, npm start and ' +
  'npm test build it too), then reload this page: the gateway picks it up without a restart.\n';

/**
 * Scripts, styles, workers, fonts and requests: only from this origin. Styles also allow inline because Monaco
 * (GraphiQL's editor) writes its token colours into <style> elements and positions every line with a style
 * attribute (without it Chromium blocks about a hundred of them and the editors break). No inline or remote
 * script can run.
 */
export const PLAYGROUND_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': PLAYGROUND_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const cached = new Map<string, Map<string, PlaygroundAsset>>();

/** The bundle, read once it exists (a missing one is looked for again on the next request). */
function assets(dir: string): Map<string, PlaygroundAsset> | null {
  const known = cached.get(dir);
  if (known) return known;
  const loaded = loadPlaygroundAssets(dir);
  if (loaded) cached.set(dir, loaded);
  return loaded;
}

/** True when the request is a browser asking for a page rather than a GraphQL client asking for JSON. */
export function prefersHtml(req: IncomingMessage): boolean {
  let html = 0;
  let json = 0;
  for (const part of (req.headers.accept ?? '').split(',')) {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type === 'text/html') html = Math.max(html, q);
    if (type === 'application/json' || type === 'application/graphql-response+json') json = Math.max(json, q);
  }
  return html > 0 && html >= json;
}

/** The development key is handed only to a browser on this machine, never across a network or a proxy. */
function isLocalBrowser(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  const loopback = address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
  return loopback && req.headers['x-forwarded-for'] === undefined && req.headers.forwarded === undefined;
}

export function playgroundConfig(req: IncomingMessage, options: PlaygroundOptions): PlaygroundConfig {
  const headers =
    options.devKey && isLocalBrowser(req)
      ? JSON.stringify({ Authorization: `Bearer ${options.devKey}` }, null, 2)
      : null;
  return { endpoint: '/graphql', headers, tabs: exampleOperations(options.sandboxed) };
}

function sendAsset(req: IncomingMessage, res: ServerResponse, asset: PlaygroundAsset, extra: Record<string, string>) {
  res.setHeader('content-type', asset.contentType);
  res.setHeader('etag', asset.etag);
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('vary', extra.vary ?? 'accept-encoding');
  for (const [key, value] of Object.entries({ ...SECURITY_HEADERS, ...extra })) res.setHeader(key, value);
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304).end();
    return;
  }
  const encodings = String(req.headers['accept-encoding'] ?? '');
  let body = asset.identity;
  if (asset.br && /\bbr\b/.test(encodings)) {
    body = asset.br;
    res.setHeader('content-encoding', 'br');
  } else if (asset.gzip && /\bgzip\b/.test(encodings)) {
    body = asset.gzip;
    res.setHeader('content-encoding', 'gzip');
  }
  res.setHeader('content-length', body.length);
  res.writeHead(200);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}) {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Serves the playground's routes; false when the request is not for the playground (the caller goes on with it).
 * Call it before authentication: the page, its assets and its config carry no data but the example tabs.
 */
export function servePlayground(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: PlaygroundOptions,
): boolean {
  const path = url.pathname;
  const isPage = path === '/playground' || path === '/playground/';
  const isGraphQLPage = path === '/graphql' && req.method === 'GET' && prefersHtml(req);
  if (!isPage && !isGraphQLPage && !path.startsWith('/playground/')) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'The playground answers GET and HEAD only.\n', { allow: 'GET, HEAD' });
    return true;
  }

  if (path === '/playground/config.json') {
    const body = JSON.stringify(playgroundConfig(req, options));
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      // It may carry the development key: never store it.
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  }

  const built = assets(options.buildDir ?? PLAYGROUND_BUILD_DIR);
  if (!built) {
    sendText(res, 503, PLAYGROUND_NOT_BUILT);
    return true;
  }
  const key = isPage || isGraphQLPage ? 'index.html' : path.slice('/playground/'.length);
  const asset = key.startsWith('assets/') || key === 'index.html' ? built.get(key) : undefined;
  if (!asset) {
    sendText(res, 404, 'Not found.\n');
    return true;
  }
  // /graphql answers JSON or this page depending on Accept: caches must keep the two apart.
  sendAsset(req, res, asset, isGraphQLPage ? { vary: 'accept, accept-encoding' } : {});
  return true;
}
