import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { GraphQLObjectType } from 'graphql';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.ts';
import { buildSchema } from '../src/graphql/schema.ts';
import { FULL_KEY, startTestGateway, TEST_API_KEYS, type TestGateway } from './support/gateway.ts';
import { selectAll } from './support/schemaWalk.ts';

/**
 * Browsers on another origin and mobile networks (DESIGN §6): CORS preflights answered before authentication,
 * CORS headers on every /graphql answer to an allowed origin, compression by Accept-Encoding, `no-store` on every
 * /graphql answer, and HOST honoured by the listener.
 */

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';
const schema = buildSchema();
const FULL_DIDIT = `query Full { session(provider: DIDIT, id: "11111111-2222-3333-4444-555555555555") { ${selectAll(schema, schema.getType('Session') as GraphQLObjectType)} } }`;

/** Every `access-control-*` header of an answer. */
function corsHeaders(headers: Record<string, string | string[] | undefined>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));
}

describe('CORS and caching headers on /graphql', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ CORS_ORIGINS: `${APP}, https://admin.example.com` });
  });
  afterAll(() => gw.close());

  const preflight = (origin: string, path = '/graphql') =>
    request(gw.gateway.url.replace(/\/graphql$/, path), {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

  it('answers a preflight from an allowed origin with 204 and the CORS headers, before authentication', async () => {
    const res = await preflight(APP);
    expect(res.statusCode).toBe(204);
    expect(await res.body.text()).toBe('');
    expect(corsHeaders(res.headers)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers':
        'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, apollographql-client-name, apollographql-client-version, x-request-id, traceparent, tracestate',
      'access-control-max-age': '7200',
      'access-control-expose-headers': 'x-request-id',
    });
    expect(res.headers.vary).toBe('Origin');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('gives a disallowed origin a 204 preflight without any CORS header, so its browser blocks the call', async () => {
    const res = await preflight(EVIL);
    expect(res.statusCode).toBe(204);
    await res.body.dump();
    expect(corsHeaders(res.headers)).toEqual({});
    expect(res.headers.vary).toBe('Origin');
  });

  it('allows http://localhost:<any port> outside production, so a dev server just works', async () => {
    for (const origin of ['http://localhost:8080', 'http://127.0.0.1:5173', 'http://[::1]:3000']) {
      const res = await preflight(origin);
      await res.body.dump();
      expect(res.headers['access-control-allow-origin']).toBe(origin);
    }
    const lookalike = await preflight('http://localhost.evil.example.net:8080');
    await lookalike.body.dump();
    expect(corsHeaders(lookalike.headers)).toEqual({});
  });

  it('answers preflights on /graphql only', async () => {
    const res = await preflight(APP, '/healthz');
    expect(res.statusCode).toBe(404);
    await res.body.dump();
    expect(corsHeaders(res.headers)).toEqual({});
  });

  it('puts CORS headers on a 401 to an allowed origin, so the page can read why', async () => {
    const res = await request(gw.gateway.url, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ providers { provider } }' }),
    });
    expect(res.statusCode).toBe(401);
    expect(await res.body.json()).toEqual({
      errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(corsHeaders(res.headers)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'x-request-id',
    });
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers.vary).toBe('Origin');
  });

  it('answers an allowed origin with data, CORS headers and no-store; never Allow-Credentials', async () => {
    const res = await request(gw.gateway.url, {
      method: 'POST',
      headers: { origin: APP, authorization: `Bearer ${FULL_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ session(provider: VERIFA, id: "ses_approved") { providerSessionId status } }' }),
    });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual({
      data: { session: { providerSessionId: 'ses_approved', status: 'APPROVED' } },
    });
    expect(corsHeaders(res.headers)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-expose-headers': 'x-request-id',
    });
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers.vary).toBe('Origin, Accept-Encoding');
  });

  it('answers a disallowed origin without CORS headers (the browser, not the server, refuses to hand it over)', async () => {
    const res = await request(gw.gateway.url, {
      method: 'POST',
      headers: { origin: EVIL, authorization: `Bearer ${FULL_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ providers { provider } }' }),
    });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    expect(corsHeaders(res.headers)).toEqual({});
  });

  it('marks every /graphql answer private, no-store: session data, errors, GET, persisted-query misses, SSE', async () => {
    const session = await gw.query(
      '{ session(provider: DIDIT, id: "d1d10200-0000-4000-8000-000000000003") { status } }',
    );
    expect(session.body).toEqual({ data: { session: { status: 'APPROVED' } } });
    expect(session.headers['cache-control']).toBe('private, no-store');

    const notFound = await gw.query('{ session(provider: VERIFA, id: "ses_missing") { status } }');
    expect(notFound.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(notFound.headers['cache-control']).toBe('private, no-store');

    const providers = await gw.query('{ providers { provider } }');
    expect(providers.headers['cache-control']).toBe('private, no-store');

    const hash = 'ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38';
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
    const apqMiss = await request(`${gw.gateway.url}?extensions=${encodeURIComponent(extensions)}`, {
      headers: { authorization: `Bearer ${FULL_KEY}` },
    });
    expect(await apqMiss.body.json()).toEqual({
      errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }],
    });
    expect(apqMiss.headers['cache-control']).toBe('private, no-store');

    const stream = await request(gw.gateway.url, {
      method: 'POST',
      headers: {
        accept: 'text/event-stream',
        'accept-encoding': 'br, gzip',
        authorization: `Bearer ${FULL_KEY}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        query: 'subscription { sessionUpdated(provider: VERIFA, id: "ses_approved") { status } }',
      }),
    });
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['cache-control']).toBe('private, no-store');
    // Never compressed: graphql-sse even says `none`, so that proxies do not buffer the stream.
    expect(stream.headers['content-encoding'] ?? 'none').toBe('none');
    expect(await stream.body.text()).toContain('"status":"APPROVED"');
  });
});

describe('compression by Accept-Encoding', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  const ask = async (query: string, acceptEncoding?: string) => {
    const res = await request(gw.gateway.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${FULL_KEY}`,
        'content-type': 'application/json',
        ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }),
      },
      body: JSON.stringify({ query }),
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    return { status: res.statusCode, headers: res.headers, body };
  };

  it('sends the full Didit session as br or gzip, smaller, decoding to the very same JSON', async () => {
    const plain = await ask(FULL_DIDIT);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    const json = JSON.parse(plain.body.toString('utf8'));
    expect(json.data.session.providerSessionId).toBe('11111111-2222-3333-4444-555555555555');
    expect(json.errors).toBeUndefined();

    const br = await ask(FULL_DIDIT, 'gzip, deflate, br, zstd');
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(json);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);

    const gzip = await ask(FULL_DIDIT, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString('utf8'))).toEqual(json);
    expect(gzip.body.length).toBeLessThan(plain.body.length / 3);
    expect(br.body.length).toBeLessThan(gzip.body.length);

    for (const answer of [plain, br, gzip]) {
      expect(answer.headers.vary).toBe('Origin, Accept-Encoding');
      expect(answer.headers['cache-control']).toBe('private, no-store');
    }
  });

  it('follows the client’s weights: br;q=0 means gzip, identity alone means none', async () => {
    expect((await ask(FULL_DIDIT, 'br;q=0, gzip;q=0.5')).headers['content-encoding']).toBe('gzip');
    expect((await ask(FULL_DIDIT, 'gzip;q=0.4, br;q=0.8')).headers['content-encoding']).toBe('br');
    expect((await ask(FULL_DIDIT, '*')).headers['content-encoding']).toBe('br');
    expect((await ask(FULL_DIDIT, 'identity')).headers['content-encoding']).toBeUndefined();
    expect((await ask(FULL_DIDIT, 'deflate, compress')).headers['content-encoding']).toBeUndefined();
  });

  it('leaves answers under 1 KiB as they are', async () => {
    const small = await ask('{ session(provider: VERIFA, id: "ses_approved") { status } }', 'br, gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ data: { session: { status: 'APPROVED' } } });
  });

  it('compresses a response-cache replay the same way', async () => {
    const cached = await startTestGateway({ CACHE_TERMINAL_TTL_SECONDS: '300' });
    try {
      const post = () =>
        request(cached.gateway.url, {
          method: 'POST',
          headers: { authorization: `Bearer ${FULL_KEY}`, 'content-type': 'application/json', 'accept-encoding': 'br' },
          body: JSON.stringify({ query: FULL_DIDIT }),
        });
      const first = await post();
      const firstBody = brotliDecompressSync(Buffer.from(await first.body.arrayBuffer())).toString('utf8');
      const again = await post();
      expect(again.headers['content-encoding']).toBe('br');
      const againBody = brotliDecompressSync(Buffer.from(await again.body.arrayBuffer())).toString('utf8');
      expect(JSON.parse(againBody)).toEqual(JSON.parse(firstBody));
      expect(cached.simulator('DIDIT').requestCount('11111111-2222-3333-4444-555555555555')).toBe(1);
    } finally {
      await cached.close();
    }
  });
});

