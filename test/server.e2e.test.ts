import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/model/session.ts';
import { NO_SCOPE_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';

describe('authentication and scopes', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('answers 401 UNAUTHENTICATED without an Authorization header', async () => {
    const res = await gw.query('{ providers { provider } }', undefined, null);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toEqual({
      errors: [
        { message: 'Send an API key as "Authorization: Bearer <key>".', extensions: { code: 'UNAUTHENTICATED' } },
      ],
    });
  });

  it('answers 401 UNAUTHENTICATED for a wrong key, without calling any provider', async () => {
    gw.simulator('VERIFA').resetCount();
    const res = await gw.query(
      '{ session(provider: VERIFA, id: "ses_abc123") { status } }',
      undefined,
      'nope-nope-nope-nope',
    );
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      errors: [{ message: 'The API key is not valid.', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(gw.simulator('VERIFA').requestCount()).toBe(0);
  });

  it('answers FORBIDDEN on session fields for a key without sessions:read, and still serves providers', async () => {
    gw.simulator('VERIFA').resetCount();
    const res = await gw.query(
      '{ session(provider: VERIFA, id: "ses_abc123") { status } providers { provider } }',
      undefined,
      NO_SCOPE_KEY,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: { session: null, providers: PROVIDERS.map((provider) => ({ provider })) },
      errors: [
        {
          message: 'This API key lacks the "sessions:read" scope.',
          locations: [{ line: 1, column: 3 }],
          path: ['session'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect(gw.simulator('VERIFA').requestCount()).toBe(0);
  });

  it('masks personal fields for a key without pii:read', async () => {
    const res = await gw.query(
      `{ session(provider: VERIFA, id: "ses_approved") {
          applicant { firstName dateOfBirth address { line1 line2 city postalCode } }
          kyc { documentNumber personalNumber dateOfBirth } } }`,
      undefined,
      READ_ONLY_KEY,
    );
    expect(res.body).toEqual({
      data: {
        session: {
          applicant: {
            firstName: 'J.',
            dateOfBirth: null,
            address: { line1: null, line2: null, city: 'Portland', postalCode: null },
          },
          kyc: { documentNumber: '****4567', personalNumber: '****6789', dateOfBirth: null },
        },
      },
    });
  });
});

describe('HTTP surface', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());
  const base = () => gw.gateway.url.replace(/\/graphql$/, '');

  it('serves /healthz and /readyz without credentials', async () => {
    const health = await request(`${base()}/healthz`);
    expect(health.statusCode).toBe(200);
    expect(await health.body.json()).toEqual({ status: 'ok' });
    const ready = await request(`${base()}/readyz`);
    expect(ready.statusCode).toBe(200);
    expect(await ready.body.json()).toMatchObject({ status: 'ready' });
  });

  it('returns and echoes x-request-id', async () => {
    const given = await request(`${base()}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    await given.body.dump();
    const hostile = await request(`${base()}/healthz`, {
      headers: { 'x-request-id': 'not a valid id; it has spaces' },
    });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    await hostile.body.dump();
  });

  it('answers 404 with a code for unknown paths', async () => {
    const res = await request(`${base()}/nope`);
    expect(res.statusCode).toBe(404);
    expect(await res.body.json()).toEqual({
      errors: [{ message: 'Not found. GraphQL is served at /graphql.', extensions: { code: 'NOT_FOUND' } }],
    });
  });

  it('rejects malformed JSON with 400 BAD_REQUEST', async () => {
    const res = await request(gw.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-key-full-access-0001' },
      body: '{"query": ',
    });
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('rejects bodies over 256 KiB with 413', async () => {
    const res = await request(gw.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-key-full-access-0001' },
      body: JSON.stringify({ query: `{ providers { provider } } #${'x'.repeat(300 * 1024)}` }),
    });
    expect(res.statusCode).toBe(413);
    expect(await res.body.json()).toEqual({
      errors: [{ message: 'The request body is larger than 262144 bytes.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('reports syntax errors with GRAPHQL_PARSE_FAILED and unknown fields with GRAPHQL_VALIDATION_FAILED', async () => {
    const parse = await gw.query('{ session(');
    expect(parse.status).toBe(400);
    expect(parse.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    const validation = await gw.query('{ nope }');
    expect(validation.status).toBe(400);
    expect(validation.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('reports a bad enum value in variables as BAD_USER_INPUT', async () => {
    const res = await gw.query('query Q($p: Provider!) { session(provider: $p, id: "x") { status } }', { p: 'ACME' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('drains in-flight requests on close: a request under way completes, new connections are refused', async () => {
    const own = await startTestGateway();
    const pending = own.query('{ session(provider: VERIFA, id: "ses_slow") { status } providers { provider } }');
    await new Promise((r) => setTimeout(r, 100));
    const closing = own.close();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(res.body.data?.providers).toHaveLength(PROVIDERS.length);
    await closing;
    await expect(request(own.gateway.url.replace('/graphql', '/healthz'))).rejects.toThrow();
  });
});

/** Runs `node src/main.ts` with the given environment and collects what it prints until it exits or is stopped. */
async function runMain(env: Record<string, string>, untilOutput?: RegExp) {
  const child = spawn(process.execPath, ['src/main.ts'], {
    // A throwaway timeline unless the test names one: no test writes to data/.
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'sqlite::memory:', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    // One SIGTERM: a second one is "exit now" (code 1), which is not what these tests ask about.
    if (signalled || !untilOutput?.test(stdout)) return;
    signalled = true;
    child.kill('SIGTERM');
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('start-up', () => {
  it('reports every configuration problem together and exits non-zero', async () => {
    const { code, stderr, stdout } = await runMain({
      NODE_ENV: 'production',
      PORT: 'eighty',
      VERIFA_BASE_URL: 'ftp://verifa.example',
      DIDIT_BASE_URL: 'https://verification.didit.example',
      GATEWAY_API_KEYS: '[{"name":"x","key":"short","scopes":["root"]}]',
      REDIS_URL: 'localhost:6379',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const problems = stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('PORT: must be a number'),
        expect.stringContaining('VERIFA_BASE_URL: must be an absolute http(s) URL'),
        expect.stringContaining('REDIS_URL: must be a redis:// or rediss:// URL'),
        expect.stringContaining('GATEWAY_API_KEYS.0.key: key must be at least 16 characters'),
        expect.stringContaining('GATEWAY_API_KEYS.0.scopes.0'),
        expect.stringMatching(/DIDIT_.*required when DIDIT_BASE_URL is set/),
      ]),
    );
    expect(stderr).not.toContain('short');
  });

  it('refuses to start in production without API keys', async () => {
    const { code, stderr } = await runMain({ NODE_ENV: 'production' });
    expect(code).toBe(1);
    expect(stderr).toContain('GATEWAY_API_KEYS: required in production');
  });

  it('starts on the sandbox by default, prints a development key and says which providers are sandboxed', async () => {
    const { code, stdout } = await runMain({ PORT: '0', NODE_ENV: 'development' }, /Bearer vg_dev_\S+/);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Authorization: Bearer vg_dev_[A-Za-z0-9_-]{24}/);
    const listening = stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => String(l.msg).startsWith('Verigate listening'));
    expect(listening?.sandboxed).toEqual(expect.arrayContaining(['VERIFA']));
  });
});
