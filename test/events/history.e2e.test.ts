import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, postgresAvailable, type TestDatabase, testDatabase } from '../support/eventStores.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { waitFor } from '../support/webhooks.ts';

/**
 * The vendors' own history on the timeline, over HTTP, on the sandbox, on both engines: a Persona inquiry's dated
 * transitions and a Didit session's reviews are recorded as PROVIDER entries, oldest first, before the state the
 * query saw (no entry when the last of them already records it); what the vendor dates before the latest entry is
 * not slotted in.
 */

const FAST = { timelineStepMs: 300, refresher: { minIntervalMs: 200, backoffMs: 100 } };
const NODE = 'sequence at source status previousStatus providerStatus reasonCode redacted';
const EVENTS = `query Events($provider: Provider!, $id: String!) {
  session(provider: $provider, id: $id) { status events { edges { node { ${NODE} } } pageInfo { hasNextPage } } }
}`;

const entry = (
  sequence: number,
  at: string | null,
  source: string,
  previousStatus: string | null,
  status: string,
  providerStatus: string,
  extra: { reasonCode?: string | null; redacted?: boolean } = {},
) => ({
  node: {
    sequence,
    at: at ?? expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    source,
    status,
    previousStatus,
    providerStatus,
    reasonCode: extra.reasonCode ?? null,
    redacted: extra.redacted ?? false,
  },
});

/** Persona's sandbox inquiries were created at 09:30 on 2026-03-02 and moved on at fixed minutes after. */
const persona = (minute: string) => `2026-03-02T09:${minute}:00.000Z`;

const answer = (status: string, edges: unknown[]) => ({
  data: { session: { status, events: { edges, pageInfo: { hasNextPage: false } } } },
});

/** How many entries the store holds for the session, read from the feed alone: no vendor call, no observation. */
async function entriesOf(tg: TestGateway, id: string): Promise<number> {
  const { body } = await tg.query('{ sessionEvents(first: 100) { edges { node { providerSessionId } } } }');
  const page = body.data?.sessionEvents as { edges: Array<{ node: { providerSessionId: string } }> } | undefined;
  return (page?.edges ?? []).filter((e) => e.node.providerSessionId === id).length;
}

const engines: Engine[] = ['sqlite', 'postgres'];

describe.each(engines)('the vendors’ history on the timeline on %s', (engine) => {
  const skip = engine === 'postgres' && !postgresAvailable();
  let db: TestDatabase;
  let tg: TestGateway;

  /** Reads the session (a fresh load: the cache is off), waits until its entries are in, and reads them. */
  async function recorded(provider: string, id: string) {
    await tg.query(EVENTS, { provider, id });
    await tg.gateway.timeline.flush();
    return (await tg.query(EVENTS, { provider, id })).body;
  }

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

  it.skipIf(skip)(
    'records an approved Persona inquiry’s transitions as PROVIDER entries; the query’s own is the same',
    async () => {
      expect(await recorded('PERSONA', 'inq_Approved')).toEqual(
        answer('APPROVED', [
          entry(1, persona('30'), 'PROVIDER', null, 'NOT_STARTED', 'created'),
          entry(2, persona('31'), 'PROVIDER', 'NOT_STARTED', 'IN_PROGRESS', 'pending'),
          entry(3, persona('36'), 'PROVIDER', 'IN_PROGRESS', 'APPROVED', 'completed'),
          entry(4, persona('37'), 'PROVIDER', 'APPROVED', 'APPROVED', 'approved'),
        ]),
      );
      // Read again: nothing new.
      expect(await recorded('PERSONA', 'inq_Approved')).toEqual(
        answer('APPROVED', [
          entry(1, persona('30'), 'PROVIDER', null, 'NOT_STARTED', 'created'),
          entry(2, persona('31'), 'PROVIDER', 'NOT_STARTED', 'IN_PROGRESS', 'pending'),
          entry(3, persona('36'), 'PROVIDER', 'IN_PROGRESS', 'APPROVED', 'completed'),
          entry(4, persona('37'), 'PROVIDER', 'APPROVED', 'APPROVED', 'approved'),
        ]),
      );
    },
  );

  it.skipIf(skip)('gives the failed transition the inquiry’s reason code', async () => {
    expect(await recorded('PERSONA', 'inq_Failed')).toEqual(
      answer('DECLINED', [
        entry(1, persona('30'), 'PROVIDER', null, 'NOT_STARTED', 'created'),
        entry(2, persona('31'), 'PROVIDER', 'NOT_STARTED', 'IN_PROGRESS', 'pending'),
        entry(3, persona('36'), 'PROVIDER', 'IN_PROGRESS', 'DECLINED', 'failed', {
          reasonCode: 'id_expired_detection',
        }),
      ]),
    );
  });

  it.skipIf(skip)(
    'records a redacted inquiry’s history, then the redaction the query saw as its own entry',
    async () => {
      expect(await recorded('PERSONA', 'inq_Redacted')).toEqual(
        answer('APPROVED', [
          entry(1, persona('30'), 'PROVIDER', null, 'NOT_STARTED', 'created'),
          entry(2, persona('31'), 'PROVIDER', 'NOT_STARTED', 'IN_PROGRESS', 'pending'),
          entry(3, persona('36'), 'PROVIDER', 'IN_PROGRESS', 'APPROVED', 'completed'),
          entry(4, persona('37'), 'PROVIDER', 'APPROVED', 'APPROVED', 'approved'),
          entry(5, null, 'QUERY', 'APPROVED', 'APPROVED', 'approved', { redacted: true }),
        ]),
      );
    },
  );

  it.skipIf(skip)(
    'records a Didit reviewer’s decision as a PROVIDER entry, without the reviewer or comment',
    async () => {
      expect(await recorded('DIDIT', 'd1d10200-0000-4000-8000-000000000004')).toEqual(
        answer('DECLINED', [
          entry(1, '2026-03-02T10:05:00.000Z', 'PROVIDER', null, 'DECLINED', 'Declined', {
            reasonCode: 'DOCUMENT_EXPIRED',
          }),
        ]),
      );
    },
  );

  it.skipIf(skip)(
    'does not slot in a review dated before the latest entry: the webhook’s refresh records it',
    async () => {
      const id = 'd1d10500-0000-4000-8000-000000000002';
      expect(await recorded('DIDIT', id)).toEqual(
        answer('APPROVED', [entry(1, null, 'QUERY', null, 'APPROVED', 'Approved')]),
      );
      // The reviewer's overturn arrives by webhook; its review is dated before the query's entry (the sandbox's fixed
      // dates are in the past), so the refresh's own observation is the entry.
      // Waiting reads the feed alone: a session query would load the session itself, and record what it saw.
      const overturned = await waitFor(async () => (await entriesOf(tg, id)) >= 2);
      expect(overturned).toBe(true);
      await tg.gateway.timeline.flush();
      expect((await tg.query(EVENTS, { provider: 'DIDIT', id })).body).toEqual(
        answer('DECLINED', [
          entry(1, null, 'QUERY', null, 'APPROVED', 'Approved'),
          entry(2, null, 'WEBHOOK', 'APPROVED', 'DECLINED', 'Declined'),
        ]),
      );
    },
  );
});
