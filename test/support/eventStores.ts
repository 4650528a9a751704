import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

/** A database of one engine for one test file: its DATABASE_URL, and how to throw it away. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export type Engine = 'sqlite' | 'postgres';

/** True when the run's embedded PostgreSQL is up (test/support/postgres.global.ts). */
export const postgresAvailable = (): boolean => inject('postgresAdminUrl') !== null;

/** A fresh SQLite file in a temp folder. */
export function sqliteDatabase(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-sqlite-'));
  return { url: `sqlite:${join(dir, 'events.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh database in the run's embedded PostgreSQL. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const admin = inject('postgresAdminUrl');
  if (!admin) throw new Error('embedded PostgreSQL is not running');
  const name = `verigate_${randomBytes(6).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export function testDatabase(engine: Engine): Promise<TestDatabase> {
  return engine === 'sqlite' ? Promise.resolve(sqliteDatabase()) : postgresDatabase();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
