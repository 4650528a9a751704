import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphQLObjectType } from 'graphql';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../src/config/index.ts';
import { toGlobalId } from '../src/graphql/ids.ts';
import { SESSION_FETCH_COST } from '../src/graphql/plugins/cost.ts';
import { buildSchema } from '../src/graphql/schema.ts';
import { PROVIDERS as ALL_PROVIDERS, type Provider } from '../src/model/session.ts';
import { startGateway } from '../src/server.ts';
import { FULL_KEY, type GraphQLBody, startTestGateway, TEST_API_KEYS, type TestGateway } from './support/gateway.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';
import { selectAll } from './support/schemaWalk.ts';

const schema = buildSchema();
const EVERY_FIELD = selectAll(schema, schema.getType('Session') as GraphQLObjectType);
// Every registered provider: none may be called on a bad input's behalf.
const PROVIDERS: readonly Provider[] = ALL_PROVIDERS;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Sends anything to /graphql: a body as given (string) or as JSON, any method, any headers. */
async function send(
  gw: TestGateway,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; search?: string; key?: string | null },
): Promise<{ status: number; body: GraphQLBody; headers: Record<string, string | string[] | undefined> }> {
  const key = options.key === undefined ? FULL_KEY : options.key;
  const res = await request(`${gw.gateway.url}${options.search ?? ''}`, {
    method: (options.method ?? 'POST') as 'POST',
    headers: {
      ...(options.body !== undefined && typeof options.body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...options.headers,
    },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === 'string'
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: JSON.parse(text) as GraphQLBody, headers: res.headers };
}

function vendorCalls(gw: TestGateway): number {
  return PROVIDERS.reduce((sum, p) => sum + gw.simulator(p).requestCount(), 0);
}
function resetVendors(gw: TestGateway): void {
  for (const p of PROVIDERS) gw.simulator(p).resetCount();
}

const refused = (message: string, code = 'GRAPHQL_VALIDATION_FAILED') => ({
  status: 400,
  body: { errors: [expect.objectContaining({ message, extensions: { code } })] },
});

describe('operation limits with their defaults', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('lets the biggest legitimate operations through: every field of a session, by session and by node', async () => {
    const id = toGlobalId({ provider: 'VERIFA', id: 'ses_approved' });
    const res = await gw.query(
      `query Everything($id: ID!) {
        session(provider: VERIFA, id: "ses_approved") { ${EVERY_FIELD} }
        node(id: $id) { ... on Session { ${EVERY_FIELD} } }
      }`,
      { id },
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.node).toEqual(res.body.data?.session);
  });

  it('lets a list view of 50 sessions through: 50 inline refs with a dozen fields each', async () => {
    const refs = Array.from({ length: 50 }, (_, i) => `{ provider: VERIFA, id: "ses_list_${i}" }`).join(' ');
    const res = await gw.query(
      `{ sessions(refs: [${refs}]) { id provider providerSessionId status providerStatus isTerminal reasonCode createdAt sandbox applicant { fullName } } }`,
    );
    expect(res.status).toBe(200);
    expect(res.body.data?.sessions).toHaveLength(50);
    expect(res.body.errors?.every((e) => e.extensions?.code === 'NOT_FOUND')).toBe(true);
  });

  it('refuses each over-limit operation with 400 and a code, and never calls a vendor', async () => {
    resetVendors(gw);
    const session = 'session(provider: VERIFA, id: "ses_approved")';
    const refs50 = Array.from({ length: 50 }, (_, i) => ({ provider: 'VERIFA', id: `ses_${i}` }));
    const fullCost = 50 * (SESSION_FETCH_COST + EVERY_FIELD.split(' ').filter((w) => /^[a-zA-Z]/.test(w)).length);
    const cases: Array<[string, string, Record<string, unknown> | undefined, ReturnType<typeof refused>]> = [
      [
        'depth (through __type, the only cycle a client can reach)',
        `{ ${session} { status } __type(name: "Session") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }`,
        undefined,
        {
          status: 400,
          body: {
            errors: [
              {
                message: 'Query depth limit of 8 exceeded, found 9.',
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              },
              // graphql-js's own guard on introspection cycles agrees.
              expect.objectContaining({
                message: 'Maximum introspection depth exceeded',
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
            ],
          },
        },
      ],
      [
        'aliases',
        `{ ${session} { ${Array.from({ length: 16 }, (_, i) => `a${i}: status`).join(' ')} } }`,
        undefined,
        refused('Aliases limit of 15 exceeded, found 16.'),
      ],
      [
        'root fields',
        `{ ${Array.from({ length: 11 }, (_, i) => `s${i}: ${session.replace('ses_approved', `ses_${i}`)} { status }`).join(' ')} }`,
        undefined,
        refused('Root fields limit of 10 exceeded, found 11.'),
      ],
      [
        'root fields through fragments',
        `{ ...A ...B } fragment A on Query { providers { provider } a: providers { provider } b: providers { provider } c: providers { provider } d: providers { provider } e: providers { provider } }
         fragment B on Query { ... on Query { f: providers { provider } g: providers { provider } h: providers { provider } i: providers { provider } j: providers { provider } } }`,
        undefined,
        refused('Root fields limit of 10 exceeded, found 11.'),
      ],
      [
        'directives',
        `{ ${session} { ${'... on Session @include(if: true) { status } '.repeat(21)} } }`,
        undefined,
        refused('Directives limit of 20 exceeded, found 21.'),
      ],
      [
        'tokens',
        `{ ${session} { ${'status '.repeat(2_000)} } }`,
        undefined,
        // graphql-js's wording, typo included.
        refused('Syntax Error: Document contains more that 2000 tokens. Parsing aborted.', 'GRAPHQL_PARSE_FAILED'),
      ],
      [
        'cost (50 refs with every field)',
        `query Bulk($refs: [SessionRefInput!]!) { sessions(refs: $refs) { ${EVERY_FIELD} } }`,
        { refs: refs50 },
        refused(`Cost limit of 5000 exceeded, found ${fullCost}.`),
      ],
    ];
    for (const [name, query, variables, expected] of cases) {
      const res = await gw.query(query, variables);
      expect({ status: res.status, body: res.body }, name).toEqual(expected);
    }
    expect(vendorCalls(gw)).toBe(0);
  });

  it('prices one document by the refs its variables carry, request after request', async () => {
    const bulk = `query Bulk($refs: [SessionRefInput!]!) { sessions(refs: $refs) { ${EVERY_FIELD} } }`;
    const refs = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({ provider: 'VERIFA', id: `${prefix}_${i}` }));
    const one = await gw.query(bulk, { refs: refs(1, 'ses_one') });
    expect(one.status).toBe(200);
    const many = await gw.query(bulk, { refs: refs(50, 'ses_many') });
    expect(many.status).toBe(400);
    expect(many.body.errors?.[0]?.message).toMatch(/^Cost limit of 5000 exceeded/);
    const other = await gw.query(bulk, { refs: refs(2, 'ses_two') });
    expect(other.status).toBe(200);
    expect(other.body.data?.sessions).toHaveLength(2);
  });

  it('refuses batched (array) requests', async () => {
    const res = await send(gw, {
      body: [{ query: '{ providers { provider } }' }, { query: '{ providers { provider } }' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_REQUEST' });
  });

  it('prevents CSRF without getting in the way of bearer keys: a GET with a key runs, a form-typed POST is refused', async () => {
    const search = `?query=${encodeURIComponent('{ providers { provider } }')}`;
    // Authorization counts as a preflight header: no browser sends it cross-origin without asking (urql's default GET).
    const withKey = await send(gw, { method: 'GET', search });
    expect(withKey.status).toBe(200);
    expect(withKey.body.data?.providers).toHaveLength(PROVIDERS.length);
    const anonymous = await send(gw, { method: 'GET', search, key: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const form = await send(gw, {
      body: JSON.stringify({ query: '{ providers { provider } }' }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(form.status).toBe(400);
    const allowed = await send(gw, { method: 'GET', search, headers: { 'apollo-require-preflight': 'true' } });
    expect(allowed.status).toBe(200);
    expect(allowed.body.data?.providers).toHaveLength(PROVIDERS.length);
  });

  it('answers introspection and "did you mean" outside production by default', async () => {
    const res = await gw.query('{ __schema { queryType { name } } }');
    expect(res.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const typo = await gw.query('{ sesion { status } }');
    expect(typo.body.errors?.[0]?.message).toBe(
      'Cannot query field "sesion" on type "Query". Did you mean "session" or "sessions"?',
    );
  });
});

describe('operation limits from config', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      GRAPHQL_MAX_DEPTH: '3',
      GRAPHQL_MAX_COST: '40',
      GRAPHQL_MAX_BODY_BYTES: '2048',
      GRAPHQL_INTROSPECTION: 'false',
    });
  });
  afterAll(() => gw.close());

  it('applies the configured depth and cost, before any vendor call', async () => {
    resetVendors(gw);
    const deep = await gw.query('{ session(provider: VERIFA, id: "ses_approved") { kyc { address { line1 } } } }');
    expect({ status: deep.status, body: deep.body }).toEqual(refused('Query depth limit of 3 exceeded, found 4.'));
    const costly = await gw.query(
      '{ a: session(provider: VERIFA, id: "ses_approved") { status } b: session(provider: VERIFA, id: "ses_rejected") { status } }',
    );
    expect({ status: costly.status, body: costly.body }).toEqual(refused('Cost limit of 40 exceeded, found 42.'));
    expect(vendorCalls(gw)).toBe(0);
    const fits = await gw.query('{ session(provider: VERIFA, id: "ses_approved") { status kyc { documentType } } }');
    expect(fits.body).toEqual({ data: { session: { status: 'APPROVED', kyc: { documentType: 'drivers_license' } } } });
  });

  it('applies the configured body size', async () => {
    const res = await send(gw, { body: { query: `{ providers { provider } } #${'x'.repeat(3_000)}` } });
    expect(res).toMatchObject({
      status: 413,
      body: {
        errors: [{ message: 'The request body is larger than 2048 bytes.', extensions: { code: 'BAD_REQUEST' } }],
      },
    });
  });

  it('refuses introspection and hides suggestions when introspection is off', async () => {
    const res = await gw.query('{ __schema { queryType { name } } }');
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      validationErrorCode: 'INTROSPECTION_DISABLED',
    });
    expect(res.body.errors?.[0]?.message).toBe('GraphQL introspection is disabled on this gateway.');
    const typo = await gw.query('{ sesion { status } }');
    expect(typo.body.errors?.[0]?.message).toBe('Cannot query field "sesion" on type "Query".');
  });
});

describe('configuration of limits, introspection and persisted queries', () => {
  it('turns introspection off in production unless GRAPHQL_INTROSPECTION=true', () => {
    const production = { NODE_ENV: 'production', GATEWAY_API_KEYS: TEST_API_KEYS };
    expect(loadConfig(production).graphql.introspection).toBe(false);
    expect(loadConfig({ ...production, GRAPHQL_INTROSPECTION: 'true' }).graphql.introspection).toBe(true);
    expect(loadConfig({}).graphql.introspection).toBe(true);
  });

  it('documents its defaults in the config object', () => {
    expect(loadConfig({}).graphql).toEqual({
      limits: {
        maxDepth: 8,
        maxAliases: 15,
        maxRootFields: 10,
        maxTokens: 2000,
        maxDirectives: 20,
        maxCost: 5000,
        maxUpstreamCalls: 100,
        maxBodyBytes: 262144,
      },
      introspection: true,
      apq: {
        ttlSeconds: 3600,
        maxDocumentBytes: 16384,
        registrationsPerMinute: 60,
        maxEntries: 1000,
        encryptionKey: null,
      },
      trustedDocuments: null,
      compileAfter: 2,
    });
  });

  it('reports out-of-range limits and unreadable manifests together', () => {
    let problems: string[] = [];
    try {
      loadConfig({
        GRAPHQL_MAX_DEPTH: '0',
        GRAPHQL_MAX_TOKENS: 'many',
        TRUSTED_DOCUMENTS: '/nonexistent/manifest.json',
      });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems).toEqual([
      'GRAPHQL_MAX_DEPTH: must be between 1 and 100',
      'GRAPHQL_MAX_TOKENS: must be a number',
      'TRUSTED_DOCUMENTS: /nonexistent/manifest.json cannot be read',
    ]);
  });
});

const APQ_QUERY = 'query ApqStatus { session(provider: VERIFA, id: "ses_approved") { status } }';
const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

describe('automatic persisted queries in memory', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('asks for the text of an unknown hash, registers it, then runs it by hash (POST and GET)', async () => {
    const hash = sha256(APQ_QUERY);
    const miss = await send(gw, { body: { extensions: apq(hash) } });
    expect(miss.body).toEqual({
      errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    });
    const register = await send(gw, { body: { query: APQ_QUERY, extensions: apq(hash) } });
    expect(register.body).toEqual({ data: { session: { status: 'APPROVED' } } });
    const hit = await send(gw, { body: { extensions: apq(hash) } });
    expect(hit.body).toEqual({ data: { session: { status: 'APPROVED' } } });
    const get = await send(gw, {
      method: 'GET',
      search: `?extensions=${encodeURIComponent(JSON.stringify(apq(hash)))}`,
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(get.body).toEqual({ data: { session: { status: 'APPROVED' } } });
  });

  it('refuses a hash that does not match the text', async () => {
    const res = await send(gw, { body: { query: APQ_QUERY, extensions: apq('0'.repeat(64)) } });
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: { errors: [{ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('never registers an operation that failed a limit', async () => {
    const tooDeep = `{ __type(name: "Session") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }`;
    const hash = sha256(tooDeep);
    const register = await send(gw, { body: { query: tooDeep, extensions: apq(hash) } });
    expect(register.status).toBe(400);
    const again = await send(gw, { body: { extensions: apq(hash) } });
    expect(again.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_FOUND' });
  });
});

describeWithRedis('automatic persisted queries in Redis', () => {
  let redisServer: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    redisServer = await startTestRedis();
    redis = new Redis(redisServer.url());
  });
  afterAll(async () => {
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('lets a replica run by hash a query another replica registered, kept with a TTL', async () => {
    // Replicas share what they seal with the same CACHE_ENCRYPTION_KEY (test/apq-limits.e2e.test.ts: names, budget).
    const shared = {
      REDIS_URL: redisServer.url(),
      APQ_TTL_SECONDS: '600',
      CACHE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('hex'),
    };
    const a = await startTestGateway(shared);
    const b = await startTestGateway(shared);
    try {
      await new Promise((r) => setTimeout(r, 100)); // let both connect
      const hash = sha256(APQ_QUERY);
      await send(a, { body: { query: APQ_QUERY, extensions: apq(hash) } });
      const fromB = await send(b, { body: { extensions: apq(hash) } });
      expect(fromB.body).toEqual({ data: { session: { status: 'APPROVED' } } });
      const [key, ...others] = await redis.keys('verigate:apq:v2:doc:*');
      expect(others).toEqual([]);
      expect((await redis.getBuffer(key as string))?.includes(APQ_QUERY)).toBe(false);
      const ttl = await redis.ttl(key as string);
      expect(ttl).toBeGreaterThan(590);
      expect(ttl).toBeLessThanOrEqual(600);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('automatic persisted queries with Redis down', () => {
  it('keeps serving when Redis is down: full queries run, hashes are misses', async () => {
    const gw = await startTestGateway({ REDIS_URL: 'redis://127.0.0.1:1/0' });
    try {
      const hash = sha256(APQ_QUERY);
      const register = await send(gw, { body: { query: APQ_QUERY, extensions: apq(hash) } });
      expect(register.body).toEqual({ data: { session: { status: 'APPROVED' } } });
      const miss = await send(gw, { body: { extensions: apq(hash) } });
      expect(miss.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_FOUND' });
    } finally {
      await gw.close();
    }
  });
});

describe('trusted documents', () => {
  const STATUS_QUERY = 'query SessionStatus($id: String!) { session(provider: VERIFA, id: $id) { status } }';
  const PROVIDERS_QUERY = 'query Providers { providers { provider healthy } }';
  const dir = mkdtempSync(join(tmpdir(), 'verigate-trusted-'));
  const manifest = join(dir, 'persisted-query-manifest.json');
  writeFileSync(
    manifest,
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [
        { id: sha256(STATUS_QUERY), name: 'SessionStatus', type: 'query', body: STATUS_QUERY },
        { id: sha256(PROVIDERS_QUERY), name: 'Providers', type: 'query', body: PROVIDERS_QUERY },
      ],
    }),
  );
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ TRUSTED_DOCUMENTS: manifest });
  });
  afterAll(() => gw.close());

  it('runs a listed operation by its id, as Apollo Client’s persisted-query link sends it', async () => {
    const res = await send(gw, { body: { extensions: apq(sha256(STATUS_QUERY)), variables: { id: 'ses_approved' } } });
    expect(res.body).toEqual({ data: { session: { status: 'APPROVED' } } });
  });

  it('runs the full text of a listed operation', async () => {
    const res = await gw.query(STATUS_QUERY, { id: 'ses_rejected' });
    expect(res.body).toEqual({ data: { session: { status: 'DECLINED' } } });
  });

  it('refuses anything else before parsing it, without calling a vendor', async () => {
    resetVendors(gw);
    const other = await gw.query('{ session(provider: VERIFA, id: "ses_approved") { status applicant { fullName } } }');
    expect({ status: other.status, body: other.body }).toEqual({
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
    const unknown = await send(gw, { body: { extensions: apq('f'.repeat(64)), variables: { id: 'ses_approved' } } });
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: 400,
      body: {
        errors: [{ message: 'No trusted operation has this id.', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
      },
    });
    // An APQ registration is no way in either: the hash of new text is not in the manifest.
    const sneaky = '{ session(provider: VERIFA, id: "ses_approved") { kyc { documentNumber } } }';
    const register = await send(gw, { body: { query: sneaky, extensions: apq(sha256(sneaky)) } });
    expect(register.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_FOUND' });
    expect(vendorCalls(gw)).toBe(0);
  });

  it('reads a flat { id: document } manifest too, and refuses to start on one that does not validate', async () => {
    const flat = join(dir, 'persisted-documents.json');
    writeFileSync(flat, JSON.stringify({ p1: PROVIDERS_QUERY }));
    const flatGw = await startTestGateway({ TRUSTED_DOCUMENTS: flat });
    try {
      const res = await send(flatGw, { body: { extensions: apq('p1') } });
      expect(res.body.data?.providers).toHaveLength(PROVIDERS.length);
    } finally {
      await flatGw.close();
    }
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ q1: '{ nope }' }));
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      GATEWAY_API_KEYS: TEST_API_KEYS,
      TRUSTED_DOCUMENTS: broken,
    });
    await expect(startGateway(config)).rejects.toThrow(
      `Trusted document q1 in ${broken} does not validate: Cannot query field "nope" on type "Query".`,
    );
  });
});
