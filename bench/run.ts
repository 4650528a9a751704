/**
 * `npm run bench`: one run, one machine, loopback. Four targets measured in alternating rounds (to cancel drift):
 *   (a) the Didit simulator served directly: the ceiling
 *   (b) a minimal undici pass-through proxy making the same upstream call: the floor of any Node gateway
 *   (c) Verigate with caching off
 *   (d) Verigate serving a cached terminal session
 * and, the way real clients ask (every request a new session id, passed as a variable; Didit v1, 3.5 KB):
 *   (e) the pass-through proxy, reading the id from the variables
 *   (f) Verigate with caching off
 *   (g) only with BENCH_BASELINE_DIST: (f) from another build, to measure a change against it in the same run;
 *       a comma-separated list runs each build as (g), (h), (i), …
 * plus the latency each adds at one connection. Then: upstream calls per operation, 50 concurrent identical
 * operations, and a 100k-operation soak of (f).
 * Results go to bench/results/latest.json and into docs/benchmarks.md between the bench markers.
 * Options (env): BENCH_SECONDS (per round, default 8), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50),
 * BENCH_REALISTIC_CONNECTIONS (32), BENCH_LATENCY_OPS (one-connection operations per target, 4000),
 * BENCH_SOAK (operations, default 100000; 0 skips), BENCH_PROFILE=1 (CPU profile of (c) and (f) into
 * bench/results/), BENCH_ONLY=realistic ((e), (f), (g) only; docs/benchmarks.md left alone),
 * BENCH_BASELINE_DIST (copies of dist/ inside the repository, comma-separated, run as (g), (h), …),
 * BENCH_GATEWAY_FLAGS (V8 flags of the gateways, default the container's), BENCH_BASELINE_GATEWAY_FLAGS (those of
 * (g) alone, default BENCH_GATEWAY_FLAGS: set both, with one dist twice, to measure V8 flags in one run),
 * BENCH_LOG=0 (the gateways do not write their per-operation log line; by default they write it, to /dev/null),
 * BENCH_BASELINE_ENV (JSON, extra environment of the baseline builds, e.g. '{"BENCH_LOG":"0"}').
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import autocannon from 'autocannon';
import { Client, request } from 'undici';
import { QUERY, SESSION, VARIABLES_QUERY } from './query.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SOAK = Number(process.env.BENCH_SOAK ?? 100_000);
const PROFILE = process.env.BENCH_PROFILE === '1';
const REALISTIC_CONNECTIONS = Number(process.env.BENCH_REALISTIC_CONNECTIONS ?? 32);
const LATENCY_OPS = Number(process.env.BENCH_LATENCY_OPS ?? 4_000);
const ONLY_REALISTIC = process.env.BENCH_ONLY === 'realistic';
const BASELINE_DIST = process.env.BENCH_BASELINE_DIST;
const BASELINE_ENV = JSON.parse(process.env.BENCH_BASELINE_ENV ?? '{}') as Record<string, string>;
/** Other work on the machine, for the record: numbers on a shared machine mean little without it. */
const LOAD_AT_START = loadavg()[0]?.toFixed(1);
/** Another Didit scenario (status Declined), used only by the concurrency check. */
const OTHER_SESSION = 'd1d10200-0000-4000-8000-000000000004';
const KEY = 'bench-key-0123456789abcdef';

const GRAPHQL_BODY = JSON.stringify({ query: QUERY, operationName: 'Bench' });
const [BODY_HEAD, BODY_TAIL] = JSON.stringify({
  query: VARIABLES_QUERY,
  operationName: 'Bench',
  variables: { id: SESSION },
}).split(SESSION) as [string, string];
/** A session id never asked for before in this run (well-formed: the simulator answers any). */
const RUN_TAG = randomBytes(4).toString('hex');
let nextId = 0;
function distinctIdBody(): string {
  nextId += 1;
  return `${BODY_HEAD}${RUN_TAG}-0000-4000-8000-${nextId.toString(16).padStart(12, '0')}${BODY_TAIL}`;
}

interface Child {
  proc: ChildProcess;
  url: string;
  live?: { baseUrl: string; apiKey: string };
}

