/**
 * `node bench/compression.ts`: what compression costs and saves on the full Didit session (every Session field,
 * the documented example `11111111-…`) and on introspection. Two parts:
 *   1. the answer body alone through node:zlib at several levels: bytes and CPU per compression (in this process);
 *   2. whole requests to a gateway in a child process (sandbox, `npm start`'s defaults), once per encoding:
 *      bytes on the wire (status line, headers and body, counted on the socket) and the child's CPU per request
 *      (user + system, thread pool included), with the session cache on (the response cache replays the answer)
 *      and off (every request is fetched from the simulator and normalized again).
 * Options (env): BENCH_REQUESTS (per encoding and mode, default 2000), BENCH_ITERATIONS (zlib calls, default 2000).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type GraphQLObjectType, getIntrospectionQuery } from 'graphql';
import { buildSchema } from '../src/graphql/schema.ts';
import { selectAll } from '../test/support/schemaWalk.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const KEY = 'bench-key-0123456789abcdef';
const SESSION = '11111111-2222-3333-4444-555555555555';
const schema = buildSchema();
const FULL = `query Full { session(provider: DIDIT, id: "${SESSION}") { ${selectAll(schema, schema.getType('Session') as GraphQLObjectType)} } }`;
const ENCODINGS = ['identity', 'gzip', 'br'] as const;

if (process.argv[2] === 'gateway') await serveGateway();
else await main();

/** The child: a gateway as `npm start` runs it, answering `cpu` with its own process CPU time. */
async function serveGateway(): Promise<void> {
  const { loadConfig } = await import('../src/config/index.ts');
  const { logger } = await import('../src/logger.ts');
  const { startGateway } = await import('../src/server.ts');
  logger.level = 'silent';
  const gateway = await startGateway(loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent' }));
  process.send?.({ type: 'ready', port: gateway.port });
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'cpu') process.send?.({ type: 'cpu', usage: process.cpuUsage() });
    if (message.type === 'stop') {
      await gateway.close();
      process.exit(0);
    }
  });
}

interface Exchange {
  wireBytes: number;
  bodyBytes: number;
  encoding: string;
  body: Buffer;
}

/** One POST on its own connection; every byte the socket received is counted. */
function post(port: number, query: string, encoding: string): Promise<Exchange> {
  const payload = JSON.stringify({ query });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: {
          authorization: `Bearer ${KEY}`,
          'content-type': 'application/json',
          'accept-encoding': encoding,
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const wireBytes = res.socket?.bytesRead ?? 0;
          resolve({ wireBytes, bodyBytes: body.length, encoding: String(res.headers['content-encoding'] ?? ''), body });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sequential keep-alive requests through undici, so the child's CPU per request is not connection set-up. */
async function load(port: number, encoding: string, n: number): Promise<void> {
  const { Pool } = await import('undici');
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 4 });
  const one = async () => {
    const res = await pool.request({
      path: '/graphql',
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'accept-encoding': encoding },
      body: JSON.stringify({ query: FULL }),
    });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
  };
  for (let i = 0; i < n; i += 4) await Promise.all([one(), one(), one(), one()]);
  await pool.close();
}

function startChild(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(new URL(import.meta.url), ['gateway'], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      GATEWAY_API_KEYS: JSON.stringify([{ name: 'bench', key: KEY, scopes: ['sessions:read', 'pii:read'] }]),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve) => child.once('message', (m: { port: number }) => resolve({ child, port: m.port })));
}

function ask<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m: T) => resolve(m));
    child.send({ type });
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send({ type: 'stop' });
  });
}

function zlibTable(label: string, body: Buffer): void {
  const rows: Array<[string, (b: Buffer) => Buffer]> = [
    ['gzip 1', (b) => gzipSync(b, { level: 1 })],
    ['gzip 6', (b) => gzipSync(b, { level: 6 })],
    ['gzip 9', (b) => gzipSync(b, { level: 9 })],
    ...[1, 4, 5, 6, 9, 11].map((q): [string, (b: Buffer) => Buffer] => [
      `br ${q}`,
      (b) =>
        brotliCompressSync(b, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: q,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: b.length,
          },
        }),
    ]),
  ];
  console.log(`\n${label}: ${body.length} bytes uncompressed`);
  console.log('| encoding | bytes | of identity | CPU per compression (µs) |\n|---|---:|---:|---:|');
  for (const [name, compress] of rows) {
    const n = name === 'br 11' || name === 'br 9' ? Math.ceil(ITERATIONS / 10) : ITERATIONS;
    for (let i = 0; i < 50; i++) compress(body); // warm-up
    const before = process.cpuUsage();
    let size = 0;
    for (let i = 0; i < n; i++) size = compress(body).length;
    const used = process.cpuUsage(before);
    const us = (used.user + used.system) / n;
    console.log(`| ${name} | ${size} | ${((100 * size) / body.length).toFixed(0)} % | ${us.toFixed(0)} |`);
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${cpus()[0]?.model ?? '?'} × ${cpus().length}, Node ${process.version}`);
  const { child, port } = await startChild({});
  const plain = await post(port, FULL, 'identity');
  const introspection = await post(port, getIntrospectionQuery(), 'identity');
  zlibTable('Full Didit session answer', plain.body);
  zlibTable('Introspection answer', introspection.body);

  console.log('\nOne request on the wire (status line + headers + body, bytes read on the socket):');
  console.log('| answer | encoding | body bytes | wire bytes |\n|---|---|---:|---:|');
  for (const [label, query] of [
    ['full Didit session', FULL],
    ['introspection', getIntrospectionQuery()],
  ] as const) {
    for (const encoding of ENCODINGS) {
      const x = await post(port, query, encoding === 'identity' ? 'identity' : encoding);
      console.log(`| ${label} | ${x.encoding || 'identity'} | ${x.bodyBytes} | ${x.wireBytes} |`);
    }
  }
  await stop(child);

  console.log(`\nGateway CPU per request, full Didit session, ${REQUESTS} requests per row (4 at a time, keep-alive):`);
  console.log('| session cache | encoding | CPU per request (µs) |\n|---|---|---:|');
  for (const [mode, env] of [
    ['on (response cache replays)', {}],
    ['off (simulator every time)', { CACHE_TERMINAL_TTL_SECONDS: '0', CACHE_ACTIVE_TTL_SECONDS: '0' }],
  ] as const) {
    const gw = await startChild(env);
    // Alternating rounds cancel drift (JIT warm-up, CPU frequency).
    const totals = new Map<string, number>(ENCODINGS.map((e) => [e, 0]));
    await load(gw.port, 'identity', 500);
    for (let round = 0; round < 3; round++) {
      for (const encoding of ENCODINGS) {
        const before = await ask<{ usage: NodeJS.CpuUsage }>(gw.child, 'cpu');
        await load(gw.port, encoding, Math.ceil(REQUESTS / 3));
        const after = await ask<{ usage: NodeJS.CpuUsage }>(gw.child, 'cpu');
        const us = after.usage.user - before.usage.user + after.usage.system - before.usage.system;
        totals.set(encoding, (totals.get(encoding) ?? 0) + us);
      }
    }
    for (const encoding of ENCODINGS) {
      const perRequest = (totals.get(encoding) ?? 0) / (3 * Math.ceil(REQUESTS / 3));
      console.log(`| ${mode} | ${encoding} | ${perRequest.toFixed(0)} |`);
    }
    await stop(gw.child);
  }
}
