import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CompositionError, composeSupergraph, fetchSubgraphSdl } from '../examples/supergraph/compose.ts';
import { type Router, startRouter } from '../examples/supergraph/router.ts';
import { DEMO_USERS, startUsersSubgraph, USERS_SDL, type UsersSubgraph } from '../examples/supergraph/users.ts';
import { toGlobalId } from '../src/graphql/ids.ts';
import { SESSION_FETCH_COST } from '../src/graphql/plugins/cost.ts';
import { PROVIDERS } from '../src/model/session.ts';
import { FULL_KEY, type GraphQLBody, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { mintTestToken, TEST_JWT_ENV } from './support/jwt.ts';

/**
 * Verigate as a Federation v2 subgraph under a real router: its `_service` SDL composed with a small users subgraph
 * by @theguild/federation-composition, served by Hive Gateway in process, queried over HTTP like any client.
 */

const ROUTER_KEY = 'test-key-router-only-00000004';
const ROUTER_READER_KEY = 'test-key-router-reader-00005';
const KEYS = JSON.stringify([
  { name: 'full', key: FULL_KEY, scopes: ['sessions:read', 'pii:read'] },
  { name: 'read-only', key: READ_ONLY_KEY, scopes: ['sessions:read'] },
  { name: 'router', key: ROUTER_KEY, scopes: ['router'] },
  { name: 'router-reader', key: ROUTER_READER_KEY, scopes: ['router', 'sessions:read'] },
]);

const USERS_QUERY = '{ users { name verification { status providerStatus kyc { documentNumber } } } }';
const VX = '4ed2ec66-9471-415d-99ce-7bd1742fc2b8';
const DIDIT = '11111111-2222-3333-4444-555555555555';

async function post(url: string, body: unknown, credential: string | null, headers: Record<string, string> = {}) {
  const res = await request(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(credential ? { authorization: `Bearer ${credential}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as GraphQLBody };
}

/** The users' verifications as the router answers them, one line per user (the whole response is asserted too). */
const VERIFIED = {
  VERATAD: { status: 'APPROVED', providerStatus: 'PASS', kyc: { documentNumber: 'D1234567' } },
  DIDIT: { status: 'DECLINED', providerStatus: 'Declined', kyc: { documentNumber: 'BK123456' } },
  VERIFA: { status: 'IN_REVIEW', providerStatus: 'needs_review', kyc: { documentNumber: 'D81234567' } },
};
const usersWith = (verification: (provider: keyof typeof VERIFIED, index: number) => unknown) => ({
  users: DEMO_USERS.map((u, i) => ({
    name: u.name,
    verification: u.verification ? verification(u.verification.provider as keyof typeof VERIFIED, i) : null,
  })),
});

describe('Verigate inside a supergraph, under Hive Gateway', () => {
  let gw: TestGateway;
  let users: UsersSubgraph;
  let router: Router;
  let verigateSdl: string;
  beforeAll(async () => {
    // A breaker that never opens here, so the fault case sees the fault itself.
    gw = await startTestGateway(
      { GATEWAY_API_KEYS: KEYS, ...TEST_JWT_ENV },
      { policy: { breaker: { minCalls: 1_000 } } },
    );
    users = await startUsersSubgraph();
    verigateSdl = await fetchSubgraphSdl(gw.gateway.url, ROUTER_KEY);
    const { supergraphSdl } = composeSupergraph([
      { name: 'verigate', url: gw.gateway.url, sdl: verigateSdl },
      { name: 'users', url: users.url, sdl: USERS_SDL },
    ]);
    router = await startRouter(supergraphSdl);
  });
  afterAll(async () => {
    await router?.close();
    await users?.close();
    await gw?.close();
  });
  beforeEach(() => {
    for (const p of PROVIDERS) {
      gw.simulator(p).faults.clear();
      gw.simulator(p).resetCount();
    }
  });

  /** Session reads per provider (token and other endpoints not counted). */
  const sessionCalls = () => ({
    VERATAD: gw.simulator('VERATAD').requestCount('/api/session/result/'),
    DIDIT: gw.simulator('DIDIT').requestCount('/decision/'),
    VERIFA: gw.simulator('VERIFA').requestCount('/api/v1/sessions/'),
  });

  describe('composition', () => {
    it('composes beside a subgraph that also implements Relay, with nothing internal in the supergraph', () => {
      const { publicSdl } = composeSupergraph([
        { name: 'verigate', url: gw.gateway.url, sdl: verigateSdl },
        { name: 'users', url: users.url, sdl: USERS_SDL },
      ]);
      expect(publicSdl).toContain('verification: Session');
      expect(publicSdl).toMatch(/type Session implements Node/);
      expect(publicSdl).toMatch(/node\([\s\S]*?\): Node/);
      // The masking enum and the federation plumbing stay out of the API clients of the router see.
      for (const internal of ['PiiMask', '_entities', '_service', '_Any', 'link__', 'federation__']) {
        expect(publicSdl).not.toContain(internal);
      }
    });

    it('fails on a schema change that breaks the supergraph', () => {
      const compose = (sdl: string) => () =>
        composeSupergraph([
          { name: 'verigate', url: gw.gateway.url, sdl },
          { name: 'users', url: users.url, sdl: USERS_SDL },
        ]);
      // Dropping the key other teams store leaves their stubs pointing at nothing Verigate resolves.
      const withoutVendorKey = verigateSdl.replace(/\s*@key\(fields: "provider providerSessionId"\)/, '');
      expect(withoutVendorKey).not.toBe(verigateSdl);
      expect(compose(withoutVendorKey)).toThrow(CompositionError);
      // `Query.node` exists in both subgraphs: without `@shareable` they cannot compose.
      const nodeNotShared = verigateSdl.replace(/(\): Node)\s*@shareable/, '$1');
      expect(nodeNotShared).not.toBe(verigateSdl);
      expect(compose(nodeNotShared)).toThrow(/Query\.node/);
    });
  });

  it('joins ten users to their sessions: each provider’s status, one vendor call per distinct session', async () => {
    const { status, body } = await post(router.url, { query: USERS_QUERY }, FULL_KEY);
    expect(status).toBe(200);
    expect(body).toEqual({ data: usersWith((p) => VERIFIED[p]) });
    expect(sessionCalls()).toEqual({ VERATAD: 1, DIDIT: 1, VERIFA: 1 });
  });

  it('masks personal data through the router for a key without pii:read', async () => {
    const { body } = await post(router.url, { query: USERS_QUERY }, READ_ONLY_KEY);
    const masked = {
      VERATAD: { ...VERIFIED.VERATAD, kyc: { documentNumber: '****4567' } },
      DIDIT: { ...VERIFIED.DIDIT, kyc: { documentNumber: '****3456' } },
      VERIFA: { ...VERIFIED.VERIFA, kyc: { documentNumber: '****4567' } },
    };
    expect(body).toEqual({ data: usersWith((p) => masked[p]) });
  });

  it('keeps each client’s own credential when two ask the router at once', async () => {
    // The router batches entity fetches per request; a batch mixing two clients would carry one client's key.
    const [full, masked] = await Promise.all([
      post(router.url, { query: USERS_QUERY }, FULL_KEY),
      post(router.url, { query: USERS_QUERY }, READ_ONLY_KEY),
    ]);
    expect(full.body).toEqual({ data: usersWith((p) => VERIFIED[p]) });
    expect(masked.body.data).toEqual(
      usersWith((p) => ({ ...VERIFIED[p], kyc: { documentNumber: expect.stringMatching(/^\*+\d{4}$/) } })),
    );
  });

  it('gives a token bound to one session FORBIDDEN on every other user’s verification, fetching only its own', async () => {
    const token = await mintTestToken({ scope: 'sessions:read pii:read', sessions: ['VERIFA:ses_abc123'] });
    const { body } = await post(router.url, { query: USERS_QUERY }, token);
    // Hive Gateway reports an entity's error at the entity's first selected field and names the subgraph.
    expect(body.data).toEqual(usersWith((p) => (p === 'VERIFA' ? VERIFIED.VERIFA : null)));
    const expected = DEMO_USERS.flatMap((u, i) =>
      u.verification?.provider === 'VERIFA'
        ? []
        : [
            {
              message: `This token does not grant access to that ${u.verification?.provider === 'DIDIT' ? 'Didit' : 'Veratad VX'} session.`,
              path: ['users', i, 'verification', 'status'],
              extensions: { code: 'FORBIDDEN', provider: u.verification?.provider, serviceName: 'verigate' },
            },
          ],
    );
    expect(body.errors?.map(({ message, path, extensions }) => ({ message, path, extensions }))).toEqual(expected);
    expect(sessionCalls()).toEqual({ VERATAD: 0, DIDIT: 0, VERIFA: 1 });
  });

  it('nulls only the failing vendor’s users, with Verigate’s error code visible to the client', async () => {
    gw.simulator('DIDIT').faults.inject({ kind: 'status', status: 503 }, { path: DIDIT });
    const { status, body } = await post(router.url, { query: USERS_QUERY }, FULL_KEY);
    expect(status).toBe(200);
    expect(body.data).toEqual(usersWith((p) => (p === 'DIDIT' ? null : VERIFIED[p])));
    const expected = DEMO_USERS.flatMap((u, i) =>
      u.verification?.provider === 'DIDIT'
        ? [
            {
              message: 'Didit is unavailable: it answered HTTP 503.',
              path: ['users', i, 'verification', 'status'],
              extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'DIDIT', serviceName: 'verigate' },
            },
          ]
        : [],
    );
    expect(body.errors?.map(({ message, path, extensions }) => ({ message, path, extensions }))).toEqual(expected);
  });

  it('resolves Relay ids through the shared Query.node, a session’s and a user’s', async () => {
    const sessionId = toGlobalId({ provider: 'VERIFA', id: 'ses_abc123' });
    const { body } = await post(
      router.url,
      {
        query: `{ s: node(id: "${sessionId}") { id ... on Session { status } } u: node(id: "user-1") { id ... on User { name } } }`,
      },
      FULL_KEY,
    );
    expect(body).toEqual({
      data: { s: { id: sessionId, status: 'IN_REVIEW' }, u: { id: 'user-1', name: 'Ada' } },
    });
  });

  describe('the subgraph endpoints, called directly', () => {
    const entities = (representations: unknown[], selection = 'status') => ({
      query: `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Session { ${selection} } } }`,
      variables: { representations },
    });

    it('resolves both keys through the same loader: one vendor call per distinct session', async () => {
      const byId = { __typename: 'Session', id: toGlobalId({ provider: 'VERATAD', id: VX }) };
      const byVendor = { __typename: 'Session', provider: 'VERATAD', providerSessionId: VX };
      const { body } = await post(gw.gateway.url, entities([byId, byVendor, byId], 'id provider'), FULL_KEY);
      const session = { id: byId.id, provider: 'VERATAD' };
      expect(body).toEqual({ data: { _entities: [session, session, session] } });
      expect(sessionCalls()).toEqual({ VERATAD: 1, DIDIT: 0, VERIFA: 0 });
    });

    it('refuses a malformed representation per entity, before any vendor call', async () => {
      const { body } = await post(
        gw.gateway.url,
        entities([
          { __typename: 'Session', id: 'not-a-global-id' },
          { __typename: 'Session', provider: 'DIDIT', providerSessionId: 'not-a-uuid' },
          { __typename: 'Session', provider: 'VERIFA', providerSessionId: 'ses_abc123' },
        ]),
        FULL_KEY,
      );
      expect(body.data).toEqual({ _entities: [null, null, { status: 'IN_REVIEW' }] });
      expect(body.errors?.map((e) => ({ path: e.path, extensions: e.extensions }))).toEqual([
        { path: ['_entities', 0], extensions: { code: 'BAD_USER_INPUT' } },
        { path: ['_entities', 1], extensions: { code: 'BAD_USER_INPUT', provider: 'DIDIT' } },
      ]);
      expect(sessionCalls()).toEqual({ VERATAD: 0, DIDIT: 0, VERIFA: 1 });
    });

    it('refuses a representation of no entity type per entity, BAD_USER_INPUT, before any vendor call', async () => {
      const good = { __typename: 'Session', provider: 'VERIFA', providerSessionId: 'ses_abc123' };
      const { body } = await post(
        gw.gateway.url,
        entities([{}, { __typename: 'Nope' }, good, { __typename: 'Query' }, { __typename: 'Applicant' }, 'text']),
        FULL_KEY,
      );
      const refused = (index: number) => ({
        message:
          'Malformed representation: `__typename` must name an entity type (Session), with the fields of one of its keys.',
        locations: [{ line: 1, column: 37 }],
        path: ['_entities', index],
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(body).toEqual({
        data: { _entities: [null, null, { status: 'IN_REVIEW' }, null, null, null] },
        errors: [refused(0), refused(1), refused(3), refused(4), refused(5)],
      });
      expect(sessionCalls()).toEqual({ VERATAD: 0, DIDIT: 0, VERIFA: 1 });
    });

    it('caps _entities at 50 representations, like sessions(refs:), without calling a vendor', async () => {
      const ref = { __typename: 'Session', provider: 'VERIFA', providerSessionId: 'ses_abc123' };
      const { body } = await post(gw.gateway.url, entities(Array(51).fill(ref), '__typename'), FULL_KEY);
      expect(body).toEqual({
        data: null,
        errors: [
          {
            message: '_entities takes at most 50 representations; got 51.',
            locations: [{ line: 1, column: 37 }],
            path: ['_entities'],
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      });
      expect(sessionCalls()).toEqual({ VERATAD: 0, DIDIT: 0, VERIFA: 0 });
    });

    it('prices _entities by its representations, exactly like sessions(refs:)', async () => {
      const priced = await startTestGateway({ GATEWAY_API_KEYS: KEYS, GRAPHQL_MAX_COST: '1000' });
      try {
        const selection = 'status kyc { documentNumber firstName lastName dateOfBirth issuingCountry expirationDate }';
        // Each item: a session fetch plus its selection (status 1, kyc 1 + 6).
        const cost = 40 * (SESSION_FETCH_COST + 8);
        const ref = { __typename: 'Session', provider: 'VERIFA', providerSessionId: 'ses_abc123' };
        const viaEntities = await post(priced.gateway.url, entities(Array(40).fill(ref), selection), FULL_KEY);
        const refs = Array(40).fill({ provider: 'VERIFA', id: 'ses_abc123' });
        const viaSessions = await post(
          priced.gateway.url,
          {
            query: `query($refs: [SessionRefInput!]!) { sessions(refs: $refs) { ${selection} } }`,
            variables: { refs },
          },
          FULL_KEY,
        );
        const refused = {
          status: 400,
          body: {
            errors: [
              {
                message: `Cost limit of 1000 exceeded, found ${cost}.`,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              },
            ],
          },
        };
        expect(viaEntities).toEqual(refused);
        expect(viaSessions).toEqual(refused);
        expect(priced.simulator('VERIFA').requestCount()).toBe(0);
      } finally {
        await priced.close();
      }
    });

    it('shows _service { sdl } to a router credential only', async () => {
      const refused = await post(gw.gateway.url, { query: '{ _service { sdl } }' }, FULL_KEY);
      expect(refused.body).toEqual({
        data: null,
        errors: [
          {
            message: 'This API key lacks the "router" scope.',
            locations: [{ line: 1, column: 3 }],
            path: ['_service'],
            extensions: { code: 'FORBIDDEN' },
          },
        ],
      });
      const served = await post(gw.gateway.url, { query: '{ _service { sdl } }' }, ROUTER_KEY);
      expect(served.body.data).toEqual({ _service: { sdl: verigateSdl } });
      expect(verigateSdl).toContain('@key(fields: "provider providerSessionId")');
    });

    it('never sends Apollo inline traces (ftv1), even when a router asks for them', async () => {
      const { body } = await post(
        gw.gateway.url,
        entities([{ __typename: 'Session', provider: 'VERIFA', providerSessionId: 'ses_abc123' }]),
        FULL_KEY,
        { 'apollo-federation-include-trace': 'ftv1' },
      );
      expect(body).toEqual({ data: { _entities: [{ status: 'IN_REVIEW' }] } });
    });
  });
});

describe('trusted documents with a router in front', () => {
  const STATUS_QUERY = 'query SessionStatus($id: String!) { session(provider: VERIFA, id: $id) { status } }';
  const ROUTER_OPERATION = {
    query:
      'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Session { status } } }',
    variables: { representations: [{ __typename: 'Session', provider: 'VERIFA', providerSessionId: 'ses_abc123' }] },
  };
  let gw: TestGateway;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verigate-supergraph-'));
    const manifest = join(dir, 'persisted-documents.json');
    writeFileSync(manifest, JSON.stringify({ status: STATUS_QUERY }));
    gw = await startTestGateway({ GATEWAY_API_KEYS: KEYS, TRUSTED_DOCUMENTS: manifest });
  });
  afterAll(() => gw?.close());

  it('admits a router credential’s generated operations, and nobody else’s', async () => {
    const admitted = await post(gw.gateway.url, ROUTER_OPERATION, ROUTER_READER_KEY);
    expect(admitted.body).toEqual({ data: { _entities: [{ status: 'IN_REVIEW' }] } });
    const rootField = await post(gw.gateway.url, { query: '{ providers { provider } }' }, ROUTER_READER_KEY);
    expect(rootField.body.data?.providers).toHaveLength(PROVIDERS.length);
    const app = await post(gw.gateway.url, ROUTER_OPERATION, FULL_KEY);
    expect(app).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: 'This gateway runs trusted operations only; send the id of one from its manifest.',
            extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST' },
          },
        ],
      },
    });
  });

  it('keeps every limit and scope for a router credential', async () => {
    const mutation = await post(gw.gateway.url, { query: 'mutation { x }' }, ROUTER_READER_KEY);
    expect(mutation.status).toBe(400);
    expect(mutation.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    const deep = await post(
      gw.gateway.url,
      {
        query:
          '{ session(provider: VERIFA, id: "ses_abc123") { checks { nfc { chip { certificates { issuer { a { b { c } } } } } } } } }',
      },
      ROUTER_READER_KEY,
    );
    expect(deep.status).toBe(400);
    // `router` alone reads no session: the usual scopes still apply.
    const unscoped = await post(gw.gateway.url, ROUTER_OPERATION, ROUTER_KEY);
    expect(unscoped.body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
  });
});
