import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks 1.0 signatures (standardwebhooks.com, "Signature scheme"): the secret is `whsec_` + base64 of
 * the key bytes; `webhook-signature` is `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`, one per active
 * secret, separated by spaces (a receiver accepts any one: how a secret rotates without a gap).
 */

/** The key bytes of a `whsec_<base64>` secret; null when it is not one. */
export function secretKey(secret: string): Buffer | null {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!match) return null;
  const key = Buffer.from(match[1] as string, 'base64');
  return key.length >= 16 && key.length <= 64 ? key : null;
}

/** The `webhook-signature` header of one delivery attempt: a `v1,` entry per secret. */
export function signWebhook(keys: readonly Buffer[], id: string, timestamp: number, body: string): string {
  const signed = `${id}.${timestamp}.${body}`; // "msg_id.timestamp.payload", as the spec builds it
  return keys.map((key) => `v1,${createHmac('sha256', key).update(signed, 'utf8').digest('base64')}`).join(' ');
}
