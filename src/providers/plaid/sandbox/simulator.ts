import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type HostedAction, serveHostedPage } from '../../../sandbox/hostedPage.ts';
import { type Simulator, sendJson, sendRaw, sleep, startSimulator, withTimelines } from '../../../sandbox/server.ts';
import { HostedLinks } from '../../../sandbox/starts.ts';
import type { TimelinePace } from '../../../sandbox/webhooks.ts';
import type { SandboxOptions } from '../../types.ts';
import { generatePlaidSigner, type PlaidLive, type PlaidSigner, type PlaidWebhookConfig } from '../config.ts';
import {
  type Json,
  NOT_FOUND_ERROR,
  PLAID_SCENARIOS,
  type PlaidErrorBody,
  type PlaidScenario,
  type PlaidStaticBehaviour,
  STARTED_STEPS,
  STEP_NAMES,
  verification,
} from './scenarios.ts';
import { PlaidTimelines } from './webhookSender.ts';

/** The keys the simulator accepts when started alone (the sandbox passes its generated ones). */
export const PLAID_SANDBOX_CLIENT_ID = 'verigate-simulator-client';
export const PLAID_SANDBOX_SECRET = 'verigate-simulator-secret';
const HOSTED_PREFIX = '/verify';
const MAX_BODY_BYTES = 64 * 1024;

/** A running Plaid simulator: its signing keys, and how many verifications and keys it has served (for tests). */
export interface PlaidSimulator extends Simulator {
  /** The key it signs webhooks with (and serves at `/webhook_verification_key/get`). */
  readonly signer: PlaidSigner;
  /** Serves one more key under a new kid, `expired_at` as given (unix seconds): for tests of rotated keys. */
  addKey(expiredAt: number | null): PlaidSigner;
}

/** The outcomes the hosted page offers a decline with: the step that fails, and what its analysis says. */
const DECLINE_REASONS = [
  { code: 'documentary_verification', label: 'Document image unreadable' },
  { code: 'selfie_check', label: 'Selfie does not match the document' },
  { code: 'kyc_check', label: 'No record matches the data given' },
  { code: 'watchlist_screening', label: 'Watchlist hit' },
  { code: 'risk_check', label: 'Bot detected' },
];

/**
 * A Plaid API on loopback (plaid-openapi 2020-09-14.yml): JSON POSTs authenticated with `PLAID-CLIENT-ID` /
 * `PLAID-SECRET` headers or `client_id` / `secret` in the body, `PlaidError` bodies (bad keys are HTTP 400
 * `INVALID_API_KEYS`, as Plaid answers them), `/identity_verification/get`, `/identity_verification/create` (a shareable
 * link to the hosted page below), `/webhook_verification_key/get` serving its own ES256 keys, and webhooks signed
 * with them.
 */
