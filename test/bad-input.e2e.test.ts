import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { SignJWT } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS as ALL_PROVIDERS, type Provider } from '../src/model/session.ts';
import { FULL_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';

/**
 * A corpus of bad requests thrown at a running gateway. Each must get a 4xx or a GraphQL error with a code,
 * never a 5xx or a hang; none may reach a vendor; and the gateway must keep serving. The size of the corpus is
 * reported in docs/reliability.md (this suite checks the number there).
 */

// Every registered provider: none may be called on a bad input's behalf.
const PROVIDERS: readonly Provider[] = ALL_PROVIDERS;
/** Providers whose session ids are UUIDs: near-UUIDs are hostile to them too. */
const UUID_PROVIDERS: readonly Provider[] = ['VERATAD', 'DIDIT', 'ONFIDO'];
const JWT_SECRET = 'bad-input-jwt-secret-long-enough-000001';
const ISSUER = 'https://backend.example';
const AUDIENCE = 'verigate';

interface Answer {
  status: number;
  text: string;
}

interface BadInput {
  name: string;
  send(): Promise<Answer>;
}

let gw: TestGateway;
const base = () => gw.gateway.url.replace(/\/graphql$/, '');

async function http(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; key?: string | null } = {},
): Promise<Answer> {
  const key = options.key === undefined ? FULL_KEY : options.key;
  const res = await request(`${base()}${path}`, {
    method: (options.method ?? 'POST') as 'POST',
    headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...options.headers },
    body: options.body,
  });
  return { status: res.statusCode, text: await res.body.text() };
}

const json = (body: string | Buffer, headers: Record<string, string> = {}, key?: string | null) =>
  http('/graphql', { body, headers: { 'content-type': 'application/json', ...headers }, key });
const gql = (query: string, variables?: unknown, key?: string | null) =>
  json(JSON.stringify({ query, variables }), {}, key);
const get = (search: string, headers: Record<string, string> = { 'apollo-require-preflight': 'true' }) =>
  http(`/graphql${search}`, { method: 'GET', headers });

/** Writes raw bytes on a fresh connection and reads the status line of whatever comes back. */
function raw(bytes: string): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(gw.gateway.port, '127.0.0.1');
    let received = '';
    socket.setTimeout(5_000, () => socket.destroy(new Error('raw request timed out')));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    // A server that refuses mid-request may reset the connection: what it answered before that is what counts.
    socket.on('error', () => {});
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      const text = received.includes('\r\n\r\n') ? received.slice(received.indexOf('\r\n\r\n') + 4) : '';
      resolve({ status, text });
    });
    // Written and left open: the server answers (and closes, as asked) without waiting for what was promised.
    socket.write(bytes, 'latin1');
  });
}