describe('CORS configuration', () => {
  const production = { NODE_ENV: 'production', GATEWAY_API_KEYS: TEST_API_KEYS };
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  };

  it('refuses CORS_ORIGINS=* in production unless CORS_ALLOW_ANY_ORIGIN=true says it again', () => {
    expect(problemsOf({ ...production, CORS_ORIGINS: '*' })).toEqual([
      'CORS_ORIGINS: * lets every web page call the gateway; list origins, or set CORS_ALLOW_ANY_ORIGIN=true',
    ]);
    expect(problemsOf({ ...production, CORS_ORIGINS: '*', CORS_ALLOW_ANY_ORIGIN: 'true' })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'development', CORS_ORIGINS: '*' })).toEqual([]);
  });

  it('refuses anything but exact origins, and normalizes what a browser would send', () => {
    expect(problemsOf({ CORS_ORIGINS: 'https://app.example.com/path, app.example.com, ftp://x.example' })).toEqual([
      'CORS_ORIGINS: "https://app.example.com/path" is not an origin such as https://app.example.com (scheme, host, port)',
      'CORS_ORIGINS: "app.example.com" is not an origin such as https://app.example.com (scheme, host, port)',
      'CORS_ORIGINS: "ftp://x.example" is not an origin such as https://app.example.com (scheme, host, port)',
    ]);
    const config = loadConfig({ CORS_ORIGINS: 'https://App.Example.com:443/, http://intranet.example:8080' });
    expect(config.browser.corsOrigins).toEqual(['https://app.example.com', 'http://intranet.example:8080']);
  });

  it('allows no localhost origin in production, and * answers every origin with *', async () => {
    const prod = await startTestGateway({ ...production, CORS_ORIGINS: APP });
    const any = await startTestGateway({ CORS_ORIGINS: '*' });
    try {
      const preflight = async (url: string, origin: string) => {
        const res = await request(url, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
        await res.body.dump();
        return res.headers['access-control-allow-origin'];
      };
      expect(await preflight(prod.gateway.url, 'http://localhost:8080')).toBeUndefined();
      expect(await preflight(prod.gateway.url, APP)).toBe(APP);
      expect(await preflight(any.gateway.url, EVIL)).toBe('*');
    } finally {
      await prod.close();
      await any.close();
    }
  });
});

