import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { headerValue, hmacSha256, matchesHex } from '../../webhooks/hmac.ts';
import type { ProviderWebhook, Verification, WebhookReading } from '../../webhooks/types.ts';
import type { OnfidoWebhookConfig } from './config.ts';

/**
 * Onfido's webhooks (documentation.identity.entrust.com "Manual webhook signature verification"; the SDKs'
 * WebhookEventVerifier, onfido-node webhook-event-verifier.ts): `X-SHA2-Signature` is the hex HMAC-SHA256 of the raw
 * body under the webhook's token. Body `{ payload: { resource_type, action, object: { id, status, href, … },
 * resource?: { …, workflow_run_id } } }` (onfido-openapi-spec schemas/webhooks/webhook_event.yaml).
 */
export const ONFIDO_SIGNATURE_HEADER = 'x-sha2-signature';

/**
 * Onfido signs no timestamp, so a captured delivery verifies forever; the replay log is the only bound. A day covers
 * Onfido's retries of one delivery (each is the same body, so it is answered 200 and refreshes nothing twice);
 * past it, a replay costs one refresh from the API (a webhook is only a hint) while the log stays small.
 */
export const ONFIDO_REPLAY_WINDOW_SECONDS = 24 * 60 * 60;

/** Resource types whose events may change a workflow run: each is a hint to refresh that run. */
const RUN_RESOURCES = new Set(['workflow_run', 'workflow_task']);
/** The other documented resource types (`webhook_event_resource_type`): acknowledged, nothing to refresh. */
const OTHER_RESOURCES = new Set([
  'check',
  'report',
  'audit_log',
  'watchlist_monitor',
  'workflow_timeline_file',
  'workflow_run_evidence_folder',
]);

/** `X-SHA2-Signature = hex(HMAC-SHA256(token, raw body))`, as Onfido's SDK verifiers compute it. */
export function verifyOnfidoSignature(header: string, rawBody: Buffer, token: string): Verification {
  const expected = hmacSha256(token, rawBody); // the raw body, nothing else
  if (!matchesHex(expected, header.trim())) return { ok: false, reason: 'bad_signature' };
  // What was signed names the delivery (a re-cased signature is the same delivery): the body's digest.
  return { ok: true, deliveryId: `sha256=${createHash('sha256').update(rawBody).digest('hex')}`, scheme: 'sha2' };
}

const uuid = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
  .transform((id) => id.toLowerCase());
const runRef = z.object({ id: z.unknown(), workflow_run_id: z.unknown(), href: z.unknown() }).partial();
const onfidoWebhookBody = z.object({
  payload: z.object({
    resource_type: z.string().max(64).nullish(),
    action: z.string().min(1).max(128),
    object: runRef.nullish(),
    resource: runRef.nullish(),
  }),
});

/** The run a `workflow_run.*` / `workflow_task.*` event is about. */
function runIdOf(resourceType: string, payload: z.infer<typeof onfidoWebhookBody>['payload']): string | null {
  const { object, resource } = payload;
  const fromHref = typeof object?.href === 'string' ? /\/workflow_runs\/([^/?#]+)/.exec(object.href)?.[1] : undefined;
  // A task's own id is its task id (`profile_1eb92`); its run is `workflow_run_id` (the SDK's golden event).
  const candidates =
    resourceType === 'workflow_run'
      ? [object?.id, resource?.id, fromHref]
      : [object?.workflow_run_id, resource?.workflow_run_id, fromHref];
  for (const c of candidates) {
    const id = uuid.safeParse(c);
    if (id.success) return id.data;
  }
  return null;
}

export function onfidoWebhook(config: OnfidoWebhookConfig): ProviderWebhook {
  return {
    provider: 'ONFIDO',
    replayWindowSeconds: ONFIDO_REPLAY_WINDOW_SECONDS,
    replayKey: config.token,
    verify(headers: IncomingHttpHeaders, rawBody: Buffer): Verification {
      const header = headerValue(headers[ONFIDO_SIGNATURE_HEADER]);
      if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_signature' };
      return verifyOnfidoSignature(header, rawBody, config.token);
    },
    read(body: unknown): WebhookReading {
      const parsed = onfidoWebhookBody.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', reason: 'invalid_payload' };
      const { payload } = parsed.data;
      const event = payload.action;
      const resourceType = payload.resource_type ?? event.split('.')[0] ?? '';
      if (RUN_RESOURCES.has(resourceType)) {
        const sessionId = runIdOf(resourceType, payload);
        return sessionId ? { kind: 'session', event, sessionId } : { kind: 'invalid', reason: 'invalid_payload' };
      }
      // Checks, reports, monitors…: the classic API's resources, nothing a workflow run answer depends on.
      if (OTHER_RESOURCES.has(resourceType)) return { kind: 'ignored', event };
      return { kind: 'invalid', reason: 'unknown_event' };
    },
  };
}
