import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { overSse } from './support/subscriptions.ts';

/** `n` Verifa ids the simulator does not know: each costs two calls (the result, then the session). */
const unknownVerifa = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ provider: 'VERIFA', id: `ses_unknown_${prefix}${i}` }));

const FOUR_ALIASES = `query($a: [SessionRefInput!]!, $b: [SessionRefInput!]!, $c: [SessionRefInput!]!, $d: [SessionRefInput!]!) {
  a: sessions(refs: $a) { status } b: sessions(refs: $b) { status } c: sessions(refs: $c) { status } d: sessions(refs: $d) { status }
}`;

describe('one request cannot spend a vendor’s budget', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('refuses four aliases of sessions(refs:) × 50 unknown Verifa ids before any vendor call', async () => {
    const verifa = gw.simulator('VERIFA');
    verifa.resetCount();
    const variables = {
      a: unknownVerifa('a', 50),
      b: unknownVerifa('b', 50),
      c: unknownVerifa('c', 50),
      d: unknownVerifa('d', 50),
    };
    const res = await gw.query(FOUR_ALIASES, variables, READ_ONLY_KEY);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message:
            'This operation could make 400 vendor calls (200 distinct sessions); one request may make at most 100 ' +
            '(GRAPHQL_MAX_UPSTREAM_CALLS). Ask for fewer sessions per request.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', upstreamCalls: 400, maxUpstreamCalls: 100 },
        },
      ],
    });
    expect(verifa.requestCount()).toBe(0);
  });

  it('counts each distinct session once, whatever the aliases: the same 50 ids four times is 100 calls, allowed', async () => {
    const verifa = gw.simulator('VERIFA');
    verifa.resetCount();
    const refs = unknownVerifa('same', 50);
    const res = await gw.query(FOUR_ALIASES, { a: refs, b: refs, c: refs, d: refs }, READ_ONLY_KEY);
    expect(res.status).toBe(200);
    const nulls = Array.from({ length: 50 }, () => null);
    expect(res.body.data).toEqual({ a: nulls, b: nulls, c: nulls, d: nulls });
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(Array.from({ length: 200 }, () => 'NOT_FOUND'));
    expect(verifa.requestCount()).toBe(100);
  });

  it('counts _entities representations with the sessions they name', async () => {
    const representations = (prefix: string) =>
      unknownVerifa(prefix, 26).map((r) => ({ __typename: 'Session', provider: r.provider, providerSessionId: r.id }));
    const entities = await gw.query(
      `query($r: [_Any!]!, $s: [_Any!]!) {
        a: _entities(representations: $r) { ... on Session { status } }
        b: _entities(representations: $s) { ... on Session { status } } }`,
      { r: representations('e'), s: representations('f') },
      READ_ONLY_KEY,
    );
    expect(entities.body).toEqual({
      errors: [
        {
          message:
            'This operation could make 104 vendor calls (52 distinct sessions); one request may make at most 100 ' +
            '(GRAPHQL_MAX_UPSTREAM_CALLS). Ask for fewer sessions per request.',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', upstreamCalls: 104, maxUpstreamCalls: 100 },
        },
      ],
    });
  });

  it('answers a document nested 5 000 brackets deep with a coded parse error, not a stack overflow', async () => {
    const res = await gw.query(`{ sessions(refs: ${'['.repeat(5_000)}) { id } }`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [
        {
          message: 'Query too deeply nested: more than 64 nested brackets.',
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        },
      ],
    });
    // The same over SSE (subscriptions are parsed apart).
    const sse = await overSse(gw.gateway.url, FULL_KEY, `subscription { sessionUpdated${'('.repeat(5_000)} }`);
    expect(sse).toEqual({
      events: [
        {
          errors: [
            {
              message: 'Query too deeply nested: more than 64 nested brackets.',
              extensions: { code: 'GRAPHQL_PARSE_FAILED' },
            },
          ],
        },
      ],
      end: { kind: 'complete' },
    });
    // Brackets inside strings and comments do not count.
    const quoted = await gw.query(
      `# ${'['.repeat(100)}\n{ session(provider: VERIFA, id: "${'['.repeat(100)}") { id } }`,
    );
    expect(quoted.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('every API key gets a fair share of each vendor’s budget', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Six calls a minute to Verifa: two keys competing get three each.
    gw = await startTestGateway({ VERIFA_RATE_LIMIT_PER_MINUTE: '6' });
  });
  afterAll(() => gw.close());

  const status = (id: string, key: string) =>
    gw.query(`{ session(provider: VERIFA, id: "${id}") { status } }`, {}, key).then((r) => r.body);
  const approved = { data: { session: { status: 'APPROVED' } } };

  it('refuses the key over its share with UPSTREAM_RATE_LIMITED, while the other key is still answered', async () => {
    // ses_approved is one call each (its result exists); the cache is off, so each read is a call.
    expect(await status('ses_approved', READ_ONLY_KEY)).toEqual(approved);
    for (let i = 0; i < 3; i += 1) expect(await status('ses_approved', FULL_KEY)).toEqual(approved);
    expect(await status('ses_approved', FULL_KEY)).toEqual({
      data: { session: null },
      errors: [
        {
          message: expect.stringMatching(
            /^Your credential has spent its share of Verigate's request budget for Verifa, which is shared fairly between the callers using it; retry in \d+ s\.$/,
          ),
          path: ['session'],
          locations: expect.any(Array),
          extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: 'VERIFA', retryAfterSeconds: expect.any(Number) },
        },
      ],
    });
    expect(await status('ses_approved', READ_ONLY_KEY)).toEqual(approved);
    expect(await status('ses_approved', READ_ONLY_KEY)).toEqual(approved);
    expect(gw.simulator('VERIFA').requestCount()).toBe(6);
  });
});
