import { z } from 'zod';
import { type EnvOf, limit, optionalText } from './parse.ts';

/** The session timeline's event store (DESIGN §7): which database, and how long entries are kept. */

/** Where the timeline lives: a SQLite file (one replica) or PostgreSQL (any number of replicas). */
export type EventDatabase = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

export interface EventsConfig {
  database: EventDatabase;
  /** Entries older than this are pruned in the background, days. */
  retentionDays: number;
}

/** Unset: a file beside the working directory, so `npm start` needs nothing but Node. */
export const DEFAULT_DATABASE_URL = 'sqlite:data/verigate.db';

export const eventsEnv = {
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(
        /^(sqlite:.+|postgres(ql)?:\/\/\S+)$/,
        'must be sqlite:<path> (sqlite::memory: for a throwaway store) or a postgres:// URL',
      )
      .optional(),
  ),
  EVENTS_RETENTION_DAYS: limit(1, 36_500, 400),
};

export function eventsConfig(env: EnvOf<typeof eventsEnv>): EventsConfig {
  const url = env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const database: EventDatabase = url.startsWith('sqlite:')
    ? { engine: 'sqlite', path: url.slice('sqlite:'.length) }
    : { engine: 'postgres', url };
  return { database, retentionDays: env.EVENTS_RETENTION_DAYS };
}
