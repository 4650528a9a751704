import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FULL_KEY, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { outboundEnv, startReceiver, type TestReceiver } from '../support/receiver.ts';
import { waitFor } from '../support/webhooks.ts';

/**
 * Vendor history first learnt now (PROVIDER entries) is kept on the timeline, but a backend is told the session's
 * state as it is: a Persona inquiry in review has `completed` (APPROVED) in its history, and no APPROVED event may
 * reach a backend for it.
 */
describe('outbound events for a session whose vendor history arrives with it', () => {
  let receiver: TestReceiver;
  let tg: TestGateway;
  beforeAll(async () => {
    receiver = await startReceiver();
    tg = await startTestGateway(
      { OUTBOUND_WEBHOOKS: outboundEnv([{ name: 'ledger', url: receiver.url }]) },
      { timeline: { flushDelayMs: 5 }, outbound: { pollIntervalMs: 50 } },
    );
  });
  afterAll(async () => {
    await tg?.close();
    await receiver?.close();
  });

  it('sends the state the inquiry is in, not the APPROVED its history passed through', async () => {
    const query = `{ session(provider: PERSONA, id: "inq_NeedsReview") {
      status events { edges { node { sequence source status } } } } }`;
    expect((await tg.query(query, {}, FULL_KEY)).body.data?.session).toMatchObject({ status: 'IN_REVIEW' });
    expect(await waitFor(() => receiver.events.length > 0)).toBe(true);
    // The timeline keeps the whole history, APPROVED (`completed`) included.
    const { body } = await tg.query(query, {}, FULL_KEY);
    type Timeline = { events: { edges: Array<{ node: { source: string; status: string } }> } };
    const events = (body.data?.session as Timeline | undefined)?.events.edges ?? [];
    expect(events.map((e) => [e.node.source, e.node.status])).toContainEqual(['PROVIDER', 'APPROVED']);
    expect(events.at(-1)?.node.status).toBe('IN_REVIEW');
    // The backend: one event, the current state.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.events.map((e) => [e.body.data.sessionId, e.body.data.status])).toEqual([
      ['inq_NeedsReview', 'IN_REVIEW'],
    ]);
  });
});
