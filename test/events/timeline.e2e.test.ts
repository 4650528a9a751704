import type { GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/schema.ts';
import { type Engine, postgresAvailable, type TestDatabase, testDatabase } from '../support/eventStores.ts';
import { FULL_KEY, NO_SCOPE_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { mintTestToken, TEST_JWT_ENV } from '../support/jwt.ts';
import { piiFields, selectAll } from '../support/schemaWalk.ts';
import { waitFor } from '../support/webhooks.ts';

/**
 * The timeline end to end, over HTTP, on the sandbox, on both engines: a timed Verifa session's changes, a webhook
 * overturning a decision, and a restart of the gateway on the same database all show up in `events`.
 */

const FAST = { timelineStepMs: 300, refresher: { minIntervalMs: 200, backoffMs: 100 } };
const NODE = 'sequence source provider providerSessionId status previousStatus providerStatus reasonCode';
const SESSION_EVENTS = `query Events($id: String!, $first: Int, $after: String) {
  session(provider: VERIFA, id: $id) { status events(first: $first, after: $after) { edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor } } }
}`;
const FEED = `query Feed($filter: SessionEventFilter, $first: Int, $after: String) {
  sessionEvents(filter: $filter, first: $first, after: $after) { edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor } }
}`;

type Node = Record<string, unknown>;
interface Page {
  edges: Array<{ cursor: string; node: Node }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const entry = (
  id: string,
  sequence: number,
  source: string,
  status: string,
  previousStatus: string | null,
  providerStatus: string,
  reasonCode: string | null = null,
) => ({
  sequence,
  source,
  provider: 'VERIFA',
  providerSessionId: id,
  status,
  previousStatus,
  providerStatus,
  reasonCode,
});

const page = (nodes: Node[], hasNextPage: boolean) => ({
  edges: nodes.map((node) => ({ cursor: expect.stringMatching(/^[A-Za-z0-9_-]+$/), node })),
  pageInfo: { hasNextPage, endCursor: nodes.length ? expect.stringMatching(/^[A-Za-z0-9_-]+$/) : null },
});

async function feed(tg: TestGateway, variables: Record<string, unknown> = {}, key: string | null = FULL_KEY) {
  const { body } = await tg.query(FEED, variables, key);
  return body;
}

/** Waits (bounded) until the feed shows `status` for the session: read from the store alone, no vendor call. */
async function untilRecorded(tg: TestGateway, id: string, status: string): Promise<boolean> {
  return waitFor(async () => {
    const body = await feed(tg, { filter: { provider: 'VERIFA' }, first: 100 });
    const edges = (body.data?.sessionEvents as Page | undefined)?.edges ?? [];
    return edges.some((e) => e.node.providerSessionId === id && e.node.status === status);
  });
}

const engines: Engine[] = ['sqlite', 'postgres'];

describe.each(engines)('the session timeline on %s', (engine) => {
  const skip = engine === 'postgres' && !postgresAvailable();
  let db: TestDatabase;
  let tg: TestGateway;
  const start = () => startTestGateway({ DATABASE_URL: db.url, ...TEST_JWT_ENV }, FAST);

  beforeAll(async () => {
    if (skip) return;
    db = await testDatabase(engine);
    tg = await start();
  });
  afterAll(async () => {
    if (skip) return;
    await tg.close();
    await db.drop();
  });

  it.skipIf(skip)('records a timed session’s changes: first read by a query, then each webhook’s refresh', async () => {
    expect((await tg.query(SESSION_EVENTS, { id: 'ses_timeline' })).body.data?.session).toMatchObject({
      status: 'IN_PROGRESS',
    });
    expect(await untilRecorded(tg, 'ses_timeline', 'APPROVED')).toBe(true);
    const { body } = await tg.query(SESSION_EVENTS, { id: 'ses_timeline' });
    expect(body).toEqual({
      data: {
        session: {
          status: 'APPROVED',
          events: page(
            [
              entry('ses_timeline', 1, 'QUERY', 'IN_PROGRESS', null, 'processing'),
              entry('ses_timeline', 2, 'WEBHOOK', 'IN_REVIEW', 'IN_PROGRESS', 'needs_review'),
              entry('ses_timeline', 3, 'WEBHOOK', 'APPROVED', 'IN_REVIEW', 'approved'),
            ],
            false,
          ),
        },
      },
    });
  });

  it.skipIf(skip)('records a decision a reviewer overturned, with the reason code', async () => {
    await tg.query(SESSION_EVENTS, { id: 'ses_overturned' });
    expect(await untilRecorded(tg, 'ses_overturned', 'DECLINED')).toBe(true);
    const { body } = await tg.query(SESSION_EVENTS, { id: 'ses_overturned' });
    expect(body).toEqual({
      data: {
        session: {
          status: 'DECLINED',
          events: page(
            [
              entry('ses_overturned', 1, 'QUERY', 'APPROVED', null, 'approved'),
              entry('ses_overturned', 2, 'WEBHOOK', 'DECLINED', 'APPROVED', 'rejected', 'document_unreadable'),
            ],
            false,
          ),
        },
      },
    });
  });

  it.skipIf(skip)('pages a session oldest first, and the feed newest first, with opaque cursors', async () => {
    const first = (await tg.query(SESSION_EVENTS, { id: 'ses_timeline', first: 2 })).body.data?.session as {
      events: Page;
    };
    expect(first.events).toEqual(
      page(
        [
          entry('ses_timeline', 1, 'QUERY', 'IN_PROGRESS', null, 'processing'),
          entry('ses_timeline', 2, 'WEBHOOK', 'IN_REVIEW', 'IN_PROGRESS', 'needs_review'),
        ],
        true,
      ),
    );
    const rest = await tg.query(SESSION_EVENTS, { id: 'ses_timeline', after: first.events.pageInfo.endCursor });
    expect((rest.body.data as { session: { events: Page } }).session.events).toEqual(
      page([entry('ses_timeline', 3, 'WEBHOOK', 'APPROVED', 'IN_REVIEW', 'approved')], false),
    );

    const newest = await feed(tg, { filter: { provider: 'VERIFA' }, first: 2 });
    const feedPage = newest.data?.sessionEvents as Page;
    expect(newest).toEqual({
      data: {
        sessionEvents: page(
          [
            entry('ses_overturned', 2, 'WEBHOOK', 'DECLINED', 'APPROVED', 'rejected', 'document_unreadable'),
            entry('ses_overturned', 1, 'QUERY', 'APPROVED', null, 'approved'),
          ],
          true,
        ),
      },
    });
    expect(await feed(tg, { filter: { provider: 'VERIFA' }, after: feedPage.pageInfo.endCursor })).toEqual({
      data: {
        sessionEvents: page(
          [
            entry('ses_timeline', 3, 'WEBHOOK', 'APPROVED', 'IN_REVIEW', 'approved'),
            entry('ses_timeline', 2, 'WEBHOOK', 'IN_REVIEW', 'IN_PROGRESS', 'needs_review'),
            entry('ses_timeline', 1, 'QUERY', 'IN_PROGRESS', null, 'processing'),
          ],
          false,
        ),
      },
    });
    expect(await feed(tg, { filter: { status: 'DECLINED' } })).toEqual({
      data: {
        sessionEvents: page(
          [entry('ses_overturned', 2, 'WEBHOOK', 'DECLINED', 'APPROVED', 'rejected', 'document_unreadable')],
          false,
        ),
      },
    });
    expect(await feed(tg, { filter: { provider: 'DIDIT' } })).toEqual({ data: { sessionEvents: page([], false) } });
    expect(await feed(tg, { filter: { since: '2999-01-01T00:00:00Z' } })).toEqual({
      data: { sessionEvents: page([], false) },
    });
  });

  it.skipIf(skip)('keeps the timeline across a restart of the gateway on the same database', async () => {
    await tg.close();
    tg = await start();
    expect(await feed(tg, { filter: { provider: 'VERIFA', status: 'APPROVED' } })).toEqual({
      data: {
        sessionEvents: page(
          [
            entry('ses_overturned', 1, 'QUERY', 'APPROVED', null, 'approved'),
            entry('ses_timeline', 3, 'WEBHOOK', 'APPROVED', 'IN_REVIEW', 'approved'),
          ],
          false,
        ),
      },
    });
  });

  it.skipIf(skip)('shows a bound token only its own sessions’ entries', async () => {
    const token = await mintTestToken({ scope: 'sessions:read', sessions: ['VERIFA:ses_overturned'] });
    const body = await feed(tg, {}, token);
    expect(body).toEqual({
      data: {
        sessionEvents: page(
          [
            entry('ses_overturned', 2, 'WEBHOOK', 'DECLINED', 'APPROVED', 'rejected', 'document_unreadable'),
            entry('ses_overturned', 1, 'QUERY', 'APPROVED', null, 'approved'),
          ],
          false,
        ),
      },
    });
  });
});

describe('the timeline’s boundaries', () => {
  let tg: TestGateway;
  beforeAll(async () => {
    tg = await startTestGateway({ ...TEST_JWT_ENV, GRAPHQL_MAX_COST: '1500' }, FAST);
    await tg.query(SESSION_EVENTS, { id: 'ses_approved' });
    await tg.gateway.timeline.flush();
  });
  afterAll(() => tg.close());

  const badInput = (message: string, path: string[]) => ({
    message,
    locations: expect.any(Array),
    path,
    extensions: { code: 'BAD_USER_INPUT' },
  });

  it.each([
    [101, 'first must be between 1 and 100; got 101.'],
    [0, 'first must be between 1 and 100; got 0.'],
    [-5, 'first must be between 1 and 100; got -5.'],
  ])('refuses sessionEvents(first: %s) with BAD_USER_INPUT', async (first, message) => {
    expect(await feed(tg, { first })).toEqual({ data: null, errors: [badInput(message, ['sessionEvents'])] });
  });

  const malformed = 'Malformed cursor: pass an endCursor or edge cursor from this same field.';
  it.each([
    ['not base64url', 'not a cursor!'],
    ['base64url of something else', Buffer.from('hello').toString('base64url')],
    ['a cursor of Session.events', Buffer.from('s:1').toString('base64url')],
    ['a non-canonical number', Buffer.from('f:01').toString('base64url')],
  ])('refuses a malformed feed cursor (%s) with BAD_USER_INPUT', async (_name, after) => {
    expect(await feed(tg, { after })).toEqual({ data: null, errors: [badInput(malformed, ['sessionEvents'])] });
  });

  it('refuses a bad Session.events argument on that field, and the rest of the response is answered', async () => {
    const { body } = await tg.query(
      `query { a: session(provider: VERIFA, id: "ses_approved") { status events(first: 500) { edges { cursor } } }
               b: session(provider: VERIFA, id: "ses_approved") { status events(after: "bogus") { edges { cursor } } }
               c: session(provider: VERIFA, id: "ses_approved") { status events { edges { node { sequence status } } } } }`,
    );
    expect(body).toEqual({
      data: {
        a: null,
        b: null,
        c: { status: 'APPROVED', events: { edges: [{ node: { sequence: 1, status: 'APPROVED' } }] } },
      },
      errors: [
        badInput('first must be between 1 and 100; got 500.', ['a', 'events']),
        badInput(malformed, ['b', 'events']),
      ],
    });
  });

  it('prices a page by its size: a hundred entries each fetching its session is over the cost limit', async () => {
    const pricey = '{ sessionEvents(first: 100) { edges { node { session { status } } } } }';
    expect((await tg.query(pricey)).body).toEqual({
      errors: [
        {
          message: 'Cost limit of 1500 exceeded, found 2301.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
    });
    const cheap = '{ sessionEvents(first: 10) { edges { node { session { status } } } } }';
    expect((await tg.query(cheap)).body).toEqual({
      data: { sessionEvents: { edges: [{ node: { session: { status: 'APPROVED' } } }] } },
    });
  });

  it('needs sessions:read', async () => {
    expect(await feed(tg, {}, NO_SCOPE_KEY)).toEqual({
      data: null,
      errors: [
        {
          message: 'This API key lacks the "sessions:read" scope.',
          locations: expect.any(Array),
          path: ['sessionEvents'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
  });

  it('holds no personal data: every field answers the same with and without pii:read', async () => {
    const schema = buildSchema();
    expect([...piiFields(schema).keys()].filter((f) => f.startsWith('SessionEvent'))).toEqual([]);
    // Every field of an entry; its `session` is the session itself, masked as in Query.session (test/pii.e2e.test.ts).
    const every = selectAll(
      schema,
      schema.getType('SessionEvent') as GraphQLObjectType,
      new Set(['SessionEvent.session']),
    );
    const query = `{ sessionEvents { edges { cursor node { ${every} } } pageInfo { hasNextPage endCursor } } }`;
    const full = (await tg.query(query, {}, FULL_KEY)).body;
    expect(full).toEqual({
      data: {
        sessionEvents: page(
          [
            {
              sequence: 1,
              at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
              source: 'QUERY',
              provider: 'VERIFA',
              providerSessionId: 'ses_approved',
              status: 'APPROVED',
              previousStatus: null,
              providerStatus: 'approved',
              reasonCode: null,
              redacted: false,
              userAction: 'NONE',
              declineCategories: [],
            },
          ],
          false,
        ),
      },
    });
    expect((await tg.query(query, {}, READ_ONLY_KEY)).body).toEqual(full);
  });
});

describe.skipIf(!postgresAvailable())('two gateways on one PostgreSQL', () => {
  let db: TestDatabase;
  let a: TestGateway;
  let b: TestGateway;
  beforeAll(async () => {
    db = await testDatabase('postgres');
    [a, b] = await Promise.all([
      startTestGateway({ DATABASE_URL: db.url }, FAST),
      startTestGateway({ DATABASE_URL: db.url }, FAST),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await db?.drop();
  });

  it('record a change both see once', async () => {
    // Both replicas read the same sessions at once, then both hear of the overturn from their webhooks.
    await Promise.all([a, b].flatMap((g) => [1, 2, 3].map(() => g.query(SESSION_EVENTS, { id: 'ses_overturned' }))));
    for (const g of [a, b]) {
      const overturned = await waitFor(async () => {
        const { body } = await g.query(SESSION_EVENTS, { id: 'ses_overturned' });
        return (body.data?.session as { status: string } | undefined)?.status === 'DECLINED';
      });
      expect(overturned).toBe(true);
    }
    await Promise.all([a.gateway.timeline.flush(), b.gateway.timeline.flush()]);
    // Whichever replica appended first, and whether its webhook refresh or a query saw the overturn first: once.
    expect(await feed(a)).toEqual({
      data: {
        sessionEvents: page(
          [
            {
              ...entry('ses_overturned', 2, 'WEBHOOK', 'DECLINED', 'APPROVED', 'rejected', 'document_unreadable'),
              source: expect.stringMatching(/^(WEBHOOK|QUERY)$/),
            },
            entry('ses_overturned', 1, 'QUERY', 'APPROVED', null, 'approved'),
          ],
          false,
        ),
      },
    });
  });
});
