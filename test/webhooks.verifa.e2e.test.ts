import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifaWebhookConfig } from '../src/providers/verifa/config.ts';
import { startVerifaSimulator, VERIFA_SANDBOX_API_KEY } from '../src/providers/verifa/sandbox/simulator.ts';
import { signVerifaDelivery } from '../src/providers/verifa/sandbox/webhookSender.ts';
import type { Simulator } from '../src/sandbox/server.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';
import { originOf, postWebhook, settled, waitFor } from './support/webhooks.ts';

const QUERY =
  'query One($id: String!) { session(provider: VERIFA, id: $id) { providerSessionId status providerStatus isTerminal } }';
/** Cached for five minutes whatever the status: only a webhook can make an answer change within a test. */
const CACHED = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' };
const FAST = { timelineStepMs: 300, refresher: { minIntervalMs: 200, backoffMs: 100 } };

const answer = (id: string, status: string, providerStatus: string, isTerminal: boolean) => ({
  data: { session: { providerSessionId: id, status, providerStatus, isTerminal } },
});

function eventBody(event: string, id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    event,
    data: {
      session_id: id,
      external_ref: `crm-${id}`,
      status: 'approved',
      is_sandbox: true,
      created_at: '2026-03-02T09:30:00Z',
    },
    created_at: new Date().toISOString(),
    ...extra,
  });
}

