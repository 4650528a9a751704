import { ApolloClient, gql, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { type Client, createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FULL_KEY, NO_SCOPE_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { type Outcome, overWs, SESSION_UPDATED, until } from './support/subscriptions.ts';

/** Timed scenarios step every 500 ms; webhook refreshes are not held back. */
const FAST = { timelineStepMs: 500, refresher: { minIntervalMs: 100, backoffMs: 100 } };
const DIDIT_TIMED = 'd1d10500-0000-4000-8000-000000000001';
const DIDIT_DECLINED = '11111111-2222-3333-4444-555555555555';

const session = (provider: string, providerSessionId: string, status: string, isTerminal: boolean) => ({
  data: { sessionUpdated: { provider, providerSessionId, status, isTerminal } },
});

let gw: TestGateway;
const wsUrl = () => gw.gateway.url.replace(/^http/, 'ws');

/** A graphql-ws client that reports how its socket closed. */
function client(key: string | null, closes: Array<{ code: number; reason: string }> = []): Client {
  return createClient({
    url: wsUrl(),
    webSocketImpl: WebSocket,
    connectionParams: key === null ? {} : { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    on: { closed: (event) => closes.push({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }) },
  });
}

/** Subscribes on `c` and resolves its outcome; `started` resolves at the first event. */
function follow(c: Client, id: string, provider = 'VERIFA') {
  const events: unknown[] = [];
  let first: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    first = resolve;
  });
  const done = new Promise<Outcome>((resolve) => {
    c.subscribe(
      { query: SESSION_UPDATED, variables: { provider, id } },
      {
        next: (value) => {
          events.push(value);
          first();
        },
        error: (error) => {
          first();
          resolve({ events, end: { kind: 'error', error } });
        },
        complete: () => resolve({ events, end: { kind: 'complete' } }),
      },
    );
  });
  return { started, done };
}

beforeAll(async () => {
  gw = await startTestGateway(
    { SUBSCRIPTIONS_PER_CONNECTION: '2', SUBSCRIPTIONS_PER_CREDENTIAL: '3', SUBSCRIPTION_IDLE_SECONDS: '60' },
    FAST,
  );
});
afterAll(() => gw.close());

describe('sessionUpdated over GraphQL over WebSocket', () => {
  it('sends the current state, each change from the vendor webhooks, and completes after the terminal status', async () => {
    const outcome = await overWs(gw.gateway.url, FULL_KEY, SESSION_UPDATED, { provider: 'VERIFA', id: 'ses_timeline' });
    expect(outcome).toEqual({
      events: [
        session('VERIFA', 'ses_timeline', 'IN_PROGRESS', false),
        session('VERIFA', 'ses_timeline', 'IN_REVIEW', false),
        session('VERIFA', 'ses_timeline', 'APPROVED', true),
      ],
      end: { kind: 'complete' },
    });
  });

  it('works with Apollo Client’s GraphQLWsLink', async () => {
    const wsClient = createClient({
      url: wsUrl(),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${READ_ONLY_KEY}` },
    });
    const apollo = new ApolloClient({ link: new GraphQLWsLink(wsClient), cache: new InMemoryCache() });
    const statuses: unknown[] = [];
    await new Promise<void>((resolve, reject) => {
      apollo
        .subscribe({
          query: gql`
            subscription Watch($id: String!) {
              sessionUpdated(provider: DIDIT, id: $id) {
                id
                status
                applicant { dateOfBirth }
              }
            }
          `,
          variables: { id: DIDIT_TIMED },
          fetchPolicy: 'no-cache',
        })
        .subscribe({
          next: (result) => statuses.push(result.data),
          error: reject,
          complete: resolve,
        });
    });
    await wsClient.dispose();
    type Event = {
      sessionUpdated: { __typename: string; id: string; status: string; applicant: { dateOfBirth: unknown } | null };
    };
    const events = statuses as Event[];
    const id = events[0]?.sessionUpdated.id;
    expect(events.map((e) => [e.sessionUpdated.__typename, e.sessionUpdated.id, e.sessionUpdated.status])).toEqual([
      ['Session', id, 'IN_PROGRESS'],
      ['Session', id, 'IN_REVIEW'],
      ['Session', id, 'APPROVED'],
    ]);
    // A key without pii:read: the date of birth is masked (null) in every event.
    expect(events.map((e) => e.sessionUpdated.applicant?.dateOfBirth ?? null)).toEqual([null, null, null]);
  });

  it('closes 4401 at connection_init without a valid credential, 4403 without sessions:read', async () => {
    for (const [key, code, reason] of [
      [null, 4401, 'Unauthorized'],
      ['not-a-key', 4401, 'Unauthorized'],
      [NO_SCOPE_KEY, 4403, 'Forbidden'],
    ] as const) {
      const closes: Array<{ code: number; reason: string }> = [];
      const c = client(key, closes);
      const outcome = await follow(c, 'ses_abc123').done;
      expect(outcome.end.kind, String(key)).toBe('error');
      expect(closes, String(key)).toEqual([{ code, reason }]);
      await c.dispose();
    }
  });

  it('refuses a subscription past the per-connection and per-credential limits with SUBSCRIPTION_LIMIT_REACHED', async () => {
    const a = client(FULL_KEY);
    const b = client(FULL_KEY);
    // Verifa `ses_abc123` is in review: its streams stay open.
    const open = [follow(a, 'ses_abc123'), follow(a, 'ses_abc123'), follow(b, 'ses_abc123')];
    await Promise.all(open.map((o) => o.started));
    const overConnection = await follow(a, 'ses_abc123').done;
    const overCredential = await follow(b, 'ses_abc123').done;
    expect(overConnection).toEqual({
      events: [],
      end: {
        kind: 'error',
        error: [
          {
            message: 'This connection already runs 2 subscriptions; end one first.',
            extensions: { code: 'SUBSCRIPTION_LIMIT_REACHED', limit: 'connection', max: 2 },
          },
        ],
      },
    });
    expect(overCredential).toEqual({
      events: [],
      end: {
        kind: 'error',
        error: [
          {
            message: 'This credential already holds 3 subscriptions on this gateway; end one first.',
            extensions: { code: 'SUBSCRIPTION_LIMIT_REACHED', limit: 'credential', max: 3 },
          },
        ],
      },
    });
    await a.dispose();
    // Closing a connection gives its places back.
    const again = follow(b, 'ses_abc123');
    await again.started;
    await b.dispose();
  });

  it('masks personal fields for a key without pii:read and refuses queries over the socket', async () => {
    const selection = 'kyc { documentNumber dateOfBirth } applicant { email }';
    const query = `subscription { sessionUpdated(provider: DIDIT, id: "${DIDIT_DECLINED}") { ${selection} } }`;
    const masked = await overWs(gw.gateway.url, READ_ONLY_KEY, query);
    const asQuery = await gw.query(
      `{ session(provider: DIDIT, id: "${DIDIT_DECLINED}") { ${selection} } }`,
      {},
      READ_ONLY_KEY,
    );
    expect(masked).toEqual({
      events: [{ data: { sessionUpdated: asQuery.body.data?.session } }],
      end: { kind: 'complete' },
    });
    const refused = await overWs(gw.gateway.url, FULL_KEY, '{ providers { provider } }');
    expect(refused.end).toEqual({
      kind: 'error',
      error: [
        expect.objectContaining({
          message: 'This transport serves subscriptions only; send a query as an HTTP POST or GET to /graphql.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      ],
    });
  });
});

describe('subscription lifetime and shutdown', () => {
  it('ends a subscription past SUBSCRIPTION_MAX_LIFETIME_SECONDS with SUBSCRIPTION_EXPIRED', async () => {
    const short = await startTestGateway({ SUBSCRIPTION_MAX_LIFETIME_SECONDS: '1' });
    try {
      const outcome = await overWs(short.gateway.url, FULL_KEY, SESSION_UPDATED, {
        provider: 'VERIFA',
        id: 'ses_abc123',
      });
      expect(outcome).toEqual({
        events: [
          session('VERIFA', 'ses_abc123', 'IN_REVIEW', false),
          {
            data: null,
            errors: [
              {
                message:
                  'This subscription reached its maximum lifetime (SUBSCRIPTION_MAX_LIFETIME_SECONDS); subscribe again.',
                locations: [{ line: 2, column: 3 }],
                path: ['sessionUpdated'],
                extensions: { code: 'SUBSCRIPTION_EXPIRED' },
              },
            ],
          },
        ],
        end: { kind: 'complete' },
      });
    } finally {
      await short.close();
    }
  });

  it('closes a WebSocket connection that holds no subscription for SUBSCRIPTION_IDLE_SECONDS with 1000', async () => {
    const idle = await startTestGateway({ SUBSCRIPTION_IDLE_SECONDS: '1' });
    const closes: Array<{ code: number; reason: string }> = [];
    const c = createClient({
      url: idle.gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${FULL_KEY}` },
      lazy: false,
      retryAttempts: 0,
      onNonLazyError: () => {},
      on: {
        closed: (event) => closes.push({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }),
      },
    });
    try {
      await until(() => closes.length > 0, 10_000, 'the idle close');
      expect(closes).toEqual([{ code: 1000, reason: 'Idle' }]);
    } finally {
      await c.dispose();
      await idle.close();
    }
  });

  it('closes open WebSocket streams with 1001 on shutdown, which clients retry, and shutdown does not wait for them', async () => {
    const other = await startTestGateway({ SHUTDOWN_TIMEOUT_SECONDS: '30' });
    const closes: Array<{ code: number; reason: string }> = [];
    const c = createClient({
      url: other.gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${FULL_KEY}` },
      retryAttempts: 0,
      on: {
        closed: (event) => closes.push({ code: (event as CloseEvent).code, reason: (event as CloseEvent).reason }),
      },
    });
    const stream = follow(c, 'ses_abc123');
    await stream.started;
    await other.close();
    // Shutdown got past the HTTP drain without its 30 s timeout: the stream was ended first.
    expect(other.gateway.shutdownStep()).toBe('done');
    await until(() => closes.length > 0, 5_000, 'the close');
    expect(closes).toEqual([{ code: 1001, reason: 'Going away' }]);
    await c.dispose();
  });
});
