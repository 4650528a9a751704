import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import type { Session } from '../src/model/session.ts';
import type { ProviderRegistry } from '../src/providers/index.ts';
import {
  type ReceivedSessionChange,
  RedisSessionChanges,
  SESSION_CHANGES_CHANNEL,
  type SessionChangeListener,
  type SessionChanges,
} from '../src/sessions/changes.ts';
import { SessionStore } from '../src/sessions/store.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';

/** A bus the test drives: it delivers a change whenever the test says, as a slow Redis channel would. */
class ManualChanges implements SessionChanges {
  listener: SessionChangeListener = () => {};
  async publish(): Promise<void> {}
  subscribe(listener: SessionChangeListener): () => void {
    this.listener = listener;
    return () => {};
  }
  async close(): Promise<void> {}
}

/** A registry whose one adapter answers each fetch when the test releases it, counting the fetches. */
function slowVendor() {
  const vendor = { fetches: 0, release: (_: Session) => {} };
  const adapter = {
    checkId: (id: string) => id,
    fetchSession: (id: string) => {
      vendor.fetches += 1;
      return new Promise<Session>((resolve) => {
        vendor.release = resolve;
      }).then((s) => ({ ...s, providerSessionId: id }));
    },
  };
  const registry = { adapter: () => adapter } as unknown as ProviderRegistry;
  return { vendor, registry };
}

const APPROVED = { provider: 'VERIFA', status: 'APPROVED', isTerminal: true } as unknown as Session;
const config = loadConfig({
  NODE_ENV: 'test',
  GATEWAY_API_KEYS: JSON.stringify([{ name: 'test', key: 'test-key-0123456789abcdef', scopes: ['sessions:read'] }]),
  CACHE_TERMINAL_TTL_SECONDS: '300',
});

/** A load begun, then a change delivered while it is under way, then the vendor answering. */
async function loadAcross(change: Omit<ReceivedSessionChange, 'provider' | 'id' | 'status'>) {
  const { vendor, registry } = slowVendor();
  const store = SessionStore.create(config, registry);
  const bus = new ManualChanges();
  store.followChanges(bus);
  const loading = store.session('VERIFA', 'ses_1');
  await new Promise((r) => setImmediate(r));
  bus.listener({ provider: 'VERIFA', id: 'ses_1', status: null, ...change });
  vendor.release(APPROVED);
  expect((await loading).status).toBe('APPROVED');
  const again = store.session('VERIFA', 'ses_1');
  await new Promise((r) => setImmediate(r));
  vendor.release(APPROVED);
  await again;
  return vendor.fetches;
}

describe('a session change arriving while a load is under way', () => {
  it('from another replica, outdates the load: what it brings back is answered, not kept', async () => {
    expect(await loadAcross({ local: false })).toBe(2);
  });

  it("from this replica (its own invalidation coming back late on the channel), leaves the load's copy cached", async () => {
    // The webhook path invalidates before it publishes; the refresh it starts reads the vendor after the change.
    expect(await loadAcross({ local: true })).toBe(1);
  });
});

describeWithRedis('RedisSessionChanges on a running Redis', () => {
  const connections: Redis[] = [];
  const buses: RedisSessionChanges[] = [];
  let redisServer: TestRedis;
  beforeAll(async () => {
    redisServer = await startTestRedis();
  });
  afterAll(async () => {
    await Promise.all(buses.splice(0).map((b) => b.close()));
    for (const c of connections.splice(0)) c.disconnect();
    await redisServer?.stop();
  });

  it('tells each replica whether a change came back from its own publication', async () => {
    const [a, b] = [0, 1].map(() => {
      const connection = new Redis(redisServer.url());
      connections.push(connection);
      const bus = new RedisSessionChanges(connection);
      buses.push(bus);
      return bus;
    }) as [RedisSessionChanges, RedisSessionChanges];
    // The other tests here share the channel: only this test's session counts.
    const id = `ses_${randomUUID()}`;
    const seen = (bus: RedisSessionChanges) =>
      new Promise<ReceivedSessionChange>((resolve) => bus.subscribe((c) => c.id === id && resolve(c)));
    const atA = seen(a);
    const atB = seen(b);
    await new Promise((r) => setTimeout(r, 200)); // both subscribed
    await a.publish({ provider: 'DIDIT', id, status: 'APPROVED' });
    expect(await atA).toEqual({ provider: 'DIDIT', id, status: 'APPROVED', local: true });
    expect(await atB).toEqual({ provider: 'DIDIT', id, status: 'APPROVED', local: false });
  });

  it('with CACHE_ENCRYPTION_KEY, seals each change: the channel shows no session id or status, another key reads nothing', async () => {
    const key = randomBytes(32);
    const bus = (k: Buffer) => {
      const connection = new Redis(redisServer.url());
      connections.push(connection);
      const b = new RedisSessionChanges(connection, k);
      buses.push(b);
      return b;
    };
    const [a, b, other] = [bus(key), bus(key), bus(randomBytes(32))];
    const raw = new Redis(redisServer.url());
    connections.push(raw);
    const onChannel: string[] = [];
    raw.on('message', (_channel: string, message: string) => onChannel.push(message));
    await raw.subscribe(SESSION_CHANGES_CHANNEL);
    const id = `ses_${randomUUID()}`;
    const received = (x: RedisSessionChanges) => {
      const got: ReceivedSessionChange[] = [];
      x.subscribe((c) => c.id === id && got.push(c));
      return got;
    };
    const [atB, atOther] = [received(b), received(other)];
    await new Promise((r) => setTimeout(r, 200)); // all subscribed
    await a.publish({ provider: 'DIDIT', id, status: 'DECLINED' });
    await new Promise((r) => setTimeout(r, 300));
    expect(atB).toEqual([{ provider: 'DIDIT', id, status: 'DECLINED', local: false }]);
    expect(atOther).toEqual([]);
    const ours = onChannel.filter((m) => !m.includes('"provider"'));
    expect(ours.length).toBeGreaterThan(0);
    expect(onChannel.join('\n')).not.toContain(id);
    for (const m of ours) expect(Object.keys(JSON.parse(m)).sort()).toEqual(['replica', 'sealed']);
    expect(ours.join('\n')).not.toContain('DECLINED');
    // A change in clear (a replica without the key, or anyone who can PUBLISH) is not followed either.
    const publisher = new Redis(redisServer.url());
    connections.push(publisher);
    await publisher.publish(SESSION_CHANGES_CHANNEL, JSON.stringify({ provider: 'DIDIT', id, status: null }));
    await new Promise((r) => setTimeout(r, 200));
    expect(atB).toHaveLength(1);
  });
});

describe('RedisSessionChanges with Redis down', () => {
  const connections: Redis[] = [];
  const buses: RedisSessionChanges[] = [];
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    for (const c of connections) c.disconnect();
  });

  it('keeps a lost subscriber connection out of stderr: no "[ioredis] Unhandled error event" while it reconnects', async () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    const nowhere = new Redis('redis://127.0.0.1:1', { retryStrategy: () => 50, maxRetriesPerRequest: 0 });
    nowhere.on('error', () => {}); // the gateway's shared connection has its own listener (redisClient.ts)
    connections.push(nowhere);
    const bus = new RedisSessionChanges(nowhere);
    buses.push(bus);
    await new Promise((r) => setTimeout(r, 400)); // several failed reconnects
    const ioredisLines = printed.mock.calls.filter((args) => String(args[0]).includes('[ioredis]'));
    printed.mockRestore();
    expect(ioredisLines).toEqual([]);
  });
});
