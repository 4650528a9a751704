/**
 * `npm run bench`: one run, one machine, loopback. Four targets measured in alternating rounds (to cancel drift):
 *   (a) the Didit simulator served directly: the ceiling
 *   (b) a minimal undici pass-through proxy making the same upstream call: the floor of any Node gateway
 *   (c) Verigate with caching off
 *   (d) Verigate serving a cached terminal session
 * Then: upstream calls per operation, 50 concurrent identical operations, and a 100k-operation soak.
 * Results go to bench/results/latest.json and into docs/benchmarks.md between the bench markers.
 * Options (env): BENCH_SECONDS (per round, default 8), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50),
 * BENCH_SOAK (operations, default 100000; 0 skips), BENCH_PROFILE=1 (CPU profile of (c) into bench/results/).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import autocannon from 'autocannon';
import { request } from 'undici';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SOAK = Number(process.env.BENCH_SOAK ?? 100_000);
const PROFILE = process.env.BENCH_PROFILE === '1';
const SESSION = '11111111-2222-3333-4444-555555555555';
/** Another Didit scenario (status Declined), used only by the concurrency check. */
const OTHER_SESSION = 'd1d10200-0000-4000-8000-000000000004';
const KEY = 'bench-key-0123456789abcdef';

/** The Didit example with ~30 fields across kyc, aml.hits, face, location, warnings and reviews. */
export const QUERY = `query Bench {
  session(provider: DIDIT, id: "${SESSION}") {
    id status providerStatus isTerminal reasonCode createdAt
    kyc { status documentType documentNumber issuingCountry dateOfBirth expirationDate firstName lastName fullName nationality }
    aml { status totalHits score hits { caption score datasets topics } }
    face { status faceMatchScore livenessScore ageEstimate }
    location { status ip { address country city isVpnOrTor } device { brand osFamily } }
    warnings { feature risk logType }
    reviews { status comment createdAt }
  }
}`;
const GRAPHQL_BODY = JSON.stringify({ query: QUERY, operationName: 'Bench' });

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
  const proc = fork(
    new URL(gateway ? './gateway.mjs' : './servers.ts', import.meta.url),
    gateway ? args : [role, ...args],
    {
      env: { ...process.env, ...env },
      execArgv: ['--expose-gc', ...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
    proc.once('message', (m: { url: string; live?: Child['live'] }) =>
      resolve({ proc, url: m.url, ...(m.live ? { live: m.live } : {}) }),
    );
  });
}

function ask<T>(child: Child, message: Record<string, unknown>): Promise<T> {
  return new Promise((resolve) => {
    child.proc.once('message', (m: T) => resolve(m));
    child.proc.send(message);
  });
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
}

async function load(target: Target, seconds: number, amount?: number) {
  const result = await autocannon({
    url: target.url,
    method: target.method,
    headers: target.headers,
    ...(target.body ? { body: target.body } : {}),
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration: seconds }),
  });
  if (result.errors > 0 || result.non2xx > 0)
    throw new Error(`${target.name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
  };
}

const sim = await start('simulator');
if (!sim.live) throw new Error('simulator did not report its settings');
const decisionPath = `/v3/session/${SESSION}/decision/`;
const proxy = await start('proxy', [sim.live.baseUrl.replace(/\/$/, ''), sim.live.apiKey, decisionPath]);
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

const gql = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` };
const targets: Target[] = [
  {
    name: 'a',
    label: '(a) Didit simulator, direct',
    url: sim.url + decisionPath,
    method: 'GET',
    headers: { 'x-api-key': sim.live.apiKey },
  },
  {
    name: 'b',
    label: '(b) undici pass-through proxy',
    url: proxy.url,
    method: 'POST',
    headers: gql,
    body: GRAPHQL_BODY,
  },
  {
    name: 'c',
    label: '(c) Verigate, caching off',
    url: uncached.url,
    method: 'POST',
    headers: gql,
    body: GRAPHQL_BODY,
  },
  {
    name: 'd',
    label: '(d) Verigate, cached terminal session',
    url: cached.url,
    method: 'POST',
    headers: gql,
    body: GRAPHQL_BODY,
  },
];

