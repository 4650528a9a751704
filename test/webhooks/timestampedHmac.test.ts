import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyTimestampedHmac } from '../../src/webhooks/timestampedHmac.ts';

const SECRET = 'wbhsec_shared_test_secret';
const OLD_SECRET = 'wbhsec_the_rotated_out_one';
const BODY = Buffer.from('{"data":{"type":"event","id":"evt_1"}}');
const NOW = 1_767_225_600;
const v1 = (secret: string, t: number, body = BODY) =>
  createHmac('sha256', secret)
    .update(`${t}.${body.toString('utf8')}`)
    .digest('hex');
const verify = (header: string, now = NOW) => verifyTimestampedHmac(header, BODY, SECRET, now, 300);

describe('verifyTimestampedHmac (t=…,v1=… over "<t>.<raw body>")', () => {
  it('accepts one set and reports the signed timestamp and the matching v1', () => {
    const sig = v1(SECRET, NOW);
    expect(verify(`t=${NOW},v1=${sig}`)).toEqual({ ok: true, timestamp: NOW, signature: sig });
  });

  it('accepts several v1 in one set (Verifa rotation) when any matches, in any order, with spaces after commas', () => {
    const sig = v1(SECRET, NOW);
    expect(verify(`v1=${v1(OLD_SECRET, NOW)}, t=${NOW}, v1=${sig}`)).toEqual({
      ok: true,
      timestamp: NOW,
      signature: sig,
    });
  });

  it('accepts space-separated sets (Persona rotation) when either set matches', () => {
    const sig = v1(SECRET, NOW - 2);
    const header = `t=${NOW - 1},v1=${v1(OLD_SECRET, NOW - 1)} t=${NOW - 2},v1=${sig}`;
    expect(verify(header)).toEqual({ ok: true, timestamp: NOW - 2, signature: sig });
    expect(verify(`t=${NOW - 2},v1=${sig}  t=${NOW - 1},v1=${v1(OLD_SECRET, NOW - 1)}`)).toEqual({
      ok: true,
      timestamp: NOW - 2,
      signature: sig,
    });
  });

  it('checks each set against its own timestamp: a v1 moved to another set does not verify', () => {
    const header = `t=${NOW},v1=${v1(OLD_SECRET, NOW)} t=${NOW - 5},v1=${v1(SECRET, NOW)}`;
    expect(verify(header)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['another secret', () => `t=${NOW},v1=${v1(OLD_SECRET, NOW)}`, 'bad_signature'],
    [
      'one byte of the body changed',
      () => `t=${NOW},v1=${v1(SECRET, NOW, Buffer.from('{"data":{}}'))}`,
      'bad_signature',
    ],
    ['signed 301 s ago', () => `t=${NOW - 301},v1=${v1(SECRET, NOW - 301)}`, 'stale_timestamp'],
    ['signed 301 s ahead', () => `t=${NOW + 301},v1=${v1(SECRET, NOW + 301)}`, 'stale_timestamp'],
    ['no t', () => `v1=${v1(SECRET, NOW)}`, 'malformed_signature'],
    ['no v1', () => `t=${NOW}`, 'malformed_signature'],
    ['a t that is not a number', () => `t=soon,v1=${v1(SECRET, NOW)}`, 'malformed_signature'],
    ['garbage', () => 'sha256=abc', 'malformed_signature'],
    ['a stale set beside a malformed one', () => `t=${NOW - 900},v1=${v1(SECRET, NOW - 900)} t=x`, 'stale_timestamp'],
    [
      'a wrong fresh set beside a stale good one',
      () => `t=${NOW - 900},v1=${v1(SECRET, NOW - 900)} t=${NOW},v1=00`,
      'bad_signature',
    ],
  ])('refuses %s', (_, header, reason) => {
    expect(verify(header())).toEqual({ ok: false, reason });
  });

  it('keeps 300 s inclusive on both sides', () => {
    expect(verify(`t=${NOW - 300},v1=${v1(SECRET, NOW - 300)}`).ok).toBe(true);
    expect(verify(`t=${NOW + 300},v1=${v1(SECRET, NOW + 300)}`).ok).toBe(true);
  });
});
