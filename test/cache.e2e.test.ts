import { createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, TEST_HTTP_OPTIONS, type TestGateway } from './support/gateway.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';

const CACHE_ON = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '0' };
const KEY_A = Buffer.alloc(32, 7).toString('base64');
const KEY_B = Buffer.alloc(32, 9).toString('base64');
const Q = (id: string) =>
  `{ session(provider: VERIFA, id: "${id}") { status applicant { fullName } kyc { documentNumber } } }`;

describe('in-memory cache and in-flight dedup', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(CACHE_ON);
  });
  afterAll(() => gw.close());

  it('serves a terminal session from cache: one upstream call, then none', async () => {
    const sim = gw.simulator('VERIFA');
    sim.resetCount();
    const first = await gw.query(Q('ses_rejected'));
    const second = await gw.query(Q('ses_rejected'));
    expect(second.body).toEqual(first.body);
    expect(first.body.data?.session).toMatchObject({ status: 'DECLINED' });
    expect(sim.requestCount()).toBe(1);
  });

  it('does not cache a session still in progress when its TTL is 0', async () => {
    const sim = gw.simulator('VERIFA');
    sim.resetCount();
    await gw.query(Q('ses_abc123'));
    await gw.query(Q('ses_abc123'));
    expect(sim.requestCount()).toBe(2);
  });

  it('masks cached data per caller: the cache holds one copy, each key sees its own view', async () => {
    await gw.query(Q('ses_approved'));
    const { body } = await gw.query(Q('ses_approved'), undefined, 'test-key-sessions-only-0002');
    expect(body.data?.session).toMatchObject({ kyc: { documentNumber: '****4567' } });
  });

  it('makes 50 concurrent identical operations share one upstream call', async () => {
    // Cache off: only in-flight dedup at work. The one upstream call is held 2.5 s (with deadlines to match), so all
    // 50 requests arrive while it is in flight even on a loaded machine.
    const patient = {
      ...TEST_HTTP_OPTIONS,
      timeouts: { connectMs: 500, headersMs: 5_000, bodyMs: 5_000, totalMs: 6_000 },
    };
    const own = await startTestGateway({}, { http: patient });
    try {
      const sim = own.simulator('VERIFA');
      sim.faults.inject({ kind: 'latency', ms: 2_500 }, { times: 1 });
      sim.resetCount();
      const results = await Promise.all(Array.from({ length: 50 }, () => own.query(Q('ses_approved'))));
      expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
      expect(results[0]?.body.data?.session).toMatchObject({ status: 'APPROVED' });
      expect(sim.requestCount()).toBe(1);
    } finally {
      await own.close();
    }
  });
});

