import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/gateway.ts';
import { skipOptionalSuite } from './support/optionalSuites.ts';
import { EXPECTED_TABS, ensurePlaygroundBuilt } from './support/playground.ts';

/** Debian's Chromium; Playwright never downloads a browser here. .ci/run installs it when it is missing. */
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
const root = fileURLToPath(new URL('../', import.meta.url));
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium) skipOptionalSuite('the playground browser test', CHROMIUM, 'apt-get install -y chromium');

/** What the Verifa tab's operation returns for the documented example `ses_abc123`, field for field. */
const VERIFA_EXAMPLE_RESULT = {
  data: {
    session: {
      id: 'U2Vzc2lvbjpWRVJJRkE6c2VzX2FiYzEyMw',
      provider: 'VERIFA',
      providerSessionId: 'ses_abc123',
      status: 'IN_REVIEW',
      providerStatus: 'needs_review',
      isTerminal: false,
      reasonCode: null,
      userAction: 'WAIT',
      declineReasons: [],
      createdAt: '2026-03-02T09:30:00.000Z',
      sandbox: true,
      applicant: { fullName: 'Jane Sample', dateOfBirth: '1991-04-12', nationality: 'US' },
      kyc: {
        status: null,
        documentType: 'drivers_license',
        documentNumber: 'D81234567',
        issuingCountry: 'US',
        expirationDate: '2031-04-12',
      },
      aml: null,
      face: { faceMatchScore: 0.91, faceMatchPassed: true, livenessScore: null },
      warnings: [],
      reviews: [],
    },
  },
};

/** The text of a Monaco editor as a person reads it (Monaco draws spaces as no-break spaces). */
async function editorText(editor: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered lines are what a person sees.
  return (await editor.innerText()).replaceAll('\u00a0', ' ');
}

describe.skipIf(!haveChromium)('the playground in Chromium', () => {
  let gw: TestGateway;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    ensurePlaygroundBuilt();
    // No GATEWAY_API_KEYS: the gateway generates a development key, which the playground prefills.
    gw = await startTestGateway({ GATEWAY_API_KEYS: undefined });
    userDataDir = mkdtempSync(join(tmpdir(), 'verigate-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 860 },
      deviceScaleFactor: 1,
      colorScheme: 'light',
    });
    page = context.pages()[0] ?? (await context.newPage());
    // Runs in the page (as DevTools does, so the page's CSP does not apply to it): violations become console errors.
    await page.addInitScript(
      "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation:', e.violatedDirective, e.blockedURI));",
    );
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // A refused request, named with what was sent, so a failure says which one.
    page.on('response', (r) => {
      if (r.status() >= 400)
        problems.push(`answer ${r.status()}: ${r.request().method()} ${r.url()} ${r.request().postData() ?? ''}`);
    });
    page.on('requestfailed', (r) => {
      // Leaving a page aborts what it was still loading (a worker script, say); anything else is a failure.
      if (r.failure()?.errorText !== 'net::ERR_ABORTED')
        problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await gw?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('loads from the gateway alone, under its CSP, with a tab per sandboxed provider and the key prefilled', async () => {
    const base = gw.gateway.url.replace(/\/graphql$/, '');
    const response = await page.goto(`${base}/playground`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");

    const tabs = page.locator('.graphiql-tab');
    await tabs.nth(EXPECTED_TABS.length - 1).waitFor({ timeout: 30_000 });
    expect(await tabs.allInnerTexts()).toEqual(EXPECTED_TABS);

    await page.locator('button[data-name="headers"]').click();
    await expect
      .poll(() => editorText(page.locator('.graphiql-editor-tool')))
      .toContain(`"Authorization": "Bearer ${gw.gateway.devKey}"`);
    await page.locator('button[data-name="variables"]').click();
  }, 60_000);

  it('runs the Verifa example and shows IN_REVIEW in the result pane', async () => {
    await page.locator('.graphiql-tab', { hasText: 'VerifaSession' }).click();
    await page.locator('.graphiql-editor-tool').getByText('"ses_abc123"').waitFor();

    const answered = page.waitForResponse(
      (r) =>
        r.url() === gw.gateway.url &&
        r.request().method() === 'POST' &&
        /VerifaSession/.test(r.request().postData() ?? ''),
    );
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual(VERIFA_EXAMPLE_RESULT);

    const pane = page.locator('.result-window');
    await pane.getByText('"IN_REVIEW"').waitFor();
    const shown = await editorText(pane);
    expect(shown).toContain('"status": "IN_REVIEW"');
    expect(shown).toContain('"providerStatus": "needs_review"');
    expect(shown).toContain('"providerSessionId": "ses_abc123"');

    // The screenshot in the README: refreshed by `npm run playground:screenshot`; every run keeps one in build/.
    await page.mouse.move(0, 0);
    const docs = join(root, 'docs/playground.png');
    const target = process.env.UPDATE_SCREENSHOTS || !existsSync(docs) ? docs : join(root, 'build/playground.png');
    mkdirSync(join(target, '..'), { recursive: true });
    await page.screenshot({ path: target });
    expect(existsSync(target)).toBe(true);
  }, 60_000);

  it('runs the subscription tab over WebSocket, under the CSP, until the timed session is approved', async () => {
    await page.locator('.graphiql-tab', { hasText: 'WatchSession' }).click();
    await page.locator('.graphiql-editor-tool').getByText('"0e1a7ad0-0000-4000-8000-000000000020"').waitFor();
    await page.locator('.graphiql-query-editor').getByText('WatchSession').first().waitFor();
    const socket = page.waitForEvent('websocket');
    await page.locator('.graphiql-execute-button').click();
    expect((await socket).url()).toBe(gw.gateway.url.replace(/^http/, 'ws'));
    // GraphiQL shows the latest event: the timeline ends approved (about 7 s on the sandbox).
    const pane = page.locator('.result-window');
    await pane.getByText('"APPROVED"').waitFor({ timeout: 30_000 });
    expect(await editorText(pane)).toContain('"isTerminal": true');
  }, 60_000);

  it('serves the same page at GET /graphql for a browser', async () => {
    const response = await page.goto(gw.gateway.url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    await page.locator('.graphiql-tab').nth(3).waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Verigate playground');
  }, 60_000);

  it('raised no CSP violation, script error or failed request along the way', () => {
    expect(problems).toEqual([]);
  });
});
