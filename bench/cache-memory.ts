/**
 * `node --expose-gc bench/cache-memory.ts`: what the in-memory session cache costs (docs/benchmarks.md, "Session
 * cache memory").
 *  1. Per entry: heap held by normalised Didit sessions against the length of the bodies they were parsed from
 *     (the estimate CACHE_MAX_BYTES counts), and what JSON.stringify would cost as an estimate instead.
 *  2. The reproduction of issue 10 item 3: 150 sessions with a 1.9 MB field each through a gateway (a child
 *     process, from sources), RSS and heap after GC before and after, entries-only bound vs CACHE_MAX_BYTES.
 * Options (env): CACHE_BENCH_FLAGS (extra V8 flags for the gateway, e.g. the container's).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { request } from 'undici';

const KEY = 'bench-key-0123456789abcdef';
const SESSIONS = 150;
const FIELD_CHARS = 1_900_000;

if (process.argv[2] === 'gateway') await runGateway();
else await main();

/** The child: a gateway on a free port, answering `gc` with its memory after a full collection. */
async function runGateway(): Promise<void> {
  const { loadConfig } = await import('../src/config/index.ts');
  const { logger } = await import('../src/logger.ts');
  const { startGateway } = await import('../src/server.ts');
  logger.level = 'silent';
  const gateway = await startGateway(loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent' }));
  process.send?.({ type: 'ready', url: gateway.url });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'gc') {
      globalThis.gc?.();
      globalThis.gc?.();
      process.send?.({ type: 'gc', ...process.memoryUsage() });
    } else if (message.type === 'stop') process.exit(0);
  });
}

async function main(): Promise<void> {
  await perEntry();
  const { startDiditSimulator, DIDIT_SANDBOX_API_KEY } = await import('../src/providers/didit/sandbox/simulator.ts');
  const { fakeV3 } = await import('../src/providers/didit/sandbox/fakes.ts');
  const sim = await startDiditSimulator();
  sim.faults.inject(
    {
      kind: 'payload',
      body: (path) => {
        const id = path.split('/')[3] as string;
        const big = `${id}:${'r'.repeat(FIELD_CHARS)}`;
        return JSON.stringify({ ...fakeV3({ id, status: 'Approved', kyc: 'Approved' }), vendor_data: big });
      },
    },
    { path: '/v3/session/d1d10800-' },
  );
  const env = {
    NODE_ENV: 'development',
    GATEWAY_API_KEYS: JSON.stringify([{ name: 'bench', key: KEY, scopes: ['sessions:read', 'pii:read'] }]),
    DIDIT_BASE_URL: sim.url,
    DIDIT_API_KEY: DIDIT_SANDBOX_API_KEY,
    DIDIT_RATE_LIMIT_PER_MINUTE: '0',
  };
  const flags = (process.env.CACHE_BENCH_FLAGS ?? '').split(' ').filter(Boolean);
  for (const [label, maxBytes] of [
    ['entries only (CACHE_MAX_BYTES 1 TiB, as before)', String(2 ** 40)],
    ['CACHE_MAX_BYTES default (64 MiB)', undefined],
  ] as const) {
    const child = await startChild({ ...env, ...(maxBytes ? { CACHE_MAX_BYTES: maxBytes } : {}) }, flags);
    const before = await memory(child.proc);
    let served = 0;
    for (let i = 1; i <= SESSIONS; i++) {
      const id = `d1d10800-0000-4000-8000-${String(i).padStart(12, '0')}`;
      if (await query(child.url, id).catch(() => false)) served += 1;
      if (!child.proc.connected) break;
    }
    const after = child.proc.connected ? await memory(child.proc) : null;
    const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
    console.log(
      `${label}: RSS ${mb(before.rss)} -> ${after ? mb(after.rss) : 'process gone'}, heap used ${mb(before.heapUsed)} -> ${after ? mb(after.heapUsed) : '-'}, sessions answered ${served}/${SESSIONS}`,
    );
    if (child.proc.exitCode === null && child.proc.signalCode === null) {
      const exited = new Promise((resolve) => child.proc.once('exit', resolve));
      child.proc.send({ type: 'stop' });
      await exited;
    }
  }
  await sim.close();
}

