import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-sse';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_KEY, NO_SCOPE_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { mintTestToken, TEST_JWT_ENV } from './support/jwt.ts';
import { overSse, SESSION_UPDATED } from './support/subscriptions.ts';

/** Timed scenarios step every 500 ms; webhook refreshes are not held back. */
const FAST = { timelineStepMs: 500, refresher: { minIntervalMs: 100, backoffMs: 100 } };
const DIDIT_DECLINED = '11111111-2222-3333-4444-555555555555';

const token = (sessions: string[]) => mintTestToken({ scope: 'sessions:read', sessions });

const session = (provider: string, providerSessionId: string, status: string, isTerminal: boolean) => ({
  data: { sessionUpdated: { provider, providerSessionId, status, isTerminal } },
});

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway(TEST_JWT_ENV, FAST);
});
afterAll(() => gw.close());

describe('sessionUpdated over GraphQL over SSE', () => {
  it('sends the current state, each change from the vendor webhooks, and completes after the terminal status', async () => {
    const outcome = await overSse(gw.gateway.url, FULL_KEY, SESSION_UPDATED, {
      provider: 'VERIFA',
      id: 'ses_timeline',
    });
    expect(outcome).toEqual({
      events: [
        session('VERIFA', 'ses_timeline', 'IN_PROGRESS', false),
        session('VERIFA', 'ses_timeline', 'IN_REVIEW', false),
        session('VERIFA', 'ses_timeline', 'APPROVED', true),
      ],
      end: { kind: 'complete' },
    });
  });

  it('counts open subscriptions in /metrics while they last', async () => {
    // A gateway of its own: the timed scenario starts its timeline at its first read.
    const own = await startTestGateway({}, FAST);
    const openNow = async () => {
      const text = await (await request(own.gateway.url.replace(/graphql$/, 'metrics'))).body.text();
      return /^verigate_subscriptions_open (\d+)$/m.exec(text)?.[1];
    };
    const client = createClient({ url: own.gateway.url, headers: { authorization: `Bearer ${FULL_KEY}` } });
    const seen: Array<string | undefined> = [];
    await new Promise<void>((resolve, reject) => {
      let first = true;
      client.subscribe(
        { query: SESSION_UPDATED, variables: { provider: 'VERIFA', id: 'ses_timeline' } },
        {
          next: () => {
            if (!first) return;
            first = false;
            openNow().then((n) => seen.push(n), reject);
          },
          error: reject,
          complete: resolve,
        },
      );
    });
    client.dispose();
    // The server releases the slot as the stream ends, which may be a moment after the client saw `complete`.
    let after = await openNow();
    for (let i = 0; i < 40 && after !== '0'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await openNow();
    }
    seen.push(after);
    await own.close();
    expect(seen).toEqual(['1', '0']);
  });

  it('sends a terminal session once and completes', async () => {
    const outcome = await overSse(gw.gateway.url, FULL_KEY, SESSION_UPDATED, { provider: 'DIDIT', id: DIDIT_DECLINED });
    expect(outcome).toEqual({
      events: [session('DIDIT', DIDIT_DECLINED, 'DECLINED', true)],
      end: { kind: 'complete' },
    });
  });

  it('masks personal fields for a key without pii:read, exactly as the query does', async () => {
    const selection = `applicant { fullName dateOfBirth email address { line1 } } kyc { documentNumber dateOfBirth }`;
    const variables = { provider: 'DIDIT', id: DIDIT_DECLINED };
    const subscription = `subscription($provider: Provider!, $id: String!) { sessionUpdated(provider: $provider, id: $id) { ${selection} } }`;
    const query = `query($provider: Provider!, $id: String!) { session(provider: $provider, id: $id) { ${selection} } }`;
    const masked = await overSse(gw.gateway.url, READ_ONLY_KEY, subscription, variables);
    const asQuery = await gw.query(query, variables, READ_ONLY_KEY);
    const unmasked = await gw.query(query, variables, FULL_KEY);
    expect(masked).toEqual({
      events: [{ data: { sessionUpdated: asQuery.body.data?.session } }],
      end: { kind: 'complete' },
    });
    // The fixture does carry personal data, which the full key sees and the read-only key does not.
    expect(unmasked.body.data?.session).not.toEqual(asQuery.body.data?.session);
  });

  it('refuses a session the token is not bound to with FORBIDDEN, before any vendor call', async () => {
    const bound = await token(['VERIFA:ses_approved']);
    gw.simulator('VERIFA').resetCount();
    const outcome = await overSse(gw.gateway.url, bound, SESSION_UPDATED, { provider: 'VERIFA', id: 'ses_timeline' });
    expect(outcome).toEqual({
      events: [
        {
          errors: [
            {
              message: 'This token does not grant access to that Verifa session.',
              locations: [{ line: 2, column: 3 }],
              path: ['sessionUpdated'],
              extensions: { code: 'FORBIDDEN', provider: 'VERIFA' },
            },
          ],
        },
      ],
      end: { kind: 'complete' },
    });
    expect(gw.simulator('VERIFA').requestCount()).toBe(0);
  });

  it('refuses a key without sessions:read with FORBIDDEN', async () => {
    const outcome = await overSse(gw.gateway.url, NO_SCOPE_KEY, SESSION_UPDATED, {
      provider: 'VERIFA',
      id: 'ses_abc123',
    });
    expect(outcome.events).toEqual([
      {
        errors: [
          {
            message: 'This API key lacks the "sessions:read" scope.',
            locations: [{ line: 2, column: 3 }],
            path: ['sessionUpdated'],
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      },
    ]);
  });

  it('answers NOT_FOUND for a session the vendor does not have', async () => {
    const outcome = await overSse(gw.gateway.url, FULL_KEY, SESSION_UPDATED, { provider: 'VERIFA', id: 'ses_missing' });
    expect(outcome).toEqual({
      events: [
        {
          errors: [
            {
              message: expect.any(String),
              locations: [{ line: 2, column: 3 }],
              path: ['sessionUpdated'],
              extensions: { code: 'NOT_FOUND', provider: 'VERIFA' },
            },
          ],
        },
      ],
      end: { kind: 'complete' },
    });
  });

  it('refuses a missing credential with 401 before reading the operation', async () => {
    const res = await request(gw.gateway.url, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: SESSION_UPDATED, variables: { provider: 'VERIFA', id: 'ses_abc123' } }),
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(await res.body.json()).toEqual({
      errors: [
        {
          message: 'Send an API key or a token as "Authorization: Bearer <credential>".',
          extensions: { code: 'UNAUTHENTICATED' },
        },
      ],
    });
  });

  it('applies the query limits and serves subscriptions only, each refusal coded', async () => {
    const deep = `subscription { sessionUpdated(provider: VERIFA, id: "ses_abc123") { ${'checks { nfc { chip { '.repeat(1)}x } } } } }`;
    const cases: Array<[string, string]> = [
      ['{ providers { provider } }', 'GRAPHQL_VALIDATION_FAILED'],
      ['subscription { sessionUpdated(provider: VERIFA, id: "ses_abc123") { nope } }', 'GRAPHQL_VALIDATION_FAILED'],
      ['subscription { sessionUpdated(provider: VERIFA id: ) }', 'GRAPHQL_PARSE_FAILED'],
      [deep, 'GRAPHQL_VALIDATION_FAILED'],
    ];
    for (const [query, code] of cases) {
      const outcome = await overSse(gw.gateway.url, FULL_KEY, query);
      expect(outcome.end, query).toEqual({ kind: 'complete' });
      expect(outcome.events, query).toEqual([{ errors: [expect.objectContaining({ extensions: { code } })] }]);
    }
    const badVariables = await overSse(gw.gateway.url, FULL_KEY, SESSION_UPDATED, { provider: 'ACME', id: 'x' });
    expect(badVariables.events).toEqual([
      { errors: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })] },
    ]);
    const hostile = await overSse(gw.gateway.url, FULL_KEY, SESSION_UPDATED, { provider: 'VERIFA', id: '../../admin' });
    expect(hostile.events).toEqual([
      { errors: [expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', provider: 'VERIFA' } })] },
    ]);
  });

  it('refuses a subscription sent as a plain POST with a coded 400', async () => {
    const res = await gw.query(SESSION_UPDATED, { provider: 'VERIFA', id: 'ses_abc123' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses graphql-sse’s single-connection mode with SSE_SINGLE_CONNECTION_NOT_SUPPORTED', async () => {
    const refusal = {
      errors: [
        {
          message:
            'GraphQL over SSE is served in distinct connections mode only: subscribe with a POST (or GET) to /graphql ' +
            'and `Accept: text/event-stream`, one request per subscription (graphql-sse: `singleConnection: false`).',
          extensions: { code: 'SSE_SINGLE_CONNECTION_NOT_SUPPORTED' },
        },
      ],
    };
    // The client's first request reserves a stream with a PUT, and fails on anything but 201.
    const client = createClient({
      url: gw.gateway.url,
      headers: { authorization: `Bearer ${FULL_KEY}` },
      singleConnection: true,
      retryAttempts: 0,
    });
    const failure = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: SESSION_UPDATED, variables: { provider: 'VERIFA', id: 'ses_abc123' } },
        { next: () => {}, error: resolve, complete: () => resolve('completed') },
      );
    });
    client.dispose();
    // The client aborts its request as it fails, body unread: the same PUT, read whole.
    expect((failure as { response?: Response }).response?.status).toBe(405);
    const put = await request(gw.gateway.url, { method: 'PUT', headers: { authorization: `Bearer ${FULL_KEY}` } });
    expect([put.statusCode, put.headers.allow, await put.body.json()]).toEqual([405, 'GET, POST', refusal]);
    // A request naming a reserved stream (header or query parameter) is refused the same way.
    const headers = { authorization: `Bearer ${FULL_KEY}`, accept: 'text/event-stream' };
    for (const [path, extra] of [
      ['/graphql', { 'x-graphql-event-stream-token': 'a-token' }],
      ['/graphql?token=a-token', {}],
    ] as const) {
      const res = await request(new URL(path, gw.gateway.url), { headers: { ...headers, ...extra } });
      expect([res.statusCode, await res.body.json()], path).toEqual([400, refusal]);
    }
  });
});

