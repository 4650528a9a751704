import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HostedAction, serveHostedPage } from '../../../sandbox/hostedPage.ts';
import {
  pathSegments,
  type Simulator,
  sendJson,
  sendRaw,
  startSimulator,
  withTimelines,
} from '../../../sandbox/server.ts';
import { originOf, StartedSessions } from '../../../sandbox/starts.ts';
import type { TimelinePace } from '../../../sandbox/webhooks.ts';
import { matchesHex } from '../../../webhooks/hmac.ts';
import type { SumsubWebhookConfig } from '../config.ts';
import { signSumsubRequest } from '../signer.ts';
import {
  SUMSUB_SCENARIOS,
  type SumsubApplicantBehaviour,
  type SumsubScenario,
  type TestCompleted,
  testCompleted,
} from './scenarios.ts';
import { createdApplicant, hostedMove, SUMSUB_DECLINE_REASONS, SUMSUB_RESUBMIT_REASONS } from './started.ts';
import { SumsubTimelines } from './webhookSender.ts';

/** The credentials the simulator accepts: a sandbox-style token (Sumsub's start with `sbx:`) and its secret key. */
export const SUMSUB_SANDBOX_APP_TOKEN = 'sbx:verigate-simulator.app-token';
export const SUMSUB_SANDBOX_SECRET_KEY = 'verigate-simulator-secret-key';
/** "Your timestamp must be within 1 minute of the API server time" (docs.sumsub.com/reference/authentication). */
export const SUMSUB_TS_TOLERANCE_SECONDS = 60;
const MAX_BODY_BYTES = 64 * 1024;

export interface SumsubSimulatorOptions {
  port?: number;
  appToken?: string;
  secretKey?: string;
  /** Signs the timed scenarios' and `testCompleted`'s webhooks; null: none are sent. */
  webhook?: SumsubWebhookConfig | null;
  /** Time between two steps of a timed scenario, ms (default 3 500). */
  timelineStepMs?: TimelinePace;
  /** How far the simulator's clock is from this host's, s: a skewed server for the clock-skew tests. */
  clockOffsetSeconds?: number;
}

type Fail = (status: number, description: string, extra?: { errorCode?: number; errorName?: string }) => void;

/**
 * A Sumsub API on loopback. It checks every request as Sumsub does — the app token, a timestamp within 1 minute and
 * `X-App-Access-Sig` over `ts + METHOD + request target + body` — and refuses with Sumsub's error body, so the sandbox
 * proves the signer. Serves `GET …/one`, `GET …/requiredIdDocsStatus` and the sandbox control
 * `POST …/status/testCompleted`.
 */
export async function startSumsubSimulator(options: SumsubSimulatorOptions = {}): Promise<Simulator> {
  const credentials = {
    appToken: options.appToken ?? SUMSUB_SANDBOX_APP_TOKEN,
    secretKey: options.secretKey ?? SUMSUB_SANDBOX_SECRET_KEY,
  };
  const scenarios = new Map<string, SumsubScenario>(SUMSUB_SCENARIOS.map((s) => [s.id, s]));
  const timelines = new SumsubTimelines(scenarios, options.webhook ?? null, options.timelineStepMs ?? 3_500);
  /** Applicants whose review `testCompleted` set: they answer this from then on. */
  const reviewed = new Map<string, SumsubApplicantBehaviour>();
  const offset = options.clockOffsetSeconds ?? 0;
  /** Applicants made by the create call (`startVerification`), by id and by their `externalUserId`. */
  const created = new StartedSessions<SumsubApplicantBehaviour>();
  const byUser = new Map<string, string>();
  const hosted = {
    label: 'Sumsub',
    prefix: '/websdk/p',
    declineReasons: SUMSUB_DECLINE_REASONS,
    resubmitReasons: SUMSUB_RESUBMIT_REASONS,
    state: (token: string) => {
      const review = created.get(created.byLink(token) ?? '')?.applicant.review as
        | { reviewStatus?: string }
        | undefined;
      return review ? String(review.reviewStatus) : null;
    },
    move: (token: string, action: HostedAction) => {
      const id = created.byLink(token) ?? '';
      const current = created.get(id);
      const applicant = current ? hostedMove(current.applicant, action) : null;
      if (!current || !applicant) return;
      created.set(id, { ...current, applicant });
      timelines.send('applicantReviewed', applicant);
    },
  };

  const simulator = await startSimulator(async (req, res, url) => {
    // The WebSDK permalink is opened by the applicant's browser: no app token there.
    if (await serveHostedPage(req, res, url, hosted)) return;
    const fail: Fail = (status, description, extra = {}) =>
      sendJson(res, status, {
        description,
        code: status,
        correlationId: randomBytes(16).toString('hex'),
        ...(extra.errorCode !== undefined ? { errorCode: extra.errorCode, errorName: extra.errorName } : {}),
      });
    const body = await readBody(req);
    if (body === null) return fail(413, 'Request body too large');
    const refusal = authRefusal(req, body, credentials, Math.floor(Date.now() / 1000) + offset);
    if (refusal) return fail(401, refusal.description, refusal);

    const start = startRoute(req);
    if (start) {
      const linkFor = (id: string) => `${originOf(req)}${hosted.prefix}/${created.link(id)}`;
      const answer = startCall(start, body, { created, byUser, linkFor });
      return answer.status === 200 ? sendJson(res, 200, answer.body) : fail(answer.status, String(answer.body));
    }
    const route = routeOf(req);
    if (!route) return fail(404, 'Not found');
    const made = created.get(route.id);
    if (made && route.action === 'one') return sendJson(res, 200, made.applicant);
    if (made) return fail(404, 'Required id docs status not found');
    const scenario = scenarios.get(route.id);
    if (!scenario) return fail(404, 'Applicant not found');
    if (route.action === 'testCompleted') {
      return completeTest(route.id, scenario, body, { reviewed, timelines, res, fail });
    }
    const behaviour = reviewed.get(route.id) ?? timelines.current(scenario.id, scenario.behaviour);
    switch (behaviour.kind) {
      case 'error':
        if (behaviour.headers) for (const [k, v] of Object.entries(behaviour.headers)) res.setHeader(k, v);
        return fail(behaviour.status, behaviour.description);
      case 'raw':
        return sendRaw(res, behaviour.status, behaviour.body, behaviour.contentType);
      case 'applicant':
        if (route.action === 'one') return sendJson(res, 200, behaviour.applicant);
        if (!behaviour.steps) return fail(404, 'Required id docs status not found');
        return sendJson(res, 200, behaviour.steps);
    }
  }, options.port);
  return { ...withTimelines(simulator, timelines), starts: created };
}

