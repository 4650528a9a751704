import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { deliveryDigest, headerValue, hmacSha256, matchesHex } from '../../webhooks/hmac.ts';
import { verifyTimestampedHmac } from '../../webhooks/timestampedHmac.ts';
import type { ProviderWebhook, Verification, WebhookReading } from '../../webhooks/types.ts';
import type { VerifaWebhookConfig } from './config.ts';

/**
 * Verifa's webhooks (docs.withverifa.com/api-details/webhooks, /integration-guides/webhooks-guide):
 * `X-Verifa-Signature: t=<unix seconds>,v1=<hex>`, Stripe-style, rejected more than 5 minutes off; the deprecated
 * bare-hex form only when configured. Body `{ event, data: { session_id, external_ref, status, is_sandbox,
 * created_at }, created_at }`, its keys in the endpoint's inflection (snake, camel or kebab).
 */
export const VERIFA_SIGNATURE_HEADER = 'x-verifa-signature';
export const VERIFA_TOLERANCE_SECONDS = 300;

/** Session events: each means the session may have changed at Verifa. */
export const VERIFA_SESSION_EVENTS = [
  'session.created',
  'session.started',
  'session.link_generated',
  'session.expired',
  'session.requires-review',
  'session.approved',
  'session.declined',
  'session.resubmission-required',
  'session.redacted',
  'session.retention-expired',
] as const;
/** Documented events about other things than a session: acknowledged and ignored (a 4xx would make Verifa retry). */
const OTHER_EVENTS = new Set([
  'screening.completed',
  'identity.created',
  'identity.updated',
  'identity.archived',
  'identity.restored',
  'identity.tag-added',
  'identity.tag-removed',
  'identity.flagged',
  'consortium.match_found',
]);
/** Families the docs name without listing their events ("plus case, document and QA events"). */
const OTHER_FAMILIES = /^(case|document|qa)\.[a-z_-]{1,64}$/;

/**
 * `v1 = HMAC-SHA256(endpoint secret, "<t>.<raw body>")`, hex (docs.withverifa.com/api-details/webhooks). Several
 * `v1` entries (as during a secret rotation) pass when any one matches.
 */
export function verifyVerifaSignature(
  header: string,
  rawBody: Buffer,
  secret: string,
  nowSeconds: number,
): Verification {
  const signed = verifyTimestampedHmac(header, rawBody, secret, nowSeconds, VERIFA_TOLERANCE_SECONDS);
  // The replay-log id is what was signed (the body and `t`), not the hex as sent, whose case is free.
  return signed.ok ? { ok: true, deliveryId: deliveryDigest(rawBody, signed.timestamp), scheme: 'v1' } : signed;
}

/**
 * The deprecated form, still accepted during Verifa's deprecation window: the bare hex HMAC-SHA256 of the raw body
 * (the older docs sample). It carries no timestamp, so only the replay log bounds a replay of it.
 */
export function verifyVerifaLegacySignature(header: string, rawBody: Buffer, secret: string): Verification {
  const expected = hmacSha256(secret, rawBody); // the raw body, nothing else
  return matchesHex(expected, header.trim())
    ? { ok: true, deliveryId: deliveryDigest(rawBody), scheme: 'legacy' }
    : { ok: false, reason: 'bad_signature' };
}

/** The body, in any of the three inflections: only the event name and the session id are read. */
const verifaWebhookBody = z.object({
  event: z.string().min(1).max(128),
  data: z.record(z.string(), z.unknown()).optional(),
});
const sessionId = z.string().min(1).max(128);

export function verifaWebhook(config: VerifaWebhookConfig): ProviderWebhook {
  return {
    provider: 'VERIFA',
    replayWindowSeconds: 2 * VERIFA_TOLERANCE_SECONDS,
    replayKey: config.secret,
    verify(headers: IncomingHttpHeaders, rawBody: Buffer, nowSeconds: number): Verification {
      const header = headerValue(headers[VERIFA_SIGNATURE_HEADER]);
      if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_signature' };
      const signed = header.includes('=')
        ? verifyVerifaSignature(header, rawBody, config.secret, nowSeconds)
        : config.acceptLegacySignature
          ? verifyVerifaLegacySignature(header, rawBody, config.secret)
          : { ok: false as const, reason: 'malformed_signature' as const };
      // The replay log keys on what was signed, not on `X-Verifa-Delivery-Id`: that header is not signed.
      return signed;
    },
    read(body: unknown): WebhookReading {
      const parsed = verifaWebhookBody.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', reason: 'invalid_payload' };
      const { event, data } = parsed.data;
      if ((VERIFA_SESSION_EVENTS as readonly string[]).includes(event)) {
        const id = sessionId.safeParse(data?.session_id ?? data?.sessionId ?? data?.['session-id']);
        return id.success
          ? { kind: 'session', event, sessionId: id.data }
          : { kind: 'invalid', reason: 'invalid_payload' };
      }
      if (OTHER_EVENTS.has(event) || OTHER_FAMILIES.test(event)) return { kind: 'ignored', event };
      return { kind: 'invalid', reason: 'unknown_event' };
    },
  };
}
