import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  type GraphQLObjectType,
  type GraphQLOutputType,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { SignJWT } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import { buildSchema } from '../src/graphql/schema.ts';
import type { Provider } from '../src/model/session.ts';
import { DIDIT_SANDBOX_API_KEY, DIDIT_SANDBOX_CLIENT_SECRET } from '../src/providers/didit/sandbox/simulator.ts';
import { providerModules } from '../src/providers/index.ts';
import { ONFIDO_SANDBOX_API_TOKEN } from '../src/providers/onfido/sandbox/simulator.ts';
import { PERSONA_SANDBOX_API_KEY } from '../src/providers/persona/sandbox/simulator.ts';
import { STRIPE_SANDBOX_SECRET_KEY } from '../src/providers/stripe/sandbox/simulator.ts';
import { SUMSUB_SANDBOX_APP_TOKEN, SUMSUB_SANDBOX_SECRET_KEY } from '../src/providers/sumsub/sandbox/simulator.ts';
import { VERATAD_SANDBOX_CLIENT_SECRET } from '../src/providers/veratad/sandbox/simulator.ts';
import { VERIFA_SANDBOX_API_KEY } from '../src/providers/verifa/sandbox/simulator.ts';
import { FULL_KEY, type GraphQLBody, NO_SCOPE_KEY, READ_ONLY_KEY, TEST_API_KEYS } from './support/gateway.ts';
import { piiFields, selectAll } from './support/schemaWalk.ts';

const schema = buildSchema();
const SESSION = schema.getType('Session') as GraphQLObjectType;
const FULL = `query Full($provider: Provider!, $id: String!) { session(provider: $provider, id: $id) { ${selectAll(schema, SESSION)} } }`;
const JWT_SECRET = 'log-test-jwt-secret-long-enough-00000001';
const JWT_ENV = { JWT_SECRET, JWT_ISSUER: 'https://backend.example', JWT_AUDIENCE: 'verigate' };
/** Every key and secret the gateway is started with: the callers' keys, the JWT secret, each simulator's credentials. */
const SECRETS = [
  FULL_KEY,
  READ_ONLY_KEY,
  NO_SCOPE_KEY,
  JWT_SECRET,
  VERATAD_SANDBOX_CLIENT_SECRET,
  DIDIT_SANDBOX_CLIENT_SECRET,
  DIDIT_SANDBOX_API_KEY,
  VERIFA_SANDBOX_API_KEY,
  ONFIDO_SANDBOX_API_TOKEN,
  PERSONA_SANDBOX_API_KEY,
  SUMSUB_SANDBOX_APP_TOKEN,
  SUMSUB_SANDBOX_SECRET_KEY,
  STRIPE_SANDBOX_SECRET_KEY,
];
/** Personal fields the schema does not mask (names are shown to `sessions:read`) but logs must never carry. */
const NAME_FIELDS = new Set(['firstName', 'middleName', 'lastName', 'fullName', 'placeOfBirth', 'caption', 'names']);
const NAME_FIELDS_ALSO = new Set(['aliases', 'comment']);
const PII = piiFields(schema);

/** Every personal value in a response: raw values of @pii fields, and names, walked with the schema's types. */
function personalValues(type: GraphQLObjectType, value: Record<string, unknown>, found: Set<string>): void {
  for (const field of Object.values(type.getFields())) {
    const v = value[field.name];
    if (v === null || v === undefined) continue;
    const named = getNamedType(field.type as GraphQLOutputType);
    const unwrapped = isNonNullType(field.type) ? field.type.ofType : field.type;
    const items = isListType(unwrapped) ? (v as unknown[]) : [v];
    if (isObjectType(named)) {
      for (const item of items) if (item) personalValues(named, item as Record<string, unknown>, found);
      continue;
    }
    const personal =
      PII.has(`${type.name}.${field.name}`) || NAME_FIELDS.has(field.name) || NAME_FIELDS_ALSO.has(field.name);
    if (!personal) continue;
    for (const item of items) if (typeof item === 'string' && item.length >= 5) found.add(item);
  }
}

interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  output: () => string;
}