export async function startPlaidSimulator(
  options: {
    port?: number;
    clientId?: string;
    secret?: string;
    /** Signs webhooks; generated when absent. */
    signer?: PlaidSigner;
    timelineStepMs?: TimelinePace;
  } = {},
): Promise<PlaidSimulator> {
  const clientId = options.clientId ?? PLAID_SANDBOX_CLIENT_ID;
  const secret = options.secret ?? PLAID_SANDBOX_SECRET;
  const signer = options.signer ?? generatePlaidSigner();
  const keys = new Map<string, { signer: PlaidSigner; createdAt: number; expiredAt: number | null }>([
    [signer.kid, { signer, createdAt: Math.floor(Date.now() / 1000), expiredAt: null }],
  ]);
  const scenarios = new Map<string, PlaidScenario>(PLAID_SCENARIOS.map((s) => [s.id, s]));
  const timelines = new PlaidTimelines(scenarios, () => signer, options.timelineStepMs ?? 3_500);
  /** Verifications created through `/identity_verification/create`, then moved by the hosted page. */
  const started = new Map<string, Json>();
  /** Their hosted pages' links: a token each (Plaid's own `shareable_url` carries a key), never the id alone. */
  const links = new HostedLinks();
  /** Verifications `/identity_verification/create` made (an idempotent repeat makes none). */
  let createdCount = 0;
  let origin = '';

  const move = (id: string, action: HostedAction) => {
    const current = started.get(id);
    if (!current) return;
    const next = moved(current, action);
    started.set(id, next);
    if (action.outcome === 'resubmit') timelines.send('RETRIED', id);
    timelines.send('STATUS_UPDATED', id);
  };

  const simulator = await startSimulator(async (req, res, url) => {
    const hosted = await serveHostedPage(req, res, url, {
      label: 'Plaid',
      prefix: HOSTED_PREFIX,
      declineReasons: DECLINE_REASONS,
      state: (token) => (started.get(links.byLink(token) ?? '')?.status as string | undefined) ?? null,
      move: (token, action) => move(links.byLink(token) ?? '', action),
    });
    if (hosted) return;
    const fail = (status: number, error: PlaidErrorBody, headers: Record<string, string> = {}) =>
      sendJson(res, status, { ...error, request_id: requestId() }, headers);
    if (req.method !== 'POST')
      return fail(404, plaidError('INVALID_REQUEST', 'NOT_FOUND', 'the requested endpoint was not found'));
    const body = await readJson(req);
    if (body === null)
      return fail(400, plaidError('INVALID_REQUEST', 'INVALID_BODY', 'body could not be parsed as JSON'));
    const givenId = header(req, 'plaid-client-id') ?? body.client_id;
    const givenSecret = header(req, 'plaid-secret') ?? body.secret;
    if (givenId !== clientId || givenSecret !== secret)
      return fail(400, plaidError('INVALID_INPUT', 'INVALID_API_KEYS', 'invalid client_id or secret provided'));

    switch (url.pathname) {
      case '/identity_verification/get': {
        const id = body.identity_verification_id;
        if (typeof id !== 'string' || id === '')
          return fail(
            400,
            plaidError(
              'INVALID_REQUEST',
              'MISSING_FIELDS',
              'the following required fields are missing: identity_verification_id',
            ),
          );
        const created = started.get(id);
        if (created) return sendJson(res, 200, { ...created, request_id: requestId() });
        const scenario = scenarios.get(id);
        if (!scenario) return fail(NOT_FOUND_ERROR.status, NOT_FOUND_ERROR.error);
        return serve(timelines.current(id, scenario.behaviour), res, fail);
      }
      case '/identity_verification/create': {
        const problem = createProblem(body);
        if (problem) return fail(400, plaidError('INVALID_REQUEST', problem.code, problem.message));
        const existing = [...started.values()].find(
          (v) =>
            body.is_idempotent === true &&
            v.client_user_id === body.client_user_id &&
            (v.template as Json).id === body.template_id &&
            v.status === 'active',
        );
        if (!existing) createdCount += 1;
        const v = existing ?? newVerification(body, (id) => `${origin}${HOSTED_PREFIX}/${links.link(id)}`);
        started.set(v.id as string, v);
        return sendJson(res, 200, { ...v, request_id: requestId() });
      }
      case '/webhook_verification_key/get': {
        const entry = typeof body.key_id === 'string' ? keys.get(body.key_id) : undefined;
        if (!entry)
          return fail(
            400,
            plaidError('INVALID_INPUT', 'INVALID_WEBHOOK_VERIFICATION_KEY_ID', 'invalid key_id provided'),
          );
        const jwk = entry.signer.publicKey.export({ format: 'jwk' });
        return sendJson(res, 200, {
          key: {
            alg: 'ES256',
            created_at: entry.createdAt,
            crv: jwk.crv,
            expired_at: entry.expiredAt,
            kid: entry.signer.kid,
            kty: jwk.kty,
            use: 'sig',
            x: jwk.x,
            y: jwk.y,
          },
          request_id: requestId(),
        });
      }
      default:
        return fail(404, plaidError('INVALID_REQUEST', 'NOT_FOUND', 'the requested endpoint was not found'));
    }
  }, options.port);
  origin = simulator.url;

  const running = withTimelines(simulator, timelines);
  return {
    ...running,
    starts: { created: () => createdCount },
    signer,
    addKey(expiredAt) {
      const added = generatePlaidSigner();
      keys.set(added.kid, { signer: added, createdAt: Math.floor(Date.now() / 1000) - 3_600, expiredAt });
      return added;
    },
  };
}

/** The module's `startSandbox`: the simulator on the sandbox's generated keys, and the live settings that reach it. */
export async function startPlaidSandbox(
  options: SandboxOptions<PlaidWebhookConfig>,
): Promise<{ live: PlaidLive; simulator: PlaidSimulator }> {
  const hook = options.webhook;
  const clientId = hook?.keyServer.clientId ?? PLAID_SANDBOX_CLIENT_ID;
  const secret = hook?.keyServer.secret ?? PLAID_SANDBOX_SECRET;
  const simulator = await startPlaidSimulator({
    clientId,
    secret,
    ...(hook?.signer ? { signer: hook.signer } : {}),
    timelineStepMs: options.timelineStepMs,
  });
  // The webhook endpoint fetches its keys from the simulator that signs (its port is known only now).
  if (hook) hook.keyServer.baseUrl = simulator.url;
  return { simulator, live: { baseUrl: simulator.url, clientId, secret, environment: 'sandbox' } };
}

const plaidError = (type: string, code: string, message: string): PlaidErrorBody => ({
  error_type: type,
  error_code: code,
  error_message: message,
  display_message: null,
});

const requestId = () => randomBytes(8).toString('base64url');

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

