/**
 * Issue 10, items 1 and 9, measured on the sandbox with the default upstream options (32 connections, 8 s deadline,
 * default breaker): (a) two healthy Verifa reads, then one session whose body is over the 2 MiB cap asked 8 times in
 * 250 ms, then a healthy session every 100 ms for 5 s; (b) 40 sessions whose bodies trickle a byte every 250 ms and,
 * once they hold the pool, one healthy read. Gateway, simulators and clients share this process (loopback).
 *   node bench/isolation.ts
 */
import { loadConfig } from '../src/config/index.ts';
import { logger } from '../src/logger.ts';
import { startGateway } from '../src/server.ts';
import { DEFAULT_HTTP_OPTIONS } from '../src/upstream/http.ts';

const KEY = 'bench-key-isolation-000000001';
logger.level = 'silent'; // as main.ts would from LOG_LEVEL: only the results are printed
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Answer = { data?: Record<string, unknown> | null; errors?: Array<{ message: string }> };

async function start() {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    GATEWAY_API_KEYS: JSON.stringify([{ name: 'bench', key: KEY, scopes: ['sessions:read'] }]),
    CACHE_TERMINAL_TTL_SECONDS: '0',
    CACHE_ACTIVE_TTL_SECONDS: '0',
  });
  const gateway = await startGateway(config, { http: DEFAULT_HTTP_OPTIONS });
  const sim = gateway.registry.simulator('VERIFA');
  if (!sim) throw new Error('Verifa is not sandboxed');
  const query = async (text: string): Promise<Answer> => {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ query: text }),
    });
    return (await res.json()) as Answer;
  };
  return { gateway, sim, query };
}

const HEALTHY = '{ session(provider: VERIFA, id: "ses_abc123") { status } providers { provider circuit } }';
const tally = (answers: Answer[]) => {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = a.errors?.[0]?.message ?? 'answered';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries(counts);
};

async function oversized(): Promise<void> {
  const { gateway, sim, query } = await start();
  try {
    await query(HEALTHY);
    await query(HEALTHY);
    sim.faults.inject({ kind: 'oversize', bytes: 3 * 1024 * 1024 }, { path: 'ses_approved' });
    // One after another (concurrent reads of one id would share a single upstream call).
    const bad: Answer[] = [];
    for (let i = 0; i < 8; i += 1) {
      bad.push(await query('{ session(provider: VERIFA, id: "ses_approved") { status } }'));
      await sleep(20);
    }
    const healthy: Answer[] = [];
    for (let t = 0; t < 5_000; t += 100) {
      healthy.push(await query(HEALTHY));
      await sleep(100);
    }
    console.log(
      `(a) oversized session: ${JSON.stringify(tally(bad))}, ${sim.requestCount('ses_approved')} upstream calls; ` +
        `then healthy reads for 5 s: ${JSON.stringify(tally(healthy))}`,
    );
  } finally {
    await gateway.close();
  }
}

async function trickling(): Promise<void> {
  const { gateway, sim, query } = await start();
  try {
    sim.faults.inject({ kind: 'trickle', everyMs: 250 }, { path: 'ses_trickle_' });
    const started = performance.now();
    const slow = Array.from({ length: 40 }, (_, i) =>
      query(`{ session(provider: VERIFA, id: "ses_trickle_${i}") { status } }`),
    );
    while (sim.requestCount('ses_trickle_') < DEFAULT_HTTP_OPTIONS.connections) await sleep(10);
    const asked = performance.now();
    const healthy = await query(HEALTHY);
    const answeredMs = performance.now() - asked;
    const settled = await Promise.all(slow);
    const settledMs = performance.now() - started;
    console.log(
      `(b) healthy read while 40 bodies trickle: ${healthy.errors ? healthy.errors[0]?.message : 'answered'} ` +
        `in ${Math.round(answeredMs)} ms; trickling sessions ${JSON.stringify(tally(settled))}, ` +
        `all settled after ${Math.round(settledMs)} ms, ${sim.requestCount('ses_trickle_')} upstream calls`,
    );
  } finally {
    await gateway.close();
  }
}

await oversized();
await trickling();
process.exit(0);
