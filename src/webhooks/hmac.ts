import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The pieces every vendor's signature check is built from. */

/** HMAC-SHA256 of `data` under `secret`, as raw bytes. */
export function hmacSha256(secret: string, data: string | Buffer): Buffer {
  return createHmac('sha256', secret).update(data).digest();
}

/** True when `givenHex` is the hex of `expected`; constant time in the bytes compared (a length mismatch is false). */
export function matchesHex(expected: Buffer, givenHex: string): boolean {
  if (!/^[0-9a-fA-F]+$/.test(givenHex) || givenHex.length !== expected.length * 2) return false;
  return timingSafeEqual(expected, Buffer.from(givenHex, 'hex'));
}

/** Constant-time equality of two strings of any length (their SHA-256 digests are compared). */
export function sameText(a: string, b: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** A header's single value; a repeated header counts as absent (a vendor sends each once). */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** True when a unix-seconds timestamp is within `toleranceSeconds` of `nowSeconds`. */
export function withinTolerance(timestamp: number, nowSeconds: number, toleranceSeconds: number): boolean {
  return Number.isSafeInteger(timestamp) && Math.abs(nowSeconds - timestamp) <= toleranceSeconds;
}

/**
 * A delivery's id for the replay log: the SHA-256 of what its signature covers, and the timestamp it covers as a
 * number (so `0170…` and `170…` are one). Leave `signedTimestamp` out where the scheme does not sign one.
 */
export function deliveryDigest(signed: string | Buffer, signedTimestamp?: number): string {
  const digest = createHash('sha256').update(signed).digest('hex');
  return signedTimestamp === undefined ? digest : `${digest}@${signedTimestamp}`;
}
