import { parse, validate } from 'graphql';
import { createClient } from 'graphql-sse';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.ts';
import { buildSchema } from '../src/graphql/schema.ts';
import { PROVIDERS } from '../src/model/session.ts';
import { PLAYGROUND_CSP } from '../src/playground/index.ts';
import type { PlaygroundConfig } from '../src/playground/protocol.ts';
import { providerModules } from '../src/providers/index.ts';
import { FULL_KEY, startTestGateway, TEST_API_KEYS, type TestGateway } from './support/gateway.ts';
import { EXPECTED_TABS, ensurePlaygroundBuilt } from './support/playground.ts';

const origin = (gw: TestGateway) => gw.gateway.url.replace(/\/graphql$/, '');

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await request(url, { headers });
  const body = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body };
}

async function playgroundConfig(gw: TestGateway, headers: Record<string, string> = {}): Promise<PlaygroundConfig> {
  const res = await get(`${origin(gw)}/playground/config.json`, headers);
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  return JSON.parse(res.body) as PlaygroundConfig;
}

describe('the playground on the sandbox', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    ensurePlaygroundBuilt();
    gw = await startTestGateway({ GATEWAY_API_KEYS: undefined });
  }, 60_000);
  afterAll(() => gw.close());

  it('serves the page at /playground under a CSP that allows no inline or remote script', async () => {
    const res = await get(`${origin(gw)}/playground`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(PLAYGROUND_CSP);
    expect(PLAYGROUND_CSP).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; " +
        "form-action 'none'; frame-ancestors 'none'",
    );
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // Every script is a file from this origin: none inline, none from elsewhere.
    const scripts = [...res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attrs, inline]) => ({ attrs: attrs?.trim(), inline }))).toEqual([
      { attrs: 'type="module" src="/playground/assets/playground.js"', inline: '' },
    ]);
    expect(res.body).not.toMatch(/https?:\/\//);
  });

  it('serves the same page at GET /graphql to a browser, and JSON to a GraphQL client', async () => {
    const page = await get(gw.gateway.url, { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers.vary).toBe('accept, accept-encoding');
    expect(page.body).toBe((await get(`${origin(gw)}/playground`)).body);

    for (const accept of ['application/json', 'application/graphql-response+json, text/html;q=0.5', '*/*']) {
      const api = await get(gw.gateway.url, { accept });
      expect(api.status).toBe(401);
      expect(JSON.parse(api.body).errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    }
    // An operation in a GET is run for a client that asks for JSON.
    const operation = await get(`${gw.gateway.url}?query=%7Bproviders%7Bprovider%7D%7D`, {
      accept: 'application/json',
      authorization: `Bearer ${gw.gateway.devKey}`,
      'apollo-require-preflight': 'true',
    });
    expect(JSON.parse(operation.body)).toEqual({
      data: { providers: PROVIDERS.map((provider) => ({ provider })) },
    });
  });

  it('serves the bundle from its own origin, precompressed and revalidated by ETag', async () => {
    const br = await get(`${origin(gw)}/playground/assets/playground.js`, { 'accept-encoding': 'gzip, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers['content-encoding']).toBe('br');
    const etag = String(br.headers.etag);
    const again = await get(`${origin(gw)}/playground/assets/playground.js`, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    const plain = await get(`${origin(gw)}/playground/assets/playground.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toMatch(/^import|^var|^\(/);
    for (const worker of ['editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
      expect((await get(`${origin(gw)}/playground/assets/${worker}`)).status).toBe(200);
    }
  });

  it('answers 404 for unknown assets and 405 for anything but GET and HEAD', async () => {
    const missing = await get(`${origin(gw)}/playground/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('Not found.\n');
    const post = await request(`${origin(gw)}/playground`, { method: 'POST', body: '{}' });
    expect(post.statusCode).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    await post.body.dump();
  });

  it('prefills the development key for a browser on this machine, and a tab per sandboxed provider', async () => {
    const config = await playgroundConfig(gw);
    expect(config.endpoint).toBe('/graphql');
    expect(JSON.parse(config.headers ?? 'null')).toEqual({ Authorization: `Bearer ${gw.gateway.devKey}` });
    expect(config.tabs.map((t) => t.name)).toEqual(EXPECTED_TABS);
    // The first tab is the timeline of Verifa's timed session.
    expect(JSON.parse(config.tabs[0]?.variables ?? '{}')).toEqual({ id: 'ses_timeline' });
    // Each session tab starts on its provider's first scenario, the vendor's documented example.
    const modules = providerModules();
    const firstIds = modules.map((m) => m.scenarios?.[0]?.id);
    expect(config.tabs.slice(2, 2 + modules.length).map((t) => JSON.parse(t.variables ?? '{}').id)).toEqual(firstIds);
    // The subscription tab watches a timed scenario that starts in progress.
    expect(JSON.parse(config.tabs.at(-1)?.variables ?? '{}')).toEqual({ id: '0e1a7ad0-0000-4000-8000-000000000020' });
  });

  it('never hands the development key across a proxy', async () => {
    const config = await playgroundConfig(gw, { 'x-forwarded-for': '203.0.113.7' });
    expect(config.headers).toBeNull();
  });

  it('has example operations that are valid against the schema and run on the sandbox', async () => {
    const schema = buildSchema();
    const { tabs } = await playgroundConfig(gw);
    for (const tab of tabs) {
      expect(validate(schema, parse(tab.query))).toEqual([]);
      if (tab.name === 'WatchSession') {
        // Over SSE, as GraphiQL's WebSocket would: the first event is the scenario's first step.
        const client = createClient({ url: gw.gateway.url, headers: { authorization: `Bearer ${gw.gateway.devKey}` } });
        const events = client.iterate({ query: tab.query, variables: JSON.parse(tab.variables ?? '{}') });
        const first = await events.next();
        await events.return?.();
        client.dispose();
        expect(first.value).toEqual({
          data: {
            sessionUpdated: {
              status: 'IN_PROGRESS',
              providerStatus: 'PENDING',
              isTerminal: false,
              reasonCode: 'MORE INFORMATION IS REQUIRED',
              // VX is waiting for the person's one-time code.
              userAction: 'CONTINUE',
            },
          },
        });
        continue;
      }
      const res = await gw.query(tab.query, JSON.parse(tab.variables ?? '{}'), gw.gateway.devKey);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
    const verifa = tabs.find((t) => t.name === 'VerifaSession');
    const res = await gw.query(verifa?.query ?? '', { id: 'ses_abc123' }, gw.gateway.devKey);
    expect(res.body.data?.session).toMatchObject({ status: 'IN_REVIEW', providerStatus: 'needs_review' });
  });
});

describe('the playground with configured keys', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('prefills no key: the caller pastes their own', async () => {
    const config = await playgroundConfig(gw);
    expect(config.headers).toBeNull();
    expect(config.tabs.map((t) => t.name)).toEqual(EXPECTED_TABS);
    const providersTab = config.tabs.find((t) => t.name === 'Providers');
    const res = await gw.query(providersTab?.query ?? '', undefined, FULL_KEY);
    expect(res.body.data?.providers).toHaveLength(PROVIDERS.length);
  });
});

describe('PLAYGROUND_ENABLED', () => {
  it('defaults to on outside production and off in production', () => {
    expect(loadConfig({}).playground).toEqual({ enabled: true });
    expect(loadConfig({ NODE_ENV: 'test' }).playground).toEqual({ enabled: true });
    const production = { NODE_ENV: 'production', GATEWAY_API_KEYS: TEST_API_KEYS };
    expect(loadConfig(production).playground).toEqual({ enabled: false });
    expect(loadConfig({ ...production, PLAYGROUND_ENABLED: 'true' }).playground).toEqual({ enabled: true });
    expect(loadConfig({ PLAYGROUND_ENABLED: 'false' }).playground).toEqual({ enabled: false });
  });

  it('accepts only true or false', () => {
    expect(() => loadConfig({ PLAYGROUND_ENABLED: 'yes' })).toThrowError(ConfigError);
    expect(() => loadConfig({ PLAYGROUND_ENABLED: 'yes' })).toThrowError(/PLAYGROUND_ENABLED: must be true or false/);
  });

  it('when off, /playground is not found and a browser at /graphql must authenticate', async () => {
    const gw = await startTestGateway({ PLAYGROUND_ENABLED: 'false' });
    try {
      const page = await get(`${origin(gw)}/playground`);
      expect(page.status).toBe(404);
      expect(JSON.parse(page.body)).toEqual({
        errors: [{ message: 'Not found. GraphQL is served at /graphql.', extensions: { code: 'NOT_FOUND' } }],
      });
      const browser = await get(gw.gateway.url, { accept: 'text/html' });
      expect(browser.status).toBe(401);
    } finally {
      await gw.close();
    }
  });
});
