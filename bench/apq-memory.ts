/**
 * `node bench/apq-memory.ts`: what persisted-query registrations cost the session cache in a Redis with a
 * `maxmemory` (docs/benchmarks.md, "Persisted queries and Redis memory"); the reproduction of issue 10 item 4.
 * Starts its own redis-server (REDIS_BENCH_PORT, default 6391; 64 MB, allkeys-lru), writes 4 000 session-cache
 * entries of a real entry's size, then through a gateway (in this process, from sources):
 *  A. one credential registers 300 documents of ~250 KB (within the token cap: the padding is a comment);
 *  B. 20 credentials each register 61 documents of 16 KiB (the default cap), 1 220 attempts.
 * After each: registrations accepted and refused (by code), session entries left, APQ documents kept and the
 * bytes Redis holds for them, keys Redis evicted.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { loadConfig } from '../src/config/index.ts';
import { logger } from '../src/logger.ts';
import { startGateway } from '../src/server.ts';

const PORT = Number(process.env.REDIS_BENCH_PORT ?? 6391);
const REDIS_URL = `redis://127.0.0.1:${PORT}/0`;
const SESSIONS = 4_000;
const CREDENTIALS = Array.from({ length: 20 }, (_, i) => ({
  name: `client-${i}`,
  key: `bench-apq-key-${String(i).padStart(4, '0')}-abcdef`,
  scopes: ['sessions:read'],
}));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function documentOf(name: string, bytes: number): string {
  const text = `query ${name} { session(provider: VERIFA, id: "ses_approved") { status } }`;
  return `${text}\n# ${'x'.repeat(Math.max(0, bytes - text.length - 3))}`;
}

async function startRedis(): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(PORT),
      '--save',
      '',
      '--appendonly',
      'no',
      '--maxmemory',
      '64mb',
      '--maxmemory-policy',
      'allkeys-lru',
    ],
    { stdio: 'ignore' },
  );
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  probe.on('error', () => {}); // refused until the server listens
  for (let i = 0; i < 50; i++) {
    try {
      await probe.connect();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  probe.disconnect();
  return child;
}

async function count(redis: Redis, pattern: string): Promise<{ keys: number; bytes: number }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    cursor = next;
    for (const key of batch) {
      keys += 1;
      bytes += (await redis.call('MEMORY', 'USAGE', key)) as number;
    }
  } while (cursor !== '0');
  return { keys, bytes };
}

async function evicted(redis: Redis): Promise<number> {
  return Number(/evicted_keys:(\d+)/.exec(await redis.info('stats'))?.[1] ?? 0);
}

async function register(url: string, key: string, document: string): Promise<string> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      query: document,
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256(document) } },
    }),
  });
  const body = (await res.body.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
  return body.errors?.[0]?.extensions?.code ?? String(res.statusCode);
}

async function main(): Promise<void> {
  logger.level = 'silent';
  const server = await startRedis();
  const redis = new Redis(REDIS_URL);
  try {
    await redis.flushall();
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'silent',
      GATEWAY_API_KEYS: JSON.stringify(CREDENTIALS),
      REDIS_URL,
      CACHE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      CACHE_TERMINAL_TTL_SECONDS: '300',
    });
    const gateway = await startGateway(config);
    await new Promise((r) => setTimeout(r, 200));
    // One real session entry, for its size; then 4 000 of that size.
    await request(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CREDENTIALS[0]?.key}` },
      body: JSON.stringify({
        query: '{ session(provider: VERIFA, id: "ses_approved") { status applicant { fullName } } }',
      }),
    }).then((r) => r.body.dump());
    const [real] = await redis.keys('verigate:session:*');
    const size = real ? ((await redis.getBuffer(real))?.length ?? 2_000) : 2_000;
    const pipeline = redis.pipeline();
    for (let i = 0; i < SESSIONS; i++) {
      pipeline.set(`verigate:session:v2:${randomBytes(32).toString('base64url')}`, randomBytes(size), 'PX', 300_000);
    }
    await pipeline.exec();
    const report = async (label: string, codes: Map<string, number>, started: number) => {
      const sessions = await count(redis, 'verigate:session:*');
      const documents = await count(redis, 'verigate:apq:*');
      console.log(
        JSON.stringify({
          scenario: label,
          seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
          answers: Object.fromEntries(codes),
          sessionsLeft: `${sessions.keys} of ${SESSIONS + 1}`,
          apqKeys: documents.keys,
          apqMiB: Number((documents.bytes / 2 ** 20).toFixed(1)),
          evictedKeys: await evicted(redis),
          sessionEntryBytes: size,
        }),
      );
    };

    let codes = new Map<string, number>();
    let started = performance.now();
    for (let i = 0; i < 300; i++) {
      const code = await register(gateway.url, CREDENTIALS[0]?.key as string, documentOf(`Big${i}`, 250_000));
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    await report('A: 300 x 250 KB, one credential', codes, started);

    codes = new Map();
    started = performance.now();
    for (const credential of CREDENTIALS) {
      for (let i = 0; i < 61; i++) {
        const code = await register(
          gateway.url,
          credential.key,
          documentOf(`${credential.name}_${i}`.replaceAll('-', '_'), 16 * 1024),
        );
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
    }
    await report('B: 20 credentials x 61 x 16 KiB', codes, started);
    await gateway.close();
  } finally {
    redis.disconnect();
    server.kill('SIGTERM');
  }
}

await main();
