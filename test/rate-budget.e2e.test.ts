import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startVerifaSimulator, VERIFA_SANDBOX_API_KEY } from '../src/providers/verifa/sandbox/simulator.ts';
import type { Simulator } from '../src/sandbox/server.ts';
import { FULL_KEY, type GraphQLBody, TEST_API_KEYS } from './support/gateway.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';

/**
 * Two replicas, each `node src/main.ts` in its own process (so nothing but Redis is shared), both live against one
 * Verifa simulator that counts every call they make. The budget is 4 in any 60 s window: nothing comes back within
 * the few seconds the dozen requests below take.
 */
const BUDGET = 4;
const REQUESTS_PER_REPLICA = 6;
const QUERY = '{ session(provider: VERIFA, id: "ses_approved") { status } }';

interface Replica {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

/** Starts a replica; resolves once it listens and, when `redisReady`, once its Redis connection is up. */
async function startReplica(redisUrl: string, verifaUrl: string, redisReady: boolean): Promise<Replica> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      // Each replica its own throwaway timeline: no test writes to data/.
      DATABASE_URL: 'sqlite::memory:',
      NODE_ENV: 'test',
      PORT: '0',
      GATEWAY_API_KEYS: TEST_API_KEYS,
      REDIS_URL: redisUrl,
      VERIFA_BASE_URL: verifaUrl,
      VERIFA_API_KEY: VERIFA_SANDBOX_API_KEY,
      VERIFA_RATE_LIMIT_PER_MINUTE: String(BUDGET),
      // Generous, so a loaded test machine does not turn a slow answer into a fallback (stalls: sharedRateBudget.test).
      RATE_BUDGET_REDIS_TIMEOUT_MS: '1000',
      // No session cache: every answer is an upstream call, so the simulator's count is the budget spent.
      CACHE_TERMINAL_TTL_SECONDS: '0',
      CACHE_ACTIVE_TTL_SECONDS: '0',
    },
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not start:\n${out}`)), 15_000);
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const lines = out.split('\n');
      const line = lines.find((l) => l.includes('Verigate listening'));
      // Until its connection is up a replica budgets locally, as it should; the test wants the shared budget.
      if (!line || (redisReady && !lines.some((l) => l.includes('"redis":"ready"')))) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', () => reject(new Error(`replica exited:\n${out}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  return { child, url };
}

async function stopReplica({ child }: Replica): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

