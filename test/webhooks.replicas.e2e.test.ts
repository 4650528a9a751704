import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { VerifaWebhookConfig } from '../src/providers/verifa/config.ts';
import { startVerifaSimulator, VERIFA_SANDBOX_API_KEY } from '../src/providers/verifa/sandbox/simulator.ts';
import { signVerifaDelivery, verifaEventBody } from '../src/providers/verifa/sandbox/webhookSender.ts';
import type { Simulator } from '../src/sandbox/server.ts';
import { type GraphQLBody, startTestGateway } from './support/gateway.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';
import { queryReplica, type Replica, startReplica, stopReplica } from './support/replicas.ts';
import { postWebhook, waitFor } from './support/webhooks.ts';

/**
 * Webhooks across replicas: two `node src/main.ts` processes share a private Redis and one Verifa simulator,
 * whose timed scenario posts its webhook to the first replica only; and one gateway whose Redis goes away.
 */
const SECRET = `whsec_${randomBytes(12).toString('hex')}`;
const WEBHOOK: VerifaWebhookConfig = { secret: SECRET, acceptLegacySignature: false, sandbox: false };
const QUERY =
  'query One($id: String!) { session(provider: VERIFA, id: $id) { providerSessionId status providerStatus } }';
const answer = (id: string, status: string, providerStatus: string): GraphQLBody => ({
  data: { session: { providerSessionId: id, status, providerStatus } },
});

const query = (url: string, id: string) => queryReplica(url, QUERY, { id });

describeWithRedis('two replicas sharing Redis', () => {
  let redisServer: TestRedis;
  let sim: Simulator;
  let redis: Redis;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    redisServer = await startTestRedis();
    redis = new Redis(redisServer.url());
    // The timed scenario moves when the test says (`sim.advance`): both replicas read its first step first, however
    // slow the machine.
    sim = await startVerifaSimulator({ webhook: WEBHOOK, timelineStepMs: 'manual' });
    const env = {
      REDIS_URL: redisServer.url(),
      CACHE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      VERIFA_BASE_URL: sim.url,
      VERIFA_API_KEY: VERIFA_SANDBOX_API_KEY,
      VERIFA_WEBHOOK_SECRET: SECRET,
    };
    [a, b] = await Promise.all([startReplica(env), startReplica(env)]);
    sim.webhooks?.deliverTo(`${a.origin}/webhooks/verifa`);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([a && stopReplica(a), b && stopReplica(b)]);
    await sim?.close();
    await redis?.quit();
    await redisServer?.stop();
  });

  it('a webhook to one replica makes the other answer fresh: a reviewer’s overturn shows on both', async () => {
    // Both replicas hold the approved session (memory and Redis), good for five minutes.
    expect(await query(b.url, 'ses_overturned')).toEqual(answer('ses_overturned', 'APPROVED', 'approved'));
    expect(await query(a.url, 'ses_overturned')).toEqual(answer('ses_overturned', 'APPROVED', 'approved'));
    expect(await query(b.url, 'ses_overturned')).toEqual(answer('ses_overturned', 'APPROVED', 'approved'));
    // Verifa declines it and tells replica A only.
    expect(sim.advance?.('ses_overturned')).toBe(true);
    const declined = answer('ses_overturned', 'DECLINED', 'rejected');
    const fresh = async () => JSON.stringify(await query(b.url, 'ses_overturned')) === JSON.stringify(declined);
    expect(await waitFor(fresh, 15_000)).toBe(true);
    // The simulator counts the 2xx when it reads it, and A's log line comes down a pipe: wait for each, not a moment.
    expect(await waitFor(() => sim.webhooks?.delivered() === 1)).toBe(true);
    expect(await query(a.url, 'ses_overturned')).toEqual(answer('ses_overturned', 'DECLINED', 'rejected'));
    const accepted = (l: string) => l.includes('"msg":"webhook delivery"') && l.includes('"outcome":"accepted"');
    expect(await waitFor(() => a.logs.some(accepted))).toBe(true);
    expect(sim.webhooks?.delivered()).toBe(1);
    // No session id and no signature in either replica's logs.
    for (const line of [...a.logs, ...b.logs]) {
      expect(line).not.toContain('ses_overturned');
      expect(line).not.toContain(SECRET);
    }
  }, 30_000);

  it('a delivery replayed to the other replica is recognised through Redis and refreshes nothing', async () => {
    const delivery = signVerifaDelivery(
      SECRET,
      verifaEventBody('session.approved', { kind: 'session', session: { id: 'ses_approved' } }),
    );
    expect(await query(a.url, 'ses_approved')).toEqual(answer('ses_approved', 'APPROVED', 'approved'));
    const before = sim.requestCount('/ses_approved');
    const refreshes = () => a.logs.filter((l) => l.includes('webhook refresh: session reloaded')).length;
    const refreshed = refreshes();
    expect(await postWebhook(a.origin, 'verifa', delivery)).toEqual({ status: 200, body: { received: true } });
    // Replica A's refresh (its inbox worker's): one call for the result, stored in Redis for both.
    expect(await waitFor(() => refreshes() > refreshed && sim.requestCount('/ses_approved') > before)).toBe(true);
    expect(sim.requestCount('/ses_approved')).toBe(before + 1);
    const calls = sim.requestCount('/ses_approved');
    expect(await postWebhook(b.origin, 'verifa', delivery)).toEqual({ status: 200, body: { received: true } });
    expect(await query(b.url, 'ses_approved')).toEqual(answer('ses_approved', 'APPROVED', 'approved'));
    expect(sim.requestCount('/ses_approved')).toBe(calls);
    // The delivery's log line is written after its answer, and comes through the child's stdout: waited for.
    expect(await waitFor(() => b.logs.some((l) => l.includes('"outcome":"duplicate"')))).toBe(true);
  });
});

