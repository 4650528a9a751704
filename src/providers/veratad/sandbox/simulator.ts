import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import {
  pathSegments,
  type Simulator,
  sendJson,
  sendRaw,
  startSimulator,
  withTimelines,
} from '../../../sandbox/server.ts';
import type { TimelinePace } from '../../../sandbox/webhooks.ts';
import type { VeratadWebhookConfig } from '../config.ts';
import { VERATAD_SCENARIOS, type VeratadScenario, type VeratadStaticBehaviour } from './scenarios.ts';
import { VeratadTimelines } from './webhookSender.ts';

/** The client credentials the simulator's token endpoint accepts. */
export const VERATAD_SANDBOX_CLIENT_ID = 'verigate-sandbox-client';
export const VERATAD_SANDBOX_CLIENT_SECRET = 'verigate-sandbox-secret-0000000000000000';

/** VX tokens live one hour (api.veratad.com, "Create Session"). */
const TOKEN_LIFETIME_SECONDS = 3600;
const MAX_TOKEN_BODY_BYTES = 16 * 1024;
/** The audience VX tokens are issued for; kept apart from the client's copy so a client mistake shows. */
const AUDIENCE = 'dcams.app';

export interface VeratadSimulatorOptions {
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Signs the timed scenarios' webhooks; null: none are sent. */
  webhook?: VeratadWebhookConfig | null;
  /** Time between two steps of a timed scenario, ms (default 3 500). */
  timelineStepMs?: TimelinePace;
}

export interface VeratadSimulator extends Simulator {
  /** Makes every token issued so far invalid, so the next API call with one gets 401 (as after expiry). */
  expireTokens(): void;
  /** Requests to the token endpoint since start or the last `resetCount()`, accepted or not. */
  tokenRequestCount(): number;
  /** API requests answered 401 because of a missing, unknown or expired token. */
  unauthorizedCount(): number;
}

const tokenRequest = z.object({
  client_id: z.string(),
  client_secret: z.string(),
  audience: z.string(),
  grant_type: z.string(),
});

/**
 * Veratad VX on loopback: the Auth0-style token endpoint (`POST /oauth/token`, standing in for auth.dcams.app) and
 * the VX API (`GET /api/session/result/:request_id`, standing in for vx.dcams.app) on one port. The API only
 * accepts bearer tokens this simulator issued and has not expired.
 */
export async function startVeratadSimulator(options: VeratadSimulatorOptions = {}): Promise<VeratadSimulator> {
  const clientId = options.clientId ?? VERATAD_SANDBOX_CLIENT_ID;
  const clientSecret = options.clientSecret ?? VERATAD_SANDBOX_CLIENT_SECRET;
  const scenarios = new Map<string, VeratadScenario>(VERATAD_SCENARIOS.map((s) => [s.id, s]));
  const timelines = new VeratadTimelines(scenarios, options.webhook ?? null, options.timelineStepMs ?? 3_500);
  /** Issued token -> expiry (epoch ms). */
  const tokens = new Map<string, number>();
  let tokenRequests = 0;
  let unauthorized = 0;

  const issueToken = async (req: IncomingMessage, res: ServerResponse) => {
    tokenRequests += 1;
    if (req.method !== 'POST') return authError(res, 405, 'invalid_request', 'Method not allowed.');
    const body = tokenRequest.safeParse(await readJson(req));
    if (!body.success) return authError(res, 400, 'invalid_request', 'Missing or invalid parameters.');
    const { data } = body;
    if (data.grant_type !== 'client_credentials')
      return authError(res, 403, 'unauthorized_client', 'Grant type not allowed for the client.');
    if (data.client_id !== clientId || data.client_secret !== clientSecret)
      return authError(res, 401, 'access_denied', 'Unauthorized');
    if (data.audience !== AUDIENCE)
      return authError(res, 403, 'access_denied', `Service not enabled within domain: ${data.audience.slice(0, 64)}`);
    const token = randomBytes(32).toString('base64url');
    tokens.set(token, Date.now() + TOKEN_LIFETIME_SECONDS * 1000);
    return sendJson(res, 200, { access_token: token, expires_in: TOKEN_LIFETIME_SECONDS, token_type: 'Bearer' });
  };

  const authorised = (req: IncomingMessage) => {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    const expiresAt = match ? tokens.get(match[1] as string) : undefined;
    return expiresAt !== undefined && Date.now() < expiresAt;
  };

  const simulator = await startSimulator(async (req, res, url) => {
    if (url.pathname === '/oauth/token') return issueToken(req, res);
    const segments = pathSegments(url.pathname);
    const isResult =
      segments?.length === 4 && segments[0] === 'api' && segments[1] === 'session' && segments[2] === 'result';
    if (!isResult || !segments) return sendJson(res, 404, { message: 'NOT FOUND', detail: 'No such route.' });
    if (!authorised(req)) {
      unauthorized += 1;
      return sendJson(res, 401, { message: 'UNAUTHORIZED' });
    }
    if (req.method !== 'GET') return sendJson(res, 405, { message: 'METHOD NOT ALLOWED' });
    const scenario = scenarios.get((segments[3] as string).toLowerCase());
    if (!scenario) {
      return sendJson(res, 404, {
        message: 'NOT FOUND',
        detail: 'Session result not found, user did not start the process or your request_id is invalid.',
      });
    }
    return serve(timelines.current(scenario.id, scenario.behaviour), res);
  }, options.port);

  return {
    ...withTimelines(simulator, timelines),
    resetCount: () => {
      simulator.resetCount();
      tokenRequests = 0;
      unauthorized = 0;
    },
    expireTokens: () => tokens.clear(),
    tokenRequestCount: () => tokenRequests,
    unauthorizedCount: () => unauthorized,
  };
}

async function serve(b: VeratadStaticBehaviour, res: ServerResponse): Promise<void> {
  switch (b.kind) {
    case 'result':
      return sendJson(res, 200, b.body);
    case 'response':
      return sendJson(res, b.status, b.body, b.headers);
    case 'raw':
      return sendRaw(res, b.status, b.body, b.contentType);
    case 'slow':
      if (await waitUnlessClosed(b.delayMs, res)) sendJson(res, 200, b.body);
      return;
  }
}

function authError(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description });
}

/** Waits `ms`, or less if the client goes away (so a closed simulator leaves no timer behind). */
async function waitUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  const gone = new AbortController();
  const onClose = () => gone.abort();
  res.once('close', onClose);
  try {
    await delay(ms, undefined, { signal: gone.signal });
    return !res.destroyed;
  } catch {
    return false;
  } finally {
    res.off('close', onClose);
  }
}

/** The request body as JSON, or undefined when it is too large or not JSON. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_TOKEN_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
  } catch {
    return undefined;
  }
}
