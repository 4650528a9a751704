import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { headerValue, hmacSha256, matchesHex, withinTolerance } from '../../webhooks/hmac.ts';
import type { ProviderWebhook, Verification, WebhookReading } from '../../webhooks/types.ts';
import type { DiditSignatureScheme, DiditWebhookConfig } from './config.ts';

/**
 * Didit's webhooks (docs.didit.me/integration/webhooks): `X-Timestamp` (unix seconds, rejected more than 300 s
 * off) and up to three HMAC-SHA256 signatures under the webhook secret (`secret_shared_key`), hex:
 * - `X-Signature`: the raw body. Exact, but breaks behind anything that re-serialises JSON. Preferred here.
 * - `X-Signature-V2` (the one Didit recommends): a canonical JSON form of the body. The docs do not spell out
 *   every byte, so each reading seen is accepted (see `verifyDiditSignatureV2`).
 * - `X-Signature-Simple`: `"<timestamp>:<session_id>:<status>:<webhook_type>"` (Didit's skill code,
 *   didit-protocol/skills tests/test_all_skills.py); it does not cover the rest of the body, which Verigate does
 *   not trust anyway (a webhook is a hint).
 * A delivery passes when any configured scheme verifies; the raw-body one is tried first, so the body is parsed
 * for verification only when a delivery carries no raw-body signature that matches.
 */
export const DIDIT_TOLERANCE_SECONDS = 300;
export const DIDIT_HEADERS = {
  timestamp: 'x-timestamp',
  raw: 'x-signature',
  v2: 'x-signature-v2',
  simple: 'x-signature-simple',
} as const;

/** Session events (`webhook_type`): the session's status or data changed. */
export const DIDIT_SESSION_EVENTS = ['status.updated', 'data.updated'] as const;
/** Documented events about users, businesses, activity and transactions: acknowledged and ignored. */
const OTHER_EVENTS = new Set([
  'user.status.updated',
  'user.data.updated',
  'business.status.updated',
  'business.data.updated',
  'activity.created',
  'transaction.created',
  'transaction.status.updated',
]);

/** `X-Signature`: HMAC-SHA256 of the raw body, exactly as received (docs.didit.me/integration/webhooks). */
export function verifyDiditSignature(signature: string, rawBody: Buffer, secret: string): boolean {
  return matchesHex(hmacSha256(secret, rawBody), signature); // the raw body bytes
}

/**
 * `X-Signature-V2`: HMAC-SHA256 of the body re-serialised canonically: keys sorted at every level, separators
 * `,` and `:` without spaces, whole-number floats written as integers (JSON.parse and JSON.stringify already do
 * this). Readings differ on two points, so all four are accepted: Didit's docs table calls it "ASCII-escaped",
 * Didit's skill code uses `ensure_ascii=False`; the skill code signs `"<timestamp>:<canonical>"`, the docs the
 * canonical body alone. Any of them still needs the secret. Known gap: Python writes some floats differently from
 * JavaScript (1e-07 vs 1e-7), so such a body verifies only by `X-Signature`.
 */
export function verifyDiditSignatureV2(signature: string, body: unknown, timestamp: string, secret: string): boolean {
  const unicode = canonicalJson(body);
  const ascii = escapeNonAscii(unicode);
  const candidates = [unicode, ascii, `${timestamp}:${unicode}`, `${timestamp}:${ascii}`];
  // Every candidate is computed and compared, so timing says nothing about which reading matched.
  return candidates.map((message) => matchesHex(hmacSha256(secret, message), signature)).some(Boolean);
}

/** `X-Signature-Simple`: `"<timestamp>:<session_id>:<status>:<webhook_type>"` (didit-protocol/skills). */
export function verifyDiditSignatureSimple(
  signature: string,
  body: unknown,
  timestamp: string,
  secret: string,
): boolean {
  const b = (body ?? {}) as Record<string, unknown>;
  const field = (v: unknown) => (typeof v === 'string' ? v : '');
  const message = `${timestamp}:${field(b.session_id)}:${field(b.status)}:${field(b.webhook_type)}`;
  return matchesHex(hmacSha256(secret, message), signature);
}

/** JSON with keys sorted at every level and no whitespace (Python's `sort_keys=True, separators=(",", ":")`). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Python's `ensure_ascii=True`: every character past U+007F as `\uXXXX` (lowercase hex, surrogate pairs). */
function escapeNonAscii(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const diditWebhookBody = z.object({
  webhook_type: z.string().min(1).max(128),
  session_id: z.string().min(1).max(128).optional(),
  status: z.string().max(128).optional(),
  timestamp: z.number().optional(),
});

export function diditWebhook(config: DiditWebhookConfig): ProviderWebhook {
  const on = (scheme: DiditSignatureScheme) => config.schemes.includes(scheme);
  return {
    provider: 'DIDIT',
    replayWindowSeconds: 2 * DIDIT_TOLERANCE_SECONDS,
    replayKey: config.secret,
    verify(headers: IncomingHttpHeaders, rawBody: Buffer, nowSeconds: number): Verification {
      const timestamp = headerValue(headers[DIDIT_HEADERS.timestamp]);
      const given = {
        raw: on('raw') ? headerValue(headers[DIDIT_HEADERS.raw]) : undefined,
        v2: on('v2') ? headerValue(headers[DIDIT_HEADERS.v2]) : undefined,
        simple: on('simple') ? headerValue(headers[DIDIT_HEADERS.simple]) : undefined,
      };
      if (timestamp === undefined || (!given.raw && !given.v2 && !given.simple))
        return { ok: false, reason: 'missing_signature' };
      if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed_signature' };
      if (!withinTolerance(Number(timestamp), nowSeconds, DIDIT_TOLERANCE_SECONDS))
        return { ok: false, reason: 'stale_timestamp' };
      const ok = (scheme: DiditSignatureScheme, signature: string): Verification => ({
        ok: true,
        deliveryId: `${timestamp}:${scheme}=${signature}`,
        scheme,
      });
      if (given.raw && verifyDiditSignature(given.raw, rawBody, config.secret)) return ok('raw', given.raw);
      if (!given.v2 && !given.simple) return { ok: false, reason: 'bad_signature' };
      // The other two schemes sign parsed fields: the body is parsed here, for verification only.
      let body: unknown;
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return { ok: false, reason: 'bad_signature' };
      }
      if (given.v2 && verifyDiditSignatureV2(given.v2, body, timestamp, config.secret)) return ok('v2', given.v2);
      if (given.simple && verifyDiditSignatureSimple(given.simple, body, timestamp, config.secret))
        return ok('simple', given.simple);
      return { ok: false, reason: 'bad_signature' };
    },
    read(body: unknown, nowSeconds: number): WebhookReading {
      const parsed = diditWebhookBody.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', reason: 'invalid_payload' };
      const { webhook_type: event, session_id: sessionId, timestamp } = parsed.data;
      // The body's own timestamp is signed by X-Signature and V2 (X-Timestamp is not): a replayed old body is refused.
      if (timestamp !== undefined && !withinTolerance(timestamp, nowSeconds, DIDIT_TOLERANCE_SECONDS))
        return { kind: 'invalid', reason: 'stale_timestamp' };
      if ((DIDIT_SESSION_EVENTS as readonly string[]).includes(event)) {
        return sessionId ? { kind: 'session', event, sessionId } : { kind: 'invalid', reason: 'invalid_payload' };
      }
      return OTHER_EVENTS.has(event) ? { kind: 'ignored', event } : { kind: 'invalid', reason: 'unknown_event' };
    },
  };
}