describe('HOST', () => {
  /** True when the server at `url` accepts this test's own key, which no other gateway in the run knows. */
  const OWN_KEY = `host-test-key-${process.pid}-${Date.now()}`;
  const answersAsThisGateway = async (url: string) => {
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${OWN_KEY}` },
        body: JSON.stringify({ query: '{ providers { provider } }' }),
      });
      await res.body.dump();
      return res.statusCode === 200;
    } catch {
      return false;
    }
  };

  it('binds the address HOST names and no other', async () => {
    const keys = JSON.stringify([{ name: 'host-test', key: OWN_KEY, scopes: ['sessions:read'] }]);
    const gw = await startTestGateway({ HOST: '127.0.0.2', GATEWAY_API_KEYS: keys });
    try {
      expect(gw.gateway.address).toBe(`127.0.0.2:${gw.gateway.port}`);
      expect(gw.gateway.url).toBe(`http://127.0.0.2:${gw.gateway.port}/graphql`);
      const health = await request(`http://127.0.0.2:${gw.gateway.port}/healthz`);
      expect(await health.body.json()).toEqual({ status: 'ok' });
      // Other tests' servers may hold the same port number on 127.0.0.1: what must not answer there is this gateway.
      expect(await answersAsThisGateway(`http://127.0.0.1:${gw.gateway.port}/graphql`)).toBe(false);
      expect(await answersAsThisGateway(gw.gateway.url)).toBe(true);
    } finally {
      await gw.close();
    }
  });

  it('binds 127.0.0.1 by default outside production and every interface in production', () => {
    expect(loadConfig({}).server.host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production', GATEWAY_API_KEYS: TEST_API_KEYS }).server.host).toBe('0.0.0.0');
  });
});
