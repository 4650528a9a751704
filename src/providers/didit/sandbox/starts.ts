import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostedAction, HostedPageOptions } from '../../../sandbox/hostedPage.ts';
import { sendJson } from '../../../sandbox/server.ts';
import { originOf, parseJsonObject, readBodyText, StartedSessions } from '../../../sandbox/starts.ts';
import type { WebhookOutbox } from '../../../sandbox/webhooks.ts';
import type { DiditWebhookConfig } from '../config.ts';
import { fakeV3, type Payload } from './fakes.ts';
import { diditStatusBody, signDiditDelivery } from './webhookSender.ts';

/**
 * Didit v3's create call in the simulator, `POST /v3/session/` (docs.didit.me/sessions-api/create-session):
 * `{workflow_id (required), vendor_data, callback, …}` → `{session_id, session_number, session_token, url, status:
 * "Not Started", workflow_id}`, `url` being the simulator's hosted page. The session is then served by the v3
 * decision GET and moved by the page, which fires Didit's signed `status.updated` webhook.
 */

/** The workflows this simulated application has (`DIDIT_DEFAULT_FLOW` on the sandbox is the first). */
export const DIDIT_SANDBOX_WORKFLOWS = ['d1d1f000-0000-4000-8000-000000000001', 'd1d1f000-0000-4000-8000-000000000002'];

export class DiditStarts {
  readonly sessions = new StartedSessions<Payload>();
  readonly #webhook: DiditWebhookConfig | null;
  readonly #outbox: WebhookOutbox;

  constructor(webhook: DiditWebhookConfig | null, outbox: WebhookOutbox) {
    this.#webhook = webhook;
    this.#outbox = outbox;
  }

  async create(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = parseJsonObject(await readBodyText(req));
    if (!body) return sendJson(res, 400, { detail: 'JSON parse error.' });
    if (typeof body.workflow_id !== 'string' || !DIDIT_SANDBOX_WORKFLOWS.includes(body.workflow_id))
      return sendJson(res, 400, { workflow_id: ['Workflow not found or not active.'] });
    if (body.vendor_data !== undefined && typeof body.vendor_data !== 'string')
      return sendJson(res, 400, { vendor_data: ['Not a valid string.'] });
    const id = randomUUID();
    const url = `${originOf(req)}/hosted/${this.sessions.link(id)}`;
    const now = new Date().toISOString().replace('Z', '000Z');
    const payload: Payload = {
      ...fakeV3({ id, status: 'Not Started' }),
      session_url: url,
      workflow_id: body.workflow_id,
      vendor_data: body.vendor_data ?? null,
      callback: body.callback ?? null,
      expected_details: body.expected_details ?? null,
      contact_details: body.contact_details ?? null,
      reviews: [],
      created_at: now,
    };
    this.sessions.add(id, payload);
    sendJson(res, 201, {
      session_id: id,
      session_number: payload.session_number,
      session_token: randomBytes(24).toString('base64url'),
      url,
      status: 'Not Started',
      workflow_id: body.workflow_id,
    });
  }

  current(id: string): Payload | undefined {
    return this.sessions.get(id);
  }

  hostedPage(): HostedPageOptions {
    return {
      label: 'Didit',
      prefix: '/hosted',
      declineReasons: [
        { code: 'DOCUMENT_EXPIRED', label: 'Document expired' },
        { code: 'LOW_FACE_MATCH_SIMILARITY', label: 'Selfie does not match the document' },
        { code: 'LIVENESS_FACE_ATTACK', label: 'Liveness attack' },
      ],
      state: (token) => {
        const s = this.sessions.get(this.sessions.byLink(token) ?? '');
        return s ? String(s.status) : null;
      },
      move: (token, action) => this.#move(this.sessions.byLink(token) ?? '', action),
    };
  }

  #move(id: string, action: HostedAction): void {
    const before = this.sessions.get(id);
    if (!before) return;
    const status = STATUS[action.outcome];
    const checks = action.outcome === 'approve' ? { kyc: 'Approved', face: 'Approved' } : {};
    const warnings =
      action.reason !== null
        ? [
            {
              feature: action.reason === 'DOCUMENT_EXPIRED' ? ('ID_VERIFICATION' as const) : ('FACEMATCH' as const),
              risk: action.reason,
              logType: 'error' as const,
            },
          ]
        : [];
    const decline = action.reason !== null ? { kyc: 'Declined', face: 'Declined', warnings } : {};
    const moved: Payload = {
      ...fakeV3({ id, status, ...checks, ...decline }),
      ...pick(before, [
        'session_url',
        'workflow_id',
        'vendor_data',
        'callback',
        'expected_details',
        'contact_details',
        'created_at',
      ]),
      reviews: [],
    };
    this.sessions.set(id, moved);
    const webhook = this.#webhook;
    if (!webhook) return;
    this.#outbox.send(() => {
      const now = Math.floor(Date.now() / 1000);
      const payload = { ...diditStatusBody(id, status, moved, now), vendor_data: moved.vendor_data };
      return signDiditDelivery(webhook.secret, payload, now);
    });
  }
}

const STATUS: Record<HostedAction['outcome'], string> = {
  approve: 'Approved',
  decline: 'Declined',
  resubmit: 'Resubmitted',
  abandon: 'Abandoned',
};

function pick(payload: Payload, keys: readonly string[]): Payload {
  return Object.fromEntries(keys.map((k) => [k, payload[k]]));
}
