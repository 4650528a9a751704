import { DatabaseSync } from 'node:sqlite';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.ts';
import { sqliteDatabase, type TestDatabase } from '../support/eventStores.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/** The timeline never costs a query its answer: a store that fails is logged, counted and reported on its own fields. */

const SESSION = '{ session(provider: VERIFA, id: "ses_approved") { status providerStatus } }';

describe('a timeline whose store fails', () => {
  let db: TestDatabase;
  let tg: TestGateway;

  beforeAll(async () => {
    db = sqliteDatabase();
    // A failed batch is retried, but not before the assertions below have read the count of the first failure.
    tg = await startTestGateway({ DATABASE_URL: db.url }, { timeline: { retryDelayMs: 600_000 } });
    // Another connection takes the table away under the running gateway: every read and append now fails.
    const other = new DatabaseSync(db.url.slice('sqlite:'.length));
    other.exec('ALTER TABLE session_events RENAME TO session_events_gone');
    other.close();
  });
  afterAll(async () => {
    await tg.close();
    await db.drop();
  });

  const failures = async () => {
    const res = await request(tg.gateway.url.replace(/graphql$/, 'metrics'));
    const text = await res.body.text();
    return /^verigate_events_append_failures_total (\d+)$/m.exec(text)?.[1];
  };

  it('still answers the query, and counts the change it could not record', async () => {
    expect(await failures()).toBe('0');
    expect((await tg.query(SESSION)).body).toEqual({
      data: { session: { status: 'APPROVED', providerStatus: 'approved' } },
    });
    await tg.gateway.timeline.flush();
    expect(await failures()).toBe('1');
  });

  it('reports a failed read on the timeline’s field only, with a code', async () => {
    const { body } = await tg.query(
      '{ session(provider: VERIFA, id: "ses_approved") { status } sessionEvents { edges { cursor } } }',
    );
    expect(body).toEqual({
      data: null,
      errors: [
        {
          message: 'The session timeline cannot be read right now; retry shortly.',
          locations: expect.any(Array),
          path: ['sessionEvents'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE' },
        },
      ],
    });
    const nested = await tg.query(
      '{ session(provider: VERIFA, id: "ses_approved") { status events { edges { cursor } } } }',
    );
    expect(nested.body).toEqual({
      data: { session: null },
      errors: [
        {
          message: 'The session timeline cannot be read right now; retry shortly.',
          locations: expect.any(Array),
          path: ['session', 'events'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE' },
        },
      ],
    });
  });
});

describe('the event store’s configuration', () => {
  it('defaults to a SQLite file under data/, kept 400 days', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).events).toEqual({
      database: { engine: 'sqlite', path: 'data/verigate.db' },
      retentionDays: 400,
    });
    expect(
      loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://u:p@db:5432/verigate', EVENTS_RETENTION_DAYS: '30' })
        .events,
    ).toEqual({ database: { engine: 'postgres', url: 'postgres://u:p@db:5432/verigate' }, retentionDays: 30 });
  });

  it('reports a bad retention and a bad URL together', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'sqlite:', EVENTS_RETENTION_DAYS: '0' })).toThrow(
      new ConfigError([
        'DATABASE_URL: must be sqlite:<path> (sqlite::memory: for a throwaway store) or a postgres:// URL',
        'EVENTS_RETENTION_DAYS: must be between 1 and 36500',
      ]),
    );
  });

  it('refuses a DATABASE_URL that is neither sqlite: nor postgres://, at start', async () => {
    await expect(startTestGateway({ DATABASE_URL: 'mysql://localhost/verigate' })).rejects.toThrow(
      'DATABASE_URL: must be sqlite:<path> (sqlite::memory: for a throwaway store) or a postgres:// URL',
    );
  });
});
