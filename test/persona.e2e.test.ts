import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonaWebhookConfig } from '../src/providers/persona/config.ts';
import { personaModule } from '../src/providers/persona/index.ts';
import { PERSONA_SANDBOX_API_KEY } from '../src/providers/persona/sandbox/simulator.ts';
import { signPersonaDelivery } from '../src/providers/persona/sandbox/webhookSender.ts';
import { FULL_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { overSse } from './support/subscriptions.ts';
import { originOf, postWebhook, waitFor } from './support/webhooks.ts';

const SUMMARY = `query One($id: String!) { session(provider: PERSONA, id: $id) {
  providerSessionId status providerStatus isTerminal reasonCode createdAt sandbox sensitiveDataExpired reference
} }`;
const PERSONAL = `query One($id: String!) { session(provider: PERSONA, id: $id) {
  sensitiveDataExpired
  applicant { fullName dateOfBirth email phone address { line1 city postalCode country } }
  kyc { documentType documentNumber dateOfBirth expirationDate images { front portrait } }
  location { ip { address countryCode } }
} }`;
const STATUS =
  'query One($id: String!) { session(provider: PERSONA, id: $id) { providerSessionId status providerStatus isTerminal } }';
/** Cached for five minutes whatever the status: only a webhook can make an answer change within a test. */
const CACHED = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' };
const FAST = { timelineStepMs: 400, refresher: { minIntervalMs: 100, backoffMs: 100 } };

const summary = (
  id: string,
  status: string,
  providerStatus: string,
  reasonCode: string | null = null,
  createdAt = '2026-03-02T09:30:00.000Z',
) => ({
  data: {
    session: {
      providerSessionId: id,
      status,
      providerStatus,
      isTerminal: ['APPROVED', 'DECLINED', 'EXPIRED'].includes(status),
      reasonCode,
      createdAt,
      sandbox: true,
      sensitiveDataExpired: false,
      reference: `crm-${id}`,
    },
  },
});

describe('Persona through the gateway', () => {
  let tg: TestGateway;
  beforeAll(async () => {
    tg = await startTestGateway({}, FAST);
  });
  afterAll(() => tg.close());

  it.each([
    ['inq_Created', summary('inq_Created', 'NOT_STARTED', 'created')],
    [
      'inq_zEx4jL84ShbUyuwX6AzPSqt6',
      {
        data: {
          session: {
            ...summary('inq_zEx4jL84ShbUyuwX6AzPSqt6', 'IN_PROGRESS', 'pending', null, '2023-03-29T19:06:45.000Z').data
              .session,
            reference: 'abc-123',
          },
        },
      },
    ],
    ['inq_Completed', summary('inq_Completed', 'APPROVED', 'completed')],
    ['inq_Failed', summary('inq_Failed', 'DECLINED', 'failed', 'id_expired_detection')],
    ['inq_NeedsReview', summary('inq_NeedsReview', 'IN_REVIEW', 'needs_review')],
    ['inq_Approved', summary('inq_Approved', 'APPROVED', 'approved')],
    ['inq_Declined', summary('inq_Declined', 'DECLINED', 'declined', 'selfie_id_comparison')],
    ['inq_Expired', summary('inq_Expired', 'EXPIRED', 'expired')],
    ['inq_Archived', summary('inq_Archived', 'UNKNOWN', 'archived')],
  ])('answers %s', async (id, expected) => {
    expect((await tg.query(SUMMARY, { id })).body).toEqual(expected);
  });

  it.each([
    ['inq_Missing', 'NOT_FOUND', 'Persona has no such session.', {}],
    ['inq_Error401', 'UPSTREAM_AUTH_FAILED', "Persona rejected Verigate's credentials (HTTP 401).", {}],
    [
      'inq_RateLimited',
      'UPSTREAM_RATE_LIMITED',
      'Persona is rate limiting Verigate; retry in 12 s.',
      { retryAfterSeconds: 12 },
    ],
    ['inq_Error500', 'UPSTREAM_UNAVAILABLE', 'Persona is unavailable: it answered HTTP 500.', {}],
    [
      'inq_InvalidShape',
      'UPSTREAM_BAD_RESPONSE',
      "Persona sent a response Verigate cannot read: the inquiry does not match Persona's documented shape.",
      {},
    ],
  ])('answers %s with %s and nothing else lost', async (id, code, message, extra) => {
    const body = (
      await tg.query(
        `query { bad: session(provider: PERSONA, id: "${id}") { status } good: session(provider: PERSONA, id: "inq_Expired") { status } }`,
      )
    ).body;
    expect(body).toEqual({
      data: { bad: null, good: { status: 'EXPIRED' } },
      errors: [
        { message, path: ['bad'], locations: expect.any(Array), extensions: { code, provider: 'PERSONA', ...extra } },
      ],
    });
  });

  it('refuses a malformed inquiry id without calling Persona', async () => {
    const before = tg.simulator('PERSONA').requestCount();
    const body = (await tg.query(STATUS, { id: 'ver_ABC123' })).body;
    expect(body).toEqual({
      data: { session: null },
      errors: [
        {
          message:
            'Malformed Persona session id: Persona inquiry ids are "inq_" followed by 1 to 64 letters or digits.',
          path: ['session'],
          locations: expect.any(Array),
          extensions: { code: 'BAD_USER_INPUT', provider: 'PERSONA' },
        },
      ],
    });
    expect(tg.simulator('PERSONA').requestCount()).toBe(before);
  });

  it('masks personal data without pii:read and shows it with it', async () => {
    const masked = (await tg.query(PERSONAL, { id: 'inq_Approved' }, READ_ONLY_KEY)).body;
    expect(masked).toEqual({
      data: {
        session: {
          sensitiveDataExpired: false,
          applicant: {
            fullName: 'J. M. S.',
            dateOfBirth: null,
            email: 'j***@example.com',
            phone: '****0123',
            address: { line1: null, city: 'Portland', postalCode: null, country: 'US' },
          },
          kyc: {
            documentType: 'dl',
            documentNumber: '****3456',
            dateOfBirth: null,
            expirationDate: '2031-04-12',
            images: { front: null, portrait: null },
          },
          location: { ip: { address: null, countryCode: 'US' } },
        },
      },
    });
    const full = (await tg.query(PERSONAL, { id: 'inq_Approved' }, FULL_KEY)).body;
    expect(full).toEqual({
      data: {
        session: {
          sensitiveDataExpired: false,
          applicant: {
            fullName: 'Jane Marie Sample',
            dateOfBirth: '1991-04-12',
            email: 'jane.sample@example.com',
            phone: '+15035550123',
            address: { line1: '221 Harbor Street', city: 'Portland', postalCode: '97205', country: 'US' },
          },
          kyc: {
            documentType: 'dl',
            documentNumber: 'D8123456',
            dateOfBirth: '1991-04-12',
            expirationDate: '2031-04-12',
            images: {
              front: 'https://files.withpersona.com/id-front.jpg?access_token=ACCESS_TOKEN',
              portrait: 'https://files.withpersona.com/selfie-photo.jpg?access_token=ACCESS_TOKEN',
            },
          },
          location: { ip: { address: '198.51.100.23', countryCode: 'US' } },
        },
      },
    });
  });

  it('answers a redacted inquiry without personal data even with pii:read', async () => {
    expect((await tg.query(PERSONAL, { id: 'inq_Redacted' }, FULL_KEY)).body).toEqual({
      data: {
        session: {
          sensitiveDataExpired: true,
          applicant: null,
          kyc: {
            documentType: 'dl',
            documentNumber: null,
            dateOfBirth: null,
            expirationDate: '2031-04-12',
            images: null,
          },
          location: { ip: { address: null, countryCode: 'US' } },
        },
      },
    });
  });

  it('follows the timed scenario with sessionUpdated until its terminal status', async () => {
    const outcome = await overSse(
      tg.gateway.url,
      FULL_KEY,
      'subscription W($id: String!) { sessionUpdated(provider: PERSONA, id: $id) { providerSessionId status providerStatus isTerminal } }',
      { id: 'inq_Timeline' },
    );
    const event = (status: string, providerStatus: string, isTerminal: boolean) => ({
      data: { sessionUpdated: { providerSessionId: 'inq_Timeline', status, providerStatus, isTerminal } },
    });
    expect(outcome).toEqual({
      events: [
        event('NOT_STARTED', 'created', false),
        event('IN_PROGRESS', 'pending', false),
        event('APPROVED', 'completed', true),
      ],
      end: { kind: 'complete' },
    });
  });
});

describe('Persona webhooks through the gateway', () => {
  let tg: TestGateway;
  let secret: string;
  const answer = (id: string, status: string, providerStatus: string, isTerminal: boolean) => ({
    data: { session: { providerSessionId: id, status, providerStatus, isTerminal } },
  });
  const session = async (id: string) => (await tg.query(STATUS, { id })).body;

  beforeAll(async () => {
    tg = await startTestGateway(CACHED, FAST);
    secret = (tg.config.webhooks.persona as PersonaWebhookConfig | null)?.secret ?? '';
  });
  afterAll(() => tg.close());

  it('generates a wbhsec_ secret for the sandbox, which the simulator signs with', () => {
    expect(tg.config.webhooks.persona).toEqual({ secret: expect.stringMatching(/^wbhsec_/), sandbox: true });
  });

  it('replaces a cached answer when Persona’s sandbox moves the inquiry (perform-simulate-actions fires a signed event)', async () => {
    expect(await session('inq_Completed')).toEqual(answer('inq_Completed', 'APPROVED', 'completed', true));
    const res = await request(
      `${tg.simulator('PERSONA').url}/api/v1/inquiries/inq_Completed/perform-simulate-actions`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${PERSONA_SANDBOX_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ meta: { 'simulate-actions': [{ type: 'mark_for_review_inquiry' }] } }),
      },
    );
    expect(res.statusCode).toBe(200);
    await res.body.dump();
    const moved = await waitFor(
      async () =>
        ((await session('inq_Completed')) as { data: { session: { status: string } } }).data.session.status ===
        'IN_REVIEW',
    );
    expect(moved).toBe(true);
    expect(await session('inq_Completed')).toEqual(answer('inq_Completed', 'IN_REVIEW', 'needs_review', false));
  });

  it('refreshes once for a signed delivery, not for its replay, and refuses a changed byte', async () => {
    const ID = 'inq_Declined';
    const sim = tg.simulator('PERSONA');
    expect(await session(ID)).toEqual(answer(ID, 'DECLINED', 'declined', true));
    const before = sim.requestCount(`/inquiries/${ID}`);
    const delivery = personaModule.contract.signedWebhook({ secret, sandbox: true }, ID, Math.floor(Date.now() / 1000));
    const tampered = { ...delivery, body: delivery.body.replace('inquiry.approved', 'inquiry.declined') };
    expect(await postWebhook(originOf(tg.gateway.url), 'persona', tampered)).toEqual({
      status: 401,
      body: { error: 'unauthorized' },
    });
    expect(await postWebhook(originOf(tg.gateway.url), 'persona', delivery)).toEqual({
      status: 200,
      body: { received: true },
    });
    expect(await waitFor(() => sim.requestCount(`/inquiries/${ID}`) === before + 1)).toBe(true);
    expect(await postWebhook(originOf(tg.gateway.url), 'persona', delivery)).toEqual({
      status: 200,
      body: { received: true },
    });
    expect(await session(ID)).toEqual(answer(ID, 'DECLINED', 'declined', true));
    expect(sim.requestCount(`/inquiries/${ID}`)).toBe(before + 1);
  });

  it('acknowledges an event about something else and calls nobody', async () => {
    const before = tg.simulator('PERSONA').requestCount();
    const body = JSON.stringify({
      data: {
        type: 'event',
        id: 'evt_1',
        attributes: {
          name: 'verification.passed',
          payload: { data: { type: 'verification/government-id', id: 'ver_1' } },
        },
      },
    });
    expect(await postWebhook(originOf(tg.gateway.url), 'persona', signPersonaDelivery(secret, body))).toEqual({
      status: 200,
      body: { received: true },
    });
    expect(tg.simulator('PERSONA').requestCount()).toBe(before);
  });
});