const mint = (claims: Record<string, unknown>, options: { secret?: string; exp?: string; aud?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.exp ?? '5m')
    .sign(new TextEncoder().encode(options.secret ?? JWT_SECRET));

const b64 = (value: string) => Buffer.from(value).toString('base64url');
const STATUS = (provider: Provider, id: string) =>
  `{ session(provider: ${provider}, id: ${JSON.stringify(id)}) { status } }`;

const HOSTILE_IDS = [
  '',
  ' ',
  '../../etc/passwd',
  '..%2F..%2Fadmin',
  'ses_abc123/../../admin',
  'ses_abc123?expand=all',
  'ses_abc123#fragment',
  'ses_abc123%00',
  'ses\u0000abc',
  'ses_abc123\r\nX-Injected: 1',
  ' ses_abc123 ',
  '-rf',
  'ｓｅｓ＿ａｂｃ',
  '☠️💣',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  `${'$'}{jndi:ldap://127.0.0.1/a}`,
  'x'.repeat(10_000),
  'https://evil.example/',
  '{11111111-2222-3333-4444-555555555555}',
];
/** Near-UUIDs: malformed for VX and Didit (whose ids are UUIDs), well-formed Verifa ids. */
const NEAR_UUIDS = [
  '11111111-2222-3333-4444-5555555555555',
  '11111111-2222-3333-4444-55555555555g',
  '111111112222333344445555',
];

function corpus(): BadInput[] {
  const inputs: BadInput[] = [];
  const add = (name: string, send: () => Promise<Answer>) => inputs.push({ name, send });

  // Malformed JSON.
  for (const body of [
    '{',
    '{"query": ',
    '{"query": "{ providers { provider } }"',
    '{"query": "{ providers { provider } }",}',
    "{'query': '{ providers { provider } }'}",
    'nul',
    '[',
    '{"query": NaN}',
    '\uFEFF{"query": "{ providers { provider } }"}',
    '{"query": "\\x41"}',
    `{"query": "${'\\u'}"}`,
  ]) {
    add(`malformed JSON ${JSON.stringify(body).slice(0, 40)}`, () => json(body));
  }
  add('invalid UTF-8 bytes', () => json(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])));
  add('JSON nested 5 000 arrays deep', () => json(`${'['.repeat(5_000)}${']'.repeat(5_000)}`));
  add('JSON object nested 5 000 deep', () => json(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`));
  // Well-formed JSON of the wrong shape.
  for (const body of [
    'null',
    '42',
    '"{ providers { provider } }"',
    'true',
    '[]',
    '{}',
    '{"query": 42}',
    '{"query": null}',
    '{"query": ["{ providers { provider } }"]}',
    '{"query": {"kind": "Document"}}',
    '{"query": ""}',
    '{"query": "{ providers { provider } }", "variables": "x"}',
    '{"query": "{ providers { provider } }", "variables": [1]}',
    '{"query": "{ providers { provider } }", "operationName": 7}',
    '{"query": "{ providers { provider } }", "extensions": "x"}',
    '{"extensions": {"persistedQuery": "x"}}',
    '{"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "abc"}}}',
    '{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": 7}}}',
    `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "${'0'.repeat(64)}"}}}`,
    `{"query": "{ providers { provider } }", "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "${'1'.repeat(64)}"}}}`,
    '[{"query": "{ providers { provider } }"}, {"query": "{ providers { provider } }"}]',
  ]) {
    add(`JSON of the wrong shape ${body.slice(0, 50)}`, () => json(body));
  }
  // Wrong content types.
  const query = JSON.stringify({ query: '{ providers { provider } }' });
  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/graphql',
    'application/xml',
    'application/jsonx',
    'application/json; charset=utf-16',
  ]) {
    add(`content type ${type}`, () =>
      http('/graphql', {
        body: type.includes('form-urlencoded') ? `query=${encodeURIComponent('{ providers { provider } }')}` : query,
        headers: { 'content-type': type },
      }),
    );
  }
  add('no content type', () => http('/graphql', { body: query }));
  add('empty body', () => json(''));
  // Methods.
  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    add(`${method} /graphql`, () =>
      http('/graphql', { method, body: query, headers: { 'content-type': 'application/json' } }),
    );
  }
  add('GET with a mutation', () => get(`?query=${encodeURIComponent('mutation { providers { provider } }')}`));
  add('GET without a query', () => get(''));
  add('GET with malformed variables', () =>
    get(`?query=${encodeURIComponent('{ providers { provider } }')}&variables=%7Bnope`),
  );
  add('GET with malformed extensions', () =>
    get(`?query=${encodeURIComponent('{ providers { provider } }')}&extensions=%5B`),
  );
  // With a key, a GET needs no other header: Authorization already forces a browser preflight (CSRF prevention).
  add('GET with neither a key nor a preflight header', () =>
    http(`/graphql?query=${encodeURIComponent('{ providers { provider } }')}`, { method: 'GET', key: null }),
  );
  add('unknown path', () => http('/graphql/admin', { body: query }));
  add('path in capitals', () => http('/GRAPHQL', { body: query }));
  // Huge bodies and requests the HTTP parser refuses.
  add('300 KiB body with its length', () =>
    json(JSON.stringify({ query: `{ providers { provider } } #${'x'.repeat(300 * 1024)}` })),
  );
  add('2 MiB body, chunked, no length', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const body = Readable.from(
      (async function* () {
        yield Buffer.from('{"query": "{ providers { provider } }", "pad": "');
        for (let i = 0; i < 32; i += 1) yield chunk;
        yield Buffer.from('"}');
      })(),
    );
    const res = await request(gw.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` },
      body,
    });
    return { status: res.statusCode, text: await res.body.text() };
  });
  add('a content-length that lies (larger than the body)', () =>
    raw(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${FULL_KEY}\r\nContent-Type: application/json\r\nContent-Length: 400000\r\nConnection: close\r\n\r\n{}`,
    ),
  );
  add('a non-numeric content-length', () =>
    raw(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}`),
  );
  add('both chunked and content-length (smuggling)', () =>
    raw(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`,
    ),
  );
  add('32 KiB of headers', () =>
    raw(`GET /graphql HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\nConnection: close\r\n\r\n`),
  );
  add('a request line that is not HTTP', () => raw('HELLO\r\n\r\n'));
  add('a 40 KiB URL', () =>
    raw(`GET /graphql?query=${'a'.repeat(40 * 1024)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
  );
  // Deep nesting.
  add('selection nested 600 deep', () => gql(`{ ${'session { '.repeat(600)}status${' }'.repeat(600)} }`));
  add('selection nested 2 000 deep', () => gql(`{ ${'a { '.repeat(2_000)}b${' }'.repeat(2_000)} }`));
  add('introspection cycle', () =>
    gql(`{ __schema { types { ${'fields { type { '.repeat(12)}name${' } }'.repeat(12)} } } }`),
  );
  add('list literal nested 500 deep', () =>
    gql(`{ sessions(refs: ${'['.repeat(500)}{ provider: VERIFA, id: "ses_abc123" }${']'.repeat(500)}) { status } }`),
  );
  add('variables nested 3 000 deep', () =>
    gql('query Q($refs: [SessionRefInput!]!) { sessions(refs: $refs) { status } }', {
      refs: JSON.parse(`${'['.repeat(3_000)}${']'.repeat(3_000)}`),
    }),
  );
  add('fragment cycle', () => gql('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }'));
  add('fragment bomb (2^40 fields)', () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
    return gql(`{ ...F0 } ${fragments.join(' ')} fragment F40 on Query { providers { provider } }`);
  });
  // Alias, field and directive bombs.
  add('1 000 aliases of __typename', () =>
    gql(`{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: __typename`).join(' ')} }`),
  );
  add('100 aliased sessions with distinct ids', () =>
    gql(
      `{ ${Array.from({ length: 100 }, (_, i) => `s${i}: session(provider: VERIFA, id: "ses_${i}") { status }`).join(' ')} }`,
    ),
  );
  add('the same field 3 000 times', () => gql(`{ providers { ${'provider '.repeat(3_000)}} }`));
  add('500 directives on one field', () => gql(`{ providers { provider ${'@include(if: true) '.repeat(500)}} }`));
  add('unknown directive', () => gql('{ providers @cached(ttl: 1) { provider } }'));
  add('1 MiB string literal', () => gql(`{ session(provider: VERIFA, id: "${'x'.repeat(1024 * 1024)}") { status } }`));
  // Invalid variables.
  const byVars = 'query Q($provider: Provider!, $id: String!) { session(provider: $provider, id: $id) { status } }';
  for (const [name, variables] of [
    ['an unknown provider', { provider: 'ACME', id: 'ses_abc123' }],
    ['a provider in lowercase', { provider: 'verifa', id: 'ses_abc123' }],
    ['a number for the id', { provider: 'VERIFA', id: 5 }],
    ['an object for the id', { provider: 'VERIFA', id: { $ne: '' } }],
    ['a null id', { provider: 'VERIFA', id: null }],
    ['a missing id', { provider: 'VERIFA' }],
    ['no variables at all', undefined],
    ['a list for the provider', { provider: ['VERIFA'], id: 'ses_abc123' }],
  ] as const) {
    add(`variables: ${name}`, () => gql(byVars, variables));
  }
  const byRefs = 'query Q($refs: [SessionRefInput!]!) { sessions(refs: $refs) { status } }';
  add('refs: not a list item object', () => gql(byRefs, { refs: ['VERIFA:ses_abc123'] }));
  add('refs: an item without an id', () => gql(byRefs, { refs: [{ provider: 'VERIFA' }] }));
  add('refs: an extra field', () => gql(byRefs, { refs: [{ provider: 'VERIFA', id: 'ses_abc123', url: 'x' }] }));
  add('refs: a null item', () => gql(byRefs, { refs: [null] }));
  add('a variable of an undeclared type', () => gql('query Q($x: Nope) { providers { provider } }', { x: 1 }));
  add('a variable used but not declared', () => gql('{ session(provider: VERIFA, id: $id) { status } }', { id: 'x' }));
  // Unknown and unsupported operations.
  add('an operation name not in the document', () =>
    json(JSON.stringify({ query: 'query A { providers { provider } }', operationName: 'B' })),
  );
  add('two operations and no operation name', () =>
    gql('query A { providers { provider } } query B { providers { provider } }'),
  );
  add('a mutation', () => gql('mutation { providers { provider } }'));
  // Subscriptions are served over SSE and WebSocket only: as a plain POST, a valid one is refused, coded.
  add('a subscription as a plain POST', () =>
    gql('subscription { sessionUpdated(provider: VERIFA, id: "ses_abc123") { status } }'),
  );
  add('an unknown field', () => gql('{ sessionz { status } }'));
  add('a fragment on an unknown type', () => gql('{ ...F } fragment F on Nope { x }'));
  add('only a fragment', () => gql('fragment F on Query { providers { provider } }'));
  add('only a comment', () => gql('# nothing here'));
  add('a syntax error', () => gql('{ session(provider: VERIFA id: ) }'));
  add('a field that needs arguments, without them', () => gql('{ session { status } }'));
  add('a scalar with a selection', () => gql('{ providers { provider { name } } }'));
  add('an object without a selection', () => gql('{ providers }'));
  // sessions(refs:) too large.
  const refs = (n: number) => Array.from({ length: n }, (_, i) => `{ provider: VERIFA, id: "ses_${i}" }`).join(' ');
  add('sessions with 51 refs', () => gql(`{ sessions(refs: [${refs(51)}]) { status } }`));
  add('sessions with 1 000 refs in variables', () =>
    gql(byRefs, { refs: Array.from({ length: 1_000 }, (_, i) => ({ provider: 'VERIFA', id: `ses_${i}` })) }),
  );
  add('sessions with 51 hostile refs', () =>
    gql(byRefs, { refs: Array.from({ length: 51 }, () => ({ provider: 'VERIFA', id: '../../admin' })) }),
  );
  // Hostile ids, for every provider, by session(), sessions() and node().
  for (const provider of PROVIDERS) {
    for (const id of UUID_PROVIDERS.includes(provider) ? [...HOSTILE_IDS, ...NEAR_UUIDS] : HOSTILE_IDS) {
      add(`hostile ${provider} id ${JSON.stringify(id).slice(0, 30)}`, () => gql(STATUS(provider, id)));
    }
  }
  add('hostile ids in one sessions() call', () =>
    gql(byRefs, { refs: HOSTILE_IDS.slice(0, 20).map((id, i) => ({ provider: PROVIDERS[i % PROVIDERS.length], id })) }),
  );
  for (const [name, nodeId] of [
    ['not base64', '!!!'],
    ['empty', ''],
    ['padded base64', `${b64('Session:VERIFA:ses_abc123')}==`],
    ['another type', b64('User:VERIFA:ses_abc123')],
    ['an unknown provider', b64('Session:ACME:ses_abc123')],
    ['no id', b64('Session:VERIFA:')],
    ['a hostile id', b64('Session:VERIFA:../../admin')],
    ['a hostile VX id', b64('Session:VERATAD:19fe3b9e/../x')],
    ['10 KiB', 'A'.repeat(10_240)],
  ] as const) {
    add(`node id: ${name}`, () => gql(`{ node(id: ${JSON.stringify(nodeId)}) { id } }`));
  }
  // Credentials.
  const status = STATUS('VERIFA', 'ses_approved');
  for (const [name, authorization] of [
    ['Bearer with nothing', 'Bearer'],
    ['Basic credentials', `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['two tokens', `Bearer ${FULL_KEY} ${FULL_KEY}`],
    ['a key with a suffix', `Bearer ${FULL_KEY}x`],
    ['a 10 KiB token', `Bearer ${'k'.repeat(10_240)}`],
  ] as const) {
    add(`credentials: ${name}`, () => json(JSON.stringify({ query: status }), { authorization }, null));
  }
  add('credentials: none', () => gql(status, undefined, null));
  add('credentials: a token of control characters', () =>
    raw(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \u0001\u0002\r\nContent-Type: application/json\r\nContent-Length: ${JSON.stringify({ query: status }).length}\r\nConnection: close\r\n\r\n${JSON.stringify({ query: status })}`,
    ),
  );
  const header = (alg: string) => b64(JSON.stringify({ alg, typ: 'JWT' }));
  const claims = b64(
    JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300, scope: 'sessions:read' }),
  );
  const tokens: Array<[string, () => Promise<string>]> = [
    ['an expired JWT', () => mint({ scope: 'sessions:read' }, { exp: '-1m' })],
    [
      'a JWT signed with another secret',
      () => mint({ scope: 'sessions:read' }, { secret: 'someone-elses-secret-that-is-long-enough' }),
    ],
    ['a JWT for another audience', () => mint({ scope: 'sessions:read' }, { aud: 'another-api' })],
    ['a JWT living a day', () => mint({ scope: 'sessions:read' }, { exp: '1d' })],
    ['a JWT with alg none', async () => `${header('none')}.${claims}.x`],
    ['a JWT with a payload that is not JSON', async () => `${header('HS256')}.${b64('not json')}.${b64('sig')}`],
    ['a JWT with a header that is not JSON', async () => `${b64('nope')}.${claims}.${b64('sig')}`],
    [
      'a JWT with 101 sessions',
      () => mint({ scope: 'sessions:read', sessions: Array.from({ length: 101 }, (_, i) => `VERIFA:ses_${i}`) }),
    ],
    ['a JWT with a session of an unknown provider', () => mint({ scope: 'sessions:read', sessions: ['ACME:1'] })],
    ['a JWT with an RS256 header over the shared secret', async () => `${header('RS256')}.${claims}.${b64('sig')}`],
  ];
  for (const [name, token] of tokens) add(`credentials: ${name}`, async () => gql(status, undefined, await token()));
  add('a token bound to one session, asking for another', async () =>
    gql(status, undefined, await mint({ scope: 'sessions:read', sessions: ['VERIFA:ses_abc123'] })),
  );
  add('a token bound to one session, asking for two others by sessions()', async () =>
    gql(
      '{ sessions(refs: [{ provider: VERIFA, id: "ses_rejected" }, { provider: DIDIT, id: "11111111-2222-3333-4444-555555555555" }]) { status } }',
      undefined,
      await mint({ scope: 'sessions:read', sessions: ['VERIFA:ses_abc123'] }),
    ),
  );
  add('a token without sessions:read', async () => gql(status, undefined, await mint({ scope: 'pii:read' })));
  return inputs;
}

