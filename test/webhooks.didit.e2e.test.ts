import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiditWebhookConfig } from '../src/providers/didit/config.ts';
import { diditStatusBody, signDiditDelivery } from '../src/providers/didit/sandbox/webhookSender.ts';
import { canonicalJson } from '../src/providers/didit/webhook.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';
import { originOf, postWebhook, waitFor } from './support/webhooks.ts';

const QUERY =
  'query One($id: String!) { session(provider: DIDIT, id: $id) { providerSessionId status providerStatus isTerminal } }';
const CACHED = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' };
const FAST = { timelineStepMs: 300, refresher: { minIntervalMs: 200, backoffMs: 100 } };
const TIMELINE = 'd1d10500-0000-4000-8000-000000000001';
const OVERTURNED = 'd1d10500-0000-4000-8000-000000000002';
/** The sandbox's `Approved` session (status scenario 3). */
const APPROVED = 'd1d10200-0000-4000-8000-000000000003';

const answer = (id: string, status: string, providerStatus: string, isTerminal: boolean) => ({
  data: { session: { providerSessionId: id, status, providerStatus, isTerminal } },
});
const hex = (secret: string, message: string) => createHmac('sha256', secret).update(message, 'utf8').digest('hex');
const now = () => Math.floor(Date.now() / 1000);

