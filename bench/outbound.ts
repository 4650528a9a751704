/**
 * `node bench/outbound.ts`: outbound webhooks on one replica (docs/benchmarks.md, "Outbound webhooks"), SQLite outbox.
 *
 * 1. Backlog drain: `BENCH_BACKLOG` (default 10 000) pending deliveries seeded directly into the outbox (as after a
 *    receiver outage), one dispatcher with its production settings, a fast receiver on loopback (204, no work): the
 *    time until the queue is empty, as deliveries/s. Run twice: every event of its own session (nothing waits on
 *    order), and 100 sessions of 100 events each (each session's events one after another).
 * 2. End to end on the sandbox: a gateway (Verifa's timed scenario, 300 ms steps), its vendor webhooks routed through a
 *    proxy that notes when each one is sent, and a receiver verifying with `standardwebhooks`: time from the vendor's
 *    webhook leaving to the receiver holding the outbound event, p50/p99 over `BENCH_ROUNDS` (default 20) gateways.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { request } from 'undici';
import { loadConfig } from '../src/config/index.ts';
import { SqliteEventStore } from '../src/events/sqlite/engine.ts';
import { logger } from '../src/logger.ts';
import { Dispatcher } from '../src/outbound/dispatcher.ts';
import { Outbox } from '../src/outbound/outbox.ts';
import { OutboundSender } from '../src/outbound/send.ts';
import { secretKey } from '../src/outbound/signature.ts';
import { startGateway } from '../src/server.ts';

const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
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

async function drain(sessions: number | null): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-outbound-bench-'));
  const store = SqliteEventStore.open(join(dir, 'events.db'));
  let received = 0;
  const receiver = await listen(() => {
    received += 1;
    return 204;
  });
  const endpoint = {
    name: 'bench',
    url: `${urlOf(receiver)}/hooks`,
    keys: [secretKey(SECRET) as Buffer],
    events: null,
    providers: null,
  };
  const outbox = new Outbox(store, [endpoint]);
  const now = new Date().toISOString();
  await store.transaction(async (tx) => {
    for (let i = 0; i < BACKLOG; i += 1) {
      const session = sessions === null ? `ses_${i}` : `ses_${i % sessions}`;
      await tx.run(
        `INSERT INTO outbound_deliveries (id, endpoint, event_type, provider, provider_session_id, body, status,
           attempts, next_attempt_at, created_at) VALUES (?, 'bench', 'verification.session.status_changed', 'VERIFA', ?, ?, 'pending', 0, ?, ?)`,
        [`msg_bench_${i}`, session, JSON.stringify({ type: 'verification.session.status_changed', n: i }), now, now],
      );
    }
  });
  const sender = new OutboundSender({ allowPrivate: true });
  const dispatcher = new Dispatcher({ outbox, sender });
  const started = performance.now();
  dispatcher.start();
  while (received < BACKLOG) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  while ((await outbox.queueDepth()).get('bench') !== 0) await new Promise((resolve) => setTimeout(resolve, 20));
  await dispatcher.stop();
  await sender.close();
  await store.close();
  receiver.close();
  rmSync(dir, { recursive: true, force: true });
  return BACKLOG / seconds;
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
console.log(`backlog of ${BACKLOG}, every event its own session: ${(await drain(null)).toFixed(0)} deliveries/s`);
console.log(`backlog of ${BACKLOG}, 100 sessions × ${BACKLOG / 100}: ${(await drain(100)).toFixed(0)} deliveries/s`);
const latencies: number[] = [];
for (let i = 0; i < ROUNDS; i += 1) latencies.push(...(await endToEnd()));
console.log(
  `vendor webhook → receiver: p50 ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms, max ${percentile(latencies, 1)} ms (${latencies.length} events)`,
);