// Every target answers correctly before anything is timed.
for (const t of targets.slice(2)) {
  const res = await request(t.url, { method: 'POST', headers: t.headers, body: t.body });
  const json = (await res.body.json()) as { data?: { session?: { status?: string } }; errors?: unknown };
  if (json.errors || json.data?.session?.status !== 'DECLINED')
    throw new Error(`${t.name} answered ${JSON.stringify(json).slice(0, 300)}`);
}
process.stdout.write(`bench: ${ROUNDS} rounds x ${SECONDS}s per target, ${CONNECTIONS} connections\n`);
for (const t of targets) await load(t, 2); // warm-up

const rounds: Record<string, Array<{ rps: number; p50: number; p99: number }>> = { a: [], b: [], c: [], d: [] };
const calls: Record<string, { ops: number; upstream: number }> = {
  c: { ops: 0, upstream: 0 },
  d: { ops: 0, upstream: 0 },
};
for (let r = 0; r < ROUNDS; r += 1) {
  for (const t of r % 2 === 0 ? targets : [...targets].reverse()) {
    await ask(sim, { type: 'reset' });
    const m = await load(t, SECONDS);
    rounds[t.name]?.push(m);
    if (t.name === 'c' || t.name === 'd') {
      const { count } = await ask<{ count: number }>(sim, { type: 'count' });
      const tally = calls[t.name] as { ops: number; upstream: number };
      tally.ops += m.total;
      tally.upstream += count;
    }
    process.stdout.write(`  round ${r + 1} ${t.label}: ${Math.round(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms\n`);
  }
}

// Upstream calls per operation, exactly: sequential operations, so nothing of another run is in flight.
async function callsPerOperation(target: Target, operations: number): Promise<number> {
  await ask(sim, { type: 'reset' });
  for (let i = 0; i < operations; i += 1) {
    const res = await request(target.url, { method: 'POST', headers: target.headers, body: target.body });
    await res.body.dump();
  }
  const { count } = await ask<{ count: number }>(sim, { type: 'count' });
  return count / operations;
}
const exactCalls = {
  uncached: await callsPerOperation(targets[2] as Target, 500),
  cached: await callsPerOperation(targets[3] as Target, 500),
};

// 50 concurrent identical operations for a session nobody has asked for yet (gateway (d), whose in-flight dedup
// is on): one upstream call, the other 49 share it.
await ask(sim, { type: 'reset' });
await ask(sim, { type: 'latency', ms: 200 });
const unseen = GRAPHQL_BODY.replace(SESSION, OTHER_SESSION);
await Promise.all(
  Array.from({ length: 50 }, async () => {
    const res = await request(cached.url, { method: 'POST', headers: gql, body: unseen });
    await res.body.dump();
  }),
);
const { count: concurrentCalls } = await ask<{ count: number }>(sim, { type: 'count' });