describe('Verifa webhooks on the sandbox', () => {
  let tg: TestGateway;
  let origin: string;
  let secret: string;
  const session = async (id: string) => (await tg.query(QUERY, { id })).body;

  beforeAll(async () => {
    tg = await startTestGateway(CACHED, FAST);
    origin = originOf(tg.gateway.url);
    secret = (tg.config.webhooks.verifa as VerifaWebhookConfig | null)?.secret ?? '';
  });
  afterAll(() => tg.close());

  it('generates a whsec_ secret for the sandbox, which the simulator signs with', () => {
    expect(tg.config.webhooks.verifa).toEqual({
      secret: expect.stringMatching(/^whsec_/),
      acceptLegacySignature: false,
      sandbox: true,
    });
  });

  it('follows a timed session from IN_PROGRESS through IN_REVIEW to APPROVED by its webhooks alone', async () => {
    expect(await session('ses_timeline')).toEqual(answer('ses_timeline', 'IN_PROGRESS', 'processing', false));
    const seen = new Set<string>();
    const done = await waitFor(async () => {
      const body = (await session('ses_timeline')) as { data: { session: { status: string } } };
      seen.add(body.data.session.status);
      return body.data.session.status === 'APPROVED';
    });
    expect(done).toBe(true);
    expect(await session('ses_timeline')).toEqual(answer('ses_timeline', 'APPROVED', 'approved', true));
    expect(tg.simulator('VERIFA').webhooks?.delivered()).toBeGreaterThanOrEqual(2);
  });

  it('shows a terminal decision overturned by a reviewer on the next query, without waiting for the TTL', async () => {
    expect(await session('ses_overturned')).toEqual(answer('ses_overturned', 'APPROVED', 'approved', true));
    const overturned = await waitFor(
      async () =>
        ((await session('ses_overturned')) as { data: { session: { status: string } } }).data.session.status ===
        'DECLINED',
    );
    expect(overturned).toBe(true);
    expect(await session('ses_overturned')).toEqual(answer('ses_overturned', 'DECLINED', 'rejected', true));
  });

  describe('refused deliveries change nothing and call nobody', () => {
    const ID = 'ses_approved';
    const sim = () => tg.simulator('VERIFA');
    let before = 0;

    beforeAll(async () => {
      expect(await session(ID)).toEqual(answer(ID, 'APPROVED', 'approved', true));
      before = sim().requestCount();
    });

    const cases: Array<[string, () => { body: string | Buffer; headers: Record<string, string> }, number, unknown]> = [
      [
        'wrong secret',
        () => signVerifaDelivery('whsec_not_the_one', eventBody('session.approved', ID)),
        401,
        { error: 'unauthorized' },
      ],
      [
        'tampered body',
        () => {
          const signed = signVerifaDelivery(secret, eventBody('session.approved', ID));
          return { ...signed, body: signed.body.replace('session.approved', 'session.declined') };
        },
        401,
        { error: 'unauthorized' },
      ],
      [
        'stale timestamp',
        () => signVerifaDelivery(secret, eventBody('session.approved', ID), Math.floor(Date.now() / 1000) - 301),
        401,
        { error: 'unauthorized' },
      ],
      [
        'missing header',
        () => ({ body: eventBody('session.approved', ID), headers: {} }),
        401,
        { error: 'unauthorized' },
      ],
      [
        'legacy bare-hex signature while not configured',
        () => ({
          body: eventBody('session.approved', ID),
          headers: {
            'x-verifa-signature': createHmac('sha256', secret).update(eventBody('session.approved', ID)).digest('hex'),
          },
        }),
        401,
        { error: 'unauthorized' },
      ],
      [
        'oversized body',
        () => signVerifaDelivery(secret, eventBody('session.approved', ID, { padding: 'x'.repeat(1024 * 1024) })),
        413,
        { error: 'payload_too_large' },
      ],
      ['non-JSON', () => signVerifaDelivery(secret, '{"event": "session.approved", '), 400, { error: 'invalid_json' }],
      [
        'unknown event type',
        () => signVerifaDelivery(secret, eventBody('session.teleported', ID)),
        400,
        { error: 'unknown_event' },
      ],
      [
        'no session id',
        () => signVerifaDelivery(secret, JSON.stringify({ event: 'session.approved', data: {}, created_at: 'x' })),
        400,
        { error: 'invalid_payload' },
      ],
    ];

    for (const [name, delivery, status, body] of cases) {
      it(`${name} → ${status}`, async () => {
        expect(await postWebhook(origin, 'verifa', delivery())).toEqual({ status, body });
        // Still the cached copy: nothing invalidated, no refresh, no vendor call.
        expect(await session(ID)).toEqual(answer(ID, 'APPROVED', 'approved', true));
        expect(sim().requestCount()).toBe(before);
      });
    }

    it('acknowledges a documented event about something else (200) and does nothing', async () => {
      const res = await postWebhook(origin, 'verifa', signVerifaDelivery(secret, eventBody('identity.created', ID)));
      expect(res).toEqual({ status: 200, body: { received: true } });
      expect(await session(ID)).toEqual(answer(ID, 'APPROVED', 'approved', true));
      expect(sim().requestCount()).toBe(before);
    });
  });

  it('refreshes once for a delivery, and not again for its replay', async () => {
    const ID = 'ses_rejected';
    const sim = tg.simulator('VERIFA');
    expect(await session(ID)).toEqual(answer(ID, 'DECLINED', 'rejected', true));
    const before = sim.requestCount(`/sessions/${ID}`);
    const delivery = signVerifaDelivery(secret, eventBody('session.declined', ID));
    expect(await postWebhook(origin, 'verifa', delivery)).toEqual({ status: 200, body: { received: true } });
    // The refresh reloads the result from Verifa (one call: the result exists).
    expect(await waitFor(() => sim.requestCount(`/sessions/${ID}`) === before + 1)).toBe(true);
    expect(await session(ID)).toEqual(answer(ID, 'DECLINED', 'rejected', true));
    expect(await postWebhook(origin, 'verifa', delivery)).toEqual({ status: 200, body: { received: true } });
    // The replay invalidated nothing: still answered from the cache.
    expect(await session(ID)).toEqual(answer(ID, 'DECLINED', 'rejected', true));
    expect(sim.requestCount(`/sessions/${ID}`)).toBe(before + 1);
  });

  it('counts deliveries by outcome in /metrics', async () => {
    const res = await request(`${origin}/metrics`);
    const text = await res.body.text();
    expect(text).toMatch(/verigate_webhook_deliveries_total\{provider="VERIFA",outcome="accepted"\} [1-9]/);
    expect(text).toMatch(/verigate_webhook_deliveries_total\{provider="VERIFA",outcome="unauthorized"\} [1-9]/);
    expect(text).toMatch(/verigate_webhook_deliveries_total\{provider="VERIFA",outcome="duplicate"\} 1\b/);
  });
});