function start(
  role: string,
  args: string[] = [],
  env: Record<string, string> = {},
  execArgv: string[] = [],
): Promise<Child> {
  // Verigate runs as the container runs it, from dist/ (bench/gateway.mjs); the baselines from bench/servers.ts.
  const gateway = role === 'gateway';
  const childEnv = { ...process.env, ...env };
  const proc = fork(
    new URL(gateway ? './gateway.mjs' : './servers.ts', import.meta.url),
    gateway ? args : [role, ...args],
    {
      env: childEnv,
      execArgv: ['--expose-gc', ...execArgv],
      // A gateway writes its log lines to /dev/null: the cost of writing them, not of reading them.
      stdio: ['ignore', gateway ? 'ignore' : 'inherit', 'inherit', 'ipc'],
    },
  );
  children.push(proc);
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
    proc.once('message', (m: { url: string; live?: Child['live'] }) =>
      resolve({ proc, url: m.url, ...(m.live ? { live: m.live } : {}) }),
    );
  });
}

// Never leave a server behind, even when the bench fails half-way.
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const proc of children) proc.kill('SIGKILL');
});

function ask<T>(child: Child, message: Record<string, unknown>): Promise<T> {
  return new Promise((resolve) => {
    child.proc.once('message', (m: T) => resolve(m));
    child.proc.send(message);
  });
}

/**
 * CPU time (user + system) the child has used, ms: all its threads, or only its main (JavaScript) thread, which
 * bounds its throughput; the difference is mostly V8's GC helper threads, whose share varies from process to process.
 */
