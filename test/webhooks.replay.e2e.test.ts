import { once } from 'node:events';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { diditStatusBody, signDiditDelivery } from '../src/providers/didit/sandbox/webhookSender.ts';
import { canonicalJson } from '../src/providers/didit/webhook.ts';
import { signVerifaDelivery, verifaEventBody } from '../src/providers/verifa/sandbox/webhookSender.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';
import { originOf, postWebhook, settled, vendorHooks, waitFor } from './support/webhooks.ts';

/** The database of this file's own Redis (test/support/redis.ts) the gateway uses. */
const DB = '0';

/** The sandbox's `Approved` Didit session, and Verifa's. */
const DIDIT_APPROVED = 'd1d10200-0000-4000-8000-000000000003';
const VERIFA_APPROVED = 'ses_approved';
const FAST = { refresher: { minIntervalMs: 200, backoffMs: 100 } };
const CACHED = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' };
const OK = { status: 200, body: { received: true } };
const UNAVAILABLE = { status: 503, body: { error: 'unavailable' } };
const now = () => Math.floor(Date.now() / 1000);
const upper = (headers: Record<string, string>, names: string[]) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, names.includes(k) ? v.toUpperCase() : v]));

describe('replays are recognised by what was signed, not by how the headers spell it', () => {
  let tg: TestGateway;
  let origin: string;

  beforeAll(async () => {
    tg = await startTestGateway(CACHED, FAST);
    origin = originOf(tg.gateway.url);
  });
  afterAll(() => tg.close());

  it('Didit: re-cased hex, a changed or zero-padded unsigned X-Timestamp and the other signature headers alone are duplicates (one vendor call)', async () => {
    const secret = vendorHooks(tg.config).didit?.secret ?? '';
    const sim = tg.simulator('DIDIT');
    const ts = now();
    const payload = diditStatusBody(DIDIT_APPROVED, 'Approved', undefined, ts);
    const delivery = signDiditDelivery(secret, payload, ts);
    const h = delivery.headers as Record<string, string>;
    const only = (...names: string[]) => Object.fromEntries(names.map((n) => [n, h[n] as string]));
    const before = sim.requestCount(DIDIT_APPROVED);
    expect(await postWebhook(origin, 'didit', delivery)).toEqual(OK);
    expect(await waitFor(() => sim.requestCount(DIDIT_APPROVED) === before + 1)).toBe(true);

    const replays: Array<[string, { body: string; headers: Record<string, string> }]> = [
      ['the same delivery', delivery as { body: string; headers: Record<string, string> }],
      [
        'upper-case hex',
        { body: delivery.body as string, headers: upper(h, ['x-signature', 'x-signature-v2', 'x-signature-simple']) },
      ],
      [
        'X-Signature with X-Timestamp zero-padded',
        { body: delivery.body as string, headers: { ...only('x-signature'), 'x-timestamp': `00${ts}` } },
      ],
      [
        'X-Signature with another X-Timestamp',
        { body: delivery.body as string, headers: { ...only('x-signature'), 'x-timestamp': String(ts + 7) } },
      ],
      ['X-Signature-V2 alone', { body: delivery.body as string, headers: only('x-timestamp', 'x-signature-v2') }],
      [
        'X-Signature-V2 alone, body re-spaced',
        { body: JSON.stringify(payload, null, 2), headers: only('x-timestamp', 'x-signature-v2') },
      ],
      [
        'X-Signature-Simple alone',
        { body: delivery.body as string, headers: only('x-timestamp', 'x-signature-simple') },
      ],
      [
        'X-Signature-Simple alone, the body it does not cover changed',
        {
          body: JSON.stringify({ ...payload, vendor_data: 'changed' }),
          headers: only('x-timestamp', 'x-signature-simple'),
        },
      ],
    ];
    for (const [name, replay] of replays) {
      expect([name, await postWebhook(origin, 'didit', replay)]).toEqual([name, OK]);
    }
    // A processed replay would refresh the session again (200 ms apart at most): none does.
    expect(await settled(() => sim.requestCount(DIDIT_APPROVED), 1_000)).toBe(before + 1);
    // Sanity: the V2 signature checked above is the one over the canonical body.
    expect(canonicalJson(JSON.parse(JSON.stringify(payload, null, 2)))).toBe(canonicalJson(payload));
  });

  it('Verifa: the same delivery with its v1 hex upper-cased is a duplicate (one vendor call)', async () => {
    const secret = vendorHooks(tg.config).verifa?.secret ?? '';
    const sim = tg.simulator('VERIFA');
    const body = verifaEventBody('session.approved', { kind: 'session', session: { id: VERIFA_APPROVED } });
    const delivery = signVerifaDelivery(secret, body);
    const before = sim.requestCount(`/${VERIFA_APPROVED}`);
    expect(await postWebhook(origin, 'verifa', delivery)).toEqual(OK);
    expect(await waitFor(() => sim.requestCount(`/${VERIFA_APPROVED}`) > before)).toBe(true);
    const calls = await settled(() => sim.requestCount(`/${VERIFA_APPROVED}`), 500);
    const header = (delivery.headers as Record<string, string>)['x-verifa-signature'] as string;
    const recased = {
      ...delivery.headers,
      'x-verifa-signature': header.replace(/v1=([0-9a-f]+)/, (_m, hex: string) => `v1=${hex.toUpperCase()}`),
    };
    expect(await postWebhook(origin, 'verifa', { body, headers: recased as Record<string, string> })).toEqual(OK);
    expect(await settled(() => sim.requestCount(`/${VERIFA_APPROVED}`), 1_000)).toBe(calls);
  });
});

