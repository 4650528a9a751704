import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createClient as createSseClient } from 'graphql-sse';
import { type Client, createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startVerifaSimulator, VERIFA_SANDBOX_API_KEY } from '../src/providers/verifa/sandbox/simulator.ts';
import type { Simulator } from '../src/sandbox/server.ts';
import { FULL_KEY, TEST_API_KEYS } from './support/gateway.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';
import { type Outcome, overSse, SESSION_UPDATED, until } from './support/subscriptions.ts';
import { waitFor } from './support/webhooks.ts';

/**
 * Replicas are `node src/main.ts` processes sharing nothing but a private Redis, live against one Verifa
 * simulator started here, so the simulator's request count is every vendor call the replicas made.
 */
const CACHE_KEY = 'a'.repeat(64);
const WEBHOOK_SECRET = 'whsec_subscriptions_replicas_test_0001';

interface Replica {
  child: ChildProcessWithoutNullStreams;
  url: string;
  log: string[];
}

const replicas: Replica[] = [];
const simulators: Simulator[] = [];

async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      // Each replica its own throwaway timeline: no test writes to data/.
      DATABASE_URL: 'sqlite::memory:',
      NODE_ENV: 'test',
      PORT: '0',
      GATEWAY_API_KEYS: TEST_API_KEYS,
      REDIS_URL: redisServer.url(),
      CACHE_ENCRYPTION_KEY: CACHE_KEY,
      VERIFA_API_KEY: VERIFA_SANDBOX_API_KEY,
      SHUTDOWN_DELAY_SECONDS: '0',
      SUBSCRIPTIONS_PER_CONNECTION: '1000',
      SUBSCRIPTIONS_PER_CREDENTIAL: '10000',
      ...env,
    },
  });
  const log: string[] = [];
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`replica did not start:\n${out}`)), 20_000);
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const lines = out.split('\n');
      const line = lines.find((l) => l.includes('Verigate listening'));
      if (!line || !lines.some((l) => l.includes('"redis":"ready"'))) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', () => reject(new Error(`replica exited:\n${out}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stdout.on('data', (c: Buffer) => log.push(c.toString()));
  const replica = { child, url, log };
  replicas.push(replica);
  return replica;
}

async function stopReplica({ child }: Replica): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

async function simulator(options: Parameters<typeof startVerifaSimulator>[0]): Promise<Simulator> {
  const sim = await startVerifaSimulator(options);
  simulators.push(sim);
  return sim;
}

