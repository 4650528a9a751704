/**
 * Memory of idle subscriptions: one `node src/main.ts` on the sandbox, then SUBSCRIPTIONS (default 10 000) SSE
 * streams of `sessionUpdated` on a session that stays in review (Verifa `ses_abc123`: no event after the first),
 * each on its own connection, as graphql-sse's distinct-connections mode and fetch-only mobile clients open them.
 * Reads the gateway's RSS and V8 heap (from /metrics) before and after, and prints the cost per subscription.
 *   node bench/subscriptions-memory.ts
 *   SUBSCRIPTIONS=5000 GATEWAY_NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=192" node bench/subscriptions-memory.ts
 * (the second with the container's V8 flags, from the Dockerfile)
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request } from 'undici';

const KEY = 'bench-key-subscriptions-memory-01';
const SUBSCRIPTIONS = Number(process.env.SUBSCRIPTIONS ?? 10_000);
const WARM_UP = 200;
const BODY = JSON.stringify({
  query: 'subscription { sessionUpdated(provider: VERIFA, id: "ses_abc123") { status providerStatus isTerminal } }',
});

const gateway = spawn(process.execPath, ['--expose-gc', 'src/main.ts'], {
  env: {
    PATH: process.env.PATH ?? '',
    NODE_OPTIONS: process.env.GATEWAY_NODE_OPTIONS ?? '',
    PORT: '0',
    LOG_LEVEL: 'info',
    SHUTDOWN_DELAY_SECONDS: '0',
    GATEWAY_API_KEYS: JSON.stringify([{ name: 'bench', key: KEY, scopes: ['sessions:read'] }]),
    HTTP_MAX_CONNECTIONS: String(SUBSCRIPTIONS + 5_000),
    SUBSCRIPTIONS_PER_CREDENTIAL: String(SUBSCRIPTIONS + 5_000),
    SUBSCRIPTIONS_MAX: String(SUBSCRIPTIONS + 5_000),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});

const url = await new Promise<string>((resolve, reject) => {
  gateway.once('exit', () => reject(new Error('the gateway exited before listening')));
  let out = '';
  gateway.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
    const line = out.split('\n').find((l) => l.includes('Verigate listening'));
    if (line) resolve((JSON.parse(line) as { url: string }).url);
  });
});
const { hostname, port } = new URL(url);

/** Opens one SSE subscription; resolves once its first event has arrived. */
function subscribe(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${KEY}`,
          accept: 'text/event-stream',
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(BODY),
        },
      },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
        res.setEncoding('utf8');
        let text = '';
        const onData = (chunk: string) => {
          text += chunk;
          if (!text.includes('event: next')) return;
          res.off('data', onData);
          res.resume();
          resolve();
        };
        res.on('data', onData);
      },
    );
    req.on('error', reject);
    req.end(BODY);
  });
}

async function open(count: number): Promise<void> {
  // In waves of 500, so the bench measures memory held, not a connect storm.
  for (let i = 0; i < count; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, count - i) }, () => subscribe()));
  }
}

/** The gateway's resident set and V8 heap in use, from its /metrics (prom-client's process metrics). */
async function memory(): Promise<{ rss: number; heap: number }> {
  const res = await request(url.replace(/graphql$/, 'metrics'));
  const text = await res.body.text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_size_used_bytes') };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 3_000));
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

await open(WARM_UP);
await settle();
const before = await memory();
const started = performance.now();
await open(SUBSCRIPTIONS);
const openedInMs = performance.now() - started;
await settle();
const after = await memory();
const perRss = (after.rss - before.rss) / SUBSCRIPTIONS;
const perHeap = (after.heap - before.heap) / SUBSCRIPTIONS;
console.log(`| idle SSE subscriptions | ${SUBSCRIPTIONS} (after ${WARM_UP} warm-up) |`);
console.log(`| opened in | ${(openedInMs / 1000).toFixed(1)} s (waves of 500, first event received) |`);
console.log(`| RSS | ${mib(before.rss)} → ${mib(after.rss)}: ${(perRss / 1024).toFixed(1)} KiB per subscription |`);
console.log(
  `| V8 heap used | ${mib(before.heap)} → ${mib(after.heap)}: ${(perHeap / 1024).toFixed(1)} KiB per subscription |`,
);
gateway.kill('SIGKILL');
process.exit(0);
