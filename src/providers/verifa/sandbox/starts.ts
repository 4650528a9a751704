import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostedAction, HostedPageOptions } from '../../../sandbox/hostedPage.ts';
import { sendJson } from '../../../sandbox/server.ts';
import { originOf, parseJsonObject, readBodyText, StartedSessions } from '../../../sandbox/starts.ts';
import type { WebhookOutbox } from '../../../sandbox/webhooks.ts';
import type { VerifaWebhookConfig } from '../config.ts';
import { result, session } from './scenarios.ts';
import { signVerifaDelivery, verifaEventBody } from './webhookSender.ts';

/**
 * Verifa's create call in the simulator, `POST /api/v1/sessions` (docs.withverifa.com/api-reference/sessions):
 * `{external_ref, workflow_id, country, redirect_url}` + `Idempotency-Key` (24 h) → the session, with `capture_url`
 * (here the simulator's hosted page) and `expires_at` (20 minutes, Verifa's capture-token default). The session is
 * then served by the GETs and moved by the hosted page, which fires Verifa's signed webhook.
 */

/** The workflows this simulated organisation has (`VERIFA_DEFAULT_FLOW` on the sandbox is the first). */
export const VERIFA_SANDBOX_WORKFLOWS = ['workflow_sandbox_kyc', 'workflow_custom_kyc'] as const;
const CAPTURE_TTL_MS = 20 * 60_000;

export interface VerifaStarted {
  session: Record<string, unknown>;
  result?: Record<string, unknown>;
}

type Fail = (status: number, code: string, detail: string) => void;

export class VerifaStarts {
  readonly sessions = new StartedSessions<VerifaStarted>();
  readonly #webhook: VerifaWebhookConfig | null;
  readonly #outbox: WebhookOutbox;

  constructor(webhook: VerifaWebhookConfig | null, outbox: WebhookOutbox) {
    this.#webhook = webhook;
    this.#outbox = outbox;
  }

  async create(req: IncomingMessage, res: ServerResponse, rate: Record<string, number>, fail: Fail): Promise<void> {
    const text = await readBodyText(req);
    const body = parseJsonObject(text);
    if (!body || text === null) return fail(400, 'invalid_request', 'The body must be a JSON object.');
    const key = headerOf(req, 'idempotency-key');
    const replayed = this.sessions.replay(key, text);
    if (replayed === 'mismatch')
      return fail(422, 'idempotency_mismatch', 'This Idempotency-Key was used with another request body.');
    if (replayed) return sendJson(res, 201, this.#answer(replayed.id), rate);
    const problem = invalidField(body);
    if (problem) return fail(422, 'validation_error', problem);
    const id = `ses_${randomBytes(8).toString('hex')}`;
    const now = new Date();
    this.sessions.add(id, {
      session: session(id, 'pending', {
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        external_ref: body.external_ref,
        metadata: {},
        country: body.country ?? null,
        workflow_id: body.workflow_id,
        document_type: null,
        processing_attempts: 0,
        capture_url: `${originOf(req)}/hosted/${this.sessions.link(id)}`,
        token_expires_at: new Date(now.getTime() + CAPTURE_TTL_MS).toISOString(),
        redirect_url: body.redirect_url ?? null,
        tags: [],
      }),
    });
    this.sessions.remember(key, text, id);
    return sendJson(res, 201, this.#answer(id), rate);
  }

  /** What a started session's GETs answer: the session, and its result once the hosted page finished it. */
  current(id: string): VerifaStarted | undefined {
    return this.sessions.get(id);
  }

  hostedPage(): HostedPageOptions {
    return {
      label: 'Verifa',
      prefix: '/hosted',
      declineReasons: [
        { code: 'document_unreadable', label: 'Document unreadable' },
        { code: 'document_expired', label: 'Document expired' },
        { code: 'face_mismatch', label: 'Selfie does not match the document' },
      ],
      state: (token) => {
        const started = this.sessions.get(this.sessions.byLink(token) ?? '');
        return started ? String(started.result?.status ?? started.session.status) : null;
      },
      move: (token, action) => this.#move(this.sessions.byLink(token) ?? '', action),
    };
  }

  #answer(id: string): Record<string, unknown> {
    const started = this.sessions.get(id) as VerifaStarted;
    return { ...started.session, expires_at: started.session.token_expires_at };
  }

  #move(id: string, action: HostedAction): void {
    const started = this.sessions.get(id);
    if (!started) return;
    const updated = { ...started.session, updated_at: new Date().toISOString() };
    const moved = MOVES[action.outcome](id, updated, action.reason);
    this.sessions.set(id, moved.started);
    const webhook = this.#webhook;
    if (!webhook) return;
    const behaviour = { kind: 'session' as const, ...moved.started };
    this.#outbox.send(() => signVerifaDelivery(webhook.secret, verifaEventBody(moved.event, behaviour)));
  }
}

/** Each button, as the Verifa session and result it leaves, and the webhook event Verifa sends for it. */
const MOVES: Record<
  HostedAction['outcome'],
  (id: string, s: Record<string, unknown>, reason: string | null) => { started: VerifaStarted; event: string }
> = {
  approve: (id, s) => ({
    started: { session: { ...s, status: 'completed' }, result: result(id, 'approved', { created_at: s.created_at }) },
    event: 'session.approved',
  }),
  decline: (id, s, reason) => ({
    started: {
      session: { ...s, status: 'completed' },
      result: result(id, 'rejected', {
        created_at: s.created_at,
        face_match_passed: reason !== 'face_mismatch',
        rejection_reason: 'The verification could not be completed.',
        rejection_reason_code: reason,
      }),
    },
    event: 'session.declined',
  }),
  resubmit: (_id, s) => ({
    started: { session: { ...s, status: 'capturing' } },
    event: 'session.resubmission-required',
  }),
  abandon: (_id, s) => ({ started: { session: { ...s, status: 'expired' } }, event: 'session.expired' }),
};

/** Verifa's 422 for the fields it checks, naming the field as its docs do (`<field>: <problem>`). */
function invalidField(body: Record<string, unknown>): string | null {
  if (typeof body.external_ref !== 'string' || body.external_ref === '') return 'external_ref: this field is required.';
  if (
    typeof body.workflow_id !== 'string' ||
    !(VERIFA_SANDBOX_WORKFLOWS as readonly string[]).includes(body.workflow_id)
  )
    return 'workflow_id: no workflow with this id exists in this organization.';
  if (body.country != null && (typeof body.country !== 'string' || !/^[A-Z]{2}$/.test(body.country)))
    return 'country: must be an ISO 3166-1 alpha-2 code.';
  if (body.redirect_url != null && typeof body.redirect_url !== 'string') return 'redirect_url: must be a URL.';
  return null;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
