import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';

const APPROVED = '{ session(provider: VERIFA, id: "ses_approved") { status kyc { documentNumber } } }';

/** Session-cache hits of Verifa so far, read from /metrics: a reused response makes no session lookup at all. */
async function sessionCacheHits(gw: TestGateway): Promise<number> {
  const res = await request(gw.gateway.url.replace(/\/graphql$/, '/metrics'));
  const text = await res.body.text();
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('verigate_cache_lookups_total{') && l.includes('provider="VERIFA"') && l.includes('result="hit"'),
    );
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('reusing whole answers to identical operations', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '0' });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.simulator('VERIFA').resetCount());

  it('answers an identical operation from the same key again, without a session lookup or upstream call', async () => {
    const first = await gw.query(APPROVED);
    const hits = await sessionCacheHits(gw);
    const second = await gw.query(APPROVED);
    expect(second.body).toEqual(first.body);
    expect(second.body).toEqual({ data: { session: { status: 'APPROVED', kyc: { documentNumber: 'D81234567' } } } });
    expect(await sessionCacheHits(gw)).toBe(hits);
    expect(gw.simulator('VERIFA').requestCount()).toBe(1);
  });

  it('never gives one key the answer built for another: a key without pii:read gets its own masked answer', async () => {
    await gw.query(APPROVED);
    const masked = await gw.query(APPROVED, undefined, READ_ONLY_KEY);
    expect(masked.body).toEqual({ data: { session: { status: 'APPROVED', kyc: { documentNumber: '****4567' } } } });
  });

  it('does not reuse answers that carry errors', async () => {
    const query =
      '{ a: session(provider: VERIFA, id: "ses_rejected") { status } b: session(provider: VERIFA, id: "ses_missing") { status } }';
    await gw.query(query);
    const calls = gw.simulator('VERIFA').requestCount();
    const again = await gw.query(query);
    expect(again.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(gw.simulator('VERIFA').requestCount()).toBe(calls + 2); // the missing session is asked again (result + session)
  });

  it('does not reuse answers that show provider health', async () => {
    const query = '{ session(provider: VERIFA, id: "ses_rejected") { status } providers { provider circuit } }';
    await gw.query(query);
    const hits = await sessionCacheHits(gw);
    await gw.query(query);
    expect(await sessionCacheHits(gw)).toBe(hits + 1);
  });

  it('does not reuse answers holding a session that is not cached (in progress, TTL 0)', async () => {
    const query = '{ session(provider: VERIFA, id: "ses_abc123") { status } }';
    await gw.query(query);
    await gw.query(query);
    expect(gw.simulator('VERIFA').requestCount()).toBe(2);
  });
});

describe('a reused answer lives no longer than its sessions', () => {
  it('asks the provider again once the session cache entry has expired', async () => {
    const gw = await startTestGateway({ CACHE_TERMINAL_TTL_SECONDS: '1', CACHE_ACTIVE_TTL_SECONDS: '0' });
    try {
      const sim = gw.simulator('VERIFA');
      sim.resetCount();
      await gw.query(APPROVED);
      await gw.query(APPROVED);
      expect(sim.requestCount()).toBe(1);
      await new Promise((r) => setTimeout(r, 1_100));
      sim.faults.inject({ kind: 'status', status: 500 });
      const after = await gw.query(APPROVED);
      expect(after.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    } finally {
      await gw.close();
    }
  });
});

describe('with the session cache off', () => {
  it('answers every identical operation afresh: no answer is ever reused', async () => {
    const gw = await startTestGateway({ CACHE_TERMINAL_TTL_SECONDS: '0', CACHE_ACTIVE_TTL_SECONDS: '0' });
    try {
      const sim = gw.simulator('VERIFA');
      sim.resetCount();
      const first = await gw.query(APPROVED);
      const second = await gw.query(APPROVED);
      expect(second.body).toEqual(first.body);
      expect(sim.requestCount()).toBe(2);
    } finally {
      await gw.close();
    }
  });
});

describe('RESPONSE_CACHE_MAX_BYTES', () => {
  it('keeps no answer larger than the budget: each identical operation is looked up again, and answered whole', async () => {
    // The answer to APPROVED is 79 bytes: a 64-byte budget cannot hold it.
    const gw = await startTestGateway({ CACHE_TERMINAL_TTL_SECONDS: '300', RESPONSE_CACHE_MAX_BYTES: '64' });
    try {
      const first = await gw.query(APPROVED);
      const hits = await sessionCacheHits(gw);
      const second = await gw.query(APPROVED);
      expect(second.body).toEqual(first.body);
      expect(second.body).toEqual({ data: { session: { status: 'APPROVED', kyc: { documentNumber: 'D81234567' } } } });
      // Served from the session cache, not from a kept answer.
      expect(await sessionCacheHits(gw)).toBe(hits + 1);
    } finally {
      await gw.close();
    }
  });

  it('is refused at start when it is not a positive whole number', async () => {
    await expect(startTestGateway({ RESPONSE_CACHE_MAX_BYTES: '0' })).rejects.toThrow(/RESPONSE_CACHE_MAX_BYTES/);
  });
});
