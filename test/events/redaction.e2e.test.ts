import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, postgresAvailable, type TestDatabase, testDatabase } from '../support/eventStores.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { waitFor } from '../support/webhooks.ts';

/**
 * A vendor redaction on the timeline, over HTTP, on the sandbox, on both engines: Verifa redacting an approved session
 * (`session.redacted`, the status unchanged) appends one entry that says so; the earlier entries stay as they were.
 */

const FAST = { timelineStepMs: 300, refresher: { minIntervalMs: 200, backoffMs: 100 } };
const NODE = 'sequence source provider providerSessionId status previousStatus providerStatus reasonCode redacted';
const EVENTS = `query Events($id: String!) {
  session(provider: VERIFA, id: $id) {
    status sensitiveDataExpired applicant { firstName }
    events { edges { node { ${NODE} } } pageInfo { hasNextPage } }
  }
}`;

const entry = (id: string, sequence: number, source: string, previousStatus: string | null, redacted: boolean) => ({
  node: {
    sequence,
    source,
    provider: 'VERIFA',
    providerSessionId: id,
    status: 'APPROVED',
    previousStatus,
    providerStatus: 'approved',
    reasonCode: null,
    redacted,
  },
});

/** How many entries the store holds for the session, read from the feed alone: no vendor call, no observation. */
async function entriesOf(tg: TestGateway, id: string): Promise<number> {
  const { body } = await tg.query('{ sessionEvents(first: 100) { edges { node { providerSessionId } } } }');
  const page = body.data?.sessionEvents as { edges: Array<{ node: { providerSessionId: string } }> } | undefined;
  return (page?.edges ?? []).filter((e) => e.node.providerSessionId === id).length;
}

const engines: Engine[] = ['sqlite', 'postgres'];

describe.each(engines)('a vendor redaction on the timeline on %s', (engine) => {
  const skip = engine === 'postgres' && !postgresAvailable();
  let db: TestDatabase;
  let tg: TestGateway;

  beforeAll(async () => {
    if (skip) return;
    db = await testDatabase(engine);
    tg = await startTestGateway({ DATABASE_URL: db.url }, FAST);
  });
  afterAll(async () => {
    if (skip) return;
    await tg.close();
    await db.drop();
  });

  it.skipIf(skip)('appends one entry when Verifa redacts an approved session, the status unchanged', async () => {
    const first = await tg.query(EVENTS, { id: 'ses_redacted_later' });
    expect(first.body.data?.session).toMatchObject({ status: 'APPROVED', sensitiveDataExpired: false });
    // The `session.redacted` webhook's refresh is recorded off the request path: wait (bounded) until the store shows
    // it, reading the feed alone (a session query would load the session itself, and record what it saw).
    const recorded = await waitFor(async () => (await entriesOf(tg, 'ses_redacted_later')) >= 2);
    expect(recorded).toBe(true);
    await tg.gateway.timeline.flush();
    expect((await tg.query(EVENTS, { id: 'ses_redacted_later' })).body).toEqual({
      data: {
        session: {
          status: 'APPROVED',
          sensitiveDataExpired: true,
          applicant: null,
          events: {
            edges: [
              entry('ses_redacted_later', 1, 'QUERY', null, false),
              entry('ses_redacted_later', 2, 'WEBHOOK', 'APPROVED', true),
            ],
            pageInfo: { hasNextPage: false },
          },
        },
      },
    });
  });

  it.skipIf(skip)(
    'records a session first seen already redacted as redacted, once however often it is read',
    async () => {
      for (let i = 0; i < 3; i += 1) await tg.query(EVENTS, { id: 'ses_sensitive_expired' });
      await tg.gateway.timeline.flush();
      expect((await tg.query(EVENTS, { id: 'ses_sensitive_expired' })).body).toEqual({
        data: {
          session: {
            status: 'APPROVED',
            sensitiveDataExpired: true,
            applicant: null,
            events: {
              edges: [entry('ses_sensitive_expired', 1, 'QUERY', null, true)],
              pageInfo: { hasNextPage: false },
            },
          },
        },
      });
    },
  );
});