/** Waits until `clients` connections that can run commands (not the session-changes subscribers) use the database. */
async function connected(redis: Redis, clients: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const list = String(await redis.client('LIST')).split('\n');
    if (list.filter((c) => c.includes(' db=7 ') && c.includes(' sub=0 ')).length >= clients) return;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describeWithRedis('shared Redis cache', () => {
  let redisServer: TestRedis;
  let redisDb: string;
  let redis: Redis;
  beforeAll(async () => {
    redisServer = await startTestRedis();
    redisDb = redisServer.url(7);
    redis = new Redis(redisDb);
  });
  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('lets a second replica answer from Redis without calling the vendor, with values encrypted at rest', async () => {
    const a = await startTestGateway({ ...CACHE_ON, REDIS_URL: redisDb, CACHE_ENCRYPTION_KEY: KEY_A });
    const b = await startTestGateway({ ...CACHE_ON, REDIS_URL: redisDb, CACHE_ENCRYPTION_KEY: KEY_A });
    try {
      await connected(redis, 3); // this test's connection and both gateways'
      const fromA = await a.query(Q('ses_approved'));
      expect(a.simulator('VERIFA').requestCount()).toBe(1);
      b.simulator('VERIFA').resetCount();
      const fromB = await b.query(Q('ses_approved'));
      expect(fromB.body).toEqual(fromA.body);
      expect(b.simulator('VERIFA').requestCount()).toBe(0);

      const keys = await redis.keys('*');
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatch(/^verigate:session:v2:[A-Za-z0-9_-]{43}$/);
      const raw = (await redis.getBuffer(keys[0] as string)) as Buffer;
      for (const secret of ['ses_approved', 'Jane', 'D81234567', '1991-04-12', 'Harbor']) {
        expect(raw.includes(secret)).toBe(false);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('ignores values sealed with another key and asks the vendor instead', async () => {
    const c = await startTestGateway({ ...CACHE_ON, REDIS_URL: redisDb, CACHE_ENCRYPTION_KEY: KEY_B });
    try {
      await connected(redis, 2);
      c.simulator('VERIFA').resetCount();
      const { body } = await c.query(Q('ses_approved'));
      expect(body.data?.session).toMatchObject({ status: 'APPROVED' });
      expect(c.simulator('VERIFA').requestCount()).toBe(1);
    } finally {
      await c.close();
    }
  });
});

describe('a Redis cache that is unavailable', () => {
  it('keeps answering when Redis is down', async () => {
    const gw = await startTestGateway({ ...CACHE_ON, REDIS_URL: 'redis://127.0.0.1:1/0', CACHE_ENCRYPTION_KEY: KEY_A });
    try {
      const first = await gw.query(Q('ses_approved'));
      expect(first.body).toEqual({
        data: {
          session: { status: 'APPROVED', applicant: { fullName: 'Jane Sample' }, kyc: { documentNumber: 'D81234567' } },
        },
      });
      // The in-memory tier still works without Redis.
      gw.simulator('VERIFA').resetCount();
      await gw.query(Q('ses_approved'));
      expect(gw.simulator('VERIFA').requestCount()).toBe(0);
    } finally {
      await gw.close();
    }
  });

  it('keeps answering, quickly, when Redis accepts connections but never replies', async () => {
    const sockets: Array<import('node:net').Socket> = [];
    const silent: Server = createServer((socket) => {
      sockets.push(socket);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as import('node:net').AddressInfo).port;
    const gw = await startTestGateway({
      ...CACHE_ON,
      REDIS_URL: `redis://127.0.0.1:${port}/0`,
      CACHE_ENCRYPTION_KEY: KEY_A,
    });
    try {
      const started = Date.now();
      const { body } = await gw.query(Q('ses_rejected'));
      expect(body.data?.session).toMatchObject({ status: 'DECLINED' });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await gw.close();
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

describe('stale copies while the vendor is down', () => {
  it('serves an expired terminal session marked stale when Verifa is unavailable, and only then', async () => {
    const gw = await startTestGateway(
      { CACHE_TERMINAL_TTL_SECONDS: '1', CACHE_ACTIVE_TTL_SECONDS: '0', CACHE_STALE_IF_ERROR_SECONDS: '60' },
      { policy: { breaker: { minCalls: 1_000 } } },
    );
    try {
      const sim = gw.simulator('VERIFA');
      const fresh = await gw.query(Q('ses_approved'));
      expect(fresh.body.extensions).toBeUndefined();
      await new Promise((r) => setTimeout(r, 1_100));
      sim.faults.inject({ kind: 'status', status: 503 });
      const stale = await gw.query(Q('ses_approved'));
      expect(stale.body).toEqual({
        data: fresh.body.data,
        extensions: { stale: [{ provider: 'VERIFA', ageSeconds: expect.any(Number) }] },
      });
      // Not for errors that are answers: a session the vendor says is gone is not served from cache.
      sim.faults.clear();
      sim.faults.inject({ kind: 'status', status: 401 });
      const denied = await gw.query(Q('ses_approved'));
      expect(denied.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_AUTH_FAILED');
    } finally {
      await gw.close();
    }
  });
});
