import { describe, expect, it } from 'vitest';
import { FULL_KEY, startTestGateway } from './support/gateway.ts';
import { overSse, overWs, SESSION_FOLLOWED } from './support/subscriptions.ts';

/**
 * `sessionUpdated(untilTerminal:)` and a first load that fails, over both transports, each with its own gateway (a
 * timed scenario's timeline starts at its first read, per simulator).
 */

const session = (providerSessionId: string, status: string, isTerminal: boolean) => ({
  data: { sessionUpdated: { provider: 'VERIFA', providerSessionId, status, isTerminal } },
});
const coded = (code: string, message: string, extensions: Record<string, unknown> = {}) => ({
  data: null,
  errors: [
    { message, locations: [{ line: 2, column: 3 }], path: ['sessionUpdated'], extensions: { code, ...extensions } },
  ],
});
const EXPIRED = coded(
  'SUBSCRIPTION_EXPIRED',
  'This subscription reached its maximum lifetime (SUBSCRIPTION_MAX_LIFETIME_SECONDS); subscribe again.',
);

describe.each([
  ['GraphQL over SSE', overSse],
  ['GraphQL over WebSocket', overWs],
])('sessionUpdated over %s', (_transport, subscribe) => {
  it('with untilTerminal: false, follows the session past APPROVED and sends the reviewer’s overturn to DECLINED', async () => {
    // Steps 2 s apart: both subscriptions read the first step before it changes.
    const gw = await startTestGateway(
      { SUBSCRIPTION_MAX_LIFETIME_SECONDS: '5' },
      { timelineStepMs: 2_000, refresher: { minIntervalMs: 100, backoffMs: 100 } },
    );
    try {
      const ref = { provider: 'VERIFA', id: 'ses_overturned' };
      const [byDefault, following] = await Promise.all([
        subscribe(gw.gateway.url, FULL_KEY, SESSION_FOLLOWED, { ...ref, untilTerminal: true }),
        subscribe(gw.gateway.url, FULL_KEY, SESSION_FOLLOWED, { ...ref, untilTerminal: false }),
      ]);
      expect(byDefault).toEqual({
        events: [session('ses_overturned', 'APPROVED', true)],
        end: { kind: 'complete' },
      });
      // Followed until the lifetime passes (or the client ends it).
      expect(following).toEqual({
        events: [session('ses_overturned', 'APPROVED', true), session('ses_overturned', 'DECLINED', true), EXPIRED],
        end: { kind: 'complete' },
      });
    } finally {
      await gw.close();
    }
  });

  it('sends a first load the vendor failed as an error, keeps the stream open and retries until the session is read', async () => {
    const gw = await startTestGateway({ SUBSCRIPTION_MAX_LIFETIME_SECONDS: '3', SUBSCRIPTION_POLL_MIN_MS: '100' });
    try {
      const verifa = gw.simulator('VERIFA');
      verifa.faults.inject({ kind: 'status', status: 503 });
      const outcome = await subscribe(
        gw.gateway.url,
        FULL_KEY,
        SESSION_FOLLOWED,
        { provider: 'VERIFA', id: 'ses_abc123', untilTerminal: true },
        () => verifa.faults.clear(), // Verifa is back once the client has seen the error
      );
      expect(outcome).toEqual({
        events: [
          coded('UPSTREAM_UNAVAILABLE', 'Verifa is unavailable: it answered HTTP 503.', { provider: 'VERIFA' }),
          session('ses_abc123', 'IN_REVIEW', false),
          EXPIRED,
        ],
        end: { kind: 'complete' },
      });
    } finally {
      await gw.close();
    }
  });
});
