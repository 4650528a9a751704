import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { headerValue } from '../../webhooks/hmac.ts';
import { verifyTimestampedHmac } from '../../webhooks/timestampedHmac.ts';
import type { ProviderWebhook, Verification, WebhookReading } from '../../webhooks/types.ts';
import type { PersonaWebhookConfig } from './config.ts';

/**
 * Persona's webhooks (docs.withpersona.com/docs/webhooks-best-practices; persona-openapi `webhooks/*.yaml`,
 * `components/parameters/persona-signature-header.yaml`, `components/schemas/event.yaml`): `Persona-Signature:
 * t=<unix seconds>,v1=<hex>`, two space-separated such sets while a secret rotates. The body is an event:
 * `{ "data": { "type": "event", "id": "evt_…", "attributes": { "name", "payload": { "data": { "type", "id" } },
 * "created-at" } } }`.
 */
export const PERSONA_SIGNATURE_HEADER = 'persona-signature';
export const PERSONA_TOLERANCE_SECONDS = 300;

/**
 * `v1 = hex HMAC-SHA256(webhook secret, "<t>.<raw body>")` (Persona's sample code). The delivery id is derived from
 * what was signed, the timestamp and the body, so a replay with its hex re-cased is still the same delivery.
 */
export function verifyPersonaSignature(
  header: string,
  rawBody: Buffer,
  secret: string,
  nowSeconds: number,
): Verification {
  const signed = verifyTimestampedHmac(header, rawBody, secret, nowSeconds, PERSONA_TOLERANCE_SECONDS);
  if (!signed.ok) return signed;
  const digest = createHash('sha256').update(`${signed.timestamp}.`).update(rawBody).digest('hex');
  return { ok: true, deliveryId: `t=${signed.timestamp};sha256=${digest}`, scheme: 'v1' };
}

/** Only the event's name and the payload's type and id are read; keys in these places are the same in every inflection. */
const personaEvent = z.object({
  data: z.object({
    attributes: z.object({
      name: z.string().min(1).max(128),
      payload: z
        .object({ data: z.object({ type: z.string().max(128).optional(), id: z.unknown() }).nullish() })
        .nullish(),
    }),
  }),
});
const EVENT_NAME = /^[a-z0-9_/-]{1,64}\.[a-z0-9_-]{1,64}$/;
const inquiryId = z.string().regex(/^inq_[A-Za-z0-9]{1,64}$/);

export function personaWebhook(config: PersonaWebhookConfig): ProviderWebhook {
  return {
    provider: 'PERSONA',
    replayWindowSeconds: 2 * PERSONA_TOLERANCE_SECONDS,
    replayKey: config.secret,
    verify(headers: IncomingHttpHeaders, rawBody: Buffer, nowSeconds: number): Verification {
      const header = headerValue(headers[PERSONA_SIGNATURE_HEADER]);
      if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_signature' };
      return verifyPersonaSignature(header, rawBody, config.secret, nowSeconds);
    },
    read(body: unknown): WebhookReading {
      const parsed = personaEvent.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', reason: 'invalid_payload' };
      const { name, payload } = parsed.data.data.attributes;
      if (!EVENT_NAME.test(name)) return { kind: 'invalid', reason: 'unknown_event' };
      // Every `inquiry.*` event (the spec lists 13; Persona adds more) is a hint for its inquiry; the rest is acknowledged.
      if (!name.startsWith('inquiry.')) return { kind: 'ignored', event: name };
      const id = inquiryId.safeParse(payload?.data?.id);
      if (!id.success || (payload?.data?.type !== undefined && payload.data.type !== 'inquiry'))
        return { kind: 'invalid', reason: 'invalid_payload' };
      return { kind: 'session', event: name, sessionId: id.data };
    },
  };
}