/** `IdentityVerificationCreateRequest`'s required fields and formats, as Plaid checks them. */
function createProblem(body: Json): { code: string; message: string } | null {
  for (const f of ['is_shareable', 'template_id', 'gave_consent'])
    if (body[f] === undefined)
      return { code: 'MISSING_FIELDS', message: `the following required fields are missing: ${f}` };
  if (typeof body.client_user_id !== 'string' || body.client_user_id === '')
    return { code: 'MISSING_FIELDS', message: 'the following required fields are missing: client_user_id' };
  if (typeof body.template_id !== 'string' || !/^idvtmp_[A-Za-z0-9]+$/.test(body.template_id))
    return { code: 'INVALID_FIELD', message: 'template_id must be a valid template id' };
  if (body.template_id === 'idvtmp_Missing') return { code: 'INVALID_FIELD', message: 'template not found' };
  const user = (body.user ?? {}) as Json;
  if (user.phone_number !== undefined && !/^\+[1-9]\d{6,14}$/.test(String(user.phone_number)))
    return { code: 'INVALID_FIELD', message: 'user.phone_number must be in E.164 format' };
  return null;
}

/** A verification as `/identity_verification/create` starts it: `active`, the terms first, a link to the hosted page. */
function newVerification(body: Json, hostedUrl: (id: string) => string): Json {
  const id = `idv_${randomBytes(9)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x')}`;
  const user = (body.user ?? {}) as Json;
  const name = (user.name ?? null) as Json | null;
  const v = verification(id, 'active', STARTED_STEPS, (x) => {
    x.client_user_id = body.client_user_id;
    x.template = { id: body.template_id, version: 1 };
    x.created_at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    x.previous_attempt_id = null;
    x.watchlist_screening_id = null;
    x.beacon_user_id = null;
    x.user_id = null;
    x.latest_scored_protect_event = null;
    x.user = {
      phone_number: user.phone_number ?? null,
      date_of_birth: user.date_of_birth ?? null,
      ip_address: null,
      email_address: user.email_address ?? null,
      name: name ? { given_name: name.given_name, family_name: name.family_name } : null,
      address: null,
      id_number: null,
    };
  });
  v.shareable_url = body.is_shareable === true ? hostedUrl(id) : null;
  return v;
}

/** A started verification after the hosted page's button: finished as a person (or Plaid) would. */
function moved(current: Json, action: HostedAction): Json {
  const id = current.id as string;
  const keep = (v: Json) => {
    for (const f of ['client_user_id', 'template', 'created_at', 'shareable_url', 'user', 'previous_attempt_id'])
      v[f] = current[f];
    return v;
  };
  switch (action.outcome) {
    case 'approve':
      return keep(verification(id, 'success'));
    case 'abandon':
      return keep(verification(id, 'canceled', Object.fromEntries(STEP_NAMES.map((s) => [s, 'canceled']))));
    case 'resubmit':
      return { ...keep(verification(id, 'active', STARTED_STEPS)), completed_at: null };
    case 'decline':
      return keep(declined(id, action.reason ?? 'documentary_verification'));
  }
}

/** `failed` with step `step` failed and its analysis saying why (the hosted page's reasons). */
function declined(id: string, step: string): Json {
  const later = ['selfie_check', 'watchlist_screening', 'risk_check'];
  const after = later.slice(later.indexOf(step) + 1);
  const steps = {
    [step]: 'failed',
    ...Object.fromEntries(
      (step === 'documentary_verification' || step === 'kyc_check' ? later : after).map((s) => [s, 'not_applicable']),
    ),
  };
  return verification(id, 'failed', steps, (v) => {
    if (step === 'documentary_verification') {
      const doc = v.documentary_verification.documents[0] as Json;
      doc.status = 'failed';
      doc.analysis = { ...(doc.analysis as Json), image_quality: 'low' };
    }
    if (step === 'selfie_check') {
      const selfie = v.selfie_check.selfies[0] as Json;
      selfie.status = 'failed';
      selfie.analysis = { document_comparison: 'no_match', liveness_check: 'success' };
    }
    if (step === 'kyc_check') v.kyc_check.name = { summary: 'no_match' };
    if (step === 'risk_check')
      v.risk_check.behavior = { user_interactions: 'risky', fraud_ring_detected: 'no', bot_detected: 'yes' };
  });
}

async function serve(
  b: PlaidStaticBehaviour,
  res: ServerResponse,
  fail: (status: number, error: PlaidErrorBody, headers?: Record<string, string>) => void,
): Promise<void> {
  switch (b.kind) {
    case 'error':
      return fail(b.status, b.error, b.headers);
    case 'raw':
      return sendRaw(res, b.status, b.body, b.contentType);
    case 'slow':
      await sleep(b.delayMs);
      if (!res.destroyed) sendJson(res, 200, { ...b.body, request_id: requestId() });
      return;
    case 'verification':
      return sendJson(res, 200, { ...b.body, request_id: requestId() });
  }
}

async function readJson(req: IncomingMessage): Promise<Json | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Json) : null;
  } catch {
    return null;
  }
}