describe('Didit webhooks on the sandbox', () => {
  let tg: TestGateway;
  let origin: string;
  let secret: string;
  const session = async (id: string) => (await tg.query(QUERY, { id })).body;
  const status = async (id: string) =>
    ((await session(id)) as { data: { session: { status: string } } }).data.session.status;

  beforeAll(async () => {
    tg = await startTestGateway(CACHED, FAST);
    origin = originOf(tg.gateway.url);
    secret = (tg.config.webhooks.didit as DiditWebhookConfig | null)?.secret ?? '';
  });
  afterAll(() => tg.close());

  it('follows a timed session from In Progress through In Review to Approved by its webhooks alone', async () => {
    expect(await session(TIMELINE)).toEqual(answer(TIMELINE, 'IN_PROGRESS', 'In Progress', false));
    expect(await waitFor(async () => (await status(TIMELINE)) === 'APPROVED')).toBe(true);
    expect(await session(TIMELINE)).toEqual(answer(TIMELINE, 'APPROVED', 'Approved', true));
    expect(tg.simulator('DIDIT').webhooks?.delivered()).toBe(2);
  });

  it('shows a decision a reviewer overturned on the next query, without waiting for the TTL', async () => {
    expect(await session(OVERTURNED)).toEqual(answer(OVERTURNED, 'APPROVED', 'Approved', true));
    expect(await waitFor(async () => (await status(OVERTURNED)) === 'DECLINED')).toBe(true);
    expect(await session(OVERTURNED)).toEqual(answer(OVERTURNED, 'DECLINED', 'Declined', true));
  });

  describe('each signature scheme is enough on its own', () => {
    // A non-ASCII value, so the V2 readings (escaped or not) differ.
    const payload = () => ({ ...diditStatusBody(APPROVED, 'Approved'), vendor_data: 'José-Ñ 1.5', score: 97.0 });
    const only = (name: string, value: string, ts: number) => ({ 'x-timestamp': String(ts), [name]: value });
    const schemes: Array<[string, (p: Record<string, unknown>, ts: number) => Record<string, string>]> = [
      ['X-Signature (raw body)', (p, ts) => only('x-signature', hex(secret, JSON.stringify(p)), ts)],
      [
        'X-Signature-V2, "<timestamp>:<canonical>"',
        (p, ts) => only('x-signature-v2', hex(secret, `${ts}:${canonicalJson(p)}`), ts),
      ],
      ['X-Signature-V2, canonical body alone', (p, ts) => only('x-signature-v2', hex(secret, canonicalJson(p)), ts)],
      [
        'X-Signature-V2, ASCII-escaped',
        (p, ts) =>
          only(
            'x-signature-v2',
            hex(
              secret,
              canonicalJson(p).replace(
                /[\u0080-\uffff]/g,
                (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
              ),
            ),
            ts,
          ),
      ],
      [
        'X-Signature-Simple',
        (p, ts) => only('x-signature-simple', hex(secret, `${ts}:${p.session_id}:${p.status}:${p.webhook_type}`), ts),
      ],
    ];
    for (const [name, headers] of schemes) {
      it(name, async () => {
        const p = payload();
        // Pretty-printed on purpose: the V2 and Simple schemes must not depend on the body's bytes.
        const body = JSON.stringify(p, null, name.startsWith('X-Signature (raw') ? 0 : 2);
        const res = await postWebhook(origin, 'didit', { body, headers: headers(p, now()) });
        expect(res).toEqual({ status: 200, body: { received: true } });
      });
    }
  });

  describe('refused deliveries change nothing and call nobody', () => {
    const sim = () => tg.simulator('DIDIT');
    let before = 0;
    beforeAll(async () => {
      // The deliveries accepted above are all worked (their reloads done) before counting calls.
      expect(await waitFor(async () => (await tg.gateway.inbox.pending()) === 0)).toBe(true);
      expect(await session(APPROVED)).toEqual(answer(APPROVED, 'APPROVED', 'Approved', true));
      before = sim().requestCount();
    });
    const valid = () => signDiditDelivery(secret, diditStatusBody(APPROVED, 'Approved'));
    const cases: Array<[string, () => { body: string; headers: Record<string, string> }, number, unknown]> = [
      [
        'wrong secret',
        () => signDiditDelivery('not-the-secret', diditStatusBody(APPROVED, 'Approved')),
        401,
        { error: 'unauthorized' },
      ],
      [
        'tampered body',
        () => {
          const d = valid();
          return { ...d, body: d.body.replace('"Approved"', '"Declined"') };
        },
        401,
        { error: 'unauthorized' },
      ],
      [
        'stale X-Timestamp',
        () => signDiditDelivery(secret, diditStatusBody(APPROVED, 'Approved', undefined, now() - 301), now() - 301),
        401,
        { error: 'unauthorized' },
      ],
      [
        'missing X-Timestamp',
        () => {
          const { 'x-timestamp': _, ...headers } = valid().headers;
          return { body: valid().body, headers };
        },
        401,
        { error: 'unauthorized' },
      ],
      [
        'no signature header',
        () => ({ body: valid().body, headers: { 'x-timestamp': String(now()) } }),
        401,
        { error: 'unauthorized' },
      ],
      [
        'an old body replayed under a fresh X-Timestamp',
        () => {
          const ts = now();
          const body = JSON.stringify(diditStatusBody(APPROVED, 'Approved', undefined, ts - 3600));
          return { body, headers: { 'x-timestamp': String(ts), 'x-signature': hex(secret, body) } };
        },
        401,
        { error: 'unauthorized' },
      ],
      [
        'oversized body',
        () => signDiditDelivery(secret, { ...diditStatusBody(APPROVED, 'Approved'), padding: 'x'.repeat(1024 * 1024) }),
        413,
        { error: 'payload_too_large' },
      ],
      [
        'non-JSON',
        () => {
          const body = 'session_id=1&status=Approved';
          return { body, headers: { 'x-timestamp': String(now()), 'x-signature': hex(secret, body) } };
        },
        400,
        { error: 'invalid_json' },
      ],
      [
        'unknown event type',
        () =>
          signDiditDelivery(secret, { ...diditStatusBody(APPROVED, 'Approved'), webhook_type: 'session.teleported' }),
        400,
        { error: 'unknown_event' },
      ],
    ];
    for (const [name, delivery, code, body] of cases) {
      it(`${name} → ${code}`, async () => {
        expect(await postWebhook(origin, 'didit', delivery())).toEqual({ status: code, body });
        expect(await session(APPROVED)).toEqual(answer(APPROVED, 'APPROVED', 'Approved', true));
        expect(sim().requestCount()).toBe(before);
      });
    }

    it('acknowledges user.* events (200) and does nothing', async () => {
      const d = signDiditDelivery(secret, {
        ...diditStatusBody(APPROVED, 'Approved'),
        webhook_type: 'user.status.updated',
      });
      expect(await postWebhook(origin, 'didit', d)).toEqual({ status: 200, body: { received: true } });
      expect(await session(APPROVED)).toEqual(answer(APPROVED, 'APPROVED', 'Approved', true));
      expect(sim().requestCount()).toBe(before);
    });

    // A user, business or travel-rule event is about something else: it has no session id, a status that may be
    // null, and new event names of those families appear. 200, so Didit does not retry it; nothing happens.
    const others: Array<[string, Record<string, unknown>]> = [
      ['user.status.updated without a session', { user_id: 'u-1', session_id: null, status: null }],
      ['user.data.updated', { vendor_data: 'user-1', status: 'Approved' }],
      ['user.deleted', { vendor_data: 'user-1' }],
      ['business.status.updated', { business_session_id: APPROVED, status: 'Approved' }],
      ['travel_rule.status.updated', { transaction_id: 't-1', status: 'Completed' }],
    ];
    for (const [event, fields] of others) {
      it(`acknowledges ${event} (200) and does nothing`, async () => {
        const ts = now();
        const d = signDiditDelivery(secret, { webhook_type: event.split(' ')[0], timestamp: ts, ...fields }, ts);
        expect(await postWebhook(origin, 'didit', d)).toEqual({ status: 200, body: { received: true } });
        expect(await session(APPROVED)).toEqual(answer(APPROVED, 'APPROVED', 'Approved', true));
        expect(sim().requestCount()).toBe(before);
      });
    }
  });

  it('refreshes once for a delivery, and not again for its replay', async () => {
    const sim = tg.simulator('DIDIT');
    expect(await waitFor(async () => (await tg.gateway.inbox.pending()) === 0)).toBe(true);
    expect(await session(APPROVED)).toEqual(answer(APPROVED, 'APPROVED', 'Approved', true));
    const before = sim.requestCount(APPROVED);
    const delivery = signDiditDelivery(secret, diditStatusBody(APPROVED, 'Approved'));
    expect(await postWebhook(origin, 'didit', delivery)).toEqual({ status: 200, body: { received: true } });
    expect(await waitFor(() => sim.requestCount(APPROVED) === before + 1)).toBe(true);
    expect(await postWebhook(origin, 'didit', delivery)).toEqual({ status: 200, body: { received: true } });
    expect(await session(APPROVED)).toEqual(answer(APPROVED, 'APPROVED', 'Approved', true));
    expect(sim.requestCount(APPROVED)).toBe(before + 1);
  });
});

describe('DIDIT_WEBHOOK_SIGNATURES', () => {
  it('refuses a scheme that is not listed', async () => {
    const secret = 'didit-test-secret';
    const tg = await startTestGateway({ DIDIT_WEBHOOK_SECRET: secret, DIDIT_WEBHOOK_SIGNATURES: 'raw' });
    try {
      const origin = originOf(tg.gateway.url);
      const { body, headers } = signDiditDelivery(secret, diditStatusBody(APPROVED, 'Approved'));
      const { 'x-signature': raw, ...others } = headers;
      expect(await postWebhook(origin, 'didit', { body, headers: others })).toEqual({
        status: 401,
        body: { error: 'unauthorized' },
      });
      expect(
        await postWebhook(origin, 'didit', {
          body,
          headers: { 'x-timestamp': headers['x-timestamp'] as string, 'x-signature': raw as string },
        }),
      ).toEqual({
        status: 200,
        body: { received: true },
      });
    } finally {
      await tg.close();
    }
  });
});
