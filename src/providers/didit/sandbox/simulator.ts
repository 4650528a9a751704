import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveHostedPage } from '../../../sandbox/hostedPage.ts';
import { type Simulator, sendJson, sendRaw, startSimulator, withTimelines } from '../../../sandbox/server.ts';
import type { TimelinePace } from '../../../sandbox/webhooks.ts';
import type { DiditWebhookConfig } from '../config.ts';
import { DIDIT_SCENARIOS, type DiditScenario, type DiditStaticBehaviour } from './scenarios.ts';
import { DiditStarts } from './starts.ts';
import { DiditTimelines } from './webhookSender.ts';

/** Credentials the simulator accepts: a v1 client (Basic auth on the token endpoint) and a v3 API key. */
export const DIDIT_SANDBOX_CLIENT_ID = 'verigate-sandbox-client';
export const DIDIT_SANDBOX_CLIENT_SECRET = 'verigate-sandbox-client-secret';
export const DIDIT_SANDBOX_API_KEY = 'verigate-sandbox-didit-api-key';
/** The token endpoint's path (Didit: `https://apx.didit.me/auth/v2/token/`). */
export const DIDIT_TOKEN_PATH = '/auth/v2/token/';

/** Didit documents 86400 s (24 h) for client tokens. */
const TOKEN_LIFETIME_SECONDS = 86_400;
/** Didit's documented budget for decision GETs, per credential and 60 s window. */
const DECISION_RATE_LIMIT = 100;
/** Django's `<uuid:...>` path converter: lowercase only; anything else never reaches a view. */
const ROUTABLE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DECISION_PATH = /^\/(v1|v3)\/session\/([^/]+)\/decision\/$/;
const HTML_404 =
  '<!doctype html>\n<html lang="en"><head><title>Not Found</title></head><body><h1>Not Found</h1><p>The requested resource was not found on this server.</p></body></html>\n';

export interface DiditSimulatorOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  apiKey?: string;
  /** `expires_in` of issued tokens, in seconds. Default 86400. */
  tokenLifetimeSeconds?: number;
  /** Signs the timed scenarios' webhooks; null: none are sent. */
  webhook?: DiditWebhookConfig | null;
  /** Time between two steps of a timed scenario, ms (default 3 500). */
  timelineStepMs?: TimelinePace;
}

export interface DiditSimulator extends Simulator {
  /** Revokes every token issued so far, as Didit may before their stated expiry. */
  expireTokens(): void;
}

/**
 * Didit on loopback, both generations on one server (the path and credential choose):
 * - `POST /auth/v2/token/`: Basic `client_id:client_secret`, form body `grant_type=client_credentials`;
 * - `GET /v1/session/{id}/decision/` with `Authorization: Bearer <token>`;
 * - `GET /v3/session/{id}/decision/` with `x-api-key`;
 * - `POST /v3/session/` with `x-api-key`: creates a session (src/providers/didit/sandbox/starts.ts), whose hosted
 *   flow is served under `/hosted/`.
 * Errors are DRF `{"detail": ...}`; ids the router cannot match get Django's HTML 404; decision answers carry
 * `X-RateLimit-*`, and a 429 `Retry-After`.
 */
