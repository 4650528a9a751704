import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { headerValue, matchesHex } from '../../webhooks/hmac.ts';
import type { AsyncProviderWebhook, Verification, WebhookReading } from '../../webhooks/types.ts';
import { PLAID_ID } from './client.ts';
import type { PlaidWebhookConfig } from './config.ts';
import { PlaidKeyCache } from './keys.ts';
import { plaidWebhookBody } from './payload.ts';

/**
 * Plaid's webhook verification (plaid.com/docs/api/webhooks/webhook-verification/; plaid-openapi
 * `/webhook_verification_key/get`): `Plaid-Verification` is a compact JWS signed ES256 with a key Plaid serves by its
 * `kid`; its payload carries `iat` and `request_body_sha256`, the SHA-256 hex of the raw body.
 */
export const PLAID_VERIFICATION_HEADER = 'plaid-verification';
export const PLAID_TOLERANCE_SECONDS = 300;
const MAX_JWT_LENGTH = 4_096;
/** Any printable ASCII word: a kid only ever travels inside a JSON body, and Plaid's are UUIDs. */
const KID = /^[\x21-\x7e]{1,128}$/;

/** The claims Verigate reads; read before any key is used (cheap refusals first), trusted only once verified. */
const plaidClaims = z.object({
  iat: z.number(),
  request_body_sha256: z.string().regex(/^[0-9a-fA-F]{64}$/),
});

function unverifiedClaims(token: string): z.infer<typeof plaidClaims> | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const parsed = plaidClaims.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * In order: `alg` exactly `ES256` (none, HS256 and the rest refused before any key is used or fetched), `iat` within
 * 5 minutes, the body's hash, then the key by `kid` (refused when Plaid marks it expired) and the signature. The
 * delivery id is the digest of the whole JWS (its payload binds the body's hash). The signature is part of it because
 * Plaid's payload is only `iat` and the hash: two status changes of one verification within a second sign the same
 * payload, and only their (randomised) ECDSA signatures tell them apart. It is taken in its low-S form, so a replay
 * with `s` turned into `n - s` (which verifies too) is still the same delivery.
 */
export async function verifyPlaidWebhook(
  token: string,
  rawBody: Buffer,
  keys: PlaidKeyCache,
  nowSeconds: number,
): Promise<Verification> {
  if (token.length > MAX_JWT_LENGTH || token.split('.').length !== 3)
    return { ok: false, reason: 'malformed_signature' };
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed_signature' };
  }
  if (header.alg !== 'ES256') return { ok: false, reason: 'bad_signature' };
  if (typeof header.kid !== 'string' || !KID.test(header.kid)) return { ok: false, reason: 'malformed_signature' };
  const claims = unverifiedClaims(token);
  if (!claims) return { ok: false, reason: 'malformed_signature' };
  if (Math.abs(nowSeconds - claims.iat) > PLAID_TOLERANCE_SECONDS) return { ok: false, reason: 'stale_timestamp' };
  if (!matchesHex(createHash('sha256').update(rawBody).digest(), claims.request_body_sha256))
    return { ok: false, reason: 'bad_signature' };

  const key = await keys.get(header.kid);
  if (!key || (key.expiredAt !== null && key.expiredAt <= nowSeconds)) return { ok: false, reason: 'bad_signature' };
  try {
    await compactVerify(token, key.key, { algorithms: ['ES256'] });
  } catch {
    return { ok: false, reason: 'bad_signature' };
  }
  const [h, p, sig] = token.split('.') as [string, string, string];
  const signed = createHash('sha256')
    .update(`${h}.${p}.${lowS(sig)}`)
    .digest('hex');
  return { ok: true, deliveryId: `jws=${signed}`, scheme: 'ES256' };
}

/** The order of P-256 (SEC 2): `s` and `n - s` both verify, so the id takes the smaller. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** A verified ES256 signature (`r || s`, 32 bytes each) as base64url with `s` in its low form. */
function lowS(signature: string): string {
  const bytes = Buffer.from(signature, 'base64url');
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  if (s <= P256_N / 2n) return bytes.toString('base64url');
  const low = Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex');
  return Buffer.concat([bytes.subarray(0, 32), low]).toString('base64url');
}

const CODES = new Set(['STATUS_UPDATED', 'STEP_UPDATED', 'RETRIED']);
const WORD = /^[A-Z0-9_]{1,64}$/;

export function plaidWebhook(config: PlaidWebhookConfig): AsyncProviderWebhook {
  const keys = new PlaidKeyCache(config.keyServer, () => config.keyRefetchIntervalMs);
  return {
    provider: 'PLAID',
    replayWindowSeconds: 2 * PLAID_TOLERANCE_SECONDS,
    replayKey: config.keyServer.secret,
    verify(headers: IncomingHttpHeaders, rawBody: Buffer, nowSeconds: number): Promise<Verification> {
      const token = headerValue(headers[PLAID_VERIFICATION_HEADER])?.trim();
      if (!token) return Promise.resolve({ ok: false, reason: 'missing_signature' });
      return verifyPlaidWebhook(token, rawBody, keys, nowSeconds);
    },
    read(body: unknown): WebhookReading {
      const parsed = plaidWebhookBody.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', reason: 'invalid_payload' };
      const { webhook_type: type, webhook_code: code, identity_verification_id: id } = parsed.data;
      if (!WORD.test(type) || !WORD.test(code)) return { kind: 'invalid', reason: 'unknown_event' };
      const event = `${type}.${code}`;
      // Every other product's webhooks (ITEM, TRANSACTIONS, …) and new identity verification codes: acknowledged.
      if (type !== 'IDENTITY_VERIFICATION' || !CODES.has(code)) return { kind: 'ignored', event };
      if (typeof id !== 'string' || !PLAID_ID.test(id)) return { kind: 'invalid', reason: 'invalid_payload' };
      return { kind: 'session', event, sessionId: id };
    },
  };
}