/** `node src/main.ts` as an operator runs it, with every log line it prints collected. */
async function startMain(env: Record<string, string>): Promise<Running> {
  // A throwaway timeline: no test writes to data/.
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'sqlite::memory:', ...env },
  });
  let out = '';
  const collect = (c: Buffer) => {
    out += c.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${out}`)), 15_000);
    const check = () => {
      const line = out.split('\n').find((l) => l.includes('Verigate listening'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout.off('data', check);
      resolve((JSON.parse(line) as { url: string }).url);
    };
    child.stdout.on('data', check);
    child.once('exit', () => reject(new Error(`gateway exited:\n${out}`)));
  });
  return { child, url, output: () => out };
}

describe('structured logs of a full scenario run', () => {
  let gw: Running;
  let logs = '';
  const sensitive = new Set<string>();
  const sent: Array<{ requestId: string; status: number }> = [];
  let seq = 0;
  /** Index of the walk's first request (and of its log line): the first scenario of the first provider. */
  let walkStart = 0;
  /** What the gateway printed before the first request: its start-up lines, written before any session was read. */
  let startup = '';

  async function post(body: unknown, key: string | null = FULL_KEY, raw?: string) {
    seq += 1;
    const requestId = `log-run-${String(seq).padStart(4, '0')}`;
    const res = await request(gw.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': requestId,
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: raw ?? JSON.stringify(body),
    });
    expect(res.headers['x-request-id']).toBe(requestId);
    const json = (await res.body.json()) as GraphQLBody;
    sent.push({ requestId, status: res.statusCode });
    return json;
  }

  beforeAll(async () => {
    gw = await startMain({
      NODE_ENV: 'test',
      PORT: '0',
      LOG_LEVEL: 'trace',
      GATEWAY_API_KEYS: TEST_API_KEYS,
      UPSTREAM_TIMEOUT_MS: '1000',
      ...JWT_ENV,
    });
    startup = gw.output();
    const mint = (claims: Record<string, unknown>, exp = '5m', secret = JWT_SECRET) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(JWT_ENV.JWT_ISSUER)
        .setAudience(JWT_ENV.JWT_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));

    // A terminal session, then the same again: from cache, with the other keys. First, because the walk below starts
    // timed scenarios, whose webhooks (a session changed) clear every whole answer at moments of their own.
    const approved = { query: FULL, variables: { provider: 'VERIFA', id: 'ses_approved' } };
    await post(approved);
    await post(approved);
    await post(approved, READ_ONLY_KEY);
    await post(approved, NO_SCOPE_KEY);
    // Every scenario of every provider, every field, with the key that sees personal data unmasked.
    walkStart = sent.length;
    for (const module of providerModules()) {
      for (const scenario of module.scenarios ?? []) {
        const body = await post({ query: FULL, variables: { provider: module.provider, id: scenario.id } });
        const session = body.data?.session as Record<string, unknown> | null | undefined;
        if (session) personalValues(SESSION, session, sensitive);
      }
    }
    // Sessions again, by node and in one sessions(refs:) call.
    const verifaIds = (providerModules().find((m) => m.provider === 'VERIFA')?.scenarios ?? [])
      .map((s) => s.id)
      .filter((id) => id !== 'ses_slow');
    await post({
      query: `query Many($refs: [SessionRefInput!]!) { sessions(refs: $refs) { id status applicant { fullName dateOfBirth } } }`,
      variables: { refs: verifaIds.map((id) => ({ provider: 'VERIFA', id })) },
    });
    await post({
      query: 'query ByNode($id: ID!) { node(id: $id) { ... on Session { applicant { fullName email phone } } } }',
      variables: { id: toGlobalId({ provider: 'DIDIT' as Provider, id: '11111111-2222-3333-4444-555555555555' }) },
    });
    // Tokens: one bound to its session, used for it and for another; expired and forged ones.
    const bound = await mint({ scope: 'sessions:read pii:read', sessions: ['VERIFA:ses_abc123'], sub: 'user-8841' });
    const expired = await mint({ scope: 'sessions:read' }, '-1m');
    const forged = await mint({ scope: 'sessions:read pii:read' }, '5m', 'not-the-secret-but-long-enough-000000');
    for (const token of [bound, expired, forged]) {
      sensitive.add(token);
      sensitive.add(token.split('.')[2] as string);
    }
    await post({ query: FULL, variables: { provider: 'VERIFA', id: 'ses_abc123' } }, bound);
    await post({ query: FULL, variables: { provider: 'VERIFA', id: 'ses_approved' } }, bound);
    await post({ query: FULL, variables: { provider: 'VERIFA', id: 'ses_approved' } }, expired);
    await post({ query: FULL, variables: { provider: 'VERIFA', id: 'ses_approved' } }, forged);
    // Bad input, with personal-looking values in it.
    await post(null, FULL_KEY, '{"query": "{ session(provider: VERIFA, id: \\"Jane Sample 1991-04-12\\")');
    await post({ query: '{ session(provider: VERIFA, id: "jane.sample@example.com") { status } }' });
    await post({ query: FULL, variables: { provider: 'VERIFA', id: 'ses_approved' } }, 'wrong-key-jane-sample-000');

    for (const secret of [...SECRETS, 'wrong-key-jane-sample-000', 'jane.sample@example.com', 'user-8841']) {
      sensitive.add(secret);
    }
    gw.child.kill('SIGTERM');
    await once(gw.child, 'exit');
    logs = gw.output();
  }, 120_000);

  afterAll(() => {
    if (gw.child.exitCode === null) gw.child.kill('SIGKILL');
  });

  const lines = () =>
    logs
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const operationLines = () => lines().filter((l) => l.msg === 'graphql operation');

  it('collected enough personal values to mean something', () => {
    expect(sensitive.size).toBeGreaterThan(60);
    expect([...sensitive]).toEqual(expect.arrayContaining(['Jane Sample', '1991-04-12', 'D81234567']));
  });

  it('never logs a personal value, a key, a token or a vendor secret', () => {
    const leaked = [...sensitive].filter((value) => logs.slice(startup.length).includes(value));
    expect(leaked).toEqual([]);
    // The start-up lines, printed before any session was read, name the gateway's own address (127.0.0.1, which is
    // also the applicant's IP in Persona's documented example): they are checked for the keys and secrets it knew.
    expect(SECRETS.filter((secret) => startup.includes(secret))).toEqual([]);
  });

  it('writes one JSON line per operation, under the request id the client sent', () => {
    const ops = operationLines();
    expect(ops.map((l) => [l.requestId, l.status])).toEqual(sent.map((s) => [s.requestId, s.status]));
    for (const line of ops) {
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining([
          'requestId',
          'operation',
          'caller',
          'durationMs',
          'upstreamCalls',
          'cacheHits',
          'responseCache',
          'errorCodes',
        ]),
      );
    }
  });

  it('says who called, what ran, what it cost upstream, what came from cache, and which codes it answered', () => {
    const ops = operationLines();
    const first = ops[walkStart];
    expect(first).toMatchObject({
      level: 30,
      service: 'verigate',
      operation: 'Full',
      operationType: 'query',
      caller: 'full',
      status: 200,
      outcome: 'ok',
      cacheHits: 0,
      stale: 0,
      errorCodes: [],
      apq: null,
    });
    expect(first?.upstreamCalls).toEqual({ VERATAD: expect.any(Number) });
    expect(typeof first?.durationMs).toBe('number');
    // The identical repeat of a terminal session is answered again whole from the response cache: no upstream
    // call and no session lookup, where the first time took upstream calls.
    const firstTime = ops[0];
    const verifaCalls = ((firstTime?.upstreamCalls ?? {}) as Record<string, number>).VERIFA;
    expect(verifaCalls).toBeGreaterThan(0);
    expect(firstTime).toMatchObject({ responseCache: false });
    expect(ops[1]).toMatchObject({
      operation: 'Full',
      responseCache: true,
      cacheHits: 0,
      upstreamCalls: {},
      outcome: 'ok',
    });
    // Another key asking the same is not given that answer: it reads the cached sessions through its own masking.
    expect(ops[2]).toMatchObject({ caller: 'read-only', responseCache: false, cacheHits: verifaCalls });
    const tail = ops.slice(-7);
    expect(tail.map((l) => [l.caller, l.status, l.outcome, l.errorCodes])).toEqual([
      ['jwt', 200, 'ok', []],
      ['jwt', 200, 'errors', ['FORBIDDEN']],
      [null, 401, 'rejected', ['UNAUTHENTICATED']],
      [null, 401, 'rejected', ['UNAUTHENTICATED']],
      ['full', 400, 'rejected', ['BAD_REQUEST']],
      ['full', 200, 'errors', ['BAD_USER_INPUT']],
      [null, 401, 'rejected', ['UNAUTHENTICATED']],
    ]);
  });

  it('drains on SIGTERM and says so', () => {
    const messages = lines().map((l) => l.msg);
    // The last line says it stopped; it drained once, after the last operation (a background pass, such as the
    // timeline's pruner finishing, may log in between).
    expect(messages.at(-1)).toBe('stopped');
    expect(messages.filter((m) => m === 'draining')).toHaveLength(1);
    expect(messages.indexOf('draining')).toBeGreaterThan(messages.lastIndexOf('graphql operation'));
  });
});
