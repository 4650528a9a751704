import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { createRedis } from '../../src/cache/redisClient.ts';
import type { Simulator } from '../../src/sandbox/server.ts';
import {
  newOperationScope,
  onUpstreamEvent,
  runInOperationScope,
  type UpstreamEvent,
} from '../../src/upstream/events.ts';
import { RateBudget } from '../../src/upstream/rateLimit.ts';
import { SharedRateBudget } from '../../src/upstream/sharedRateBudget.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from '../support/redis.ts';
import { client, startEcho } from './support.ts';

const BUDGET = 4;

/** A TCP hop in front of the real Redis that can be told to stop passing commands on (a stalled Redis). */
async function startStallableRedis(redisPort: number): Promise<{
  url: string;
  stall: () => void;
  resume: () => void;
  close: () => Promise<void>;
}> {
  let stalled = false;
  // Commands sent while stalled reach Redis on resume, late, as a slow Redis would run them.
  const held: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((downstream) => {
    const upstream = connect(redisPort, '127.0.0.1');
    sockets.add(downstream).add(upstream);
    downstream.on('data', (chunk) => {
      if (stalled) held.push(() => upstream.write(chunk));
      else upstream.write(chunk);
    });
    upstream.pipe(downstream);
    const end = () => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `redis://127.0.0.1:${port}/0`,
    stall: () => {
      stalled = true;
    },
    resume: () => {
      stalled = false;
      for (const write of held.splice(0)) write();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function ready(redis: Redis): Promise<Redis> {
  if (redis.status !== 'ready') await once(redis, 'ready');
  return redis;
}

describeWithRedis('rate budget shared through Redis', () => {
  let redisServer: TestRedis;
  let redisUrl: string;
  let sim: Simulator;
  let admin: Redis;
  const connections: Redis[] = [];
  const events: UpstreamEvent[] = [];
  let unsubscribe: () => void;

  beforeAll(async () => {
    redisServer = await startTestRedis();
    redisUrl = redisServer.url();
    admin = new Redis(redisUrl);
    unsubscribe = onUpstreamEvent((e) => {
      if (e.type.startsWith('rate_budget') || e.type === 'rejected') events.push(e);
    });
  });
  afterAll(async () => {
    unsubscribe();
    await admin.quit();
    await redisServer.stop();
  });
  beforeEach(async () => {
    await admin.flushdb();
    sim = await startEcho();
    events.length = 0;
  });
  afterEach(async () => {
    for (const c of connections.splice(0)) c.disconnect();
    await sim.close();
  });

  /** One replica's view of the provider: its own policy (and local budget) on its own Redis connection. */
  async function replica(url = redisUrl, localForMs = 60_000) {
    const redis = await ready(createRedis(url));
    connections.push(redis);
    const { http, policy } = client(sim, { ratePerMinute: BUDGET });
    // Long enough that "not asked again" does not depend on how fast this machine runs the test.
    policy.shareRateBudget(redis, { localForMs });
    return { http, call: () => http.request({ path: '/x' }) };
  }

  it('spends one budget across replicas, refusing with the time until the next shared token', async () => {
    const a = await replica();
    const b = await replica();
    for (let i = 0; i < BUDGET / 2; i += 1) {
      expect((await a.call()).status).toBe(200);
      expect((await b.call()).status).toBe(200);
    }
    for (const r of [a, b]) {
      await expect(r.call()).rejects.toMatchObject({
        extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: 'VERIFA', retryAfterSeconds: expect.any(Number) },
      });
    }
    expect(sim.requestCount()).toBe(BUDGET);
    expect(events.filter((e) => e.type === 'rate_budget_fallback')).toEqual([]);
    // Each replica reported once that its budget is shared.
    expect(events.filter((e) => e.type === 'rate_budget_mode')).toEqual([
      { type: 'rate_budget_mode', provider: 'VERIFA', shared: true },
      { type: 'rate_budget_mode', provider: 'VERIFA', shared: true },
    ]);
  });

  it('gives each credential its fair share across replicas: the one over its share is refused, the other still answered', async () => {
    const a = await replica();
    const b = await replica();
    const as = <T>(credential: string, call: () => Promise<T>): Promise<T> =>
      runInOperationScope({ ...newOperationScope(), credential }, call);
    // Both credentials call: two compete, so each may spend half of the 4.
    expect((await as('key-a', a.call)).status).toBe(200);
    expect((await as('key-b', b.call)).status).toBe(200);
    expect((await as('key-a', a.call)).status).toBe(200);
    const share = {
      message: expect.stringMatching(/^Your credential has spent its share of Verigate's request budget for Verifa/),
      extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: 'VERIFA', retryAfterSeconds: expect.any(Number) },
    };
    await expect(as('key-a', a.call)).rejects.toMatchObject(share);
    await expect(as('key-a', b.call)).rejects.toMatchObject(share);
    expect((await as('key-b', a.call)).status).toBe(200);
    expect(sim.requestCount()).toBe(BUDGET);
    expect(events.filter((e) => e.type === 'rejected')).toEqual([
      { type: 'rejected', provider: 'VERIFA', reason: 'credential_share' },
      { type: 'rejected', provider: 'VERIFA', reason: 'credential_share' },
    ]);
    // Redis names no credential: they are hashed.
    expect((await admin.keys('*')).join(' ')).not.toMatch(/key-a|key-b/);
    expect(JSON.stringify(await admin.zrange('verigate:ratelog:VERIFA:competitors', 0, -1))).not.toMatch(/key-/);
  });

  it('decides locally when Redis stalls, starting from what this replica already spent, without asking again at once', async () => {
    const proxy = await startStallableRedis(redisServer.port);
    try {
      const r = await replica(proxy.url);
      for (let i = 0; i < BUDGET - 1; i += 1) expect((await r.call()).status).toBe(200);
      proxy.stall();
      // Redis does not answer: the call goes on, on the local budget's last token.
      expect((await r.call()).status).toBe(200);
      // The next one does not wait for Redis again; the local budget is spent.
      await expect(r.call()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_RATE_LIMITED' } });
      expect(sim.requestCount()).toBe(BUDGET);
      expect(events.filter((e) => e.type.startsWith('rate_budget'))).toEqual([
        { type: 'rate_budget_mode', provider: 'VERIFA', shared: true },
        { type: 'rate_budget_mode', provider: 'VERIFA', shared: false },
        { type: 'rate_budget_fallback', provider: 'VERIFA', reason: 'timeout' },
        { type: 'rate_budget_fallback', provider: 'VERIFA', reason: 'unavailable' },
      ]);
    } finally {
      await proxy.close();
    }
  });

  it('holds at most the figure in any 60 s window when Redis times out for a while: what was decided locally is added to the shared log', async () => {
    const proxy = await startStallableRedis(redisServer.port);
    try {
      const redis = await ready(createRedis(proxy.url));
      connections.push(redis);
      const clock = { now: 0 };
      const now = () => clock.now;
      const local = new RateBudget({ perMinute: 10, now });
      // Asked again at every take (no pause after a timeout), on a fake clock: one take a second for 130 s.
      const budget = new SharedRateBudget('VERIFA', local, redis, {
        perMinute: 10,
        now,
        timeoutMs: 100,
        localForMs: 0,
      });
      const allowed: number[] = [];
      for (clock.now = 0; clock.now < 130_000; clock.now += 1_000) {
        if (clock.now === 5_000) proxy.stall();
        if (clock.now === 10_000) proxy.resume();
        if ((await budget.take()).ok) allowed.push(clock.now);
      }
      const busiest = Math.max(...allowed.map((t) => allowed.filter((u) => u >= t && u < t + 60_000).length));
      expect(busiest).toBe(10);
      // The first ten seconds, half of them decided locally; nothing more until they leave the window.
      expect(allowed.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((s) => s * 1_000));
      expect(allowed[10]).toBeGreaterThanOrEqual(60_000);
      expect(events.filter((e) => e.type === 'rate_budget_fallback' && e.reason === 'timeout')).toHaveLength(5);
    } finally {
      await proxy.close();
    }
  });

  it('decides locally when Redis answers with an error', async () => {
    // A key of the wrong type makes the script fail, as any Redis-side error would.
    await admin.hset('verigate:ratelog:VERIFA', 'x', '1');
    const r = await replica();
    expect((await r.call()).status).toBe(200);
    expect(events.filter((e) => e.type === 'rate_budget_fallback')).toEqual([
      { type: 'rate_budget_fallback', provider: 'VERIFA', reason: 'error' },
    ]);
  });
});