/** The response is a refusal with a code: a 4xx (with coded errors when it has a body) or coded GraphQL errors. */
function expectCodedRefusal(name: string, answer: Answer): void {
  expect(answer.status, `${name}: status ${answer.status} ${answer.text.slice(0, 200)}`).toBeGreaterThanOrEqual(200);
  expect(answer.status, `${name}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
  if (answer.status >= 400 && answer.text.trim() === '') return; // refused by Node's HTTP parser itself
  const body = JSON.parse(answer.text) as { errors?: Array<{ extensions?: { code?: unknown } }> };
  expect((body.errors ?? []).length > 0, `${name}: ${answer.status} ${answer.text.slice(0, 200)}`).toBe(true);
  for (const error of body.errors ?? []) {
    expect(typeof error.extensions?.code, `${name}: ${answer.text.slice(0, 200)}`).toBe('string');
    expect(error.extensions?.code, name).not.toBe('INTERNAL_SERVER_ERROR');
  }
}

describe('a corpus of bad requests', () => {
  const inputs = corpus();
  /** Statuses of the first, one-by-one pass. */
  const sequential: number[] = [];
  beforeAll(async () => {
    gw = await startTestGateway({ JWT_SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE });
  });
  afterAll(() => gw.close());

  const vendorCalls = () => PROVIDERS.reduce((n, p) => n + gw.simulator(p).requestCount(), 0);

  it('answers every one with a 4xx or a coded GraphQL error, and sends none of them to a vendor', async () => {
    for (const p of PROVIDERS) gw.simulator(p).resetCount();
    for (const input of inputs) {
      const answer = await input.send().catch((error: unknown) => {
        throw new Error(`${input.name}: ${String(error)}`);
      });
      expectCodedRefusal(input.name, answer);
      expect(vendorCalls(), `${input.name} reached a vendor`).toBe(0);
      sequential.push(answer.status);
    }
  });

  it('answers them all at once the same way, and keeps serving', async () => {
    const answers = await Promise.all(inputs.map((input) => input.send()));
    for (const [i, answer] of answers.entries()) expectCodedRefusal(inputs[i]?.name ?? '', answer);
    expect(answers.map((a) => a.status)).toEqual(sequential);
    expect(vendorCalls()).toBe(0);
    const health = await http('/healthz', { method: 'GET' });
    expect(health).toEqual({ status: 200, text: '{"status":"ok"}' });
    const good = await gw.query('{ session(provider: VERIFA, id: "ses_approved") { status } }');
    expect(good.body).toEqual({ data: { session: { status: 'APPROVED' } } });
  });

  it('is the corpus docs/reliability.md reports', () => {
    const doc = readFileSync(new URL('../docs/reliability.md', import.meta.url), 'utf8');
    expect(doc).toContain(`**${inputs.length} bad inputs**`);
  });
});