describe('sessionUpdated with TRUSTED_DOCUMENTS', () => {
  const WATCH = 'subscription Watch($id: String!) { sessionUpdated(provider: DIDIT, id: $id) { status } }';
  let trusted: TestGateway;
  beforeAll(async () => {
    const manifest = join(mkdtempSync(join(tmpdir(), 'verigate-trusted-')), 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ w1: WATCH }));
    trusted = await startTestGateway({ TRUSTED_DOCUMENTS: manifest });
  });
  afterAll(() => trusted.close());

  it('runs a listed subscription by its id or its text, and refuses any other with a code', async () => {
    const byText = await overSse(trusted.gateway.url, FULL_KEY, WATCH, { id: DIDIT_DECLINED });
    expect(byText.events).toEqual([{ data: { sessionUpdated: { status: 'DECLINED' } } }]);
    const client = createClient({ url: trusted.gateway.url, headers: { authorization: `Bearer ${FULL_KEY}` } });
    const byId = client.iterate({
      query: '',
      variables: { id: DIDIT_DECLINED },
      extensions: { persistedQuery: { version: 1, sha256Hash: 'w1' } },
    });
    expect((await byId.next()).value).toEqual({ data: { sessionUpdated: { status: 'DECLINED' } } });
    client.dispose();
    const unlisted = await overSse(trusted.gateway.url, FULL_KEY, SESSION_UPDATED, {
      provider: 'DIDIT',
      id: DIDIT_DECLINED,
    });
    expect(unlisted).toEqual({
      events: [{ errors: [expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' } })] }],
      end: { kind: 'complete' },
    });
  });
});
