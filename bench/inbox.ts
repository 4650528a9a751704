/**
 * Inbox acceptance (issue 28): how many signed vendor webhooks one gateway answers 2xx per second, each answer given
 * only once its hint is committed to the inbox, on SQLite (a file) and on the embedded PostgreSQL, same run. A real
 * `node src/main.ts` with Verifa live against its simulator in this process; N distinct deliveries (each a new
 * session id, so none is a duplicate), C at a time; the inbox worker runs meanwhile, as in production.
 * `node bench/inbox.ts`; BENCH_INBOX_DELIVERIES (default 8000), BENCH_INBOX_CONCURRENCY (32), BENCH_ENGINES.
 *
 * `BENCH_BASELINE_SRC` (a folder holding another version's `src/` and `schema/`, e.g. `git archive <commit> src
 * schema | tar -x -C bench-base`): that version answers the same flood on each engine in the same run, and the ratio
 * is printed. A build before the inbox answers before anything is committed, so the ratio is what durability costs.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pgPackage from 'pg';
import { request } from 'undici';
import { type Gateway, startGateway, stopGateway } from '../scripts/chaos/gateways.ts';
import { startVerifaSimulator, VERIFA_SANDBOX_API_KEY } from '../src/providers/verifa/sandbox/simulator.ts';
import { signVerifaDelivery } from '../src/providers/verifa/sandbox/webhookSender.ts';
import { startEmbeddedPostgres } from '../test/support/embeddedPostgres.ts';

const DELIVERIES = Number(process.env.BENCH_INBOX_DELIVERIES ?? 8_000);
const CONCURRENCY = Number(process.env.BENCH_INBOX_CONCURRENCY ?? 32);
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const { Client } = pgPackage;
const BASELINE_SRC = process.env.BENCH_BASELINE_SRC ?? null;
const SECRET = `whsec_${randomBytes(16).toString('hex')}`;
/** One line per engine measured against the baseline, printed at the end. */
const ratios: string[] = [];

const body = (n: number) =>
  JSON.stringify({
    event: 'session.approved',
    data: { session_id: `ses_bench${n}`, external_ref: null, status: 'approved', is_sandbox: true },
    created_at: new Date().toISOString(),
  });

/** Sends every delivery, CONCURRENCY at a time; returns answered/s and the statuses seen. */
async function flood(gateway: Gateway): Promise<{ perSecond: number; statuses: Record<string, number> }> {
  const statuses: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < DELIVERIES) {
      const delivery = signVerifaDelivery(SECRET, body(next++));
      const res = await request(`${gateway.url}/webhooks/verifa`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...delivery.headers },
        body: delivery.body,
      });
      await res.body.dump();
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { perSecond: DELIVERIES / ((performance.now() - started) / 1000), statuses };
}

/** One build's flood on one database: its answered/s, printed as a row. */
async function measure(build: string, engine: string, databaseUrl: string, verifaUrl: string, cwd?: string) {
  const gateway = await startGateway(
    `inbox-${build}-${engine}`,
    {
      DATABASE_URL: databaseUrl,
      VERIFA_BASE_URL: verifaUrl,
      VERIFA_API_KEY: VERIFA_SANDBOX_API_KEY,
      VERIFA_WEBHOOK_SECRET: SECRET,
    },
    cwd,
  );
  try {
    const { perSecond, statuses } = await flood(gateway);
    console.log(
      `| ${build} | ${engine} | ${DELIVERIES} | ${CONCURRENCY} | **${Math.round(perSecond)}** | ${JSON.stringify(statuses)} | ${gateway.peakRssMiB.toFixed(0)} |`,
    );
    return perSecond;
  } finally {
    await stopGateway(gateway);
  }
}

/** This build, then the baseline's (each on a database of its own from `database()`), and their ratio. */
async function run(engine: string, database: (build: string) => Promise<string>, verifaUrl: string): Promise<void> {
  const ours = await measure('this build', engine, await database('this'), verifaUrl);
  if (!BASELINE_SRC) return;
  const theirs = await measure('baseline', engine, await database('baseline'), verifaUrl, BASELINE_SRC);
  ratios.push(`${engine}: this build answers ${(ours / theirs).toFixed(2)}x the baseline's rate`);
}

const verifa = await startVerifaSimulator({ webhook: null, timelineStepMs: 60_000 });
console.log(`inbox acceptance, ${new Date().toISOString()}, load average ${loadavg()[0]?.toFixed(1)}`);
console.log(
  '| build | engine | deliveries | concurrent | answered 2xx/s | statuses | peak RSS MiB |\n|---|---|---:|---:|---:|---|---:|',
);
if (engines.includes('sqlite')) {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-bench-inbox-'));
  await run('SQLite (file, WAL)', async (build) => `sqlite:${join(dir, `${build}.db`)}`, verifa.url).finally(() =>
    rmSync(dir, { recursive: true, force: true }),
  );
}
if (engines.includes('postgres')) {
  const pg = await startEmbeddedPostgres({ password: 'bench', prefix: 'verigate-bench-inbox-pg-' });
  const database = async (build: string) => {
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE bench_${build}`).finally(() => admin.end());
    return pg.url.replace(/\/postgres$/, `/bench_${build}`);
  };
  await run('PostgreSQL (embedded)', database, verifa.url).finally(() => pg.stop());
}
await verifa.close();
for (const line of ratios) console.log(line);
