import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  pathSegments,
  type Simulator,
  sendJson,
  sendRaw,
  startSimulator,
  withTimelines,
} from '../../../sandbox/server.ts';
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

  const simulator = await startSimulator(async (req, res) => {
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

    const route = routeOf(req);
    if (!route) return fail(404, 'Not found');
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
  return withTimelines(simulator, timelines);
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
