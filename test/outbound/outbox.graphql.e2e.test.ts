import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/events/cursor.ts';
import { FULL_KEY, type GraphQLBody, startTestGateway, type TestGateway } from '../support/gateway.ts';
import { type Answer, outboundEnv, startReceiver, type TestReceiver } from '../support/receiver.ts';
import { waitFor } from '../support/webhooks.ts';

/** The outbox's GraphQL fields over HTTP: whole responses, bad input, scopes. */

/** The id of the delivery `sendTestWebhook` answered with. */
const endCursorOf = (body: GraphQLBody) =>
  (body.data?.webhookDeliveries as { pageInfo?: { endCursor: string } } | undefined)?.pageInfo?.endCursor;

const sentId = (body: GraphQLBody) => String((body.data?.sendTestWebhook as { id?: string } | null | undefined)?.id);

const ADMIN_KEY = 'test-key-webhooks-admin-0004';
const API_KEYS = JSON.stringify([
  { name: 'full', key: FULL_KEY, scopes: ['sessions:read', 'pii:read'] },
  { name: 'admin', key: ADMIN_KEY, scopes: ['webhooks:admin'] },
]);
const FAST = { outbound: { pollIntervalMs: 50, retryDelaysSeconds: [0.2] } };

const NODE = `id endpoint eventType status attempts lastStatusCode nextAttemptAt createdAt deliveredAt provider
  providerSessionId sequence`;
const DELIVERIES = `query D($endpoint: String, $status: WebhookDeliveryStatus, $first: Int, $after: String) {
  webhookDeliveries(endpoint: $endpoint, status: $status, first: $first, after: $after) {
    edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor } } }`;
const REDELIVER = `mutation R($id: ID!) { redeliverWebhook(id: $id) { ${NODE} } }`;
const SEND_TEST = `mutation T($endpoint: String!) { sendTestWebhook(endpoint: $endpoint) { ${NODE} } }`;

const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
const MSG_ID = expect.stringMatching(/^msg_[A-Za-z0-9_-]{27}$/);
const CURSOR = expect.stringMatching(/^[A-Za-z0-9_-]+$/);

const testDelivery = (fields: Record<string, unknown>) => ({
  id: MSG_ID,
  endpoint: 'backend',
  eventType: 'verification.test',
  status: 'PENDING',
  attempts: 0,
  lastStatusCode: null,
  nextAttemptAt: ISO,
  createdAt: ISO,
  deliveredAt: null,
  provider: null,
  providerSessionId: null,
  sequence: null,
  ...fields,
});
const delivered = (id: string, attempts = 1) =>
  testDelivery({ id, status: 'DELIVERED', attempts, lastStatusCode: 200, nextAttemptAt: null, deliveredAt: ISO });

const badInput = (field: string, message: string) => ({
  data: null,
  errors: [{ message, locations: expect.any(Array), path: [field], extensions: { code: 'BAD_USER_INPUT' } }],
});