describe('a refresh while Verifa is down', () => {
  it('is retried with backoff until Verifa answers, and no cached copy is served as fresh meanwhile', async () => {
    const tg = await startTestGateway(CACHED, {
      refresher: { minIntervalMs: 100, backoffMs: 100, maxBackoffMs: 400 },
      policy: { breaker: { openMs: 300 } },
    });
    try {
      const ID = 'ses_result_passed';
      const origin = originOf(tg.gateway.url);
      const secret = (tg.config.webhooks.verifa as VerifaWebhookConfig | null)?.secret ?? '';
      const sim = tg.simulator('VERIFA');
      const calls = () => sim.requestCount(`/${ID}`);
      expect((await tg.query(QUERY, { id: ID })).body).toEqual(answer(ID, 'APPROVED', 'passed', true));

      sim.faults.inject({ kind: 'status', status: 503 }, { path: `/${ID}` });
      expect(
        await postWebhook(origin, 'verifa', signVerifaDelivery(secret, eventBody('session.approved', ID))),
      ).toEqual({
        status: 200,
        body: { received: true },
      });
      // The cached copy was dropped: Verifa being down shows as such, not as the old answer.
      const down = await tg.query(QUERY, { id: ID });
      expect(down.body).toMatchObject({
        data: { session: null },
        errors: [{ path: ['session'], extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' } }],
      });
      // Nobody asks, yet the refresh keeps trying.
      const failing = calls();
      expect(await waitFor(() => calls() > failing + 1)).toBe(true);

      sim.faults.clear();
      const recovered = calls();
      expect(await waitFor(() => calls() > recovered, 15_000)).toBe(true);
      // Reloaded and cached by the refresh: the next answers cost no call.
      expect(
        await waitFor(
          async () =>
            JSON.stringify((await tg.query(QUERY, { id: ID })).body) ===
            JSON.stringify(answer(ID, 'APPROVED', 'passed', true)),
        ),
      ).toBe(true);
      const settledCalls = calls();
      expect((await tg.query(QUERY, { id: ID })).body).toEqual(answer(ID, 'APPROVED', 'passed', true));
      expect(calls()).toBe(settledCalls);
    } finally {
      await tg.close();
    }
  }, 30_000);
});

describe('Verifa webhooks against a live endpoint', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startVerifaSimulator();
  });
  afterAll(() => sim.close());
  const live = { VERIFA_BASE_URL: '', VERIFA_API_KEY: VERIFA_SANDBOX_API_KEY };

  it('answers 404 when no VERIFA_WEBHOOK_SECRET is configured', async () => {
    const tg = await startTestGateway({ ...live, VERIFA_BASE_URL: sim.url });
    try {
      expect(tg.config.webhooks.verifa).toBeNull();
      const res = await postWebhook(
        originOf(tg.gateway.url),
        'verifa',
        signVerifaDelivery('whsec_x', eventBody('session.approved', 'ses_approved')),
      );
      expect(res.status).toBe(404);
    } finally {
      await tg.close();
    }
  });

  it('accepts the deprecated bare-hex form only with VERIFA_WEBHOOK_LEGACY_SIGNATURE=true', async () => {
    const secret = 'whsec_live_test_secret';
    const tg = await startTestGateway({
      ...live,
      VERIFA_BASE_URL: sim.url,
      VERIFA_WEBHOOK_SECRET: secret,
      VERIFA_WEBHOOK_LEGACY_SIGNATURE: 'true',
      ...CACHED,
    });
    try {
      const body = eventBody('session.approved', 'ses_approved');
      const legacy = {
        body,
        headers: { 'x-verifa-signature': createHmac('sha256', secret).update(body).digest('hex') },
      };
      const origin = originOf(tg.gateway.url);
      expect(await postWebhook(origin, 'verifa', legacy)).toEqual({ status: 200, body: { received: true } });
      expect(await postWebhook(origin, 'verifa', signVerifaDelivery(secret, body))).toEqual({
        status: 200,
        body: { received: true },
      });
      const get = await request(`${origin}/webhooks/verifa`);
      expect(get.statusCode).toBe(405);
      await get.body.dump();
    } finally {
      await tg.close();
    }
  });

  it('keeps vendor calls bounded and within the rate budget under a flood of 1 000 deliveries for one session', async () => {
    const secret = 'whsec_flood_test_secret';
    const tg = await startTestGateway(
      {
        ...live,
        VERIFA_BASE_URL: sim.url,
        VERIFA_WEBHOOK_SECRET: secret,
        VERIFA_RATE_LIMIT_PER_MINUTE: '30',
        ...CACHED,
      },
      { refresher: { minIntervalMs: 500, backoffMs: 100 } },
    );
    try {
      const origin = originOf(tg.gateway.url);
      sim.resetCount();
      const statuses = new Map<number, number>();
      for (let batch = 0; batch < 20; batch += 1) {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            postWebhook(
              origin,
              'verifa',
              signVerifaDelivery(secret, eventBody('session.approved', 'ses_approved', { n: batch * 50 + i })),
            ),
          ),
        );
        for (const r of results) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
      expect(Object.fromEntries(statuses)).toEqual({ 200: 1000 });
      const calls = await settled(() => sim.requestCount(), 1_500);
      expect(calls).toBeGreaterThanOrEqual(1);
      expect(calls).toBeLessThanOrEqual(30);
      expect(await tg.query(QUERY, { id: 'ses_approved' })).toMatchObject({
        status: 200,
        body: answer('ses_approved', 'APPROVED', 'approved', true),
      });
    } finally {
      await tg.close();
    }
  });
});
