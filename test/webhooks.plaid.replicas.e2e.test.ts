import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  PLAID_SANDBOX_CLIENT_ID,
  PLAID_SANDBOX_SECRET,
  type PlaidSimulator,
  startPlaidSimulator,
} from '../src/providers/plaid/sandbox/simulator.ts';
import { plaidWebhookBody, signPlaidDelivery } from '../src/providers/plaid/sandbox/webhookSender.ts';
import type { GraphQLBody } from './support/gateway.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';
import { queryReplica, type Replica, startReplica, stopReplica } from './support/replicas.ts';
import { postWebhook, waitFor } from './support/webhooks.ts';

/**
 * Plaid's signed webhooks across replicas: two `node src/main.ts` processes share a private Redis and one Plaid
 * simulator (its own ES256 key), whose timed verification posts its JWT-signed webhooks to the first replica only.
 * Each replica fetches the key it needs by kid for itself; the second learns of the change through Redis.
 */
const QUERY =
  'query One($id: String!) { session(provider: PLAID, id: $id) { providerSessionId status providerStatus } }';
const answer = (id: string, status: string, providerStatus: string): GraphQLBody => ({
  data: { session: { providerSessionId: id, status, providerStatus } },
});

const query = (url: string, id: string) => queryReplica(url, QUERY, { id });

describeWithRedis('Plaid webhooks on two replicas sharing Redis', () => {
  let redisServer: TestRedis;
  let sim: PlaidSimulator;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    redisServer = await startTestRedis();
    // Steps far enough apart that both replicas read the first one before it changes.
    sim = await startPlaidSimulator({ timelineStepMs: 2_000 });
    const env = {
      REDIS_URL: redisServer.url(),
      CACHE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      PLAID_BASE_URL: sim.url,
      PLAID_CLIENT_ID: PLAID_SANDBOX_CLIENT_ID,
      PLAID_SECRET: PLAID_SANDBOX_SECRET,
    };
    [a, b] = await Promise.all([startReplica(env), startReplica(env)]);
    sim.webhooks?.deliverTo(`${a.origin}/webhooks/plaid`);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([a && stopReplica(a), b && stopReplica(b)]);
    await sim?.close();
    await redisServer?.stop();
  });

  it('a signed webhook to one replica makes the other answer fresh', async () => {
    expect(await query(b.url, 'idv_Timed')).toEqual(answer('idv_Timed', 'IN_PROGRESS', 'active'));
    expect(await query(a.url, 'idv_Timed')).toEqual(answer('idv_Timed', 'IN_PROGRESS', 'active'));
    const approved = JSON.stringify(answer('idv_Timed', 'APPROVED', 'success'));
    expect(await waitFor(async () => JSON.stringify(await query(b.url, 'idv_Timed')) === approved, 15_000)).toBe(true);
    expect(sim.webhooks?.delivered()).toBe(2);
    expect(await query(a.url, 'idv_Timed')).toEqual(answer('idv_Timed', 'APPROVED', 'success'));
    // Only the replica that took the webhooks fetched a key, once.
    expect(sim.requestCount('/webhook_verification_key/get')).toBe(1);
    for (const line of [...a.logs, ...b.logs]) {
      expect(line).not.toContain('idv_Timed');
      expect(line).not.toContain(PLAID_SANDBOX_SECRET);
    }
  }, 30_000);

  it('a delivery replayed to the other replica is verified there and recognised through Redis', async () => {
    const delivery = signPlaidDelivery(sim.signer, plaidWebhookBody('STATUS_UPDATED', 'idv_52xR9LKo77r1Np'));
    expect(await postWebhook(a.origin, 'plaid', delivery)).toEqual({ status: 200, body: { received: true } });
    expect(await query(a.url, 'idv_52xR9LKo77r1Np')).toEqual(answer('idv_52xR9LKo77r1Np', 'APPROVED', 'success'));
    const reads = sim.requestCount('/identity_verification/get');
    expect(await postWebhook(b.origin, 'plaid', delivery)).toEqual({ status: 200, body: { received: true } });
    expect(await query(b.url, 'idv_52xR9LKo77r1Np')).toEqual(answer('idv_52xR9LKo77r1Np', 'APPROVED', 'success'));
    expect(sim.requestCount('/identity_verification/get')).toBe(reads);
    expect(b.logs.some((l) => l.includes('"webhook":"plaid"') && l.includes('"outcome":"duplicate"'))).toBe(true);
    expect(sim.requestCount('/webhook_verification_key/get')).toBe(2);
  }, 30_000);
});