/** A TCP proxy in front of Redis that the test can cut and restore, as a Redis outage would. */
class CuttableProxy {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();
  port = 0;

  readonly #redisPort: number;

  constructor(redisPort: number) {
    this.#redisPort = redisPort;
  }

  async open(port = 0): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.#redisPort, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const s of this.#sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describeWithRedis('Redis down while configured', () => {
  let redisServer: TestRedis;
  beforeAll(async () => {
    redisServer = await startTestRedis();
  });
  afterAll(async () => {
    await redisServer?.stop();
  });

  it('answers 503 so the vendor retries, records nothing, and the retry succeeds once Redis is back', async () => {
    const proxy = new CuttableProxy(redisServer.port);
    await proxy.open();
    const redis = new Redis(redisServer.url(11));
    const tg = await startTestGateway(
      {
        REDIS_URL: `redis://127.0.0.1:${proxy.port}/11`,
        CACHE_TERMINAL_TTL_SECONDS: '300',
        CACHE_ACTIVE_TTL_SECONDS: '300',
      },
      { refresher: { minIntervalMs: 100, backoffMs: 100 } },
    );
    try {
      const origin = tg.gateway.url.replace(/\/graphql$/, '');
      const secret = (tg.config.webhooks.verifa as VerifaWebhookConfig | null)?.secret ?? '';
      // Connected: a webhook is recorded.
      expect(
        await waitFor(
          async () =>
            String(await redis.client('LIST'))
              .split('\n')
              .filter((l: string) => l.includes('db=11')).length >= 2,
        ),
      ).toBe(true);
      expect((await tg.query(QUERY, { id: 'ses_approved' })).body).toEqual(
        answer('ses_approved', 'APPROVED', 'approved'),
      );
      const sim = tg.simulator('VERIFA');
      const before = sim.requestCount();

      await proxy.cut();
      const body = verifaEventBody('session.approved', { kind: 'session', session: { id: 'ses_approved' } });
      const first = await postWebhook(origin, 'verifa', signVerifaDelivery(secret, body));
      expect(first).toEqual({ status: 503, body: { error: 'unavailable' } });
      expect(sim.requestCount()).toBe(before);

      await proxy.open(proxy.port);
      // The vendor retries (re-signed, as Verifa does) until one is recorded.
      const retried = await waitFor(
        async () => (await postWebhook(origin, 'verifa', signVerifaDelivery(secret, body))).status === 200,
        15_000,
      );
      expect(retried).toBe(true);
      expect(await waitFor(() => sim.requestCount() > before)).toBe(true);
      expect((await tg.query(QUERY, { id: 'ses_approved' })).body).toEqual(
        answer('ses_approved', 'APPROVED', 'approved'),
      );
    } finally {
      await tg.close();
      await proxy.cut();
      await redis.quit();
    }
  }, 30_000);
});