function cpuMs(child: Child, mainThread = false): number {
  const path = mainThread ? `/proc/${child.proc.pid}/task/${child.proc.pid}/stat` : `/proc/${child.proc.pid}/stat`;
  const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function peakRssMiB(child: Child): number {
  const status = readFileSync(`/proc/${child.proc.pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

interface Target {
  name: string;
  label: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  /** Every request asks for a new session id, as a variable. */
  distinctIds?: boolean;
  connections: number;
  /** The process that serves it (for its CPU time) and the upstream it calls (for its request count). */
  server: Child;
  upstream: Child;
}

async function load(target: Target, seconds: number, amount?: number) {
  const cpuBefore = cpuMs(target.server);
  const mainBefore = cpuMs(target.server, true);
  const result = await autocannon({
    url: target.url,
    method: target.method,
    headers: target.headers,
    ...(target.body ? { body: target.body } : {}),
    ...(target.distinctIds ? { requests: [{ setupRequest: (req) => ({ ...req, body: distinctIdBody() }) }] } : {}),
    connections: target.connections,
    ...(amount ? { amount } : { duration: seconds }),
  });
  if (result.errors > 0 || result.non2xx > 0)
    throw new Error(`${target.name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    cpuMsPerOp: (cpuMs(target.server) - cpuBefore) / Math.max(1, result.requests.total),
    mainMsPerOp: (cpuMs(target.server, true) - mainBefore) / Math.max(1, result.requests.total),
  };
}

/** Latency at one connection: sequential operations, each with a new id, timed in this process to the microsecond. */
async function oneConnection(target: Target, operations: number): Promise<number[]> {
  const { origin, pathname } = new URL(target.url);
  const client = new Client(origin, { pipelining: 1 });
  const times: number[] = [];
  try {
    for (let i = 0; i < operations; i += 1) {
      const started = performance.now();
      const res = await client.request({
        path: pathname,
        method: 'POST',
        headers: target.headers,
        body: distinctIdBody(),
      });
      await res.body.dump();
      times.push(performance.now() - started);
    }
  } finally {
    await client.close();
  }
  return times;
}

const sim = await start('simulator');
if (!sim.live) throw new Error('simulator did not report its settings');
const decisionPath = `/v3/session/${SESSION}/decision/`;
const proxy = await start('proxy', [sim.live.baseUrl.replace(/\/$/, ''), 'x-api-key', sim.live.apiKey, decisionPath]);
const anyId = await start('didit-any');
if (!anyId.live) throw new Error('didit-any did not report its settings');
const idProxy = await start('proxy', [
  anyId.url,
  'authorization',
  `Bearer ${anyId.live.apiKey}`,
  '/v1/session/{id}/decision/',
]);
const gatewayEnv = {
  NODE_ENV: 'production',
  GATEWAY_API_KEYS: JSON.stringify([{ name: 'bench', key: KEY, scopes: ['sessions:read', 'pii:read'] }]),
  DIDIT_BASE_URL: sim.live.baseUrl,
  DIDIT_API_KEY: sim.live.apiKey,
  DIDIT_RATE_LIMIT_PER_MINUTE: '0',
  MALLOC_ARENA_MAX: '2', // as in the Dockerfile
};
/** The V8 flags the container runs Verigate with (Dockerfile NODE_OPTIONS): see docs/benchmarks.md, "memory". */
const GATEWAY_NODE_FLAGS = (process.env.BENCH_GATEWAY_FLAGS ?? '--max-semi-space-size=8 --max-old-space-size=192')
  .split(' ')
  .filter(Boolean);
const profileDir = new URL('./results/', import.meta.url).pathname;
mkdirSync(profileDir, { recursive: true });
const uncached = await start(
  'gateway',
  [],
  { ...gatewayEnv, CACHE_TERMINAL_TTL_SECONDS: '0', CACHE_ACTIVE_TTL_SECONDS: '0', BENCH_DEDUP: '0' },
  [...GATEWAY_NODE_FLAGS, ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
);
const cached = await start('gateway', [], { ...gatewayEnv, CACHE_TERMINAL_TTL_SECONDS: '3600' }, GATEWAY_NODE_FLAGS);
/** Verigate on Didit v1 (client credentials; the token is fetched once and cached), caching and dedup off. */
const realisticEnv = {
  ...gatewayEnv,
  DIDIT_API_KEY: '',
  DIDIT_BASE_URL: anyId.live.baseUrl,
  DIDIT_AUTH_URL: `${anyId.url}/auth/v2/token/`,
  DIDIT_CLIENT_ID: 'bench-client',
  DIDIT_CLIENT_SECRET: 'bench-secret',
  CACHE_TERMINAL_TTL_SECONDS: '0',
  CACHE_ACTIVE_TTL_SECONDS: '0',
  BENCH_DEDUP: '0',
};
const profileFlags = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
const realistic = await start('gateway', [], realisticEnv, [...GATEWAY_NODE_FLAGS, ...profileFlags]);
const BASELINE_NODE_FLAGS = (process.env.BENCH_BASELINE_GATEWAY_FLAGS ?? GATEWAY_NODE_FLAGS.join(' '))
  .split(' ')
  .filter(Boolean);
/** Other builds of (f), in the same alternating rounds: (g) for the first, then (h), (i), … */
const baselines = await Promise.all(
  (BASELINE_DIST ?? '')
    .split(',')
    .filter(Boolean)
    .map(async (dir, i) => ({
      name: String.fromCharCode('g'.charCodeAt(0) + i),
      dir,
      server: await start('gateway', [], { ...realisticEnv, ...BASELINE_ENV, BENCH_DIST: dir }, [
        ...BASELINE_NODE_FLAGS,
        ...profileFlags,
      ]),
    })),
);
const baseline = baselines[0] ?? null;

const gql = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
const today = { method: 'POST', headers: gql, body: GRAPHQL_BODY, connections: CONNECTIONS, upstream: sim } as const;
const distinct = { method: 'POST', headers: gql, distinctIds: true, connections: REALISTIC_CONNECTIONS } as const;
const allTargets: Target[] = [
  {
    name: 'a',
    label: '(a) Didit simulator, direct',
    url: sim.url + decisionPath,
    method: 'GET',
    headers: { 'x-api-key': sim.live.apiKey },
    connections: CONNECTIONS,
    server: sim,
    upstream: sim,
  },
  { name: 'b', label: '(b) undici pass-through proxy', url: proxy.url, server: proxy, ...today },
  { name: 'c', label: '(c) Verigate, caching off', url: uncached.url, server: uncached, ...today },
  { name: 'd', label: '(d) Verigate, cached terminal session', url: cached.url, server: cached, ...today },
  {
    name: 'e',
    label: '(e) pass-through, distinct ids',
    url: idProxy.url,
    server: idProxy,
    upstream: anyId,
    ...distinct,
  },
  {
    name: 'f',
    label: '(f) Verigate, distinct ids',
    url: realistic.url,
    server: realistic,
    upstream: anyId,
    ...distinct,
  },
  ...baselines.map((b) => ({
    name: b.name,
    label: `(${b.name}) ${b.dir}, distinct ids`,
    url: b.server.url,
    server: b.server,
    upstream: anyId,
    ...distinct,
  })),
];
const targets = ONLY_REALISTIC ? allTargets.filter((t) => t.distinctIds) : allTargets;
const byName = (name: string) => allTargets.find((t) => t.name === name) as Target;

// Every target answers correctly before anything is timed.
for (const t of targets.filter((x) => x.name !== 'a')) {
  const body = t.distinctIds ? distinctIdBody() : t.body;
  const res = await request(t.url, { method: 'POST', headers: t.headers, body });
  const json = (await res.body.json()) as { data?: { session?: { status?: string } }; errors?: unknown };
  const passThrough = t.name === 'b' || t.name === 'e';
  const ok = passThrough
    ? (json as { status?: string }).status === 'Declined'
    : !json.errors && json.data?.session?.status === 'DECLINED';
  if (!ok) throw new Error(`${t.name} answered ${JSON.stringify(json).slice(0, 300)}`);
}
process.stdout.write(
  `bench: ${ROUNDS} rounds x ${SECONDS}s per target, ${CONNECTIONS} connections (distinct ids: ${REALISTIC_CONNECTIONS})\n`,
);
for (const t of targets) await load(t, 2); // warm-up

type Round = { rps: number; p50: number; p99: number; cpuMsPerOp: number; mainMsPerOp: number };
const rounds: Record<string, Round[]> = Object.fromEntries(allTargets.map((t) => [t.name, []]));
const calls: Record<string, { ops: number; upstream: number }> = Object.fromEntries(
  allTargets.map((t) => [t.name, { ops: 0, upstream: 0 }]),
);
for (let r = 0; r < ROUNDS; r += 1) {
  for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
    await ask(t.upstream, { type: 'reset' });
    const m = await load(t, SECONDS);
    rounds[t.name]?.push(m);
    const { count } = await ask<{ count: number }>(t.upstream, { type: 'count' });
    const tally = calls[t.name] as { ops: number; upstream: number };
    tally.ops += m.total;
    tally.upstream += count;
    process.stdout.write(
      `  round ${r + 1} ${t.label}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, CPU ${m.cpuMsPerOp.toFixed(3)} ms/op (main thread ${m.mainMsPerOp.toFixed(3)})\n`,
    );
  }
}

// One connection, distinct ids: what each adds to a request's latency, in alternating batches.
const single: Record<string, number[]> = {};
const singleTargets = targets.filter((t) => t.distinctIds);
for (let batch = 0; batch < 4; batch += 1) {
  for (const t of batch % 2 === 0 ? singleTargets : [...singleTargets].reverse()) {
    const times = await oneConnection(t, Math.ceil(LATENCY_OPS / 4));
    single[t.name] = [...(single[t.name] ?? []), ...times];
  }
}
const quantile = (xs: number[], q: number) =>
  Math.round(([...xs].sort((x, y) => x - y)[Math.floor(xs.length * q)] ?? 0) * 1000) / 1000;
const oneConnectionMs = Object.fromEntries(
  Object.entries(single).map(([name, xs]) => [name, { p50: quantile(xs, 0.5), p99: quantile(xs, 0.99) }]),
);

// Upstream calls per operation, exactly: sequential operations, so nothing of another run is in flight.
async function callsPerOperation(target: Target, operations: number): Promise<number> {
  await ask(target.upstream, { type: 'reset' });
  for (let i = 0; i < operations; i += 1) {
    const body = target.distinctIds ? distinctIdBody() : target.body;
    const res = await request(target.url, { method: 'POST', headers: target.headers, body });
    await res.body.dump();
  }
  const { count } = await ask<{ count: number }>(target.upstream, { type: 'count' });
  return count / operations;
}
const exactCalls = {
  uncached: ONLY_REALISTIC ? null : await callsPerOperation(byName('c'), 500),
  cached: ONLY_REALISTIC ? null : await callsPerOperation(byName('d'), 500),
  distinctIds: await callsPerOperation(byName('f'), 500),
};

// 50 concurrent identical operations for a session nobody has asked for yet (gateway (d), whose in-flight dedup
// is on): one upstream call, the other 49 share it.
let concurrentCalls: number | null = null;
if (!ONLY_REALISTIC) {
  await ask(sim, { type: 'reset' });
  await ask(sim, { type: 'latency', ms: 200 });
  const unseen = GRAPHQL_BODY.replace(SESSION, OTHER_SESSION);
  await Promise.all(
    Array.from({ length: 50 }, async () => {
      const res = await request(cached.url, { method: 'POST', headers: gql, body: unseen });
      await res.body.dump();
    }),
  );
  concurrentCalls = (await ask<{ count: number }>(sim, { type: 'count' })).count;
}

// Soak of (f), every operation a new session id: heap after GC must come back to within ±10% of its post-warm-up
// value; RSS must stay under 200 MB.
let soak: {
  ops: number;
  heapAfterWarmupMiB: number;
  heapAfterSoakMiB: number;
  heapDriftPercent: number;
  peakRssMiB: number;
} | null = null;
if (SOAK > 0) {
  const target = byName('f');
  await load(target, 0, 10_000);
  const warm = await ask<{ heapUsed: number }>(realistic, { type: 'gc' });
  await load(target, 0, SOAK);
  const after = await ask<{ heapUsed: number }>(realistic, { type: 'gc' });
  const mib = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  soak = {
    ops: SOAK,
    heapAfterWarmupMiB: mib(warm.heapUsed),
    heapAfterSoakMiB: mib(after.heapUsed),
    heapDriftPercent: Math.round(((after.heapUsed - warm.heapUsed) / warm.heapUsed) * 1000) / 10,
    peakRssMiB: peakRssMiB(realistic),
  };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
type Summary = {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerOp: number;
  mainMsPerOp: number;
  rssMiB: number;
};
const summary: Record<string, Summary> = Object.fromEntries(
  targets.map((t) => {
    const rs = rounds[t.name] ?? [];
    return [
      t.name,
      {
        label: t.label,
        rps: Math.round(median(rs.map((x) => x.rps))),
        p50: median(rs.map((x) => x.p50)),
        p99: median(rs.map((x) => x.p99)),
        cpuMsPerOp: Math.round(median(rs.map((x) => x.cpuMsPerOp)) * 1000) / 1000,
        mainMsPerOp: Math.round(median(rs.map((x) => x.mainMsPerOp)) * 1000) / 1000,
        rssMiB: peakRssMiB(t.server),
      },
    ];
  }),
);
const perOp = (name: string) =>
  Math.round(((calls[name]?.upstream ?? 0) / Math.max(1, calls[name]?.ops ?? 1)) * 1000) / 1000;
const ratio = (x: string, y: string) =>
  summary[x] && summary[y] ? Math.round(((summary[x]?.rps ?? 0) / (summary[y]?.rps ?? 1)) * 100) / 100 : null;
const addedMs = (name: string) =>
  Math.round(((oneConnectionMs[name]?.p50 ?? 0) - (oneConnectionMs.e?.p50 ?? 0)) * 1000) / 1000;
const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, realisticConnections: REALISTIC_CONNECTIONS },
  summary,
  ratios: { cOverB: ratio('c', 'b'), dOverA: ratio('d', 'a'), fOverE: ratio('f', 'e'), gOverE: ratio('g', 'e') },
  oneConnectionMs,
  upstreamCallsPerOperation: exactCalls,
  upstreamCallsPerOperationUnderLoad: Object.fromEntries(targets.map((t) => [t.name, perOp(t.name)])),
  fiftyConcurrentIdenticalOperations: { upstreamCalls: concurrentCalls },
  soak,
};
writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const row = (k: string) => {
  const s = summary[k] as Summary;
  return `| ${s.label} | ${s.rps} | ${s.p50} | ${s.p99} | ${s.cpuMsPerOp.toFixed(3)} | ${s.mainMsPerOp.toFixed(3)} | ${s.rssMiB} |`;
};
const header = [
  '| target | req/s | p50 ms | p99 ms | CPU ms/op | main thread ms/op | peak RSS MiB |',
  '|---|---:|---:|---:|---:|---:|---:|',
];
const table = [
  `Run ${results.date} on ${results.machine.cpu} (${results.machine.cores} cores, ${results.machine.memoryGiB} GiB), Node ${results.machine.node}; load average ${LOAD_AT_START} at the start, ${loadavg()[0]?.toFixed(1)} at the end (1 min);`,
  `${ROUNDS} alternating rounds of ${SECONDS} s per target; medians of the rounds. CPU ms/op: the serving process's own, all threads; main thread: its JavaScript thread only.`,
  ...(ONLY_REALISTIC
    ? []
    : [
        '',
        `One session id, written in the document, Didit v3 (4.9 KB), ${CONNECTIONS} connections:`,
        '',
        ...header,
        ...['a', 'b', 'c', 'd'].map(row),
        '',
        `- (c) / (b) = **${results.ratios.cOverB}** (target ≥ 0.5); (d) / (a) = **${results.ratios.dOverA}** (target ≥ 0.4)`,
      ]),
  '',
  `Every request a new session id, passed as a variable, Didit v1 (3.5 KB), caching and dedup off, ${REALISTIC_CONNECTIONS} connections:`,
  '',
  ...header,
  ...targets.filter((t) => t.distinctIds).map((t) => row(t.name)),
  '',
  `- (f) / (e) = **${results.ratios.fOverE}** (target ≥ 0.33)${baselines.map((b) => `; (${b.name}) / (e) = ${ratio(b.name, 'e')}`).join('')}`,
  `- one connection, ${LATENCY_OPS} sequential operations each (alternating batches), p50 / p99 ms: ${Object.entries(
    oneConnectionMs,
  )
    .map(([k, v]) => `(${k}) ${v.p50} / ${v.p99}`)
    .join(
      ', ',
    )}; Verigate adds **${addedMs('f')} ms** at the median (aim ≤ 0.3)${baselines.map((b) => `, (${b.name}) ${addedMs(b.name)} ms`).join('')}`,
  ONLY_REALISTIC
    ? `- upstream calls per operation (500 sequential operations): (f) **${exactCalls.distinctIds}**`
    : `- upstream calls per operation (500 sequential operations each): (c) **${exactCalls.uncached}**, (d) **${exactCalls.cached}**, (f) **${exactCalls.distinctIds}**; under load, counted over each round (stragglers of the previous round included): (c) ${perOp('c')}, (d) ${perOp('d')}, (f) ${perOp('f')}`,
  ...(concurrentCalls === null
    ? []
    : [
        `- 50 concurrent identical operations for a session not yet cached (upstream slowed to 200 ms): **${concurrentCalls}** upstream call(s)`,
      ]),
  soak
    ? `- soak, ${soak.ops} operations on (f), each a new session id: heap after GC ${soak.heapAfterWarmupMiB} MiB after warm-up, ${soak.heapAfterSoakMiB} MiB after (${soak.heapDriftPercent}%), peak RSS ${soak.peakRssMiB} MiB`
    : '- soak skipped',
].join('\n');
process.stdout.write(`\n${table}\n`);
const docPath = new URL('../docs/benchmarks.md', import.meta.url);
try {
  const doc = readFileSync(docPath, 'utf8');
  const start = doc.indexOf('<!-- bench:start -->');
  const end = doc.indexOf('<!-- bench:end -->');
  if (!ONLY_REALISTIC && !baseline && start >= 0 && end > start) {
    writeFileSync(docPath, `${doc.slice(0, start)}<!-- bench:start -->\n${table}\n${doc.slice(end)}`);
  }
} catch {
  // docs/benchmarks.md is optional for a local run
}

for (const child of [sim, proxy, uncached, cached, anyId, idProxy, realistic, ...baselines.map((b) => b.server)]) {
  child.proc.removeAllListeners('exit');
  child.proc.send({ type: 'stop' });
  setTimeout(() => child.proc.kill('SIGKILL'), 3_000).unref();
}
