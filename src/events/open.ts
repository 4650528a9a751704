import type { EventDatabase } from '../config/index.ts';
import { PostgresEventStore } from './postgres/engine.ts';
import { SqliteEventStore } from './sqlite/engine.ts';
import type { EventStore } from './store.ts';

/** Opens the configured engine and applies its pending migrations; rejects (the gateway does not start) on failure. */
export async function openEventStore(database: EventDatabase): Promise<EventStore> {
  return database.engine === 'sqlite' ? SqliteEventStore.open(database.path) : PostgresEventStore.open(database.url);
}