// Soak: heap after GC must come back to within ±10% of its post-warm-up value; RSS must stay under 200 MB.
let soak: {
  ops: number;
  heapAfterWarmupMiB: number;
  heapAfterSoakMiB: number;
  heapDriftPercent: number;
  peakRssMiB: number;
} | null = null;
if (SOAK > 0) {
  await ask(sim, { type: 'reset' });
  await load(targets[2] as Target, 0, 10_000);
  const warm = await ask<{ heapUsed: number }>(uncached, { type: 'gc' });
  await load(targets[2] as Target, 0, SOAK);
  const after = await ask<{ heapUsed: number }>(uncached, { type: 'gc' });
  const mib = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
  soak = {
    ops: SOAK,
    heapAfterWarmupMiB: mib(warm.heapUsed),
    heapAfterSoakMiB: mib(after.heapUsed),
    heapDriftPercent: Math.round(((after.heapUsed - warm.heapUsed) / warm.heapUsed) * 1000) / 10,
    peakRssMiB: peakRssMiB(uncached),
  };
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
const summary = Object.fromEntries(
  targets.map((t) => {
    const rs = rounds[t.name] ?? [];
    return [
      t.name,
      {
        label: t.label,
        rps: Math.round(median(rs.map((x) => x.rps))),
        p50: median(rs.map((x) => x.p50)),
        p99: median(rs.map((x) => x.p99)),
      },
    ];
  }),
) as Record<'a' | 'b' | 'c' | 'd', { label: string; rps: number; p50: number; p99: number }>;
const rss = { a: peakRssMiB(sim), b: peakRssMiB(proxy), c: peakRssMiB(uncached), d: peakRssMiB(cached) };
const perOp = (name: 'c' | 'd') =>
  Math.round(((calls[name]?.upstream ?? 0) / Math.max(1, calls[name]?.ops ?? 1)) * 1000) / 1000;
const results = {
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  settings: { seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS },
  summary,
  peakRssMiB: rss,
  ratios: {
    cOverB: Math.round((summary.c.rps / summary.b.rps) * 100) / 100,
    dOverA: Math.round((summary.d.rps / summary.a.rps) * 100) / 100,
  },
  upstreamCallsPerOperation: { uncached: exactCalls.uncached, cached: exactCalls.cached },
  upstreamCallsPerOperationUnderLoad: { uncached: perOp('c'), cached: perOp('d') },
  fiftyConcurrentIdenticalOperations: { upstreamCalls: concurrentCalls },
  soak,
};
writeFileSync(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);

const table = [
  `Run ${results.date} on ${results.machine.cpu} (${results.machine.cores} cores, ${results.machine.memoryGiB} GiB), Node ${results.machine.node};`,
  `${ROUNDS} alternating rounds of ${SECONDS} s per target at ${CONNECTIONS} connections; medians of the rounds.`,
  '',
  '| target | req/s | p50 ms | p99 ms | peak RSS MiB |',
  '|---|---:|---:|---:|---:|',
  ...(['a', 'b', 'c', 'd'] as const).map(
    (k) => `| ${summary[k].label} | ${summary[k].rps} | ${summary[k].p50} | ${summary[k].p99} | ${rss[k]} |`,
  ),
  '',
  `- (c) / (b) = **${results.ratios.cOverB}** (target ≥ 0.5); (d) / (a) = **${results.ratios.dOverA}** (target ≥ 0.4)`,
  `- upstream calls per operation (500 sequential operations each): uncached **${exactCalls.uncached}**, cached **${exactCalls.cached}**; under load, counted over each round (stragglers of the previous round included): uncached ${perOp('c')}, cached ${perOp('d')}`,
  `- 50 concurrent identical operations for a session not yet cached (upstream slowed to 200 ms): **${concurrentCalls}** upstream call(s)`,
  soak
    ? `- soak, ${soak.ops} operations on (c): heap after GC ${soak.heapAfterWarmupMiB} MiB after warm-up, ${soak.heapAfterSoakMiB} MiB after (${soak.heapDriftPercent}%), peak RSS ${soak.peakRssMiB} MiB`
    : '- soak skipped',
].join('\n');
process.stdout.write(`\n${table}\n`);
const docPath = new URL('../docs/benchmarks.md', import.meta.url);
try {
  const doc = readFileSync(docPath, 'utf8');
  const start = doc.indexOf('<!-- bench:start -->');
  const end = doc.indexOf('<!-- bench:end -->');
  if (start >= 0 && end > start) {
    writeFileSync(docPath, `${doc.slice(0, start)}<!-- bench:start -->\n${table}\n${doc.slice(end)}`);
  }
} catch {
  // docs/benchmarks.md is optional for a local run
}

for (const child of [sim, proxy, uncached, cached]) {
  child.proc.removeAllListeners('exit');
  child.proc.send({ type: 'stop' });
  setTimeout(() => child.proc.kill('SIGKILL'), 3_000).unref();
}
