import { HeaderMap } from '@apollo/server';
import { type GraphQLObjectType, getIntrospectionQuery } from 'graphql';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { startApollo } from '../src/graphql/apollo.ts';
import type { GatewayContext } from '../src/graphql/context.ts';
import { toGlobalId } from '../src/graphql/ids.ts';
import { buildSchema } from '../src/graphql/schema.ts';
import type { Session } from '../src/model/session.ts';
import { normalizeDiditV1Decision } from '../src/providers/didit/normalizeV1.ts';
import { diditV1Decision } from '../src/providers/didit/payloadV1.ts';
import { DIDIT_V1_DOCUMENTED_DECISION } from '../src/providers/didit/sandbox/examples/v1Documented.ts';
import { providerModules } from '../src/providers/index.ts';
import { parseUpstreamJson } from '../src/upstream/parse.ts';
import {
  FULL_KEY,
  NO_SCOPE_KEY,
  READ_ONLY_KEY,
  startTestGateway,
  TEST_API_KEYS,
  type TestGateway,
} from './support/gateway.ts';
import { mintTestToken, TEST_JWT_ENV } from './support/jwt.ts';
import { selectAll } from './support/schemaWalk.ts';

/**
 * The compiled executor (graphql-jit) against graphql-js: the same operations over HTTP to two gateways, one
 * compiling every document on first sight, one never, and the WHOLE answers compared (status and body text:
 * data, errors with messages, locations, paths and extensions, key order).
 */

// Counts what graphql-jit compiled and ran, so the comparison cannot pass with both gateways on graphql-js.
const jit = vi.hoisted(() => ({ compiled: 0, ran: 0 }));
vi.mock('graphql-jit', async (importOriginal) => {
  const original = await importOriginal<typeof import('graphql-jit')>();
  return {
    ...original,
    compileQuery: (...args: Parameters<typeof original.compileQuery>) => {
      const compiled = original.compileQuery(...args);
      if (!('query' in compiled)) return compiled;
      jit.compiled += 1;
      const query = compiled.query;
      compiled.query = (...a: Parameters<typeof query>) => {
        jit.ran += 1;
        return query(...a);
      };
      return compiled;
    },
  };
});

const ROUTER_KEY = 'test-key-router-reader-00005';
// Room for the wide selections below; the limits themselves run before execution and are not what is compared.
const ENV = {
  ...TEST_JWT_ENV,
  GATEWAY_API_KEYS: JSON.stringify([
    ...JSON.parse(TEST_API_KEYS),
    { name: 'router-reader', key: ROUTER_KEY, scopes: ['router', 'sessions:read', 'pii:read'] },
  ]),
  GRAPHQL_MAX_COST: '10000000',
  GRAPHQL_MAX_DEPTH: '20',
  GRAPHQL_MAX_ALIASES: '100',
  GRAPHQL_MAX_ROOT_FIELDS: '60',
  GRAPHQL_MAX_TOKENS: '100000',
};

const schema = buildSchema();
const ALL = selectAll(schema, schema.getType('Session') as GraphQLObjectType);
const PROVIDER_INFO = selectAll(schema, schema.getType('ProviderInfo') as GraphQLObjectType);

/** Every scenario that answers the same whatever the time: timed ones move on by themselves. */
const SCENARIOS = providerModules().flatMap((m) =>
  (m.scenarios ?? [])
    .filter((s) => !s.description.startsWith('timed'))
    .map((s) => ({ provider: m.provider, id: s.id })),
);
const SLOW = new Set(['ses_slow', '0e1a7ad0-0000-4000-8000-000000000016', 'd1d10400-0000-4000-8000-000000000030']);
const QUICK = SCENARIOS.filter((s) => !SLOW.has(s.id));

interface Operation {
  query?: string;
  variables?: unknown;
  operationName?: string;
  extensions?: unknown;
  key?: string | null;
  method?: 'GET' | 'POST';
}

