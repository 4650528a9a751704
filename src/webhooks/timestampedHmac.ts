import { hmacSha256, matchesHex, withinTolerance } from './hmac.ts';
import type { VerifyFailure } from './types.ts';

/**
 * The Stripe-style `t=<unix seconds>,v1=<hex>` signature Verifa and Persona both send:
 * `v1 = hex HMAC-SHA256(secret, "<t>.<raw body>")`, refused when `t` is more than `toleranceSeconds` off.
 *
 * A header may carry several signature sets: Verifa lists several `v1` in one set during a secret rotation
 * (`t=…,v1=…,v1=…`); Persona sends two space-separated sets (`t=…,v1=… t=…,v1=…`,
 * docs.withpersona.com/docs/webhooks-best-practices, "Checking signatures"). The delivery passes when any set has a
 * fresh `t` and a matching `v1`.
 */
export type TimestampedVerification =
  /** `timestamp`: the signed `t` of the set that matched; `signature`: its matching `v1`, as sent. */
  { ok: true; timestamp: number; signature: string } | { ok: false; reason: VerifyFailure };

/** A new set starts at whitespace followed by `t=`, unless a comma precedes it (`t=1, v1=…` is one set). */
const SET_BOUNDARY = /(?<!,)\s+(?=t=)/;

export function verifyTimestampedHmac(
  header: string,
  rawBody: Buffer,
  secret: string,
  nowSeconds: number,
  toleranceSeconds: number,
): TimestampedVerification {
  const results = header
    .trim()
    .split(SET_BOUNDARY)
    .map((set) => verifySet(set, rawBody, secret, nowSeconds, toleranceSeconds));
  const ok = results.find((r) => r.ok);
  if (ok) return ok;
  // The most telling failure: a fresh set that did not match says more than a stale one, which says more than noise.
  for (const reason of ['bad_signature', 'stale_timestamp'] as const) {
    if (results.some((r) => !r.ok && r.reason === reason)) return { ok: false, reason };
  }
  return { ok: false, reason: 'malformed_signature' };
}

/** One set: its first `t` and every `v1`, in any order. */
function verifySet(
  set: string,
  rawBody: Buffer,
  secret: string,
  nowSeconds: number,
  toleranceSeconds: number,
): TimestampedVerification {
  const parts = set.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const v1s = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v as string);
  if (t === undefined || !/^\d{1,12}$/.test(t) || v1s.length === 0) return { ok: false, reason: 'malformed_signature' };
  if (!withinTolerance(Number(t), nowSeconds, toleranceSeconds)) return { ok: false, reason: 'stale_timestamp' };
  const expected = hmacSha256(secret, Buffer.concat([Buffer.from(`${t}.`, 'utf8'), rawBody])); // "<t>.<raw body>"
  const match = v1s.find((v1) => matchesHex(expected, v1));
  return match ? { ok: true, timestamp: Number(t), signature: match } : { ok: false, reason: 'bad_signature' };
}