function wsClient(url: string): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${FULL_KEY}` },
    retryAttempts: 0,
  });
}

/** `count` subscriptions to one session on one connection; resolves their outcomes. */
function subscribeMany(
  client: Client,
  id: string,
  count: number,
): { outcomes: Promise<Outcome[]>; started: () => number; received: () => number } {
  let started = 0;
  let received = 0;
  const outcomes = Array.from(
    { length: count },
    () =>
      new Promise<Outcome>((resolve) => {
        const events: unknown[] = [];
        client.subscribe(
          { query: SESSION_UPDATED, variables: { provider: 'VERIFA', id } },
          {
            next: (value) => {
              if (events.length === 0) started += 1;
              received += 1;
              events.push(value);
            },
            error: (error) => resolve({ events, end: { kind: 'error', error } }),
            complete: () => resolve({ events, end: { kind: 'complete' } }),
          },
        );
      }),
  );
  return { outcomes: Promise.all(outcomes), started: () => started, received: () => received };
}

const status = (id: string, s: string, isTerminal: boolean) => ({
  data: { sessionUpdated: { provider: 'VERIFA', providerSessionId: id, status: s, isTerminal } },
});
const TIMELINE = [
  status('ses_timeline', 'IN_PROGRESS', false),
  status('ses_timeline', 'IN_REVIEW', false),
  status('ses_timeline', 'APPROVED', true),
];

let redisServer: TestRedis;
let redis: Redis;

describeWithRedis('subscriptions across replicas sharing Redis', () => {
  beforeAll(async () => {
    redisServer = await startTestRedis();
    redis = new Redis(redisServer.url());
  });
  afterEach(async () => {
    await Promise.all(replicas.splice(0).map(stopReplica));
    await Promise.all(simulators.splice(0).map((s) => s.close()));
    await redis.flushdb();
  });
  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('a webhook received by one replica reaches a subscriber on the other', async () => {
    const webhook = { secret: WEBHOOK_SECRET, acceptLegacySignature: false, sandbox: false };
    // The timeline moves only once the subscriber has seen its step (`advance`, on each event): however slow the
    // machine, no change can be folded into the next.
    const sim = await simulator({ webhook, timelineStepMs: 'manual' });
    const env = { VERIFA_BASE_URL: sim.url, VERIFA_WEBHOOK_SECRET: WEBHOOK_SECRET };
    const [a, b] = [await startReplica(env), await startReplica(env)];
    if (!a || !b) throw new Error('replicas');
    // The vendor knows one endpoint: replica A's. The subscriber is on B.
    sim.webhooks?.deliverTo(`${a.url.replace(/\/graphql$/, '')}/webhooks/verifa`);
    const next = () => sim.advance?.('ses_timeline');
    const outcome = await overSse(b.url, FULL_KEY, SESSION_UPDATED, { provider: 'VERIFA', id: 'ses_timeline' }, next);
    expect(outcome).toEqual({ events: TIMELINE, end: { kind: 'complete' } });
    // The simulator counts a 2xx once it has read it: wait for the second.
    expect(await waitFor(() => sim.webhooks?.delivered() === 2)).toBe(true);
  });

  it('polls a session without webhooks once for 1 000 subscribers on two replicas', async () => {
    const POLL_MS = 500;
    // The timeline moves when the test says (`advance`), once every subscriber has seen the step before: no
    // subscriber can miss a step however long a thousand take to start on a loaded machine.
    const sim = await simulator({ timelineStepMs: 'manual' });
    const env = {
      VERIFA_BASE_URL: sim.url,
      SUBSCRIPTION_POLL_MIN_MS: String(POLL_MS),
      SUBSCRIPTION_POLL_MAX_MS: String(POLL_MS),
    };
    const [a, b] = [await startReplica(env), await startReplica(env)];
    if (!a || !b) throw new Error('replicas');
    const started = Date.now();
    const clients = [wsClient(a.url), wsClient(b.url)];
    // A thousand, half on each replica.
    const groups = clients.map((c) => subscribeMany(c, 'ses_timeline', 500));
    const received = () => groups.reduce((n, g) => n + g.received(), 0);
    for (const [step, events] of [
      [1, 1_000],
      [2, 2_000],
    ] as const) {
      await until(() => received() >= events, 30_000, `every subscriber's event ${step}`);
      expect(sim.advance?.('ses_timeline')).toBe(true);
    }
    const outcomes = (await Promise.all(groups.map((g) => g.outcomes))).flat();
    await Promise.all(clients.map((c) => c.dispose()));
    expect(outcomes).toHaveLength(1_000);
    for (const outcome of outcomes) expect(outcome).toEqual({ events: TIMELINE, end: { kind: 'complete' } });
    // One poller between the replicas (the lock), every subscriber's reload answered from the cache the poller
    // filled: at most one poll round per poll period (a period is a floor: a loaded machine only makes rounds later),
    // each one session read of two Verifa calls at most, plus each replica's first load. Per subscriber: thousands.
    const periods = Math.ceil((Date.now() - started) / POLL_MS) + 1;
    expect(sim.requestCount()).toBeGreaterThanOrEqual(3);
    expect(sim.requestCount()).toBeLessThanOrEqual(2 * periods + 4);
  }, 60_000);

  it('stops polling when the last subscriber leaves', async () => {
    const sim = await simulator({});
    const a = await startReplica({
      VERIFA_BASE_URL: sim.url,
      SUBSCRIPTION_POLL_MIN_MS: '100',
      SUBSCRIPTION_POLL_MAX_MS: '200',
    });
    const client = wsClient(a.url);
    // `ses_abc123` stays in review: polled until nobody listens.
    const group = subscribeMany(client, 'ses_abc123', 3);
    await until(() => group.started() === 3, 10_000, 'three first events');
    const before = sim.requestCount();
    await until(() => sim.requestCount() >= before + 4, 10_000, 'polls');
    await client.dispose();
    await group.outcomes;
    // Poll for a settled count: unchanged over five poll periods (a round already under way may still land).
    let settled = sim.requestCount();
    await until(
      async () => {
        const now = sim.requestCount();
        if (now !== settled) {
          settled = now;
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return sim.requestCount() === settled;
      },
      10_000,
      'polls to stop',
    );
    expect(sim.requestCount()).toBe(settled);
  });

  it('on SIGTERM ends open SSE and WebSocket streams so clients reconnect, and exits within the drain window', async () => {
    const sim = await simulator({});
    const a = await startReplica({ VERIFA_BASE_URL: sim.url, SHUTDOWN_TIMEOUT_SECONDS: '30' });
    const closes: number[] = [];
    const ws = createClient({
      url: a.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${FULL_KEY}` },
      retryAttempts: 0,
      on: { closed: (event) => closes.push((event as CloseEvent).code) },
    });
    const sse = createSseClient({ url: a.url, headers: { authorization: `Bearer ${FULL_KEY}` }, retryAttempts: 0 });
    const overWs = subscribeMany(ws, 'ses_abc123', 1);
    let sseEvents = 0;
    const overSseStream = new Promise<Outcome>((resolve) => {
      sse.subscribe(
        { query: SESSION_UPDATED, variables: { provider: 'VERIFA', id: 'ses_abc123' } },
        {
          next: () => {
            sseEvents += 1;
          },
          error: (error) => resolve({ events: [], end: { kind: 'error', error } }),
          complete: () => resolve({ events: [], end: { kind: 'complete' } }),
        },
      );
    });
    await until(() => overWs.started() === 1 && sseEvents === 1, 10_000, 'both streams');
    const exitCode = await stopReplica(a);
    const [wsOutcome] = await overWs.outcomes;
    const sseOutcome = await overSseStream;
    // Not "complete" (which would tell a client the session is final) but a close it retries: 1001 Going Away, and
    // an SSE stream ended without `complete`, which graphql-sse's client reports as a retryable network error.
    expect(exitCode).toBe(0);
    expect(closes).toEqual([1001]);
    expect(wsOutcome?.end.kind).toBe('error');
    expect(sseOutcome.end.kind).toBe('error');
    expect((sseOutcome.end as { error: Error }).error.name).toBe('NetworkError');
    expect(a.log.join('')).not.toContain('shutdown deadline passed');
    await Promise.all([ws.dispose(), sse.dispose()]);
  });
});
