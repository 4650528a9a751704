import { upstreamError } from '../upstream/errors.ts';

/**
 * Relay cursors of the timeline, opaque to clients: base64url of `<kind>:<n>`, where `s` is a sequence within one
 * session (`Session.events`), `f` an entry's store-wide id (`Query.sessionEvents`) and `w` an outbound delivery's
 * insertion order (`Query.webhookDeliveries`). Decoded strictly: a cursor
 * of the other kind, or one Verigate did not issue, is BAD_USER_INPUT.
 */
export type CursorKind = 's' | 'f' | 'w';

export function encodeCursor(kind: CursorKind, n: number): string {
  return Buffer.from(`${kind}:${n}`, 'utf8').toString('base64url');
}

export function decodeCursor(kind: CursorKind, cursor: string): number {
  const text = /^[A-Za-z0-9_-]{1,32}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^([sfw]):([1-9]\d{0,15})$/.exec(text);
  const n = match && match[1] === kind ? Number(match[2]) : Number.NaN;
  if (!Number.isSafeInteger(n) || encodeCursor(kind, n) !== cursor) {
    throw upstreamError.badInput('Malformed cursor: pass an endCursor or edge cursor from this same field.');
  }
  return n;
}
