import { createHash, createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { headerValue, matchesHex } from '../../webhooks/hmac.ts';
import type { ProviderWebhook, Verification, WebhookReading } from '../../webhooks/types.ts';
import type { SumsubWebhookConfig } from './config.ts';

/**
 * Sumsub's webhooks (docs.sumsub.com/docs/webhook-manager "Verify webhook sender"; SUMSUB/agent-skills
 * `skills/sumsub-integrate-websdk/examples/webhook-verify.js` and `skills/sumsub-manage-webhooks/references/
 * webhook-schema.md`): `X-Payload-Digest` is the hex HMAC of the raw body under the webhook's secret key, with the
 * algorithm named by `X-Payload-Digest-Alg`. SHA-1 is the legacy default, so a delivery without the header is SHA-1.
 */
export const SUMSUB_DIGEST_HEADER = 'x-payload-digest';
export const SUMSUB_DIGEST_ALG_HEADER = 'x-payload-digest-alg';
const ALGORITHMS: Record<string, string> = {
  HMAC_SHA1_HEX: 'sha1',
  HMAC_SHA256_HEX: 'sha256',
  HMAC_SHA512_HEX: 'sha512',
};
const LEGACY_DEFAULT_ALG = 'HMAC_SHA1_HEX';

/**
 * Nothing time-bound is signed, so replays are bounded only by the delivery log: remember a delivery for two days,
 * past Sumsub's last retry (5 min, 1 h, 5 h and 18 h after the first attempt, docs.sumsub.com/docs/webhooks).
 */
const REPLAY_WINDOW_SECONDS = 2 * 24 * 3600;

/** `digest = HMAC-<alg>(secret, raw body)`, hex; the delivery's identity is the SHA-256 of the body it signed. */
export function verifySumsubDigest(
  digest: string,
  algHeader: string | undefined,
  rawBody: Buffer,
  secret: string,
): Verification {
  const alg = algHeader?.trim() || LEGACY_DEFAULT_ALG;
  const hash = ALGORITHMS[alg];
  if (!hash) return { ok: false, reason: 'malformed_signature' };
  const expected = createHmac(hash, secret).update(rawBody).digest(); // the raw body, nothing else
  if (!matchesHex(expected, digest.trim())) return { ok: false, reason: 'bad_signature' };
  // Keyed on what was signed, not on the digest's text: a replay with re-cased hex is the same delivery.
  return { ok: true, deliveryId: `sha256=${createHash('sha256').update(rawBody).digest('hex')}`, scheme: alg };
}

/** Only the event type and the applicant id are read; the body is a hint, never session data. */
const sumsubWebhookBody = z.object({ type: z.string().min(1).max(128), applicantId: z.unknown().optional() });
const applicantId = z.string().regex(/^[0-9a-z]{24}$/);

export function sumsubWebhook(config: SumsubWebhookConfig): ProviderWebhook {
  return {
    provider: 'SUMSUB',
    replayWindowSeconds: REPLAY_WINDOW_SECONDS,
    replayKey: config.secret,
    verify(headers: IncomingHttpHeaders, rawBody: Buffer): Verification {
      const digest = headerValue(headers[SUMSUB_DIGEST_HEADER]);
      if (digest === undefined || digest.trim() === '') return { ok: false, reason: 'missing_signature' };
      const alg = headers[SUMSUB_DIGEST_ALG_HEADER];
      if (Array.isArray(alg)) return { ok: false, reason: 'malformed_signature' };
      return verifySumsubDigest(digest, alg, rawBody, config.secret);
    },
    read(body: unknown): WebhookReading {
      const parsed = sumsubWebhookBody.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', reason: 'invalid_payload' };
      const { type } = parsed.data;
      // applicantReviewed, applicantPending, applicantOnHold, applicantReset, applicantWorkflowCompleted…: each says
      // the applicant may have changed. Transaction, case and other events are acknowledged and ignored.
      if (!/^applicant[A-Z]/.test(type)) return { kind: 'ignored', event: type };
      const id = applicantId.safeParse(parsed.data.applicantId);
      return id.success
        ? { kind: 'session', event: type, sessionId: id.data }
        : { kind: 'invalid', reason: 'invalid_payload' };
    },
  };
}
