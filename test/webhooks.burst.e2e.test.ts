import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { VERIFA_SANDBOX_API_KEY } from '../src/providers/verifa/sandbox/simulator.ts';
import { signVerifaDelivery } from '../src/providers/verifa/sandbox/webhookSender.ts';
import { FULL_KEY, startTestGateway } from './support/gateway.ts';
import { overSse, SESSION_UPDATED, until } from './support/subscriptions.ts';
import { originOf, postWebhook, settled, vendorHooks } from './support/webhooks.ts';

/**
 * Webhook refreshes are background work: they queue (one per session), spend the rate budget only down to the
 * reserve kept for user reads, and a refresh given up is handed to the subscription pollers.
 */
const QUERY = 'query One($id: String!) { session(provider: VERIFA, id: $id) { status } }';

const delivery = (secret: string, id: string, n = 0) =>
  signVerifaDelivery(
    secret,
    JSON.stringify({
      event: 'session.approved',
      data: { session_id: id, status: 'approved', is_sandbox: true, created_at: '2026-03-02T09:30:00Z' },
      created_at: new Date().toISOString(),
      n,
    }),
  );

describe('webhook refreshes under a small rate budget', () => {
  it('leaves user reads answered after a burst of 300 deliveries under a budget of 60 a minute, refreshes waiting', async () => {
    const tg = await startTestGateway({ VERIFA_RATE_LIMIT_PER_MINUTE: '60' });
    try {
      const origin = originOf(tg.gateway.url);
      const secret = vendorHooks(tg.config).verifa?.secret ?? '';
      const sim = tg.simulator('VERIFA');
      sim.resetCount();
      const statuses: number[] = [];
      for (let batch = 0; batch < 6; batch += 1) {
        const sent = Array.from({ length: 50 }, (_, i) =>
          postWebhook(origin, 'verifa', delivery(secret, `ses_burst_${batch * 50 + i}`)),
        );
        for (const r of await Promise.all(sent)) statuses.push(r.status);
      }
      expect(statuses).toEqual(Array(300).fill(200));
      // Refreshes spent the budget down to its reserve (a fifth: 12 of 60), and wait for the rest of the window.
      expect(await settled(() => sim.requestCount(), 1_000)).toBe(48);
      // User reads (the cache is off: each is a vendor call) spend the reserve.
      for (let i = 0; i < 10; i += 1) {
        const read = await tg.query(QUERY, { id: 'ses_approved' });
        expect(read.body).toEqual({ data: { session: { status: 'APPROVED' } } });
      }
      expect(sim.requestCount()).toBe(58);
    } finally {
      await tg.close();
    }
  });

  it('coalesces the refreshes of one session waiting in the queue into one vendor call', async () => {
    const tg = await startTestGateway({}, { refresher: { maxConcurrent: 1, minIntervalMs: 0 } });
    try {
      const origin = originOf(tg.gateway.url);
      const secret = vendorHooks(tg.config).verifa?.secret ?? '';
      const sim = tg.simulator('VERIFA');
      // The one refresh slot is held by a slow session while twenty deliveries for another arrive.
      sim.faults.inject({ kind: 'latency', ms: 1_000 }, { path: '/ses_result_passed' });
      expect((await postWebhook(origin, 'verifa', delivery(secret, 'ses_result_passed'))).status).toBe(200);
      await until(() => sim.requestCount('/ses_result_passed') > 0, 5_000, 'the slow refresh');
      const sent = Array.from({ length: 20 }, (_, n) =>
        postWebhook(origin, 'verifa', delivery(secret, 'ses_approved', n)),
      );
      expect((await Promise.all(sent)).map((r) => r.status)).toEqual(Array(20).fill(200));
      await until(() => sim.requestCount('/ses_approved') > 0, 5_000, 'the queued refresh');
      const calls = await settled(() => sim.requestCount('/ses_approved'), 1_000);
      // As many calls as one read of the session makes, however many deliveries came.
      sim.resetCount();
      await tg.query(QUERY, { id: 'ses_approved' });
      expect(calls).toBe(sim.requestCount('/ses_approved'));
    } finally {
      await tg.close();
    }
  });

  it('hands a given-up refresh to the poller, so a subscriber still gets the change', async () => {
    const tg = await startTestGateway(
      { SUBSCRIPTION_POLL_MIN_MS: '200', SUBSCRIPTION_POLL_MAX_MS: '400' },
      { refresher: { maxAttempts: 1 }, policy: { breaker: { openMs: 100 } } },
    );
    try {
      const origin = originOf(tg.gateway.url);
      const secret = vendorHooks(tg.config).verifa?.secret ?? '';
      const sim = tg.simulator('VERIFA');
      // What Verifa says once the review is done: ses_approved's answers, under ses_abc123's id.
      const approved = new Map<string, string>();
      for (const path of ['/api/v1/sessions/ses_approved/result', '/api/v1/sessions/ses_approved']) {
        const res = await request(`${sim.url}${path}`, {
          headers: { 'x-api-key': VERIFA_SANDBOX_API_KEY, 'key-inflection': 'snake' },
        });
        approved.set(
          path.replace('ses_approved', 'ses_abc123'),
          (await res.body.text()).replaceAll('ses_approved', 'ses_abc123'),
        );
      }
      const events: unknown[] = [];
      const outcome = overSse(
        tg.gateway.url,
        FULL_KEY,
        SESSION_UPDATED,
        { provider: 'VERIFA', id: 'ses_abc123' },
        (e) => events.push(e),
      );
      await until(() => events.length === 1, 5_000, 'the first state');

      // Verifa refuses the refresh (an answer not retried: given up at once) and the subscriber's own reload on the
      // webhook's hint; only then does it answer with the new state.
      sim.faults.inject({ kind: 'status', status: 400 }, { path: '/ses_abc123' });
      expect((await postWebhook(origin, 'verifa', delivery(secret, 'ses_abc123'))).status).toBe(200);
      await until(() => sim.requestCount('/ses_abc123') >= 2, 5_000, 'the refused refresh and reload');
      await new Promise((resolve) => setTimeout(resolve, 300));
      sim.faults.clear();
      sim.faults.inject(
        { kind: 'payload', body: (path) => approved.get(path.split('?')[0] ?? '') ?? '{}' },
        { path: '/ses_abc123' },
      );

      const ended = await Promise.race([
        outcome,
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
      ]);
      expect(ended).toEqual({
        events: [
          {
            data: {
              sessionUpdated: {
                provider: 'VERIFA',
                providerSessionId: 'ses_abc123',
                status: 'IN_REVIEW',
                isTerminal: false,
              },
            },
          },
          {
            data: {
              sessionUpdated: {
                provider: 'VERIFA',
                providerSessionId: 'ses_abc123',
                status: 'APPROVED',
                isTerminal: true,
              },
            },
          },
        ],
        end: { kind: 'complete' },
      });
    } finally {
      await tg.close();
    }
  }, 20_000);
});
