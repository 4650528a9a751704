import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { skipOptionalSuite } from './support/optionalSuites.ts';

/**
 * A single-page app on another origin calls Verigate from Chromium with a key in `Authorization`, as frontend apps
 * do: the browser preflights, Verigate answers the preflight before authentication, and the page reads the answer
 * (and its `x-request-id`). A page on an origin not in CORS_ORIGINS is blocked by the browser.
 */

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium) skipOptionalSuite('the cross-origin browser test', CHROMIUM, 'apt-get install -y chromium');

/** A tiny static app server: one page, on its own loopback address, so it is an origin of its own. */
async function serveApp(host: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Onboarding app</title><p>An app on another origin.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, origin: `http://${host}:${(server.address() as AddressInfo).port}` };
}

interface PageAnswer {
  status?: number;
  body?: unknown;
  requestId?: string | null;
  blocked?: string;
}

/** What the page's own `fetch` gets from Verigate: the answer, or the TypeError a CORS refusal is. */
function callFromPage(page: Page, url: string, init: { method: 'GET' | 'POST'; key: string | null }) {
  return page.evaluate(
    async ({ url, method, key }): Promise<PageAnswer> => {
      const query = '{ session(provider: VERIFA, id: "ses_approved") { providerSessionId status } }';
      const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
      try {
        const res =
          method === 'GET'
            ? await fetch(`${url}?query=${encodeURIComponent(query)}`, { headers })
            : await fetch(url, {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/json' },
                body: JSON.stringify({ query }),
              });
        return { status: res.status, body: await res.json(), requestId: res.headers.get('x-request-id') };
      } catch (error) {
        return { blocked: String(error) };
      }
    },
    { url, ...init },
  );
}

describe.skipIf(!haveChromium)('a single-page app on another origin, in Chromium', () => {
  let gw: TestGateway;
  let allowed: { server: Server; origin: string };
  let disallowed: { server: Server; origin: string };
  let context: BrowserContext;
  let userDataDir: string;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    // Neither app is on localhost or 127.0.0.1, so only CORS_ORIGINS decides.
    allowed = await serveApp('127.0.0.3');
    disallowed = await serveApp('127.0.0.2');
    gw = await startTestGateway({ CORS_ORIGINS: allowed.origin });
    userDataDir = mkdtempSync(join(tmpdir(), 'verigate-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await gw?.close();
    allowed?.server.close();
    disallowed?.server.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  async function openApp(origin: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(`${origin}/`);
    return page;
  }

  it('lets the allowed origin query with a key, by POST and by GET, and read x-request-id', async () => {
    const page = await openApp(allowed.origin);
    for (const method of ['POST', 'GET'] as const) {
      const answer = await callFromPage(page, gw.gateway.url, { method, key: FULL_KEY });
      expect(answer).toEqual({
        status: 200,
        body: { data: { session: { providerSessionId: 'ses_approved', status: 'APPROVED' } } },
        requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    }
    await page.close();
  }, 30_000);

  it('lets the allowed origin read a 401 and its code', async () => {
    const page = await openApp(allowed.origin);
    const answer = await callFromPage(page, gw.gateway.url, { method: 'POST', key: 'not-a-valid-key-at-all' });
    expect(answer).toEqual({
      status: 401,
      body: { errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] },
      requestId: expect.any(String),
    });
    await page.close();
  }, 30_000);

  it('blocks a page on an origin not in CORS_ORIGINS', async () => {
    const page = await openApp(disallowed.origin);
    consoleErrors.length = 0;
    const answer = await callFromPage(page, gw.gateway.url, { method: 'POST', key: FULL_KEY });
    expect(answer).toEqual({ blocked: 'TypeError: Failed to fetch' });
    expect(consoleErrors.join('\n')).toContain('has been blocked by CORS policy');
    await page.close();
  }, 30_000);
});