/**
 * A TCP hop in front of Redis that can hold what the gateway sends (a slow Redis: its replies come after the
 * gateway's 100 ms command timeout), then pass it all on in order, or pass on only the first held command and drop
 * the connections (the command landed, what followed it was lost).
 */
class HoldingProxy {
  readonly #server: Server;
  readonly #links = new Set<{ client: Socket; upstream: Socket; held: Buffer[] }>();
  #holding = false;
  port = 0;

  constructor(redisPort: number) {
    this.#server = createServer((client) => {
      const upstream = tcpConnect(redisPort, '127.0.0.1');
      const link = { client, upstream, held: [] as Buffer[] };
      this.#links.add(link);
      client.on('data', (chunk: Buffer) => {
        if (this.#holding) link.held.push(chunk);
        else upstream.write(chunk);
      });
      upstream.pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
        this.#links.delete(link);
      };
      for (const s of [client, upstream]) s.on('close', end).on('error', end);
    });
  }

  async open(): Promise<void> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.port = (this.#server.address() as { port: number }).port;
  }

  hold(): void {
    this.#holding = true;
  }

  /** Sends everything held, in order, and stops holding. */
  release(): void {
    this.#holding = false;
    for (const link of this.#links) link.upstream.write(Buffer.concat(link.held.splice(0)));
  }

  /** Sends the first held command only (a RESP array), then drops every connection with the rest. */
  passFirstThenDrop(): void {
    this.#holding = false;
    for (const link of this.#links) {
      const held = Buffer.concat(link.held.splice(0));
      const length = firstCommandLength(held);
      if (length !== null) link.upstream.end(held.subarray(0, length));
      link.client.destroy();
    }
  }

  async close(): Promise<void> {
    for (const { client, upstream } of this.#links) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

/** The byte length of the first RESP command in `buf` (`*<n>` then n `$<len>` bulk strings), or null. */
function firstCommandLength(buf: Buffer): number | null {
  let at = 0;
  const line = (): string | null => {
    const end = buf.indexOf('\r\n', at);
    if (end < 0) return null;
    const text = buf.toString('latin1', at, end);
    at = end + 2;
    return text;
  };
  const head = line();
  if (!head?.startsWith('*')) return null;
  for (let i = 0; i < Number(head.slice(1)); i += 1) {
    const size = line();
    if (!size?.startsWith('$')) return null;
    at += Number(size.slice(1)) + 2;
  }
  return at <= buf.length ? at : null;
}

/**
 * What Redis did to the replay log's keys, in the order it did it (keyspace notifications: `set` for a claim or a
 * `done`, `del` for a release, `expired` for a lease that lapsed): the tests wait on these events, not on the
 * gateway's timers or a poll landing inside a lease.
 */
class KeyEvents {
  readonly seen: string[] = [];
  readonly #subscriber: Redis;
  /** How many of `seen` the test has looked at. */
  #from = 0;

  private constructor(subscriber: Redis) {
    this.#subscriber = subscriber;
  }

  static async watch(url: string): Promise<KeyEvents> {
    const subscriber = new Redis(url);
    await subscriber.config('SET', 'notify-keyspace-events', 'Eg$x');
    const events = new KeyEvents(subscriber);
    subscriber.on('pmessage', (_pattern: string, channel: string, key: string) => {
      const event = channel.slice(channel.lastIndexOf(':') + 1);
      if (key.startsWith('verigate:webhook:') && ['set', 'del', 'expired'].includes(event)) events.seen.push(event);
    });
    await subscriber.psubscribe(`__keyevent@${DB}__:*`);
    return events;
  }

  /** Waits until Redis has done `count` more things to the keys since the last call; what it did (all of it). */
  async next(count: number): Promise<string[]> {
    const from = this.#from;
    await waitFor(() => this.seen.length >= from + count);
    this.#from = this.seen.length;
    return this.seen.slice(from);
  }

  close(): Promise<unknown> {
    return this.#subscriber.quit();
  }
}

describeWithRedis('a slow Redis never turns a 503 into a lost webhook', () => {
  let redis: TestRedis;
  let admin: Redis;
  let proxy: HoldingProxy;
  let tg: TestGateway;
  let origin: string;
  let keyEvents: KeyEvents;
  const LEASE_MS = 1_500;
  const deliveryKeys = () => admin.keys('verigate:webhook:*');
  /** Every key of the delivery says `done`: a replay is a duplicate from now on. */
  const recorded = async () => {
    const keys = await deliveryKeys();
    return keys.length > 0 && (await admin.mget(...keys)).every((v) => v === 'done');
  };

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(() => redis?.stop());
  beforeEach(async () => {
    admin = new Redis(redis.url());
    await admin.flushdb();
    keyEvents = await KeyEvents.watch(redis.url());
    proxy = new HoldingProxy(redis.port);
    await proxy.open();
    tg = await startTestGateway(
      { ...CACHED, REDIS_URL: `redis://127.0.0.1:${proxy.port}/${DB}` },
      { ...FAST, webhookLeaseMs: LEASE_MS },
    );
    origin = originOf(tg.gateway.url);
    // The gateway's connections (shared, and the session-changes subscriber) are up.
    const connected = async () =>
      String(await admin.client('LIST'))
        .split('\n')
        .filter((l) => l.includes(`db=${DB} `)).length >= 3;
    expect(await waitFor(connected)).toBe(true);
  });
  afterEach(async () => {
    await tg.close();
    await proxy.close();
    await keyEvents.close();
    await admin.flushdb();
    await admin.quit();
  });

  const delivery = () =>
    signDiditDelivery(vendorHooks(tg.config).didit?.secret ?? '', diditStatusBody(DIDIT_APPROVED, 'Approved'));

  it('a claim that lands after the 503 is released, so the vendor’s retry is processed', async () => {
    const sim = tg.simulator('DIDIT');
    const d = delivery();
    const before = sim.requestCount(DIDIT_APPROVED);
    proxy.hold();
    expect(await postWebhook(origin, 'didit', d)).toEqual(UNAVAILABLE);
    // Redis answers at last: the claim lands after the vendor was told 503, and its release right after it.
    proxy.release();
    expect(await keyEvents.next(2)).toEqual(['set', 'del']);
    // Nothing is leased now, so the vendor's retry is processed. It retries as a vendor does, until a 2xx: on a loaded
    // machine a reply can miss the gateway's 100 ms command timeout, and that attempt is a 503 (released) too.
    expect(await waitFor(async () => (await postWebhook(origin, 'didit', d)).status === 200)).toBe(true);
    expect(await waitFor(() => sim.requestCount(DIDIT_APPROVED) === before + 1)).toBe(true);
    expect(await waitFor(recorded)).toBe(true);
    expect(await postWebhook(origin, 'didit', d)).toEqual(OK);
    expect(await settled(() => sim.requestCount(DIDIT_APPROVED), 1_000)).toBe(before + 1);
  });

  it('a claim that lands when its release is lost lapses on its own, and the retry is processed then', async () => {
    const sim = tg.simulator('DIDIT');
    const d = delivery();
    const before = sim.requestCount(DIDIT_APPROVED);
    proxy.hold();
    expect(await postWebhook(origin, 'didit', d)).toEqual(UNAVAILABLE);
    // The claim reaches Redis; the release sent after it is lost with the connection. Not done, only leased: it
    // lapses, however Redis came to hold it.
    proxy.passFirstThenDrop();
    expect(await keyEvents.next(2)).toEqual(['set', 'expired']);
    expect(await deliveryKeys()).toEqual([]);
    // The gateway reconnects; the vendor retries until a 2xx.
    expect(await waitFor(async () => (await postWebhook(origin, 'didit', d)).status === 200)).toBe(true);
    expect(await waitFor(() => sim.requestCount(DIDIT_APPROVED) === before + 1)).toBe(true);
    // Recorded now: a replay is a duplicate.
    expect(await waitFor(recorded)).toBe(true);
    expect(await postWebhook(origin, 'didit', d)).toEqual(OK);
    expect(await settled(() => sim.requestCount(DIDIT_APPROVED), 1_000)).toBe(before + 1);
  });
});
