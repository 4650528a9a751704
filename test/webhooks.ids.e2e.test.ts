import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIDIT_SANDBOX_API_KEY } from '../src/providers/didit/sandbox/simulator.ts';
import { diditStatusBody, signDiditDelivery } from '../src/providers/didit/sandbox/webhookSender.ts';
import { VX_DOCUMENT_ID } from '../src/providers/veratad/sandbox/scenarios.ts';
import { signVerifaDelivery } from '../src/providers/verifa/sandbox/webhookSender.ts';
import { FULL_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { overSse, SESSION_UPDATED } from './support/subscriptions.ts';
import { originOf, postWebhook, settled, vendorHooks, waitFor } from './support/webhooks.ts';

/**
 * Session ids are canonicalised once, where they enter (queries, subscriptions, webhooks), and a webhook's id is
 * checked like a query's: VX and Didit UUIDs are case-insensitive, Verifa's ids are not.
 */
const CACHED = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' };
const FAST = { timelineStepMs: 200, refresher: { minIntervalMs: 100, backoffMs: 100 } };
/** The sandbox's `Approved` Didit session, and a timed one (In Progress, In Review, Approved). */
const DIDIT_APPROVED = 'd1d10200-0000-4000-8000-000000000003';
const DIDIT_TIMELINE = 'd1d10500-0000-4000-8000-000000000001';
const INVALID_PAYLOAD = { status: 400, body: { error: 'invalid_payload' } };

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('one session, however its id is spelled', () => {
  let tg: TestGateway;
  let origin: string;

  beforeAll(async () => {
    tg = await startTestGateway(CACHED, FAST);
    origin = originOf(tg.gateway.url);
  });
  afterAll(() => tg.close());

  it('a subscriber on the lower-case id is told by a webhook for the upper-case form', async () => {
    const sim = tg.simulator('DIDIT');
    // Only the test's own webhook tells the gateway anything.
    sim.webhooks?.deliverTo(null);
    const events: unknown[] = [];
    const subscription = overSse(
      tg.gateway.url,
      FULL_KEY,
      SESSION_UPDATED,
      { provider: 'DIDIT', id: DIDIT_TIMELINE },
      (e) => events.push(e),
    );
    expect(await waitFor(() => events.length === 1)).toBe(true);
    // Didit moves on to Approved (read straight from the simulator: the gateway is told nothing yet).
    const atVendor = async () => {
      const res = await request(`${sim.url}/v3/session/${DIDIT_TIMELINE}/decision/`, {
        headers: { 'x-api-key': DIDIT_SANDBOX_API_KEY },
      });
      return ((await res.body.json()) as { status: string }).status;
    };
    expect(await waitFor(async () => (await atVendor()) === 'Approved')).toBe(true);
    const secret = vendorHooks(tg.config).didit?.secret ?? '';
    const upper = DIDIT_TIMELINE.toUpperCase();
    const delivery = signDiditDelivery(secret, diditStatusBody(upper, 'Approved'));
    expect(await postWebhook(origin, 'didit', delivery)).toEqual({ status: 200, body: { received: true } });
    const ended = await Promise.race([
      subscription,
      new Promise<'not told'>((resolve) => setTimeout(() => resolve('not told'), 5_000)),
    ]);
    const update = (status: string, isTerminal: boolean) => ({
      data: { sessionUpdated: { provider: 'DIDIT', providerSessionId: DIDIT_TIMELINE, status, isTerminal } },
    });
    expect(ended).toEqual({
      events: [update('IN_PROGRESS', false), update('APPROVED', true)],
      end: { kind: 'complete' },
    });
  });

  it('one operation asks the vendor once for both spellings, and the cache holds across them', async () => {
    const didit = tg.simulator('DIDIT');
    const vx = tg.simulator('VERATAD');
    didit.resetCount();
    vx.resetCount();
    const query = `query Q($du: String!, $dl: String!, $vu: String!, $vl: String!) {
      du: session(provider: DIDIT, id: $du) { providerSessionId status }
      dl: session(provider: DIDIT, id: $dl) { providerSessionId status }
      vu: session(provider: VERATAD, id: $vu) { providerSessionId status }
      vl: session(provider: VERATAD, id: $vl) { providerSessionId status }
    }`;
    const variables = {
      du: DIDIT_APPROVED.toUpperCase(),
      dl: DIDIT_APPROVED,
      vu: VX_DOCUMENT_ID.toUpperCase(),
      vl: VX_DOCUMENT_ID,
    };
    const first = await tg.query(query, variables);
    const didit1 = { providerSessionId: DIDIT_APPROVED, status: 'APPROVED' };
    const vx1 = { providerSessionId: VX_DOCUMENT_ID, status: 'APPROVED' };
    expect(first.body).toEqual({ data: { du: didit1, dl: didit1, vu: vx1, vl: vx1 } });
    expect([didit.requestCount(), vx.requestCount('/session/result/')]).toEqual([1, 1]);
    // The next operation, in the other spelling only, is answered from the cache.
    const again = await tg.query(query, { ...variables, dl: variables.du, vl: variables.vu });
    expect(again.body).toEqual(first.body);
    expect([didit.requestCount(), vx.requestCount('/session/result/')]).toEqual([1, 1]);
  });
});

describe('a webhook session id is checked like a query’s', () => {
  let tg: TestGateway;
  let origin: string;

  beforeAll(async () => {
    tg = await startTestGateway(CACHED, FAST);
    origin = originOf(tg.gateway.url);
  });
  afterAll(() => tg.close());

  const queryDidit = async () =>
    (await tg.query('query { session(provider: DIDIT, id: "d1d10200-0000-4000-8000-000000000003") { status } }')).body;

  it('Didit: a signed event for a path-traversal id is refused (400) with no side effect and no vendor call', async () => {
    const sim = tg.simulator('DIDIT');
    expect(await queryDidit()).toEqual({ data: { session: { status: 'APPROVED' } } });
    const before = sim.requestCount();
    const secret = vendorHooks(tg.config).didit?.secret ?? '';
    for (const id of ['../../../v2/anything?x=', `${DIDIT_APPROVED}/../x`, 'not-a-uuid']) {
      const delivery = signDiditDelivery(secret, diditStatusBody(id, 'Approved'));
      expect([id, await postWebhook(origin, 'didit', delivery)]).toEqual([id, INVALID_PAYLOAD]);
    }
    // The cached copy was not dropped (no call to read it again) and nothing was refreshed.
    expect(await queryDidit()).toEqual({ data: { session: { status: 'APPROVED' } } });
    expect(await settled(() => sim.requestCount(), 500)).toBe(before);
  });

  it('VX and Verifa: a malformed id is refused (400) and nobody is called', async () => {
    const vx = tg.simulator('VERATAD');
    const verifa = tg.simulator('VERIFA');
    const before = [vx.requestCount(), verifa.requestCount()];
    const creds = vendorHooks(tg.config).veratad?.basic ?? { username: '', password: '' };
    const vxDelivery = {
      body: JSON.stringify({ request_id: '../api/session/result/x' }),
      headers: { authorization: basic(creds.username, creds.password) },
    };
    expect(await postWebhook(origin, 'veratad', vxDelivery)).toEqual(INVALID_PAYLOAD);
    const verifaBody = JSON.stringify({ event: 'session.approved', data: { session_id: 'ses/../../x' } });
    const verifaDelivery = signVerifaDelivery(vendorHooks(tg.config).verifa?.secret ?? '', verifaBody);
    expect(await postWebhook(origin, 'verifa', verifaDelivery)).toEqual(INVALID_PAYLOAD);
    expect(await settled(() => [vx.requestCount(), verifa.requestCount()].join(), 500)).toBe(before.join());
  });
});
