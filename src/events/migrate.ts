import { readdirSync, readFileSync } from 'node:fs';

/**
 * Migrations are plain SQL files per engine (`<engine>/migrations/NNN_name.sql`), applied in name order at start,
 * each once: the engine records it in the `verigate_migrations` ledger in the same transaction, under a lock
 * (SQLite's write lock, PostgreSQL's advisory lock) so replicas starting together apply each exactly once.
 */

export interface Migration {
  /** The file name without `.sql`, e.g. `001_session_events`: the ledger's key. */
  version: string;
  sql: string;
}

/** The ledger, in SQL both engines accept. */
export const LEDGER_DDL =
  'CREATE TABLE IF NOT EXISTS verigate_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)';

/** The migrations shipped in `dir` (a folder URL beside the engine's module), in order. */
export function readMigrations(dir: URL): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.slice(0, -'.sql'.length), sql: readFileSync(new URL(f, dir), 'utf8') }));
}

/** The migrations not yet in the ledger, in order. */
export function pending(all: readonly Migration[], applied: ReadonlySet<string>): Migration[] {
  return all.filter((m) => !applied.has(m.version));
}