async function send(gw: TestGateway, op: Operation): Promise<{ status: number; text: string }> {
  const key = op.key === undefined ? FULL_KEY : op.key;
  const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
  const payload = {
    query: op.query,
    variables: op.variables,
    operationName: op.operationName,
    extensions: op.extensions,
  };
  if (op.method === 'GET') {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(payload)) {
      if (value !== undefined) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    const res = await request(`${gw.gateway.url}?${search}`, {
      headers: { ...headers, 'apollo-require-preflight': '1' },
    });
    return { status: res.statusCode, text: await res.body.text() };
  }
  const res = await request(gw.gateway.url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return { status: res.statusCode, text: await res.body.text() };
}

let compiled: TestGateway;
let interpreted: TestGateway;

/** Sends one operation to both gateways, one after the other (so breakers and budgets see the same sequence). */
async function same(op: Operation): Promise<{ status: number; body: Record<string, unknown> }> {
  const fromJit = await send(compiled, op);
  const fromGraphqlJs = await send(interpreted, op);
  const body = JSON.parse(fromGraphqlJs.text);
  // Parsed first, for a readable diff; then the text itself, for key order.
  expect({ status: fromJit.status, body: JSON.parse(fromJit.text) }).toEqual({ status: fromGraphqlJs.status, body });
  expect(fromJit.text).toBe(fromGraphqlJs.text);
  return { status: fromGraphqlJs.status, body };
}

const refsQuery = (selection = 'status providerSessionId') =>
  `query Refs($refs: [SessionRefInput!]!) { sessions(refs: $refs) { ${selection} } }`;
const ref = (provider: string, id: string) => ({ provider, id });
const OK = ref('VERIFA', 'ses_abc123');
const OK2 = ref('DIDIT', '11111111-2222-3333-4444-555555555555');
const OK3 = ref('VERATAD', '19fe3b9e-384e-41d1-bded-8de9ef3abacb');
const MISSING = ref('VERIFA', 'ses_missing');
const DOWN = ref('VERIFA', 'ses_error_500');
const LIMITED = ref('VERATAD', '0e1a7ad0-0000-4000-8000-000000000012');
const BAD = ref('DIDIT', 'd1d10400-0000-4000-8000-000000000002');

beforeAll(async () => {
  compiled = await startTestGateway({ ...ENV, GRAPHQL_COMPILE_AFTER: '1' });
  interpreted = await startTestGateway({ ...ENV, GRAPHQL_COMPILE_AFTER: '0' });
});
afterAll(async () => {
  await compiled?.close();
  await interpreted?.close();
});

describe('graphql-jit answers exactly as graphql-js', () => {
  it('every field of every provider scenario, with and without pii:read', { timeout: 60_000 }, async () => {
    const query = `query One($provider: Provider!, $id: String!) { session(provider: $provider, id: $id) { ${ALL} } }`;
    for (const { provider, id } of SCENARIOS) {
      for (const key of [FULL_KEY, READ_ONLY_KEY]) {
        if (SLOW.has(id) && key === READ_ONLY_KEY) continue;
        await same({ query, variables: { provider, id }, key });
      }
    }
  });

  it('every scenario in one sessions(refs:) list, failures among successes, every field', {
    timeout: 30_000,
  }, async () => {
    const refs = QUICK.map((s) => ref(s.provider, s.id));
    const { body } = await same({ query: refsQuery(ALL), variables: { refs: refs.slice(0, 50) } });
    expect((body.errors as unknown[]).length).toBeGreaterThan(5);
    await same({ query: refsQuery(ALL), variables: { refs: refs.slice(50) }, key: READ_ONLY_KEY });
  });

  it('a failing item first, in the middle, last, alone, and every item failing', async () => {
    const lists = [
      [MISSING, OK, OK2],
      [OK, DOWN, OK2],
      [OK, OK2, MISSING],
      [OK, OK2, OK3, BAD],
      [LIMITED, OK, BAD, OK2, MISSING],
      [MISSING],
      [MISSING, DOWN, BAD, LIMITED],
      [OK, OK, MISSING, MISSING, OK],
      [],
    ];
    for (const refs of lists) await same({ query: refsQuery(), variables: { refs } });
  });

  it('FORBIDDEN items of a bound token, first, middle and last, beside forbidden root fields', async () => {
    const token = await mintTestToken({ scope: 'sessions:read', sessions: ['VERIFA:ses_abc123', `DIDIT:${OK2.id}`] });
    const other = ref('VERIFA', 'ses_approved');
    for (const refs of [
      [OK, other],
      [other, OK],
      [OK, other, OK2],
      [other, other],
      [OK, OK2, other],
    ]) {
      await same({ query: refsQuery(), variables: { refs }, key: token });
    }
    const global = toGlobalId({ provider: 'VERIFA', id: 'ses_approved' });
    await same({
      query: `{ one: session(provider: VERIFA, id: "ses_approved") { status }
        vx: session(provider: VERATAD, id: "${OK3.id}") { status }
        node(id: "${global}") { id }
        many: sessions(refs: [{ provider: VERIFA, id: "ses_abc123" }, { provider: VERIFA, id: "ses_rejected" }]) { status } }`,
      key: token,
    });
    await same({
      query: `{ many: sessions(refs: [{ provider: VERIFA, id: "ses_rejected" }, { provider: VERIFA, id: "ses_abc123" }]) { status }
        one: session(provider: VERIFA, id: "ses_approved") { status } mine: session(provider: VERIFA, id: "ses_abc123") { status } }`,
      key: token,
    });
  });

  it('refusals before any item: no sessions:read, too many refs', async () => {
    await same({ query: refsQuery(), variables: { refs: [OK] }, key: NO_SCOPE_KEY });
    await same({ query: refsQuery(), variables: { refs: Array.from({ length: 51 }, () => OK) } });
    await same({
      query: '{ session(provider: VERIFA, id: "ses_approved") { status } providers { provider } }',
      key: NO_SCOPE_KEY,
    });
  });

  it('aliases, named and inline fragments, __typename, the same field with other arguments', async () => {
    await same({
      query: `query Shapes {
        __typename
        a: session(provider: VERIFA, id: "ses_approved") { ...Core kyc { ...Doc } t: __typename }
        b: session(provider: VERIFA, id: "ses_missing") { ...Core }
        c: session(provider: DIDIT, id: "${OK2.id}") { ... on Session { status s: status face { faceMatchScore } } ...Core }
        d: sessions(refs: [{ provider: VERIFA, id: "ses_rejected" }, { provider: VERIFA, id: "ses_missing" }]) { ...Core }
      }
      fragment Core on Session { id status providerStatus isTerminal __typename }
      fragment Doc on Kyc { documentType documentNumber }`,
    });
  });

  it('@include and @skip, literal and from variables', async () => {
    const query = `query Cond($yes: Boolean!, $no: Boolean = false) {
      session(provider: VERIFA, id: "ses_approved") {
        status @include(if: $yes) providerStatus @skip(if: $yes) isTerminal @include(if: $no)
        kyc @skip(if: $no) { documentNumber @include(if: true) documentType @skip(if: true) }
        ... on Session @include(if: $yes) { id }
        ...More @skip(if: $yes)
      }
    }
    fragment More on Session { applicant { fullName } }`;
    for (const variables of [{ yes: true }, { yes: false }, { yes: true, no: true }, { yes: false, no: null }]) {
      await same({ query, variables });
    }
  });

  it('variables that coerce, and every way of not coercing', async () => {
    const one = 'query One($provider: Provider!, $id: String!) { session(provider: $provider, id: $id) { status } }';
    for (const variables of [
      { provider: 'VERIFA', id: 'ses_approved' },
      { provider: 'VERIFA', id: 123 },
      { provider: 'VERIFA', id: true },
      { provider: 'VERIFA', id: ['ses_approved'] },
      { provider: 'VERIFA', id: { x: 1 } },
      { provider: 'VERIFA', id: null },
      { provider: 'VERIFA' },
      { provider: 'NOPE', id: 'x' },
      { provider: 'verifa', id: 'x' },
      { provider: 1, id: 'x' },
      { provider: null, id: 'x' },
      {},
      null,
      { provider: 'VERIFA', id: 'ses_approved', extra: 1 },
    ]) {
      await same({ query: one, variables });
    }
    for (const refs of [
      OK,
      [OK, { provider: 'VERIFA' }],
      [OK, { provider: 'VERIFA', id: 'x', extra: true }],
      [OK, null],
      [{ provider: 'VERIFA', id: 7 }],
      'ses_abc123',
      null,
      [[OK]],
    ]) {
      await same({ query: refsQuery(), variables: { refs } });
    }
    const withDefault =
      'query D($p: Provider = VERIFA, $id: String = "ses_approved") { session(provider: $p, id: $id) { status } }';
    for (const variables of [{}, { p: 'DIDIT', id: OK2.id }, { p: null }, { id: 5 }])
      await same({ query: withDefault, variables });
    const flag =
      'query F($on: Boolean!) { session(provider: VERIFA, id: "ses_approved") { status @include(if: $on) } }';
    for (const variables of [{ on: 'yes' }, { on: 1 }, { on: null }, {}]) await same({ query: flag, variables });
  });

  it('node lookups: good, malformed, unknown, with ids as variables', async () => {
    const query = 'query N($id: ID!) { node(id: $id) { id __typename ... on Session { status provider } } }';
    for (const id of [
      toGlobalId({ provider: 'VERIFA', id: 'ses_approved' }),
      toGlobalId({ provider: 'DIDIT', id: OK2.id }),
      toGlobalId({ provider: 'VERIFA', id: 'ses_missing' }),
      toGlobalId({ provider: 'VERIFA', id: 'ses_error_500' }),
      'not-a-global-id',
      '',
      123,
    ]) {
      await same({ query, variables: { id } });
    }
  });

  it('_entities by either key, with failing and malformed representations anywhere, and _service', async () => {
    const query = `query E($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Session { id status kyc { documentNumber } } } }`;
    const byId = { __typename: 'Session', id: toGlobalId({ provider: 'VERIFA', id: 'ses_approved' }) };
    const byKey = { __typename: 'Session', provider: 'DIDIT', providerSessionId: OK2.id };
    const missing = { __typename: 'Session', provider: 'VERIFA', providerSessionId: 'ses_missing' };
    const malformed = { __typename: 'Session', nope: 1 };
    for (const r of [
      [byId, byKey],
      [missing, byId, byKey],
      [byId, missing, byKey],
      [byId, byKey, missing],
      [byId, malformed],
      [malformed, missing],
      [byId, { __typename: 'Nope', id: 'x' }],
    ]) {
      for (const key of [ROUTER_KEY, READ_ONLY_KEY]) await same({ query, variables: { r }, key });
    }
    await same({ query: '{ _service { sdl } }', key: ROUTER_KEY });
    await same({ query: '{ _service { sdl } }' });
    await same({ query: '{ _service { sdl } providers { provider } }' });
  });

  it('providers, and introspection', async () => {
    await same({ query: `{ providers { ${PROVIDER_INFO} } }` });
    await same({ query: getIntrospectionQuery({ descriptions: true, directiveIsRepeatable: true }) });
    await same({ query: '{ __schema { queryType { name } } __type(name: "Session") { name fields { name } } }' });
  });

  it('operation names: chosen, unknown, missing among several, and an anonymous one', async () => {
    const two = `query A { session(provider: VERIFA, id: "ses_approved") { status } }
      query B { session(provider: VERIFA, id: "ses_rejected") { status } }`;
    for (const operationName of ['A', 'B', 'C', undefined, '']) await same({ query: two, operationName });
    await same({ query: '{ providers { provider } }', operationName: 'Nope' });
    await same({ query: 'query Named { providers { provider } }', operationName: 'Named' });
  });

  it('over GET, and after validation failures', async () => {
    await same({ query: '{ session(provider: VERIFA, id: "ses_approved") { status } }', method: 'GET' });
    await same({ query: '{ session(provider: VERIFA, id: "ses_approved") { nope } }' });
    await same({ query: 'subscription { sessionUpdated(provider: VERIFA, id: "ses_approved") { status } }' });
    await same({ query: 'mutation { x }' });
  });

  it('automatic persisted queries: registered, then by hash alone', async () => {
    const query = '{ session(provider: VERIFA, id: "ses_under_review") { status } }';
    const { createHash } = await import('node:crypto');
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    await same({ extensions });
    await same({ query, extensions });
    await same({ extensions });
  });

  it('ran on graphql-jit in the compiling gateway', () => {
    expect(jit.compiled).toBeGreaterThanOrEqual(20);
    expect(jit.ran).toBeGreaterThan(150);
  });
});

/**
 * What no simulator can send: values past the JSON scalar's bounds (vendor JSON is bounded far below them when
 * parsed) and dates a scalar refuses. Apollo in-process, as the gateway configures it, handed such a session.
 */
describe('graphql-jit answers exactly as graphql-js for values a scalar refuses', () => {
  const deep = (levels: number): unknown => (levels === 0 ? 'bottom' : { next: deep(levels - 1) });
  const wide = Object.fromEntries(Array.from({ length: 100_001 }, (_, i) => [`k${i}`, i]));

  function partWithWarnings(value: unknown): { warnings: unknown[] } | null {
    if (value === null || typeof value !== 'object') return null;
    if (Array.isArray((value as { warnings?: unknown }).warnings)) return value as { warnings: unknown[] };
    for (const part of Object.values(value)) {
      const found = partWithWarnings(part);
      if (found) return found;
    }
    return null;
  }

  /** Replaces the first string matching `pattern`, in place: a date the Date or DateTime scalar refuses. */
  function spoilFirst(value: unknown, pattern: RegExp, spoilt: string): boolean {
    if (value === null || typeof value !== 'object') return false;
    for (const [key, part] of Object.entries(value)) {
      if (typeof part === 'string' && pattern.test(part)) {
        (value as Record<string, unknown>)[key] = spoilt;
        return true;
      }
      if (spoilFirst(part, pattern, spoilt)) return true;
    }
    return false;
  }

  function refusedSession(): Session {
    const body = Buffer.from(JSON.stringify(DIDIT_V1_DOCUMENTED_DECISION));
    const res = { status: 200, headers: { 'content-type': 'application/json' }, body };
    const session = normalizeDiditV1Decision(parseUpstreamJson('DIDIT', diditV1Decision, res, 'decision'), false);
    const warning = (additionalData: unknown) => ({
      feature: 'X',
      risk: 'R',
      logType: 'error',
      shortDescription: null,
      longDescription: null,
      additionalData,
    });
    const withWarnings = partWithWarnings(session);
    if (!withWarnings) throw new Error('the documented Didit decision has no part with warnings');
    withWarnings.warnings.push(warning(deep(70)), warning({ ok: true }), warning(wide));
    spoilFirst(session, /^\d{4}-\d{2}-\d{2}$/, 'not-a-date');
    spoilFirst(session, /^\d{4}-\d{2}-\d{2}T/, 'yesterday');
    return { ...session, metadata: { deep: deep(70) } } as Session;
  }

  function inPathOrder(text: string): unknown {
    const body = JSON.parse(text) as { errors?: Array<{ path?: unknown }> };
    const key = (e: { path?: unknown }) => JSON.stringify(e.path);
    return { ...body, errors: body.errors?.toSorted((a, b) => key(a).localeCompare(key(b))) };
  }

  async function answer(compileAfter: number, session: Session, query: string, key: 'full' | 'masked') {
    const config = loadConfig({ NODE_ENV: 'test', GATEWAY_API_KEYS: TEST_API_KEYS, LOG_LEVEL: 'silent' });
    const apollo = await startApollo(schema, { ...config.graphql, compileAfter }, null);
    const scopes = new Set(key === 'full' ? ['sessions:read', 'pii:read'] : ['sessions:read']);
    const context = async () =>
      ({
        requestId: 'r',
        caller: { name: 't', via: 'api_key', scopes, sessions: null },
        sessions: { load: async () => session },
      }) as unknown as GatewayContext;
    try {
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: 'POST',
          headers: new HeaderMap([['content-type', 'application/json']]),
          search: '',
          body: { query },
        },
        context,
      });
      if (response.body.kind !== 'complete') throw new Error('expected a complete body');
      return { status: response.status, body: response.body.string };
    } finally {
      await apollo.stop();
    }
  }

  it('a JSON value too deep or too wide, a date that is not one: the same data, the same errors', async () => {
    const session = refusedSession();
    const query = `{ session(provider: DIDIT, id: "x") { ${ALL} } }`;
    for (const key of ['full', 'masked'] as const) {
      const fromJit = await answer(1, session, query, key);
      const fromGraphqlJs = await answer(0, session, query, key);
      // Several errors raised synchronously in different parts of one answer come in jit's evaluation order
      // (fields without a resolver first), not graphql-js's: the same errors, compared here in path order.
      expect(fromJit.status).toBe(fromGraphqlJs.status);
      expect(inPathOrder(fromJit.body)).toEqual(inPathOrder(fromGraphqlJs.body));
      // Without pii:read the JSON values are null (raw vendor outputs), so there is nothing for the scalar to refuse.
      if (key === 'full') expect(fromGraphqlJs.body).toContain('UPSTREAM_BAD_RESPONSE');
      else expect(fromGraphqlJs.body).not.toContain('UPSTREAM_BAD_RESPONSE');
      expect(fromGraphqlJs.body).toContain('INTERNAL_SERVER_ERROR');
    }
  });
});

describe('GRAPHQL_COMPILE_AFTER', () => {
  it.each(['-1', '1001', 'soon'])('refuses %s at start, naming the variable', async (value) => {
    await expect(startTestGateway({ ...ENV, GRAPHQL_COMPILE_AFTER: value })).rejects.toThrow(/GRAPHQL_COMPILE_AFTER/);
  });
});
