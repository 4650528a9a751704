import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUMSUB_IDS } from '../src/providers/sumsub/sandbox/scenarios.ts';
import { FULL_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { overSse, overWs } from './support/subscriptions.ts';
import { waitFor } from './support/webhooks.ts';

/**
 * Sumsub's late reversal ("approved, then red"): a second final verdict after the first, told by a signed
 * `applicantReviewed` webhook. It must reach the cached answer, a subscriber that follows past terminal
 * (`untilTerminal: false`) on one stream, and the timeline as an entry whose previous status is the first verdict.
 */

const FOLLOW = `subscription Follow($id: String!) {
  sessionUpdated(provider: SUMSUB, id: $id, untilTerminal: false) { status providerStatus isTerminal reasonCode }
}`;
const NOW = `query Now($id: String!) { session(provider: SUMSUB, id: $id) { status providerStatus reasonCode } }`;
const EVENTS = `query Events($id: String!) {
  session(provider: SUMSUB, id: $id) {
    events { edges { node { sequence source status previousStatus providerStatus reasonCode } } }
  }
}`;

const state = (status: string, providerStatus: string, isTerminal: boolean, reasonCode: string | null) => ({
  data: { sessionUpdated: { status, providerStatus, isTerminal, reasonCode } },
});
const EXPIRED = {
  data: null,
  errors: [
    {
      message: 'This subscription reached its maximum lifetime (SUBSCRIPTION_MAX_LIFETIME_SECONDS); subscribe again.',
      locations: [{ line: 2, column: 3 }],
      path: ['sessionUpdated'],
      extensions: { code: 'SUBSCRIPTION_EXPIRED' },
    },
  ],
};

describe.each([
  ['GraphQL over SSE', overSse],
  ['GraphQL over WebSocket', overWs],
])('a Sumsub late reversal over %s', (_transport, subscribe) => {
  let tg: TestGateway;
  const id = SUMSUB_IDS.reversal;
  beforeAll(async () => {
    // Final answers cached for 300 s: only the signed webhooks can make the second verdict show.
    tg = await startTestGateway(
      { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300', SUBSCRIPTION_MAX_LIFETIME_SECONDS: '6' },
      { timelineStepMs: 1_500, refresher: { minIntervalMs: 100, backoffMs: 100 }, timeline: { flushDelayMs: 0 } },
    );
  });
  afterAll(() => tg?.close());

  it('reaches one following stream, the cached answer and the timeline', async () => {
    const outcome = await subscribe(tg.gateway.url, FULL_KEY, FOLLOW, { id });
    expect(outcome).toEqual({
      events: [
        state('IN_PROGRESS', 'pending', false, null),
        state('APPROVED', 'completed/GREEN', true, null),
        state('DECLINED', 'completed/RED/FINAL', true, 'FORGERY'),
        EXPIRED,
      ],
      end: { kind: 'complete' },
    });
    expect((await tg.query(NOW, { id })).body).toEqual({
      data: { session: { status: 'DECLINED', providerStatus: 'completed/RED/FINAL', reasonCode: 'FORGERY' } },
    });
    const recorded = async () => JSON.stringify((await tg.query(EVENTS, { id })).body).includes('completed/RED/FINAL');
    expect(await waitFor(recorded)).toBe(true);
    expect((await tg.query(EVENTS, { id })).body).toEqual({
      data: {
        session: {
          events: {
            edges: [
              { node: entry(1, 'QUERY', 'IN_PROGRESS', null, 'pending', null) },
              { node: entry(2, 'WEBHOOK', 'APPROVED', 'IN_PROGRESS', 'completed/GREEN', null) },
              { node: entry(3, 'WEBHOOK', 'DECLINED', 'APPROVED', 'completed/RED/FINAL', 'FORGERY') },
            ],
          },
        },
      },
    });
  });
});

function entry(
  sequence: number,
  source: string,
  status: string,
  previousStatus: string | null,
  providerStatus: string,
  reasonCode: string | null,
) {
  return { sequence, source, status, previousStatus, providerStatus, reasonCode };
}
