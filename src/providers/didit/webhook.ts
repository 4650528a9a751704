import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { deliveryDigest, headerValue, hmacSha256, matchesHex, withinTolerance } from '../../webhooks/hmac.ts';
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
 * A delivery passes when any configured scheme verifies; the raw-body one is tried first.
 *
 * Its replay-log id is what was signed: the body (canonical JSON, so the raw bytes and their V2 re-serialisation
 * are one delivery, and a re-spaced V2 replay too) for X-Signature and V2, without `X-Timestamp`, which X-Signature
 * does not cover (the body carries its own signed `timestamp`); `"<timestamp>:<session_id>:<status>:<webhook_type>"`
 * for Simple alone. A delivery whose body verified also records its Simple id when that signature verifies too, so
 * the same delivery replayed under `X-Signature-Simple` alone is a duplicate as well.
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
/**
 * Documented events about users, businesses, activity, transactions and the travel rule (`user.status.updated`,
 * `business.data.updated`, `activity.created`, `transaction.status.updated`, `travel_rule.status.updated`, …), and
 * any later event of those families: acknowledged with 200 and ignored, whatever their other fields.
 */
const OTHER_FAMILIES = /^(user|business|activity|transaction|travel_rule)\.[a-z_.]{1,64}$/;

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
  const message = `${timestamp}:${simpleFields(body)}`; // "<timestamp>:<session_id>:<status>:<webhook_type>"
  return matchesHex(hmacSha256(secret, message), signature);
}

/** What `X-Signature-Simple` covers besides the timestamp: `"<session_id>:<status>:<webhook_type>"`. */
function simpleFields(body: unknown): string {
  const b = (body ?? {}) as Record<string, unknown>;
  const field = (v: unknown) => (typeof v === 'string' ? v : '');
  return `${field(b.session_id)}:${field(b.status)}:${field(b.webhook_type)}`;
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

/** Every event's envelope; other events' fields (a user event's `session_id: null`, say) are not read. */
const diditWebhookBody = z.object({
  webhook_type: z.string().min(1).max(128),
  timestamp: z.number().optional(),
});
/** A session event's id (checked as a Didit session id by the route). */
const diditSessionEvent = z.object({ session_id: z.string().min(1).max(128) });

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
      const rawOk = given.raw !== undefined && verifyDiditSignature(given.raw, rawBody, config.secret);
      if (!rawOk && !given.v2 && !given.simple) return { ok: false, reason: 'bad_signature' };
      // The other two schemes sign parsed fields, and the replay-log id is the canonical body: parsed here.
      const body = parseJson(rawBody);
      if (body === undefined)
        return rawOk
          ? { ok: true, deliveryId: deliveryDigest(rawBody), scheme: 'raw' }
          : { ok: false, reason: 'bad_signature' };
      const bodyOk =
        rawOk || (given.v2 !== undefined && verifyDiditSignatureV2(given.v2, body, timestamp, config.secret));
      const simpleOk =
        given.simple !== undefined && verifyDiditSignatureSimple(given.simple, body, timestamp, config.secret);
      const simpleId = deliveryDigest(simpleFields(body), Number(timestamp));
      if (bodyOk) {
        const deliveryId = deliveryDigest(canonicalJson(body));
        return { ok: true, deliveryId, aliases: simpleOk ? [simpleId] : [], scheme: rawOk ? 'raw' : 'v2' };
      }
      return simpleOk ? { ok: true, deliveryId: simpleId, scheme: 'simple' } : { ok: false, reason: 'bad_signature' };
    },
    read(body: unknown, nowSeconds: number): WebhookReading {
      const parsed = diditWebhookBody.safeParse(body);
      if (!parsed.success) return { kind: 'invalid', reason: 'invalid_payload' };
      const { webhook_type: event, timestamp } = parsed.data;
      // The body's own timestamp is signed by X-Signature and V2 (X-Timestamp is not): a replayed old body is refused.
      if (timestamp !== undefined && !withinTolerance(timestamp, nowSeconds, DIDIT_TOLERANCE_SECONDS))
        return { kind: 'invalid', reason: 'stale_timestamp' };
      if ((DIDIT_SESSION_EVENTS as readonly string[]).includes(event)) {
        const session = diditSessionEvent.safeParse(body);
        return session.success
          ? { kind: 'session', event, sessionId: session.data.session_id }
          : { kind: 'invalid', reason: 'invalid_payload' };
      }
      return OTHER_FAMILIES.test(event) ? { kind: 'ignored', event } : { kind: 'invalid', reason: 'unknown_event' };
    },
  };
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
