import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { headerValue, hmacSha256, matchesHex, sameText } from '../../webhooks/hmac.ts';
import type { ProviderWebhook, Verification, WebhookReading } from '../../webhooks/types.ts';
import type { VeratadWebhookConfig } from './config.ts';

/**
 * Veratad VX webhooks (api.veratad.com/vx/api-methods/webhook): VX "fires a webhook to your endpoint after each
 * component's execution through the journey", its body the session result (or the older
 * `{status, request_id, input, journey}` shape). Create-session says deliveries "can be protected with Basic
 * Authentication credentials or an HMAC signature header"; the header's name, algorithm and signed content are not
 * public. Verigate checks Basic credentials, and an HMAC-SHA256 of the raw body in a header whose name is
 * configured; with both configured, both must pass. No timestamp is signed: the replay log alone bounds replays.
 */
export const VERATAD_REPLAY_WINDOW_SECONDS = 600;

/** `Authorization: Basic base64(username:password)` (RFC 7617), compared in constant time. */
export function verifyVeratadBasicAuth(authorization: string | undefined, username: string, password: string): boolean {
  const given = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '')?.[1];
  if (given === undefined) return false;
  return sameText(Buffer.from(given, 'base64').toString('utf8'), `${username}:${password}`);
}

/**
 * The configured header holds the hex HMAC-SHA256 of the raw body (`sha256=` prefix allowed). An assumption until
 * Veratad publishes the scheme ("Securing the Webhook" on the page above): confirm it with Veratad.
 */
export function verifyVeratadSignature(signature: string, rawBody: Buffer, secret: string): boolean {
  const hex = signature.trim().replace(/^sha256=/i, '');
  return matchesHex(hmacSha256(secret, rawBody), hex); // the raw body bytes
}

/** Only the session's id is read; both the result shape and the older shape carry `request_id`. */
const veratadWebhookBody = z.object({ request_id: z.string().min(1).max(128) });

export function veratadWebhook(config: VeratadWebhookConfig): ProviderWebhook {
  return {
    provider: 'VERATAD',
    replayWindowSeconds: VERATAD_REPLAY_WINDOW_SECONDS,
    replayKey: config.hmac?.secret ?? config.basic?.password ?? '',
    verify(headers: IncomingHttpHeaders, rawBody: Buffer): Verification {
      let scheme = '';
      if (config.basic) {
        if (headers.authorization === undefined) return { ok: false, reason: 'missing_signature' };
        if (!verifyVeratadBasicAuth(headers.authorization, config.basic.username, config.basic.password))
          return { ok: false, reason: 'bad_signature' };
        scheme = 'basic';
      }
      if (config.hmac) {
        const signature = headerValue(headers[config.hmac.header]);
        if (signature === undefined) return { ok: false, reason: 'missing_signature' };
        if (!verifyVeratadSignature(signature, rawBody, config.hmac.secret))
          return { ok: false, reason: 'bad_signature' };
        scheme = scheme ? `${scheme}+hmac` : 'hmac';
      }
      // VX sends no delivery id: one body is one delivery (each component's webhook carries a longer journey).
      return { ok: true, deliveryId: createHash('sha256').update(rawBody).digest('hex'), scheme };
    },
    read(body: unknown): WebhookReading {
      const parsed = veratadWebhookBody.safeParse(body);
      return parsed.success
        ? { kind: 'session', event: 'result', sessionId: parsed.data.request_id }
        : { kind: 'invalid', reason: 'invalid_payload' };
    },
  };
}