/**
 * Why Sumsub would refuse this request, or null. Descriptions and codes as Sumsub answers a bad signature
 * (docs.sumsub.com/reference/generate-access-token-body: 4003 `app-token-signature mismatch`); the others are the
 * simulator's wording.
 */
function authRefusal(
  req: IncomingMessage,
  body: Buffer,
  credentials: { appToken: string; secretKey: string },
  nowSeconds: number,
): { description: string; errorCode: number; errorName: string } | null {
  const token = req.headers['x-app-token'];
  const ts = req.headers['x-app-access-ts'];
  const sig = req.headers['x-app-access-sig'];
  if (typeof token !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') {
    return {
      description: 'App token or signature headers are missing',
      errorCode: 4000,
      errorName: 'app-token-missing',
    };
  }
  if (token !== credentials.appToken) {
    return { description: 'App token is not valid', errorCode: 4001, errorName: 'app-token-invalid' };
  }
  if (!/^\d{1,12}$/.test(ts) || Math.abs(nowSeconds - Number(ts)) > SUMSUB_TS_TOLERANCE_SECONDS) {
    return {
      description: 'Request timestamp is too far from the server time',
      errorCode: 4002,
      errorName: 'app-token-ts-invalid',
    };
  }
  // The request target exactly as received: path and query string, as the client had to sign it.
  const expected = signSumsubRequest(credentials.secretKey, {
    ts,
    method: req.method ?? '',
    pathWithQuery: req.url ?? '',
    body,
  });
  // Sumsub asks for lower-case hex: an upper-cased signature is refused like a wrong one.
  if (sig !== sig.toLowerCase() || !matchesHex(Buffer.from(expected, 'hex'), sig)) {
    return { description: 'Request signature mismatch', errorCode: 4003, errorName: 'app-token-signature mismatch' };
  }
  return null;
}

type StartRoute =
  | { kind: 'create'; level: string | null }
  | { kind: 'byUser'; externalUserId: string }
  | { kind: 'websdkLink' }
  | { kind: 'accessToken' };

/** The calls `startVerification` makes: create an applicant, find one by user, mint a WebSDK link or an SDK token. */
function startRoute(req: IncomingMessage): StartRoute | null {
  const url = new URL(req.url ?? '/', 'http://simulator.local');
  const path = url.pathname;
  if (req.method === 'POST' && path === '/resources/applicants')
    return { kind: 'create', level: url.searchParams.get('levelName') };
  const byUser = /^\/resources\/applicants\/-;externalUserId=([^/]+)\/one$/.exec(path);
  if (req.method === 'GET' && byUser)
    return { kind: 'byUser', externalUserId: decodeURIComponent(byUser[1] as string) };
  if (req.method === 'POST' && path === '/resources/sdkIntegrations/levels/-/websdkLink') return { kind: 'websdkLink' };
  if (req.method === 'POST' && path === '/resources/accessTokens/sdk') return { kind: 'accessToken' };
  return null;
}

