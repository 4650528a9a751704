import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/gateway.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';

const CACHE_ON = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '0' };
const KEY_A = Buffer.alloc(32, 3).toString('base64');
const KEY_B = Buffer.alloc(32, 5).toString('base64');
const Q = '{ session(provider: VERIFA, id: "ses_approved") { status applicant { fullName } } }';
const APPROVED = { data: { session: { status: 'APPROVED', applicant: { fullName: 'Jane Sample' } } } };

/** Every name an unsalted hash of the session's identity could give it: what someone reading Redis could test. */
function guessableNames(provider: string, id: string): string[] {
  const identities = [`s\u0000${provider}\u0000${id}`, `${provider}:${id}`, `${provider}\u0000${id}`, id];
  return identities.flatMap((identity) =>
    ['v1', 'v2'].flatMap((version) =>
      (['base64url', 'hex'] as const).map(
        (encoding) => `verigate:session:${version}:${createHash('sha256').update(identity).digest(encoding)}`,
      ),
    ),
  );
}

async function sessionKeys(redis: Redis): Promise<string[]> {
  return (await redis.keys('verigate:session:*')).sort();
}

describeWithRedis('session cache keys in Redis', () => {
  let redisServer: TestRedis;
  let redis: Redis;
  const gateways: TestGateway[] = [];
  const start = async (key: string) => {
    const gw = await startTestGateway({ ...CACHE_ON, REDIS_URL: redisServer.url(4), CACHE_ENCRYPTION_KEY: key });
    gateways.push(gw);
    return gw;
  };
  /** Waits until every gateway started here has its Redis connection on database 4 (this test's is one more). */
  const connected = async () => {
    for (let i = 0; i < 200; i++) {
      const clients = String(await redis.client('LIST')).split('\n');
      // Subscriber connections (the session-changes bus) do not count: they cannot run commands.
      if (clients.filter((c) => c.includes(' db=4 ') && c.includes(' sub=0 ')).length > gateways.length) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  beforeAll(async () => {
    redisServer = await startTestRedis();
    redis = new Redis(redisServer.url(4));
  });
  beforeEach(async () => {
    await redis.flushdb();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('names a cached session with a keyed HMAC, not a hash anyone can compute from a guessed id', async () => {
    const a = await start(KEY_A);
    await connected();
    expect((await a.query(Q)).body).toEqual(APPROVED);
    const keys = await sessionKeys(redis);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^verigate:session:v2:[A-Za-z0-9_-]{43}$/);
    for (const guess of guessableNames('VERIFA', 'ses_approved')) expect(await redis.exists(guess)).toBe(0);
  });

  it('shares entries between replicas with the same key, and a replica with another key neither finds nor reads them', async () => {
    const a = await start(KEY_A);
    const b = await start(KEY_A);
    const c = await start(KEY_B);
    await connected();
    for (const gw of [a, b, c]) gw.simulator('VERIFA').resetCount();

    expect((await a.query(Q)).body).toEqual(APPROVED);
    expect(a.simulator('VERIFA').requestCount()).toBe(1);
    const written = await sessionKeys(redis);
    expect(written).toHaveLength(1);

    // Same CACHE_ENCRYPTION_KEY: the same name, read from Redis without asking the vendor.
    expect((await b.query(Q)).body).toEqual(APPROVED);
    expect(b.simulator('VERIFA').requestCount()).toBe(0);
    expect(await sessionKeys(redis)).toEqual(written);

    // Another key: another name, so the vendor is asked and a second entry is written beside the first.
    expect((await c.query(Q)).body).toEqual(APPROVED);
    expect(c.simulator('VERIFA').requestCount()).toBe(1);
    const both = await sessionKeys(redis);
    expect(both).toHaveLength(2);
    expect(both).toEqual(expect.arrayContaining(written));
  });
});
