import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { overSse, SESSION_FOLLOWED } from './support/subscriptions.ts';
import { waitFor } from './support/webhooks.ts';

/**
 * A timed sandbox scenario starts over a while after it finished (as `npm start` runs them), so a second demo sees
 * every step again, even with final answers cached: the restart is told by the first step's webhook.
 */
describe('timed sandbox scenarios, as npm start paces them', () => {
  let tg: TestGateway;
  beforeAll(async () => {
    tg = await startTestGateway(
      { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' },
      { timelineStepMs: { stepMs: 300, restartAfterMs: 900 }, refresher: { minIntervalMs: 50, backoffMs: 50 } },
    );
  });
  afterAll(() => tg?.close());

  const step = (status: string, isTerminal: boolean) => ({
    data: { sessionUpdated: { provider: 'VERIFA', providerSessionId: 'ses_timeline', status, isTerminal } },
  });
  const demo = () =>
    overSse(tg.gateway.url, FULL_KEY, SESSION_FOLLOWED, {
      provider: 'VERIFA',
      id: 'ses_timeline',
      untilTerminal: true,
    });
  const EVERY_STEP = {
    events: [step('IN_PROGRESS', false), step('IN_REVIEW', false), step('APPROVED', true)],
    end: { kind: 'complete' },
  };

  it('shows every step to a second subscription after the first one saw the end', async () => {
    expect(await demo()).toEqual(EVERY_STEP);
    const status = async () =>
      (await tg.query('{ session(provider: VERIFA, id: "ses_timeline") { status } }')).body.data?.session;
    // Cached as APPROVED until the restart's webhook drops it.
    expect(await waitFor(async () => JSON.stringify(await status()) === '{"status":"IN_PROGRESS"}')).toBe(true);
    expect(await demo()).toEqual(EVERY_STEP);
  });
});