function startCall(
  route: StartRoute,
  body: Buffer,
  ctx: {
    created: StartedSessions<SumsubApplicantBehaviour>;
    byUser: Map<string, string>;
    linkFor: (applicantId: string) => string;
  },
): { status: number; body: unknown } {
  let json: Record<string, unknown> | null = null;
  try {
    json = body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : null;
  } catch {
    return { status: 400, body: 'Request body is not JSON' };
  }
  if (route.kind === 'byUser') {
    const id = ctx.byUser.get(route.externalUserId);
    const made = id ? ctx.created.get(id) : undefined;
    return made ? { status: 200, body: made.applicant } : { status: 404, body: 'Applicant not found' };
  }
  if (route.kind === 'create') {
    const userId = typeof json?.externalUserId === 'string' ? json.externalUserId : null;
    if (userId && ctx.byUser.has(userId))
      return { status: 409, body: `Applicant with external user id '${userId}' already exists` };
    const applicant = createdApplicant(route.level, json, new Date());
    if (!applicant) return { status: 400, body: 'Invalid applicant: externalUserId and levelName are required' };
    ctx.created.add(String(applicant.id), { kind: 'applicant', applicant });
    ctx.byUser.set(String(applicant.externalUserId), String(applicant.id));
    return { status: 200, body: applicant };
  }
  const userId = typeof json?.userId === 'string' ? json.userId : '';
  const id = ctx.byUser.get(userId);
  if (!id || typeof json?.levelName !== 'string')
    return { status: 404, body: 'Applicant not found for this user and level' };
  if (route.kind === 'websdkLink') return { status: 200, body: { url: ctx.linkFor(id) } };
  return { status: 200, body: { token: `_act-sbx-jwt-${randomBytes(24).toString('base64url')}`, userId } };
}

type Route = { id: string; action: 'one' | 'requiredIdDocsStatus' | 'testCompleted' };

function routeOf(req: IncomingMessage): Route | null {
  const url = new URL(req.url ?? '/', 'http://simulator.local');
  const s = pathSegments(url.pathname);
  const id = s?.[2];
  if (s?.[0] !== 'resources' || s[1] !== 'applicants' || id === undefined) return null;
  const action = `${req.method} ${s.slice(3).join('/')}`;
  if (action === 'GET one') return { id, action: 'one' };
  if (action === 'GET requiredIdDocsStatus') return { id, action: 'requiredIdDocsStatus' };
  if (action === 'POST status/testCompleted') return { id, action: 'testCompleted' };
  return null;
}

/** `testCompleted` (docs.sumsub.com/reference/simulate-review-response-in-sandbox): sets the verdict, sends the webhook. */
function completeTest(
  id: string,
  scenario: SumsubScenario,
  body: Buffer,
  ctx: {
    reviewed: Map<string, SumsubApplicantBehaviour>;
    timelines: SumsubTimelines;
    res: ServerResponse;
    fail: Fail;
  },
): void {
  const verdict = readVerdict(body);
  if (!verdict) {
    ctx.fail(400, 'reviewAnswer must be GREEN or RED; a RED answer needs reviewRejectType RETRY or FINAL');
    return;
  }
  const current = ctx.reviewed.get(id) ?? ctx.timelines.current(scenario.id, scenario.behaviour);
  if (current.kind !== 'applicant') {
    ctx.fail(400, 'This applicant cannot be reviewed');
    return;
  }
  const applicant = testCompleted(current.applicant, verdict);
  ctx.reviewed.set(id, { ...current, applicant });
  ctx.timelines.send('applicantReviewed', applicant);
  sendJson(ctx.res, 200, { ok: 1 });
}

function readVerdict(body: Buffer): TestCompleted | null {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object') return null;
  const labels = Array.isArray(v.rejectLabels) ? v.rejectLabels.filter((l) => typeof l === 'string') : [];
  const comment = (c: unknown) => (typeof c === 'string' ? c : undefined);
  if (v.reviewAnswer === 'GREEN') return { reviewAnswer: 'GREEN', rejectLabels: labels };
  if (v.reviewAnswer !== 'RED' || (v.reviewRejectType !== 'RETRY' && v.reviewRejectType !== 'FINAL')) return null;
  return {
    reviewAnswer: 'RED',
    rejectLabels: labels,
    reviewRejectType: v.reviewRejectType,
    moderationComment: comment(v.moderationComment),
    clientComment: comment(v.clientComment),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
