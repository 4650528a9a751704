import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/ids.ts';
import type { GatewayOptions } from '../../src/server.ts';
import { type Engine, postgresAvailable, type TestDatabase, testDatabase } from '../support/eventStores.ts';
import { FULL_KEY, type GraphQLBody, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { outboundEnv, type ReceivedEvent, startReceiver, type TestReceiver } from '../support/receiver.ts';
import { waitFor } from '../support/webhooks.ts';

/**
 * Outbound events end to end, over HTTP, on both engines: the sandbox's timed Verifa sessions change, the gateway
 * records each change and its outbox rows in one transaction, the dispatcher sends them to a real receiver on
 * loopback that verifies every attempt with the `standardwebhooks` package.
 */

/** The id of the delivery `sendTestWebhook` answered with. */
const sentId = (body: GraphQLBody) => String((body.data?.sendTestWebhook as { id?: string } | null | undefined)?.id);

const ADMIN_KEY = 'test-key-webhooks-admin-0004';
const API_KEYS = JSON.stringify([
  { name: 'full', key: FULL_KEY, scopes: ['sessions:read', 'pii:read'] },
  { name: 'admin', key: ADMIN_KEY, scopes: ['webhooks:admin'] },
]);
/** Short steps, a short poll and a short retry schedule: the production schedule is minutes to hours. */
const FAST: GatewayOptions = {
  // Steps long enough that each webhook's refresh sees its own step, even on a loaded machine.
  timelineStepMs: 800,
  refresher: { minIntervalMs: 200, backoffMs: 100 },
  timeline: { flushDelayMs: 5 },
  outbound: { pollIntervalMs: 50, retryDelaysSeconds: [0.2, 0.2, 0.2], leaseMs: 1_500, stopGraceMs: 100 },
};

const SESSION = 'query S($id: String!) { session(provider: VERIFA, id: $id) { status } }';
const NODE = `id endpoint eventType status attempts lastStatusCode nextAttemptAt createdAt deliveredAt provider
  providerSessionId sequence`;
const DELIVERIES = `query D($endpoint: String, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(endpoint: $endpoint, status: $status, first: $first, after: $after) {
    edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor } } }`;
const SEND_TEST = `mutation T($endpoint: String!) { sendTestWebhook(endpoint: $endpoint) { ${NODE} } }`;

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** The body a backend receives for one status change of a Verifa session. */
function statusChanged(
  id: string,
  sequence: number,
  status: string,
  previousStatus: string | null,
  providerStatus: string,
  reasonCode: string | null = null,
  declineCategories: string[] = [],
) {
  // The next step as Session.userAction gives it for these Verifa sessions (DESIGN §8).
  const userAction = status === 'APPROVED' ? 'NONE' : status === 'DECLINED' ? 'START_OVER' : 'WAIT';
  return {
    type: 'verification.session.status_changed',
    timestamp: ISO,
    data: {
      provider: 'VERIFA',
      sessionId: id,
      globalId: toGlobalId({ provider: 'VERIFA', id }),
      status,
      previousStatus,
      providerStatus,
      isTerminal: ['APPROVED', 'DECLINED'].includes(status),
      reasonCode,
      userAction,
      declineCategories,
      sequence,
      occurredAt: ISO,
    },
  };
}

const TIMED = [
  statusChanged('ses_timeline', 1, 'IN_PROGRESS', null, 'processing'),
  statusChanged('ses_timeline', 2, 'IN_REVIEW', 'IN_PROGRESS', 'needs_review'),
  statusChanged('ses_timeline', 3, 'APPROVED', 'IN_REVIEW', 'approved'),
];

type Edge = { node: Record<string, unknown> & { providerSessionId: string } };
/** The edges of a `webhookDeliveries` answer (none when it has no data). */
const edgesOf = (body: GraphQLBody): Edge[] =>
  ((body.data?.webhookDeliveries ?? { edges: [] }) as { edges: Edge[] }).edges;

const ofSession = (events: ReceivedEvent[], id: string) => events.filter((e) => e.body.data.sessionId === id);

const engines: Engine[] = ['sqlite', 'postgres'];

describe.each(engines)('outbound webhooks on %s', (engine) => {
  const skip = engine === 'postgres' && !postgresAvailable();
  let db: TestDatabase;
  let receiver: TestReceiver;
  const gateways: TestGateway[] = [];
  const start = async (endpoints = [{ name: 'backend', url: receiver.url }], options: GatewayOptions = FAST) => {
    const env = { DATABASE_URL: db.url, GATEWAY_API_KEYS: API_KEYS, OUTBOUND_WEBHOOKS: outboundEnv(endpoints) };
    const tg = await startTestGateway(env, options);
    gateways.push(tg);
    return tg;
  };
  const deliveries = async (tg: TestGateway, variables: Record<string, unknown> = {}) =>
    (await tg.query(DELIVERIES, variables, ADMIN_KEY)).body;

  // A database per test: each starts the sandbox's timed sessions afresh.
  beforeEach(async () => {
    if (skip) return;
    db = await testDatabase(engine);
  });
  afterEach(async () => {
    if (skip) return;
    await Promise.all(gateways.splice(0).map((g) => g.close()));
    await receiver.close();
    await db.drop();
  });

  it.skipIf(skip)('sends a timed session’s status changes in order, each signed and verified', async () => {
    receiver = await startReceiver();
    const tg = await start();
    await tg.query(SESSION, { id: 'ses_timeline' });
    expect(await waitFor(() => ofSession(receiver.events, 'ses_timeline').length === 3)).toBe(true);
    expect(ofSession(receiver.events, 'ses_timeline').map((e) => e.body)).toEqual(TIMED);
    expect(receiver.unverified).toBe(0);
    // One webhook-id per event and endpoint, and each event sent once.
    const ids = ofSession(receiver.events, 'ses_timeline').map((e) => e.id);
    expect(new Set(ids).size).toBe(3);
    expect(receiver.attempts.filter((a) => ids.includes(a.id))).toHaveLength(3);
  });

  it.skipIf(skip)('retries a 500 with the same webhook-id until the receiver takes it', async () => {
    receiver = await startReceiver();
    receiver.answer = (event, attempt) =>
      event.body.data.sessionId === 'ses_overturned' && event.body.data.sequence === 1 && attempt <= 2
        ? { status: 500 }
        : { status: 200 };
    const tg = await start();
    await tg.query(SESSION, { id: 'ses_overturned' });
    expect(await waitFor(() => ofSession(receiver.events, 'ses_overturned').length === 2)).toBe(true);
    const first = ofSession(receiver.events, 'ses_overturned')[0] as ReceivedEvent;
    expect(receiver.attempts.filter((a) => a.id === first.id)).toEqual([
      { id: first.id, status: 500 },
      { id: first.id, status: 500 },
      { id: first.id, status: 200 },
    ]);
    // Per-session order held while the first was being retried: the decline came after the approval.
    expect(ofSession(receiver.events, 'ses_overturned').map((e) => e.body)).toEqual([
      statusChanged('ses_overturned', 1, 'APPROVED', null, 'approved'),
      statusChanged('ses_overturned', 2, 'DECLINED', 'APPROVED', 'rejected', 'document_unreadable', [
        'DOCUMENT_UNREADABLE',
      ]),
    ]);
    const page = await deliveries(tg, { endpoint: 'backend', status: 'DELIVERED', first: 100 });
    const nodes = edgesOf(page).map((e) => e.node);
    expect(nodes.find((n) => n.id === first.id)).toEqual({
      id: first.id,
      endpoint: 'backend',
      eventType: 'verification.session.status_changed',
      status: 'DELIVERED',
      attempts: 3,
      lastStatusCode: 200,
      nextAttemptAt: null,
      createdAt: ISO,
      deliveredAt: ISO,
      provider: 'VERIFA',
      providerSessionId: 'ses_overturned',
      sequence: 1,
    });
  });

  it.skipIf(skip)(
    'holds a session’s later events while an earlier one is retried, and not other sessions’',
    async () => {
      receiver = await startReceiver();
      let hold = true;
      receiver.answer = (event) =>
        hold && event.body.data.sessionId === 'ses_timeline' && event.body.data.sequence === 1
          ? { status: 503 }
          : { status: 200 };
      // Retries for longer than the session takes to reach its last step: the first is still pending then.
      const tg = await start(undefined, {
        ...FAST,
        outbound: { ...FAST.outbound, retryDelaysSeconds: Array(30).fill(0.2) },
      });
      await tg.query(SESSION, { id: 'ses_timeline' });
      await tg.query(SESSION, { id: 'ses_overturned' });
      // All three changes of the held session are queued, and the other session's are delivered meanwhile.
      expect(
        await waitFor(async () => {
          const body = await deliveries(tg, { status: 'PENDING', first: 100 });
          const edges = edgesOf(body);
          return edges.length === 3 && ofSession(receiver.events, 'ses_overturned').length === 2;
        }),
      ).toBe(true);
      // Only the first of the held session was tried; the two after it were never sent.
      expect(ofSession(receiver.events, 'ses_timeline')).toEqual([]);
      const tried = new Set(receiver.attempts.filter((a) => a.status === 503).map((a) => a.id));
      expect(receiver.attempts.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
      expect(tried.size).toBe(1);
      hold = false;
      expect(await waitFor(() => ofSession(receiver.events, 'ses_timeline').length === 3)).toBe(true);
      expect(ofSession(receiver.events, 'ses_timeline').map((e) => e.body)).toEqual(TIMED);
      expect(ofSession(receiver.events, 'ses_timeline')[0]?.id).toBe([...tried][0]);
    },
  );

  it.skipIf(skip)(
    'stops at a 410: the endpoint is disabled, its deliveries wait, a test event re-enables it',
    async () => {
      receiver = await startReceiver();
      receiver.answer = () => ({ status: 410 });
      const tg = await start();
      await tg.query(SESSION, { id: 'ses_timeline' });
      expect(await waitFor(() => receiver.attempts.length === 1)).toBe(true);
      // The session goes on changing; nothing more is sent to the endpoint.
      expect(
        await waitFor(async () => {
          const body = await deliveries(tg, { endpoint: 'backend', status: 'PENDING', first: 100 });
          return edgesOf(body).length >= 3;
        }),
      ).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300)); // a few polls: still nothing sent
      expect(receiver.attempts).toEqual([{ id: expect.any(String), status: 410 }]);
      const metrics = await (await fetch(tg.gateway.url.replace(/graphql$/, 'metrics'))).text();
      expect(metrics).toContain('verigate_outbound_deliveries_total{endpoint="backend",outcome="gone"} 1');
      expect(metrics).toContain('verigate_outbound_endpoint_disabled{endpoint="backend"} 1');

      // The receiver is back; an administrator's test event re-enables the endpoint, and everything goes out.
      receiver.answer = () => ({ status: 200 });
      const sent = await tg.query(SEND_TEST, { endpoint: 'backend' }, ADMIN_KEY);
      expect(sent.body.errors).toBeUndefined();
      expect(
        await waitFor(() => ofSession(receiver.events, 'ses_timeline').length === 3 && receiver.events.length === 4),
      ).toBe(true);
      expect(ofSession(receiver.events, 'ses_timeline').map((e) => e.body.data.sequence)).toEqual([1, 2, 3]);
    },
  );

  it.skipIf(skip)('loses nothing when the gateway restarts during a receiver outage', async () => {
    receiver = await startReceiver();
    receiver.answer = () => ({ status: 503 });
    const first = await start(undefined, {
      ...FAST,
      outbound: { ...FAST.outbound, retryDelaysSeconds: [1, 1, 1, 1, 1, 1] },
    });
    await first.query(SESSION, { id: 'ses_timeline' });
    // Every change recorded (and its rows with it), while every attempt fails.
    expect(
      await waitFor(async () => {
        const body = await deliveries(first, { status: 'PENDING', first: 100 });
        const edges = edgesOf(body);
        return edges.filter((e) => e.node.providerSessionId === 'ses_timeline').length === 3;
      }),
    ).toBe(true);
    await first.close();
    gateways.splice(0);

    receiver.answer = () => ({ status: 200 });
    await start();
    expect(await waitFor(() => ofSession(receiver.events, 'ses_timeline').length === 3)).toBe(true);
    expect(ofSession(receiver.events, 'ses_timeline').map((e) => e.body)).toEqual(TIMED);
  });

  it.skipIf(skip)(
    'sends a delivery a killed process left leased again, once its lease ends, same webhook-id',
    async () => {
      receiver = await startReceiver();
      receiver.answer = (_event, attempt) => (attempt === 1 ? 'hang' : { status: 200 });
      const first = await start();
      const sent = await first.query(SEND_TEST, { endpoint: 'backend' }, ADMIN_KEY);
      const id = sentId(sent.body);
      expect(await waitFor(() => receiver.attempts.length === 1)).toBe(true);
      await first.close(); // the attempt is still hanging: the row stays leased
      gateways.splice(0);

      const second = await start();
      expect(await waitFor(() => receiver.events.length === 1)).toBe(true);
      expect(receiver.attempts).toEqual([
        { id, status: 'hang' },
        { id, status: 200 },
      ]);
      const { body } = await second.query(DELIVERIES, { first: 1 }, ADMIN_KEY);
      expect(edgesOf(body)[0]?.node).toMatchObject({
        id,
        status: 'DELIVERED',
      });
    },
  );

  it.skipIf(skip || engine === 'sqlite')('two gateways on one database deliver each event once', async () => {
    receiver = await startReceiver();
    const a = await start();
    const b = await start();
    await a.query(SESSION, { id: 'ses_timeline' });
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const via = i % 2 === 0 ? a : b;
      const { body } = await via.query(SEND_TEST, { endpoint: 'backend' }, ADMIN_KEY);
      ids.push(sentId(body));
    }
    expect(await waitFor(() => receiver.events.length === 23)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a few more polls of both: nothing is sent twice
    expect(receiver.attempts).toHaveLength(23);
    expect(new Set(receiver.attempts.map((x) => x.id)).size).toBe(23);
    expect(ids.every((id) => receiver.events.some((e) => e.id === id))).toBe(true);
    expect(ofSession(receiver.events, 'ses_timeline').map((e) => e.body)).toEqual(TIMED);
  });
});