/** Heap per normalised session against its body length, and what JSON.stringify costs per set. */
async function perEntry(): Promise<void> {
  const { DIDIT_V3_DOCUMENTED_DECISION } = await import('../src/providers/didit/sandbox/examples/v3Documented.ts');
  const { DIDIT_V3_OFFICIAL_EXAMPLE } = await import('../src/providers/didit/sandbox/examples/v3Official.ts');
  const { fakeV3 } = await import('../src/providers/didit/sandbox/fakes.ts');
  const { diditV3Decision } = await import('../src/providers/didit/payloadV3.ts');
  const { normalizeDiditV3Decision } = await import('../src/providers/didit/normalizeV3.ts');
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc');
  const cases: Array<[string, unknown]> = [
    ['documented decision', DIDIT_V3_DOCUMENTED_DECISION],
    ['OpenAPI example (every feature)', DIDIT_V3_OFFICIAL_EXAMPLE],
    [
      'status fake (Approved)',
      fakeV3({ id: 'd1d10200-0000-4000-8000-000000000003', status: 'Approved', kyc: 'Approved' }),
    ],
  ];
  for (const [name, payload] of cases) {
    const body = JSON.stringify(payload);
    const copies = 5_000;
    const build = () => normalizeDiditV3Decision(diditV3Decision.parse(JSON.parse(body)), false);
    for (let i = 0; i < copies; i++) build(); // warm up: compiled code and lazily built objects are not per entry
    gc();
    gc();
    const start = process.memoryUsage().heapUsed;
    const kept = [];
    for (let i = 0; i < copies; i++) kept.push(build());
    gc();
    gc();
    const perSession = (process.memoryUsage().heapUsed - start) / copies;
    const t0 = performance.now();
    for (const session of kept) JSON.stringify(session);
    const stringifyUs = ((performance.now() - t0) * 1000) / copies;
    kept.length = 0; // or this case's sessions would count against the next one's baseline
    console.log(
      `${name}: body ${body.length} B, heap per cached session ${perSession.toFixed(0)} B, JSON.stringify per set ${stringifyUs.toFixed(1)} µs`,
    );
  }
  const big = { ...(cases[2]?.[1] as object), vendor_data: 'r'.repeat(FIELD_CHARS) };
  const session = normalizeDiditV3Decision(diditV3Decision.parse(big), false);
  const t0 = performance.now();
  for (let i = 0; i < 20; i++) JSON.stringify(session);
  console.log(`1.9 MB session: JSON.stringify per set ${((performance.now() - t0) / 20).toFixed(2)} ms`);
}

function startChild(env: Record<string, string>, flags: string[]): Promise<{ proc: ChildProcess; url: string }> {
  const proc = fork(new URL(import.meta.url), ['gateway'], {
    env: { ...process.env, ...env },
    execArgv: ['--expose-gc', ...flags],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    proc.on('message', (m: { type: string; url?: string }) => {
      if (m.type === 'ready' && m.url) resolve({ proc, url: m.url });
    });
  });
}

function memory(proc: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve) => {
    const onMessage = (m: { type: string } & NodeJS.MemoryUsage) => {
      if (m.type !== 'gc') return;
      proc.off('message', onMessage);
      resolve(m);
    };
    proc.on('message', onMessage);
    proc.send({ type: 'gc' });
  });
}

async function query(url: string, id: string): Promise<boolean> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ query: `{ session(provider: DIDIT, id: "${id}") { status reference } }` }),
  });
  const body = (await res.body.json()) as { data?: { session?: { status?: string } } };
  return res.statusCode === 200 && body.data?.session?.status === 'APPROVED';
}
