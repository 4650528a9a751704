import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeV3 } from '../src/providers/didit/sandbox/fakes.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

/**
 * The in-memory session cache is bounded by bytes (CACHE_MAX_BYTES), not only by entries: sessions with large
 * string fields (each under the 2 MiB upstream cap) evict older ones instead of growing the process without end.
 */

const MAX_BYTES = 1024 * 1024;
const LARGE = 300 * 1024;
const idOf = (n: number) => `d1d10700-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** Each session's own `vendor_data` (its reference): `chars` characters starting with its id. */
const referenceOf = (id: string, chars: number) => `${id}:${'r'.repeat(chars - id.length - 1)}`;

async function scrape(gw: TestGateway): Promise<Map<string, number>> {
  const res = await request(gw.gateway.url.replace(/\/graphql$/, '/metrics'));
  expect(res.statusCode).toBe(200);
  const samples = new Map<string, number>();
  for (const line of (await res.body.text()).split('\n')) {
    const match = /^(verigate_cache_(?:bytes|entries))\{cache="(\w+)"\} (\S+)$/.exec(line);
    if (match) samples.set(`${match[1]}{${match[2]}}`, Number(match[3]));
  }
  return samples;
}

describe('the session cache is bounded by bytes', () => {
  let gw: TestGateway;
  /** Reference length per session id the simulator serves. */
  const sizes = new Map<string, number>();
  beforeAll(async () => {
    gw = await startTestGateway({ CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_MAX_BYTES: String(MAX_BYTES) });
    gw.simulator('DIDIT').faults.inject(
      {
        kind: 'payload',
        body: (path) => {
          const id = path.split('/')[3] as string;
          const decision = fakeV3({ id, status: 'Approved', kyc: 'Approved' });
          return JSON.stringify({ ...decision, vendor_data: referenceOf(id, sizes.get(id) ?? LARGE) });
        },
      },
      { path: '/v3/session/d1d10700-' },
    );
  });
  afterAll(() => gw.close());

  const ask = (id: string, selection = 'status reference') =>
    gw.query(`query ($id: String!) { session(provider: DIDIT, id: $id) { ${selection} } }`, { id });
  const calls = (id: string) => gw.simulator('DIDIT').requestCount(id);

  it('keeps total bytes under CACHE_MAX_BYTES, evicting the oldest, answering every session whole', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => idOf(i + 1)); // 8 × 300 KiB: more than twice the budget
    for (const id of ids) {
      const { status, body } = await ask(id);
      expect(status).toBe(200);
      expect(body).toEqual({ data: { session: { status: 'APPROVED', reference: referenceOf(id, LARGE) } } });
    }
    const m = await scrape(gw);
    expect(m.get('verigate_cache_bytes{sessions}')).toBeGreaterThan(2 * LARGE);
    expect(m.get('verigate_cache_bytes{sessions}')).toBeLessThanOrEqual(MAX_BYTES);
    expect(m.get('verigate_cache_entries{sessions}')).toBe(3);

    // Another selection (so no whole-answer reuse): the newest is still cached, the oldest was evicted.
    const newest = ids[7] as string;
    const oldest = ids[0] as string;
    expect((await ask(newest, 'status providerSessionId')).body).toEqual({
      data: { session: { status: 'APPROVED', providerSessionId: newest } },
    });
    expect(calls(newest)).toBe(1);
    expect((await ask(oldest, 'status providerSessionId')).body).toEqual({
      data: { session: { status: 'APPROVED', providerSessionId: oldest } },
    });
    expect(calls(oldest)).toBe(2);
    expect((await scrape(gw)).get('verigate_cache_bytes{sessions}')).toBeLessThanOrEqual(MAX_BYTES);
  });

  it('does not cache a session larger than the whole budget, and still answers it', async () => {
    const id = idOf(100);
    sizes.set(id, 1_500_000); // under the 2 MiB upstream cap, over the 1 MiB budget
    for (const selection of ['status reference', 'reference']) {
      const { status, body } = await ask(id, selection);
      expect(status).toBe(200);
      expect(body.data?.session).toMatchObject({ reference: referenceOf(id, 1_500_000) });
      expect(body.errors).toBeUndefined();
    }
    expect(calls(id)).toBe(2);
    const m = await scrape(gw);
    expect(m.get('verigate_cache_bytes{sessions}')).toBeLessThanOrEqual(MAX_BYTES);
    expect(m.get('verigate_cache_bytes{responses}')).toBeLessThanOrEqual(16 * 1024 * 1024);
  });
});