export async function startDiditSimulator(options: DiditSimulatorOptions = {}): Promise<DiditSimulator> {
  const clientId = options.clientId ?? DIDIT_SANDBOX_CLIENT_ID;
  const clientSecret = options.clientSecret ?? DIDIT_SANDBOX_CLIENT_SECRET;
  const apiKey = options.apiKey ?? DIDIT_SANDBOX_API_KEY;
  const lifetime = options.tokenLifetimeSeconds ?? TOKEN_LIFETIME_SECONDS;
  const scenarios = new Map<string, DiditScenario>(DIDIT_SCENARIOS.map((s) => [s.id, s]));
  const timelines = new DiditTimelines(scenarios, options.webhook ?? null, options.timelineStepMs ?? 3_500);
  const starts = new DiditStarts(options.webhook ?? null, timelines.webhooks);
  const hosted = starts.hostedPage();
  /** Live tokens and when they expire (ms). */
  const tokens = new Map<string, number>();
  const windows = new Map<string, { start: number; used: number }>();

  function rateHeaders(credential: string): Record<string, number> {
    const now = Date.now();
    let window = windows.get(credential);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, used: 0 };
      windows.set(credential, window);
    }
    window.used += 1;
    return {
      'x-ratelimit-limit': DECISION_RATE_LIMIT,
      'x-ratelimit-remaining': Math.max(0, DECISION_RATE_LIMIT - window.used),
      'x-ratelimit-reset': Math.ceil((window.start + 60_000) / 1000),
    };
  }

  async function issueToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.method !== 'POST') return detail(res, 405, `Method "${req.method}" not allowed.`);
    if (!req.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      return detail(res, 415, `Unsupported media type "${req.headers['content-type'] ?? ''}" in request.`);
    }
    if (!basicMatches(req.headers.authorization, clientId, clientSecret)) {
      return detail(res, 401, 'Invalid client credentials.');
    }
    if (new URLSearchParams(body).get('grant_type') !== 'client_credentials') {
      return detail(res, 400, 'grant_type must be client_credentials.');
    }
    const token = randomBytes(24).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    tokens.set(token, Date.now() + lifetime * 1000);
    sendJson(res, 200, {
      iss: 'https://apx.didit.me',
      iat: now,
      sub: clientId,
      client_id: clientId,
      organization_id: '0f0e0d0c-0b0a-4909-8807-060504030201',
      expires_in: lifetime,
      exp: now + lifetime,
      access_token: token,
    });
  }

  function v1Authorized(header: string | undefined): boolean {
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    const expiresAt = token === undefined ? undefined : tokens.get(token);
    return expiresAt !== undefined && Date.now() < expiresAt;
  }

  const simulator = await startSimulator(async (req, res, url) => {
    if (url.pathname === DIDIT_TOKEN_PATH) return issueToken(req, res);
    // The hosted flow a person opens (no API key: the link is the credential).
    if (await serveHostedPage(req, res, url, hosted)) return;
    if (url.pathname === '/v3/session/') {
      if (req.method !== 'POST') return detail(res, 405, `Method "${req.method}" not allowed.`);
      const key = req.headers['x-api-key'];
      if (typeof key !== 'string' || !sameSecret(key, apiKey))
        return detail(res, 403, 'Authentication credentials were not provided or are invalid.');
      return starts.create(req, res);
    }
    const route = DECISION_PATH.exec(url.pathname);
    const version = route?.[1] as 'v1' | 'v3' | undefined;
    const id = route?.[2];
    if (!version || !id || !ROUTABLE_ID.test(id)) return sendRaw(res, 404, HTML_404, 'text/html; charset=utf-8');
    if (req.method !== 'GET') return detail(res, 405, `Method "${req.method}" not allowed.`);

    let credential: string;
    if (version === 'v1') {
      if (!v1Authorized(req.headers.authorization)) return detail(res, 401, 'Given token not valid or expired.');
      credential = `v1:${clientId}`;
    } else {
      const key = req.headers['x-api-key'];
      if (typeof key !== 'string' || !sameSecret(key, apiKey)) {
        return detail(res, 403, 'Authentication credentials were not provided or are invalid.');
      }
      credential = `v3:${apiKey}`;
    }
    const rate = rateHeaders(credential);
    const started = version === 'v3' ? starts.current(id) : undefined;
    if (started) return sendJson(res, 200, started, rate);
    const scenario = scenarios.get(id);
    if (!scenario) return detail(res, 404, 'Not found.', rate);
    return serve(timelines.current(scenario.id, scenario.behaviour), version, res, rate);
  }, options.port);

  return {
    ...withTimelines(simulator, timelines),
    starts: starts.sessions,
    expireTokens: () => tokens.clear(),
  };
}

async function serve(
  b: DiditStaticBehaviour,
  version: 'v1' | 'v3',
  res: ServerResponse,
  rate: Record<string, number>,
): Promise<void> {
  switch (b.kind) {
    case 'error': {
      const headers =
        b.status === 429 ? { ...rate, 'x-ratelimit-remaining': 0, ...b.headers } : { ...rate, ...b.headers };
      return detail(res, b.status, b.detail, headers);
    }
    case 'raw':
      return sendRaw(res, b.status, b.body, b.contentType, rate);
    case 'slow':
      if (await waitUnlessClosed(res, b.delayMs)) sendJson(res, 200, b[version], rate);
      return;
    case 'decision': {
      const payload = b[version];
      return payload ? sendJson(res, 200, payload, rate) : detail(res, 404, 'Not found.', rate);
    }
  }
}

function detail(res: ServerResponse, status: number, text: string, headers: Record<string, string | number> = {}) {
  sendJson(res, status, { detail: text }, headers);
}

function basicMatches(header: string | undefined, id: string, secret: string): boolean {
  if (!header?.startsWith('Basic ')) return false;
  return sameSecret(Buffer.from(header.slice(6), 'base64').toString('utf8'), `${id}:${secret}`);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** Waits `ms`, or less if the client goes away; true when the client is still there. */
function waitUnlessClosed(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}
