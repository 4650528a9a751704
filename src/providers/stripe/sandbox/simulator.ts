import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveHostedPage } from '../../../sandbox/hostedPage.ts';
import {
  pathSegments,
  type Simulator,
  sendJson,
  sendRaw,
  sleep,
  startSimulator,
  withTimelines,
} from '../../../sandbox/server.ts';
import { HostedLinks } from '../../../sandbox/starts.ts';
import type { TimelinePace } from '../../../sandbox/webhooks.ts';
import type { SandboxOptions } from '../../types.ts';
import { STRIPE_API_VERSION, type StripeLive, type StripeWebhookConfig } from '../config.ts';
import { expandedSession, expandParams } from './expand.ts';
import { STRIPE_SCENARIOS, type StripeObject, type StripeScenario, type StripeStaticBehaviour } from './scenarios.ts';
import {
  canceledSession,
  createdSession,
  HOSTED_REASONS,
  moved,
  paramsDigest,
  parseCreate,
  redactedSession,
} from './started.ts';
import { StripeTimelines, sessionOf } from './webhookSender.ts';

/** The key the simulator accepts: a test-mode secret key, as Stripe's sandboxes issue (`sk_test_…`). */
export const STRIPE_SANDBOX_SECRET_KEY = 'sk_test_verigateSimulatorKey';
const STRIPE_VERSION = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;
const MAX_FORM_BYTES = 16 * 1024;
const missing = {
  type: 'invalid_request_error',
  code: 'resource_missing',
  param: 'id',
  message: 'No such verification session.',
};

type Fail = (status: number, error: StripeObject, headers?: Record<string, string>) => void;

/**
 * A Stripe API on loopback, for Identity: `Authorization: Bearer` with a test-mode secret key, `Stripe-Version`
 * checked and echoed, `Request-Id` on every answer, errors as `{ error: { type, code, param, message } }`, `expand[]`
 * applied as Stripe does, form-encoded creates with `Idempotency-Key`, `…/{id}/cancel` and `…/{id}/redact` (the
 * integration's own controls, each firing its event), and the hosted page (`/hosted/<token>`, a bearer link as
 * Stripe's `url` is) that moves a created session and fires its signed `identity.verification_session.*` event.
 */
