import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { providerModules } from '../src/providers/registry.ts';
import type { VeratadWebhookConfig } from '../src/providers/veratad/config.ts';
import { VERATAD_SCENARIOS, VX_PHONE_CHECK_ID, vxScenarioId } from '../src/providers/veratad/sandbox/scenarios.ts';
import {
  startVeratadSimulator,
  VERATAD_SANDBOX_CLIENT_ID,
  VERATAD_SANDBOX_CLIENT_SECRET,
  type VeratadSimulator,
} from '../src/providers/veratad/sandbox/simulator.ts';
import { signVeratadDelivery } from '../src/providers/veratad/sandbox/webhookSender.ts';
import { startTestGateway, TEST_API_KEYS, type TestGateway } from './support/gateway.ts';
import { originOf, postWebhook, waitFor } from './support/webhooks.ts';

const QUERY =
  'query One($id: String!) { session(provider: VERATAD, id: $id) { providerSessionId status providerStatus isTerminal } }';
const CACHED = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' };
const FAST = { timelineStepMs: 300, refresher: { minIntervalMs: 200, backoffMs: 100 } };
const TIMELINE = vxScenarioId(20);

const answer = (id: string, status: string, providerStatus: string, isTerminal: boolean) => ({
  data: { session: { providerSessionId: id, status, providerStatus, isTerminal } },
});
/** The result body VX serves (and posts) for a static scenario. */
const resultBody = (id: string) => {
  const b = VERATAD_SCENARIOS.find((s) => s.id === id)?.behaviour;
  if (b?.kind !== 'result') throw new Error(`${id} is not a result scenario`);
  return JSON.stringify(b.body);
};

describe('Veratad VX webhooks on the sandbox (Basic credentials generated per process)', () => {
  let tg: TestGateway;
  let origin: string;
  let config: VeratadWebhookConfig;
  const session = async (id: string) => (await tg.query(QUERY, { id })).body;

  beforeAll(async () => {
    tg = await startTestGateway(CACHED, FAST);
    origin = originOf(tg.gateway.url);
    config = tg.config.webhooks.veratad as VeratadWebhookConfig;
  });
  afterAll(() => tg.close());

  it('configures Basic credentials for the sandbox', () => {
    expect(config).toEqual({
      basic: { username: 'vx-sandbox', password: expect.any(String) },
      hmac: null,
      sandbox: true,
    });
  });

  it('follows a timed journey from PENDING (in progress) through manual review to PASS by its webhooks alone', async () => {
    expect(await session(TIMELINE)).toEqual(answer(TIMELINE, 'IN_PROGRESS', 'PENDING', false));
    const approved = await waitFor(
      async () =>
        ((await session(TIMELINE)) as { data: { session: { status: string } } }).data.session.status === 'APPROVED',
    );
    expect(approved).toBe(true);
    expect(await session(TIMELINE)).toEqual(answer(TIMELINE, 'APPROVED', 'PASS', true));
    expect(tg.simulator('VERATAD').webhooks?.delivered()).toBe(2);
  });

  describe('refused deliveries change nothing and call nobody', () => {
    const ID = VX_PHONE_CHECK_ID;
    let before = 0;
    beforeAll(async () => {
      expect(await session(ID)).toEqual(answer(ID, 'APPROVED', 'PASS', true));
      before = tg.simulator('VERATAD').requestCount();
    });
    const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    const cases: Array<[string, () => { body: string; headers: Record<string, string> }, number, unknown]> = [
      [
        'wrong password',
        () => ({ body: resultBody(ID), headers: { authorization: basic('vx-sandbox', 'guess') } }),
        401,
        { error: 'unauthorized' },
      ],
      ['no credentials', () => ({ body: resultBody(ID), headers: {} }), 401, { error: 'unauthorized' }],
      [
        'oversized body',
        () => signVeratadDelivery(config, JSON.stringify({ request_id: ID, padding: 'x'.repeat(1024 * 1024) })),
        413,
        { error: 'payload_too_large' },
      ],
      ['non-JSON', () => signVeratadDelivery(config, '<result>PASS</result>'), 400, { error: 'invalid_json' }],
      [
        'no request_id',
        () => signVeratadDelivery(config, JSON.stringify({ status: 'PASS' })),
        400,
        { error: 'invalid_payload' },
      ],
    ];
    for (const [name, delivery, code, body] of cases) {
      it(`${name} → ${code}`, async () => {
        expect(await postWebhook(origin, 'veratad', delivery())).toEqual({ status: code, body });
        expect(await session(ID)).toEqual(answer(ID, 'APPROVED', 'PASS', true));
        expect(tg.simulator('VERATAD').requestCount()).toBe(before);
      });
    }
  });

  it('refreshes once for a delivery, and not again for its replay', async () => {
    const ID = vxScenarioId(1);
    const sim = tg.simulator('VERATAD');
    expect(await session(ID)).toEqual(answer(ID, 'DECLINED', 'FAIL', true));
    const before = sim.requestCount(ID);
    const delivery = signVeratadDelivery(config, resultBody(ID));
    expect(await postWebhook(origin, 'veratad', delivery)).toEqual({ status: 200, body: { received: true } });
    expect(await waitFor(() => sim.requestCount(ID) === before + 1)).toBe(true);
    expect(await postWebhook(origin, 'veratad', delivery)).toEqual({ status: 200, body: { received: true } });
    expect(await session(ID)).toEqual(answer(ID, 'DECLINED', 'FAIL', true));
    expect(sim.requestCount(ID)).toBe(before + 1);
  });
});

