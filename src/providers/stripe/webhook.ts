import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { deliveryDigest, headerValue } from '../../webhooks/hmac.ts';
import { verifyTimestampedHmac } from '../../webhooks/timestampedHmac.ts';
import type { ProviderWebhook, Verification, WebhookReading } from '../../webhooks/types.ts';
import type { StripeWebhookConfig } from './config.ts';

/**
 * Stripe's webhooks (docs.stripe.com/webhooks#verify-manually; stripe-node `src/Webhooks.ts`):
 * `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]` — one `v1` per active secret while one is rolled — and the
 * body an `Event` `{ id: "evt_…", object: "event", type, data: { object } }`.
 */
export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
/** `Webhook.DEFAULT_TOLERANCE` in stripe-node. */
export const STRIPE_TOLERANCE_SECONDS = 300;

/**
 * `v1 = hex HMAC-SHA256(endpoint secret, "<t>.<raw body>")` (stripe-node `makeHMACContent`), any `v1` matching, in
 * constant time. The delivery id is what was signed — the timestamp and the body — never the header text.
 */
export function verifyStripeSignature(
  header: string,
  rawBody: Buffer,
  secret: string,
  nowSeconds: number,
): Verification {
  const signed = verifyTimestampedHmac(header, rawBody, secret, nowSeconds, STRIPE_TOLERANCE_SECONDS);
  if (!signed.ok) return signed;
  const content = Buffer.concat([Buffer.from(`${signed.timestamp}.`, 'utf8'), rawBody]); // "<t>.<raw body>"
  return { ok: true, deliveryId: deliveryDigest(content, signed.timestamp), scheme: 'v1' };
}

/** Only the event's type and its object's id and kind are read. */
const stripeEvent = z.object({
  type: z.string().min(1).max(128),
  data: z.object({ object: z.object({ id: z.unknown(), object: z.string().max(128).optional() }).nullish() }).nullish(),
});
const EVENT_TYPE = /^[a-z0-9_]{1,64}(\.[a-z0-9_]{1,64}){1,4}$/;
const sessionId = z.string().regex(/^vs_[A-Za-z0-9]{1,128}$/);
const SESSION_EVENTS = 'identity.verification_session.';

export function stripeWebhook(config: StripeWebhookConfig): ProviderWebhook {
  return {
    provider: 'STRIPE',
    replayWindowSeconds: 2 * STRIPE_TOLERANCE_SECONDS,
    replayKey: config.secret,
    verify(headers: IncomingHttpHeaders, rawBody: Buffer, nowSeconds: number): Verification {
      const header = headerValue(headers[STRIPE_SIGNATURE_HEADER]);
      if (header === undefined || header.trim() === '') return { ok: false, reason: 'missing_signature' };
      return verifyStripeSignature(header, rawBody, config.secret, nowSeconds);
    },
    read(body: unknown): WebhookReading {
      const parsed = stripeEvent.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', reason: 'invalid_payload' };
      const { type, data } = parsed.data;
      if (!EVENT_TYPE.test(type)) return { kind: 'invalid', reason: 'unknown_event' };
      // `identity.verification_session.{created,processing,requires_input,verified,canceled,redacted}` and any Stripe
      // adds are hints for their session; every other event an endpoint may be subscribed to is acknowledged.
      if (!type.startsWith(SESSION_EVENTS)) return { kind: 'ignored', event: type };
      const id = sessionId.safeParse(data?.object?.id);
      const kind = data?.object?.object;
      if (!id.success || (kind !== undefined && kind !== 'identity.verification_session'))
        return { kind: 'invalid', reason: 'invalid_payload' };
      return { kind: 'session', event: type, sessionId: id.data };
    },
  };
}