export async function startStripeSimulator(
  options: {
    port?: number;
    secretKey?: string;
    webhook?: StripeWebhookConfig | null;
    timelineStepMs?: TimelinePace;
  } = {},
): Promise<Simulator> {
  const secretKey = options.secretKey ?? STRIPE_SANDBOX_SECRET_KEY;
  const scenarios = new Map<string, StripeScenario>(STRIPE_SCENARIOS.map((s) => [s.id, s]));
  const timelines = new StripeTimelines(scenarios, options.webhook ?? null, options.timelineStepMs ?? 3_500);
  /** Sessions created through the API, by id. */
  const created = new Map<string, StripeObject>();
  /** Their hosted pages' links: a token each, as Stripe's `url` is, never the session id. */
  const links = new HostedLinks();
  /** Idempotency-Key → the create's parameters digest and its answer (Stripe keeps keys 24 h). */
  const idempotent = new Map<string, { digest: string; session: StripeObject }>();
  let origin = '';
  /** A scenario's session as it stands now, to act on (cancel, redact): from then on it answers instead of the scenario. */
  const sessionOfScenario = (id: string): StripeObject | null => {
    const scenario = scenarios.get(id);
    return scenario ? sessionOf(timelines.current(id, scenario.behaviour)) : null;
  };

  /** `POST /v1/identity/verification_sessions`: the same Idempotency-Key answers its first session again. */
  const create = async (req: IncomingMessage, res: ServerResponse, headers: Record<string, string>, fail: Fail) => {
    if (req.method !== 'POST') return fail(405, { type: 'invalid_request_error', message: 'Method not allowed.' });
    const form = await readForm(req);
    if (!form) return fail(400, { type: 'invalid_request_error', message: 'Invalid request body.' });
    const key = req.headers['idempotency-key'];
    const digest = paramsDigest(form);
    const earlier = typeof key === 'string' ? idempotent.get(key) : undefined;
    if (earlier && earlier.digest !== digest)
      return fail(400, {
        type: 'idempotency_error',
        message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.',
      });
    if (earlier) return sendJson(res, 200, earlier.session, { ...headers, 'idempotent-replayed': 'true' });
    const parsed = parseCreate(form);
    if (!parsed.ok) return fail(400, parsed.error);
    const session = createdSession(parsed.params, (id) => `${origin}/hosted/${links.link(id)}`);
    created.set(String(session.id), session);
    const answer = expandedSession(session, expandParams(form));
    if (typeof key === 'string') idempotent.set(key, { digest, session: answer });
    timelines.send('identity.verification_session.created', session);
    return sendJson(res, 200, answer, headers);
  };

  const simulator = await startSimulator(async (req, res, url) => {
    const hosted = await serveHostedPage(req, res, url, {
      label: 'Stripe Identity',
      prefix: '/hosted',
      declineReasons: HOSTED_REASONS,
      state: (token) => {
        const s = created.get(links.byLink(token) ?? '');
        return s ? String(s.status) : null;
      },
      move: (token, action) => {
        const id = links.byLink(token) ?? '';
        const current = created.get(id);
        if (!current) return;
        const next = moved(current, action);
        created.set(id, next.session);
        timelines.send(next.event, next.session);
      },
    });
    if (hosted) return;

    const version = req.headers['stripe-version'];
    const headers: Record<string, string> = {
      'request-id': `req_${randomBytes(10).toString('hex')}`,
      'stripe-version': typeof version === 'string' ? version : STRIPE_API_VERSION,
    };
    const fail: Fail = (status, error, extra = {}) => sendJson(res, status, { error }, { ...headers, ...extra });
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${secretKey}`)
      return fail(401, {
        type: 'invalid_request_error',
        message: auth ? 'Invalid API Key provided.' : 'You did not provide an API key.',
      });
    if (typeof version === 'string' && !STRIPE_VERSION.test(version))
      return fail(400, { type: 'invalid_request_error', message: 'Invalid Stripe API version.' });

    const segments = pathSegments(url.pathname);
    const [v1, identity, sessions, id, action, ...rest] = segments ?? [];
    if (
      v1 !== 'v1' ||
      identity !== 'identity' ||
      sessions !== 'verification_sessions' ||
      rest.length > 0 ||
      (action !== undefined && action !== 'cancel' && action !== 'redact')
    )
      return fail(404, { type: 'invalid_request_error', message: 'Unrecognized request URL.' });

    if (id === undefined) return create(req, res, headers, fail);

    const expand = expandParams(url.searchParams);
    if (action !== undefined) {
      if (req.method !== 'POST') return fail(405, { type: 'invalid_request_error', message: 'Method not allowed.' });
      const current = created.get(id) ?? sessionOfScenario(id);
      if (!current) return fail(404, missing);
      const next = action === 'cancel' ? canceledSession(current) : redactedSession(current);
      if ('error' in next) return fail(400, next.error);
      created.set(id, next.session);
      timelines.send(next.event, next.session);
      return sendJson(res, 200, expandedSession(next.session, expand), headers);
    }
    if (req.method !== 'GET') return fail(405, { type: 'invalid_request_error', message: 'Method not allowed.' });
    const stored = created.get(id);
    if (stored) return sendJson(res, 200, expandedSession(stored, expand), headers);
    const scenario = scenarios.get(id);
    if (!scenario) return fail(404, missing);
    return serve(timelines.current(scenario.id, scenario.behaviour), expand, res, headers, fail);
  }, options.port);
  origin = simulator.url;
  return { ...withTimelines(simulator, timelines), starts: { created: () => created.size } };
}

/** The module's `startSandbox`: the simulator, and the live settings that reach it. */
export async function startStripeSandbox(
  options: SandboxOptions<StripeWebhookConfig>,
): Promise<{ live: StripeLive; simulator: Simulator }> {
  const simulator = await startStripeSimulator({ webhook: options.webhook, timelineStepMs: options.timelineStepMs });
  return { simulator, live: { baseUrl: simulator.url, secretKey: STRIPE_SANDBOX_SECRET_KEY } };
}

async function serve(
  b: StripeStaticBehaviour,
  expand: readonly string[],
  res: ServerResponse,
  headers: Record<string, string>,
  fail: Fail,
): Promise<void> {
  switch (b.kind) {
    case 'error':
      return fail(b.status, b.error, b.headers);
    case 'raw':
      return sendRaw(res, b.status, b.body, b.contentType, headers);
    case 'slow':
      await sleep(b.delayMs);
      if (!res.destroyed) sendJson(res, 200, expandedSession(b.session, expand), headers);
      return;
    case 'session':
      return sendJson(res, 200, expandedSession(b.session, expand), headers);
  }
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