describe('Veratad VX webhooks with an HMAC header (live settings)', () => {
  let sim: VeratadSimulator;
  let tg: TestGateway;
  const secret = 'vx-hmac-test-secret';
  const config: VeratadWebhookConfig = { basic: null, hmac: { header: 'x-vx-signature', secret }, sandbox: false };

  beforeAll(async () => {
    sim = await startVeratadSimulator();
    tg = await startTestGateway({
      VERATAD_BASE_URL: sim.url,
      VERATAD_AUTH_URL: `${sim.url}/oauth/token`,
      VERATAD_CLIENT_ID: VERATAD_SANDBOX_CLIENT_ID,
      VERATAD_CLIENT_SECRET: VERATAD_SANDBOX_CLIENT_SECRET,
      VERATAD_WEBHOOK_SECRET: secret,
      VERATAD_WEBHOOK_SIGNATURE_HEADER: 'X-VX-Signature',
      ...CACHED,
    });
  });
  afterAll(async () => {
    await tg.close();
    await sim.close();
  });

  it('accepts the HMAC of the raw body in the configured header, and refuses a tampered body or a missing header', async () => {
    const origin = originOf(tg.gateway.url);
    expect(tg.config.webhooks.veratad).toEqual(config);
    const signed = signVeratadDelivery(config, resultBody(VX_PHONE_CHECK_ID));
    expect(await postWebhook(origin, 'veratad', signed)).toEqual({ status: 200, body: { received: true } });
    const tampered = { ...signed, body: signed.body.replace('"PASS"', '"FAIL"') };
    expect(await postWebhook(origin, 'veratad', tampered)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(await postWebhook(origin, 'veratad', { body: signed.body, headers: {} })).toEqual({
      status: 401,
      body: { error: 'unauthorized' },
    });
    const prefixed = {
      body: resultBody(vxScenarioId(1)),
      headers: {
        'x-vx-signature': `sha256=${createHmac('sha256', secret)
          .update(resultBody(vxScenarioId(1)))
          .digest('hex')}`,
      },
    };
    expect(await postWebhook(origin, 'veratad', prefixed)).toEqual({ status: 200, body: { received: true } });
  });

  it('answers 404 on the endpoints of providers whose webhooks are not configured', async () => {
    // Didit and Verifa run on their simulators here, so they have generated secrets; a live provider needs its own.
    const other = await startTestGateway({
      VERATAD_BASE_URL: sim.url,
      VERATAD_AUTH_URL: `${sim.url}/oauth/token`,
      VERATAD_CLIENT_ID: VERATAD_SANDBOX_CLIENT_ID,
      VERATAD_CLIENT_SECRET: VERATAD_SANDBOX_CLIENT_SECRET,
    });
    try {
      const res = await postWebhook(originOf(other.gateway.url), 'veratad', { body: '{}', headers: {} });
      expect(res.status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('webhook configuration', () => {
  it('reports half-configured webhooks, and webhooks for a provider that is off, all at once', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        GATEWAY_API_KEYS: TEST_API_KEYS,
        VERATAD_WEBHOOK_USERNAME: 'vx',
        DIDIT_WEBHOOK_SIGNATURES: 'raw,v9',
        VERIFA_WEBHOOK_SECRET: 'whsec_x',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          'DIDIT_WEBHOOK_SIGNATURES: must list raw, v2 and/or simple',
          'VERATAD_WEBHOOK_USERNAME: set, but VERATAD is not configured (webhooks refresh its sessions)',
          'VERIFA_WEBHOOK_SECRET: set, but VERIFA is not configured (webhooks refresh its sessions)',
        ]),
      }),
    );
  });

  it('turns no endpoint on in production without webhook variables', () => {
    const config = loadConfig({ NODE_ENV: 'production', GATEWAY_API_KEYS: TEST_API_KEYS });
    expect(config.webhooks).toEqual(Object.fromEntries(providerModules().map((m) => [m.name, null])));
  });
});