describe('the outbox over GraphQL', () => {
  let receiver: TestReceiver;
  let tg: TestGateway;
  const admin = (query: string, variables: Record<string, unknown> = {}) => tg.query(query, variables, ADMIN_KEY);
  /** One series of the gateway's /metrics (0 when absent). */
  const metric = async (series: string): Promise<number> => {
    const text = await (await request(tg.gateway.url.replace(/graphql$/, 'metrics'))).body.text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    const OUTBOUND_WEBHOOKS = outboundEnv([
      { name: 'backend', url: receiver.url },
      { name: 'audit', url: receiver.url, events: ['verification.session.status_changed'] },
    ]);
    tg = await startTestGateway({ GATEWAY_API_KEYS: API_KEYS, OUTBOUND_WEBHOOKS }, FAST);
  });
  afterAll(async () => {
    await tg.close();
    await receiver.close();
  });

  it('sends a test event through the outbox, then lists it delivered', async () => {
    const sent = await admin(SEND_TEST, { endpoint: 'backend' });
    expect(sent.body).toEqual({ data: { sendTestWebhook: testDelivery({}) } });
    const id = sentId(sent.body);
    expect(await waitFor(() => receiver.events.some((e) => e.id === id))).toBe(true);
    expect(receiver.events.find((e) => e.id === id)?.body).toEqual({
      type: 'verification.test',
      timestamp: ISO,
      data: { endpoint: 'backend' },
    });
    expect(
      await waitFor(async () => {
        const { body } = await admin(DELIVERIES, { first: 1 });
        return JSON.stringify(body).includes('DELIVERED');
      }),
    ).toBe(true);
    expect((await admin(DELIVERIES, { endpoint: 'backend', first: 1 })).body).toEqual({
      data: {
        webhookDeliveries: {
          edges: [{ cursor: CURSOR, node: delivered(id) }],
          pageInfo: { hasNextPage: false, endCursor: CURSOR },
        },
      },
    });
  });

  it('pages newest first with opaque cursors, and filters by status', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push(sentId((await admin(SEND_TEST, { endpoint: 'backend' })).body));
    expect(await waitFor(() => ids.every((id) => receiver.events.some((e) => e.id === id)))).toBe(true);
    expect(
      await waitFor(async () => {
        const { body } = await admin(DELIVERIES, { status: 'PENDING' });
        return (
          JSON.stringify(body) ===
          JSON.stringify({
            data: { webhookDeliveries: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
          })
        );
      }),
    ).toBe(true);
    const first = await admin(DELIVERIES, { status: 'DELIVERED', first: 2 });
    expect(first.body).toEqual({
      data: {
        webhookDeliveries: {
          edges: [
            { cursor: CURSOR, node: delivered(ids[2] as string) },
            { cursor: CURSOR, node: delivered(ids[1] as string) },
          ],
          pageInfo: { hasNextPage: true, endCursor: CURSOR },
        },
      },
    });
    const after = endCursorOf(first.body);
    const rest = await admin(DELIVERIES, { status: 'DELIVERED', first: 2, after });
    expect(rest.body).toEqual({
      data: {
        webhookDeliveries: {
          edges: [
            { cursor: CURSOR, node: delivered(ids[0] as string) },
            { cursor: CURSOR, node: expect.objectContaining({ eventType: 'verification.test', status: 'DELIVERED' }) },
          ],
          pageInfo: { hasNextPage: false, endCursor: CURSOR },
        },
      },
    });
  });

  it('redelivers with the same webhook-id and a fresh schedule', async () => {
    const id = sentId((await admin(SEND_TEST, { endpoint: 'backend' })).body);
    expect(await waitFor(() => receiver.events.some((e) => e.id === id))).toBe(true);
    expect(
      await waitFor(async () => JSON.stringify((await admin(DELIVERIES, { first: 1 })).body).includes('DELIVERED')),
    ).toBe(true);
    const again = await admin(REDELIVER, { id });
    expect(again.body).toEqual({ data: { redeliverWebhook: testDelivery({ id, lastStatusCode: 200 }) } });
    expect(await waitFor(() => receiver.events.filter((e) => e.id === id).length === 2)).toBe(true);
  });

  it('lets a redelivery win over the attempt in flight it raced: the older attempt’s late outcome is not recorded', async () => {
    // The first attempt of the next test event is held at the receiver until the redelivery is recorded.
    let firstArrived: (id: string) => void = () => {};
    const arrived = new Promise<string>((resolve) => {
      firstArrived = resolve;
    });
    let releaseFirst: (answer: Answer) => void = () => {};
    const held = new Promise<Answer>((resolve) => {
      releaseFirst = resolve;
    });
    const heldIds = new Set<string>();
    receiver.answer = (event, attempt) => {
      if (attempt !== 1 || event.body.type !== 'verification.test' || heldIds.size > 0) return { status: 200 };
      heldIds.add(event.id);
      firstArrived(event.id);
      return held;
    };
    try {
      const id = sentId((await admin(SEND_TEST, { endpoint: 'backend' })).body);
      expect(await arrived).toBe(id);
      // The redelivery takes the row from the attempt in flight: pending, a fresh schedule.
      expect((await admin(REDELIVER, { id })).body).toEqual({ data: { redeliverWebhook: testDelivery({ id }) } });
      // Its attempt goes out at once (the old lease no longer holds the row) and is answered 200.
      expect(await waitFor(() => receiver.events.some((e) => e.id === id))).toBe(true);
      const superseded = 'verigate_outbound_deliveries_total{endpoint="backend",outcome="superseded"}';
      const before = await metric(superseded);
      // Now the first attempt's answer comes back, a 500, late: it must not turn the delivered row back to pending.
      releaseFirst({ status: 500 });
      expect(await waitFor(async () => (await metric(superseded)) === before + 1)).toBe(true);
      const { body } = await admin(DELIVERIES, { endpoint: 'backend', first: 1 });
      expect(body).toEqual({
        data: {
          webhookDeliveries: {
            edges: [{ cursor: CURSOR, node: delivered(id) }],
            pageInfo: { hasNextPage: true, endCursor: CURSOR },
          },
        },
      });
      expect(receiver.attempts.filter((a) => a.id === id)).toEqual([
        { id, status: 200 },
        { id, status: 500 },
      ]);
    } finally {
      receiver.answer = () => ({ status: 200 });
    }
  });

  it('answers NOT_FOUND for a delivery id it never issued', async () => {
    expect((await admin(REDELIVER, { id: 'msg_nope' })).body).toEqual({
      data: { redeliverWebhook: null },
      errors: [
        {
          message: 'No webhook delivery has this id.',
          locations: expect.any(Array),
          path: ['redeliverWebhook'],
          extensions: { code: 'NOT_FOUND' },
        },
      ],
    });
  });

  it('refuses an unknown endpoint, a page out of range and a made-up cursor with BAD_USER_INPUT', async () => {
    const unknown = 'OUTBOUND_WEBHOOKS has no endpoint of that name; configured: "backend", "audit".';
    expect((await admin(SEND_TEST, { endpoint: 'nope' })).body).toEqual({
      data: { sendTestWebhook: null },
      errors: [
        {
          message: unknown,
          locations: expect.any(Array),
          path: ['sendTestWebhook'],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect((await admin(DELIVERIES, { endpoint: 'nope' })).body).toEqual(badInput('webhookDeliveries', unknown));
    for (const first of [0, 101, -5])
      expect((await admin(DELIVERIES, { first })).body).toEqual(
        badInput('webhookDeliveries', `first must be between 1 and 100; got ${first}.`),
      );
    const malformed = 'Malformed cursor: pass an endCursor or edge cursor from this same field.';
    for (const after of ['not a cursor', encodeCursor('f', 3), Buffer.from('w:03').toString('base64url')])
      expect((await admin(DELIVERIES, { after })).body).toEqual(badInput('webhookDeliveries', malformed));
  });

  it('refuses a caller without webhooks:admin with FORBIDDEN on each field', async () => {
    const forbidden = (field: string) => ({
      data: null,
      errors: [
        {
          message: 'This API key lacks the "webhooks:admin" scope.',
          locations: expect.any(Array),
          path: [field],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect((await tg.query(DELIVERIES, {}, FULL_KEY)).body).toEqual(forbidden('webhookDeliveries'));
    expect((await tg.query(SEND_TEST, { endpoint: 'backend' }, FULL_KEY)).body).toEqual({
      ...forbidden('sendTestWebhook'),
      data: { sendTestWebhook: null },
    });
    expect((await tg.query(REDELIVER, { id: 'msg_x' }, FULL_KEY)).body).toEqual({
      ...forbidden('redeliverWebhook'),
      data: { redeliverWebhook: null },
    });
  });

  it('refuses a mutation sent as GET', async () => {
    const url = `${tg.gateway.url}?query=${encodeURIComponent('mutation { sendTestWebhook(endpoint: "backend") { id } }')}`;
    const res = await request(url, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect({ status: res.statusCode, body: await res.body.json() }).toEqual({
      status: 405,
      body: {
        errors: [
          {
            message: 'GET requests only support query operations, not mutation operations',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      },
    });
  });
});

describe('the development key', () => {
  it('carries webhooks:admin', async () => {
    const receiver = await startReceiver();
    const tg = await startTestGateway(
      { GATEWAY_API_KEYS: undefined, OUTBOUND_WEBHOOKS: outboundEnv([{ name: 'backend', url: receiver.url }]) },
      FAST,
    );
    try {
      const { body } = await tg.query(SEND_TEST, { endpoint: 'backend' }, tg.gateway.devKey);
      expect(body).toEqual({ data: { sendTestWebhook: testDelivery({}) } });
    } finally {
      await tg.close();
      await receiver.close();
    }
  });
});