async function query(replica: Replica): Promise<GraphQLBody> {
  const res = await request(replica.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` },
    body: JSON.stringify({ query: QUERY }),
  });
  return (await res.body.json()) as GraphQLBody;
}

/** The value of one series on a replica's /metrics, or null when the series is absent. */
async function metric(replica: Replica, series: string): Promise<number | null> {
  const text = await (await request(replica.url.replace(/graphql$/, 'metrics'))).body.text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

/** Both replicas, alternating, REQUESTS_PER_REPLICA each; the answers in order. */
async function alternate(replicas: Replica[]): Promise<GraphQLBody[]> {
  const answers: GraphQLBody[] = [];
  for (let i = 0; i < REQUESTS_PER_REPLICA; i += 1) for (const replica of replicas) answers.push(await query(replica));
  return answers;
}

const APPROVED: GraphQLBody = { data: { session: { status: 'APPROVED' } } };

function expectRateLimited(answer: GraphQLBody) {
  expect(answer).toEqual({
    data: { session: null },
    errors: [
      {
        message: expect.stringMatching(/^Verigate's request budget for Verifa is spent; retry in \d+ s\.$/),
        locations: [{ line: 1, column: 3 }],
        path: ['session'],
        extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: 'VERIFA', retryAfterSeconds: expect.any(Number) },
      },
    ],
  });
  const seconds = answer.errors?.[0]?.extensions?.retryAfterSeconds as number;
  expect(seconds).toBeGreaterThanOrEqual(1);
  // Until the oldest call leaves the 60 s window.
  expect(seconds).toBeLessThanOrEqual(60);
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeWithRedis('rate budget shared by replicas through Redis', () => {
  let redisServer: TestRedis;
  let redisUrl: string;
  let sim: Simulator;
  let redis: Redis;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    redisServer = await startTestRedis();
    redisUrl = redisServer.url();
    redis = new Redis(redisUrl);
  });
  afterAll(async () => {
    await redis?.quit();
    await redisServer?.stop();
  });
  beforeEach(async () => {
    await redis.flushdb();
    sim = await startVerifaSimulator();
  });
  afterEach(async () => {
    await Promise.all(replicas.map(stopReplica));
    replicas = [];
    await sim.close();
  });

  it('lets two replicas together make no more upstream calls than the budget; the rest get UPSTREAM_RATE_LIMITED', async () => {
    replicas = await Promise.all([startReplica(redisUrl, sim.url, true), startReplica(redisUrl, sim.url, true)]);
    const answers = await alternate(replicas);

    // Each replica alone would have allowed BUDGET calls: together they made BUDGET.
    expect(sim.requestCount()).toBe(BUDGET);
    expect(answers.slice(0, BUDGET)).toEqual(Array(BUDGET).fill(APPROVED));
    for (const answer of answers.slice(BUDGET)) expectRateLimited(answer);

    for (const replica of replicas) {
      expect(await metric(replica, 'verigate_rate_budget_shared{provider="VERIFA"}')).toBe(1);
      expect(
        await metric(replica, 'verigate_rate_budget_fallbacks_total{provider="VERIFA",reason="unavailable"}'),
      ).toBe(null);
    }
    const rejected = await Promise.all(
      replicas.map((r) => metric(r, 'verigate_upstream_rejections_total{provider="VERIFA",reason="rate_budget"}')),
    );
    expect((rejected[0] ?? 0) + (rejected[1] ?? 0)).toBe(2 * REQUESTS_PER_REPLICA - BUDGET);

    // Namespaced keys, expiring with the window, holding only the times of the calls and opaque replica tags; the
    // caller's own log and the competing callers are named by a hash, never the key's name.
    expect((await redis.keys('*')).sort()).toEqual([
      'verigate:ratelog:VERIFA',
      'verigate:ratelog:VERIFA:competitors',
      expect.stringMatching(/^verigate:ratelog:VERIFA:credential:[\w-]{22}$/),
    ]);
    expect(await redis.zrange('verigate:ratelog:VERIFA:competitors', 0, -1)).toEqual([
      expect.stringMatching(/^[\w-]{22}$/),
    ]);
    const ttl = await redis.pttl('verigate:ratelog:VERIFA');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    const log = await redis.zrange('verigate:ratelog:VERIFA', 0, -1);
    expect(log).toHaveLength(BUDGET);
    for (const entry of log) expect(entry).toMatch(/^[\w-]{8}:\d+$/);
  });

  it('falls back to each replica its own budget when Redis is unreachable, and says so in metrics', async () => {
    const unreachable = `redis://127.0.0.1:${await closedPort()}/0`;
    replicas = await Promise.all([
      startReplica(unreachable, sim.url, false),
      startReplica(unreachable, sim.url, false),
    ]);
    const answers = await alternate(replicas);

    // Each replica spends its own whole budget: answers still come, and stop at each replica's budget.
    expect(sim.requestCount()).toBe(2 * BUDGET);
    expect(answers.slice(0, 2 * BUDGET)).toEqual(Array(2 * BUDGET).fill(APPROVED));
    for (const answer of answers.slice(2 * BUDGET)) expectRateLimited(answer);

    for (const replica of replicas) {
      expect(await metric(replica, 'verigate_rate_budget_shared{provider="VERIFA"}')).toBe(0);
      expect(
        await metric(replica, 'verigate_rate_budget_fallbacks_total{provider="VERIFA",reason="unavailable"}'),
      ).toBe(REQUESTS_PER_REPLICA);
    }
  });
});
