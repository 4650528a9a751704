import Stripe from 'stripe';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import type { StripeWebhookConfig } from '../src/providers/stripe/config.ts';
import { FIXTURE_SESSION_ID } from '../src/providers/stripe/sandbox/scenarios.ts';
import { STRIPE_SANDBOX_SECRET_KEY, startStripeSimulator } from '../src/providers/stripe/sandbox/simulator.ts';
import { stripeEventBody } from '../src/providers/stripe/sandbox/webhookSender.ts';
import type { RunningSimulator } from '../src/providers/types.ts';
import { FULL_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { outboundEnv, startReceiver, type TestReceiver } from './support/receiver.ts';
import { overSse } from './support/subscriptions.ts';
import { originOf, postWebhook, waitFor } from './support/webhooks.ts';

/** The official library: it signs deliveries here as Stripe does (`webhooks.generateTestHeaderString`). */
const stripe = new Stripe('sk_test_unused');

const SUMMARY = `query One($id: String!) { session(provider: STRIPE, id: $id) {
  providerSessionId status providerStatus isTerminal reasonCode reasonDescription createdAt sandbox sensitiveDataExpired reference
} }`;
const WHOLE = `query One($id: String!) { session(provider: STRIPE, id: $id) {
  provider providerSessionId status providerStatus isTerminal reasonCode reasonDescription createdAt sandbox
  sensitiveDataExpired reference
  applicant { fullName dateOfBirth email phone gender address { line1 line2 city state postalCode country } }
  kyc { status providerStatus documentType documentNumber issuingCountry dateOfIssue expirationDate firstName lastName
    fullName dateOfBirth gender placeOfBirth issues address { line1 city state postalCode country } }
  face { status providerStatus faceMatchStatus livenessStatus faceMatchPassed }
  databaseValidation { status providerStatus issuingCountry validationType }
  emailVerification { status providerStatus email }
  phoneVerification { status providerStatus phoneNumber }
  warnings { feature risk logType shortDescription }
  checks { documents { nodeId status documentSubtype } faceMatches { nodeId status } }
} }`;
const MASKED = `query One($id: String!) { session(provider: STRIPE, id: $id) {
  applicant { fullName dateOfBirth email phone address { line1 city postalCode country } }
  kyc { documentNumber dateOfBirth expirationDate }
  emailVerification { email }
  phoneVerification { phoneNumber }
} }`;
const STATUS =
  'query One($id: String!) { session(provider: STRIPE, id: $id) { providerSessionId status providerStatus isTerminal } }';
/** Cached for five minutes whatever the status: only a webhook can make an answer change within a test. */
const CACHED = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' };
const FAST = { timelineStepMs: 800, refresher: { minIntervalMs: 100, backoffMs: 100 } };

const summary = (
  id: string,
  status: string,
  providerStatus: string,
  reasonCode: string | null = null,
  reasonDescription: string | null = null,
  extra: Record<string, unknown> = {},
) => ({
  data: {
    session: {
      providerSessionId: id,
      status,
      providerStatus,
      isTerminal: ['APPROVED', 'ABANDONED'].includes(status),
      reasonCode,
      reasonDescription,
      createdAt: '2026-03-02T09:30:00.000Z',
      sandbox: true,
      sensitiveDataExpired: false,
      reference: `crm-${id}`,
      ...extra,
    },
  },
});

const JENNY_ADDRESS = {
  line1: '1234 Main St.',
  line2: 'Apt 5',
  city: 'San Francisco',
  state: 'CA',
  postalCode: '94111',
  country: 'US',
};

describe('Stripe Identity through the gateway', () => {
  let tg: TestGateway;
  beforeAll(async () => {
    tg = await startTestGateway({}, FAST);
  });
  afterAll(() => tg.close());

  it.each([
    ['vs_RequiresInput', summary('vs_RequiresInput', 'NOT_STARTED', 'requires_input')],
    [
      'vs_DocumentExpired',
      summary(
        'vs_DocumentExpired',
        'RESUBMISSION_REQUESTED',
        'requires_input',
        'document_expired',
        'The document is expired.',
      ),
    ],
    [
      'vs_SelfieMismatch',
      summary(
        'vs_SelfieMismatch',
        'RESUBMISSION_REQUESTED',
        'requires_input',
        'selfie_face_mismatch',
        'The provided selfie did not match the face on the document.',
      ),
    ],
    ['vs_Processing', summary('vs_Processing', 'IN_PROGRESS', 'processing')],
    ['vs_Verified', summary('vs_Verified', 'APPROVED', 'verified')],
    ['vs_Canceled', summary('vs_Canceled', 'ABANDONED', 'canceled')],
    [
      'vs_CanceledUnderage',
      summary(
        'vs_CanceledUnderage',
        'ABANDONED',
        'canceled',
        'under_supported_age',
        'Stripe does not verify users under the age of majority.',
      ),
    ],
    [
      'vs_Redacted',
      summary('vs_Redacted', 'APPROVED', 'verified', null, null, {
        sensitiveDataExpired: true,
        reference: null,
      }),
    ],
    ['vs_Unknown', summary('vs_Unknown', 'UNKNOWN', 'requires_review')],
  ])('answers %s', async (id, expected) => {
    expect((await tg.query(SUMMARY, { id })).body).toEqual(expected);
  });

  it('answers Stripe’s documented example session and report (fixtures3.json) whole', async () => {
    expect((await tg.query(WHOLE, { id: FIXTURE_SESSION_ID })).body).toEqual({
      data: {
        session: {
          provider: 'STRIPE',
          providerSessionId: FIXTURE_SESSION_ID,
          status: 'APPROVED',
          providerStatus: 'verified',
          isTerminal: true,
          reasonCode: null,
          reasonDescription: null,
          createdAt: '2009-02-13T23:31:30.000Z',
          sandbox: true,
          sensitiveDataExpired: false,
          reference: null,
          applicant: null,
          kyc: {
            status: 'APPROVED',
            providerStatus: 'verified',
            documentType: 'driving_license',
            documentNumber: null,
            issuingCountry: 'US',
            dateOfIssue: '2020-12-01',
            expirationDate: '2030-12-01',
            firstName: 'Jenny',
            lastName: 'Rosen',
            fullName: 'Jenny Rosen',
            dateOfBirth: null,
            gender: null,
            placeOfBirth: null,
            issues: [],
            address: { line1: '1234 Main St.', city: 'San Francisco', state: 'CA', postalCode: null, country: 'US' },
          },
          face: null,
          databaseValidation: null,
          emailVerification: null,
          phoneVerification: null,
          warnings: [],
          checks: {
            documents: [
              { nodeId: 'vr_1Pgc76B7WZ01zgkWq9Rp33Dj', status: 'APPROVED', documentSubtype: 'driving_license' },
            ],
            faceMatches: [],
          },
        },
      },
    });
  });

  it('shows a verification flow’s every check with pii:read, and masks the personal data without it', async () => {
    const id = 'vs_VerificationFlow';
    const full = (await tg.query(WHOLE, { id }, FULL_KEY)).body.data?.session as Record<string, unknown>;
    expect(full).toMatchObject({
      applicant: {
        fullName: 'Jenny Rosen',
        dateOfBirth: '1990-01-15',
        email: 'jenny.rosen@example.com',
        phone: '+14155550100',
        gender: 'female',
        address: JENNY_ADDRESS,
      },
      kyc: { documentNumber: 'D1234567', dateOfBirth: '1990-01-15', expirationDate: '2030-12-01' },
      face: {
        status: 'APPROVED',
        providerStatus: 'verified',
        faceMatchStatus: 'APPROVED',
        livenessStatus: 'APPROVED',
        faceMatchPassed: true,
      },
      databaseValidation: {
        status: 'APPROVED',
        providerStatus: 'verified',
        issuingCountry: 'US',
        validationType: 'us_ssn',
      },
      emailVerification: { status: 'APPROVED', providerStatus: 'verified', email: 'jenny.rosen@example.com' },
      phoneVerification: { status: 'APPROVED', providerStatus: 'verified', phoneNumber: '+14155550100' },
    });
    const masked = (await tg.query(MASKED, { id }, READ_ONLY_KEY)).body;
    expect(masked).toEqual({
      data: {
        session: {
          applicant: {
            fullName: 'J. R.',
            dateOfBirth: null,
            email: 'j***@example.com',
            phone: '****0100',
            address: { line1: null, city: 'San Francisco', postalCode: null, country: 'US' },
          },
          kyc: { documentNumber: '****4567', dateOfBirth: null, expirationDate: '2030-12-01' },
          emailVerification: { email: 'j***@example.com' },
          phoneVerification: { phoneNumber: '****0100' },
        },
      },
    });
    const text = JSON.stringify(masked);
    for (const value of ['1990-01-15', 'D1234567', 'jenny.rosen@example.com', '+14155550100', '1234 Main St.'])
      expect(text).not.toContain(value);
  });

  it('answers a redacted session without personal data even with pii:read', async () => {
    const body = (await tg.query(WHOLE, { id: 'vs_Redacted' }, FULL_KEY)).body;
    const session = body.data?.session as Record<string, unknown>;
    expect([session.sensitiveDataExpired, session.applicant]).toEqual([true, null]);
    expect(session.kyc).toEqual({
      status: 'APPROVED',
      providerStatus: 'verified',
      documentType: 'driving_license',
      documentNumber: null,
      issuingCountry: 'US',
      dateOfIssue: '2020-12-01',
      expirationDate: '2030-12-01',
      firstName: null,
      lastName: null,
      fullName: null,
      dateOfBirth: null,
      gender: null,
      placeOfBirth: null,
      issues: [],
      address: null,
    });
  });

  it.each([
    ['vs_Missing', 'NOT_FOUND', 'Stripe has no such session.', {}],
    ['vs_Error401', 'UPSTREAM_AUTH_FAILED', "Stripe rejected Verigate's credentials (HTTP 401).", {}],
    [
      'vs_RateLimited',
      'UPSTREAM_RATE_LIMITED',
      'Stripe is rate limiting Verigate; retry in 2 s.',
      { retryAfterSeconds: 2 },
    ],
    ['vs_Error500', 'UPSTREAM_UNAVAILABLE', 'Stripe is unavailable: it answered HTTP 500.', {}],
    [
      'vs_InvalidShape',
      'UPSTREAM_BAD_RESPONSE',
      "Stripe sent a response Verigate cannot read: the verification session does not match Stripe's documented shape.",
      {},
    ],
  ])('answers %s with %s and nothing else lost', async (id, code, message, extra) => {
    const body = (
      await tg.query(
        `query { bad: session(provider: STRIPE, id: "${id}") { status } good: session(provider: STRIPE, id: "vs_Canceled") { status } }`,
      )
    ).body;
    expect(body).toEqual({
      data: { bad: null, good: { status: 'ABANDONED' } },
      errors: [
        { message, path: ['bad'], locations: expect.any(Array), extensions: { code, provider: 'STRIPE', ...extra } },
      ],
    });
  });

  it('refuses a malformed session id without calling Stripe', async () => {
    const before = tg.simulator('STRIPE').requestCount();
    expect((await tg.query(STATUS, { id: 'vr_1Pgc76B7WZ01zgkWq9Rp33Dj' })).body).toEqual({
      data: { session: null },
      errors: [
        {
          message:
            'Malformed Stripe session id: Stripe VerificationSession ids are "vs_" followed by 1 to 128 letters or digits.',
          path: ['session'],
          locations: expect.any(Array),
          extensions: { code: 'BAD_USER_INPUT', provider: 'STRIPE' },
        },
      ],
    });
    expect(tg.simulator('STRIPE').requestCount()).toBe(before);
  });
});

describe('Stripe webhooks through the gateway', () => {
  let tg: TestGateway;
  let secret: string;
  const session = async (id: string) => (await tg.query(STATUS, { id })).body;
  const answer = (id: string, status: string, providerStatus: string, isTerminal: boolean) => ({
    data: { session: { providerSessionId: id, status, providerStatus, isTerminal } },
  });
  const signed = (body: string, timestamp = Math.floor(Date.now() / 1000)) => ({
    body,
    headers: { 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }) },
  });

  beforeAll(async () => {
    tg = await startTestGateway(CACHED, FAST);
    secret = (tg.config.webhooks.stripe as StripeWebhookConfig | null)?.secret ?? '';
  });
  afterAll(() => tg.close());

  it('generates a whsec_ secret for the sandbox, which the simulator signs with', () => {
    expect(tg.config.webhooks.stripe).toEqual({ secret: expect.stringMatching(/^whsec_/), sandbox: true });
  });

  it('refreshes once for a delivery stripe-node signed, not for its replay, and refuses a changed byte', async () => {
    const ID = 'vs_Verified';
    const sim = tg.simulator('STRIPE');
    expect(await session(ID)).toEqual(answer(ID, 'APPROVED', 'verified', true));
    const before = sim.requestCount(`/verification_sessions/${ID}`);
    const body = stripeEventBody('identity.verification_session.verified', {
      id: ID,
      object: 'identity.verification_session',
    });
    const delivery = signed(body);
    const changed = { ...delivery, body: body.replace('"livemode":false', '"livemode":true ') };
    const origin = originOf(tg.gateway.url);
    expect(await postWebhook(origin, 'stripe', changed)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(await postWebhook(origin, 'stripe', delivery)).toEqual({ status: 200, body: { received: true } });
    expect(await waitFor(() => sim.requestCount(`/verification_sessions/${ID}`) === before + 1)).toBe(true);
    expect(await postWebhook(origin, 'stripe', delivery)).toEqual({ status: 200, body: { received: true } });
    expect(await session(ID)).toEqual(answer(ID, 'APPROVED', 'verified', true));
    expect(sim.requestCount(`/verification_sessions/${ID}`)).toBe(before + 1);
  });

  it('refuses a delivery signed six minutes ago', async () => {
    const body = stripeEventBody('identity.verification_session.processing', { id: 'vs_Processing' });
    expect(
      await postWebhook(originOf(tg.gateway.url), 'stripe', signed(body, Math.floor(Date.now() / 1000) - 360)),
    ).toEqual({
      status: 401,
      body: { error: 'unauthorized' },
    });
  });

  it('acknowledges an event about something else and calls nobody', async () => {
    const before = tg.simulator('STRIPE').requestCount();
    const body = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'charge.succeeded',
      data: { object: { id: 'ch_1', object: 'charge' } },
    });
    expect(await postWebhook(originOf(tg.gateway.url), 'stripe', signed(body))).toEqual({
      status: 200,
      body: { received: true },
    });
    expect(tg.simulator('STRIPE').requestCount()).toBe(before);
  });

  it('starts a session, and its hosted page’s approve fires the signed event that replaces the cached answer', async () => {
    const adapter = tg.gateway.registry.adapter('STRIPE');
    const started = await adapter?.startSession?.({
      flow: 'document',
      subjectRef: 'user-7',
      country: null,
      prefill: null,
      returnUrl: null,
      locale: null,
      idempotencyKey: 'e2e-start-0001',
      resumeFrom: null,
      checkpoint: async () => {},
    });
    const id = started?.providerSessionId as string;
    expect(await session(id)).toEqual(answer(id, 'NOT_STARTED', 'requires_input', false));
    const res = await request(started?.hostedUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=approve',
    });
    expect(res.statusCode).toBe(303);
    await res.body.dump();
    expect(await waitFor(async () => JSON.stringify(await session(id)).includes('"APPROVED"'))).toBe(true);
    expect(await session(id)).toEqual(answer(id, 'APPROVED', 'verified', true));
  });
});

describe('a timed Stripe session followed, recorded and sent on', () => {
  let receiver: TestReceiver;
  let tg: TestGateway;
  beforeAll(async () => {
    receiver = await startReceiver();
    tg = await startTestGateway(
      { OUTBOUND_WEBHOOKS: outboundEnv([{ name: 'ledger', url: receiver.url, providers: ['STRIPE'] }]) },
      { ...FAST, timeline: { flushDelayMs: 5 }, outbound: { pollIntervalMs: 50 } },
    );
  });
  afterAll(async () => {
    await tg?.close();
    await receiver?.close();
  });

  it('follows vs_Timeline with sessionUpdated to verified, records each step and sends each change to the backend', async () => {
    const ID = 'vs_Timeline';
    const outcome = await overSse(
      tg.gateway.url,
      FULL_KEY,
      'subscription W($id: String!) { sessionUpdated(provider: STRIPE, id: $id) { providerSessionId status providerStatus isTerminal } }',
      { id: ID },
    );
    const event = (status: string, providerStatus: string, isTerminal: boolean) => ({
      data: { sessionUpdated: { providerSessionId: ID, status, providerStatus, isTerminal } },
    });
    expect(outcome).toEqual({
      events: [
        event('NOT_STARTED', 'requires_input', false),
        event('IN_PROGRESS', 'processing', false),
        event('APPROVED', 'verified', true),
      ],
      end: { kind: 'complete' },
    });
    expect(tg.simulator('STRIPE').webhooks?.delivered()).toBe(2);

    const query = `{ session(provider: STRIPE, id: "${ID}") { events { edges { node {
      sequence source status previousStatus providerStatus } } } } }`;
    type Timeline = { events: { edges: Array<{ node: Record<string, unknown> }> } };
    const nodes = async () =>
      ((await tg.query(query)).body.data?.session as Timeline | undefined)?.events.edges.map((e) => e.node) ?? [];
    expect(await waitFor(async () => (await nodes()).length === 3)).toBe(true);
    expect((await nodes()).map((n) => [n.sequence, n.status, n.previousStatus, n.providerStatus])).toEqual([
      [1, 'NOT_STARTED', null, 'requires_input'],
      [2, 'IN_PROGRESS', 'NOT_STARTED', 'processing'],
      [3, 'APPROVED', 'IN_PROGRESS', 'verified'],
    ]);

    expect(await waitFor(() => receiver.events.length === 3)).toBe(true);
    expect(receiver.events.map((e) => e.body)).toEqual(
      [
        ['NOT_STARTED', null, 'requires_input', false, 1],
        ['IN_PROGRESS', 'NOT_STARTED', 'processing', false, 2],
        ['APPROVED', 'IN_PROGRESS', 'verified', true, 3],
      ].map(([status, previousStatus, providerStatus, isTerminal, sequence]) => ({
        type: 'verification.session.status_changed',
        timestamp: expect.any(String),
        data: expect.objectContaining({
          provider: 'STRIPE',
          sessionId: ID,
          globalId: toGlobalId({ provider: 'STRIPE', id: ID }),
          status,
          previousStatus,
          providerStatus,
          isTerminal,
          reasonCode: null,
          sequence,
        }),
      })),
    );
  });
});

describe('Stripe configured live (a Stripe API at STRIPE_BASE_URL, a test-mode key)', () => {
  const WEBHOOK_SECRET = 'whsec_live_configured_for_tests';
  let server: RunningSimulator;
  let tg: TestGateway;
  beforeAll(async () => {
    server = await startStripeSimulator();
    tg = await startTestGateway(
      {
        STRIPE_SECRET_KEY: STRIPE_SANDBOX_SECRET_KEY,
        STRIPE_BASE_URL: server.url,
        STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
        ...CACHED,
      },
      { refresher: { minIntervalMs: 50, backoffMs: 50 } },
    );
  });
  afterAll(async () => {
    await tg?.close();
    await server?.close();
  });

  it('reports it configured and not sandboxed, while a test-mode key’s sessions are sandbox data', async () => {
    const { body } = await tg.query('{ providers { provider configured sandbox } }');
    expect(((body.data?.providers ?? []) as Array<{ provider: string }>).find((p) => p.provider === 'STRIPE')).toEqual({
      provider: 'STRIPE',
      configured: true,
      sandbox: false,
    });
    expect(tg.config.webhooks.stripe).toEqual({ secret: WEBHOOK_SECRET, sandbox: false });
    expect((await tg.query(SUMMARY, { id: 'vs_DocumentExpired' })).body).toEqual(
      summary(
        'vs_DocumentExpired',
        'RESUBMISSION_REQUESTED',
        'requires_input',
        'document_expired',
        'The document is expired.',
      ),
    );
  });

  it('refreshes a cached session for a delivery stripe-node signed with the configured secret', async () => {
    const ID = 'vs_Processing';
    expect((await tg.query(STATUS, { id: ID })).body).toEqual({
      data: {
        session: { providerSessionId: ID, status: 'IN_PROGRESS', providerStatus: 'processing', isTerminal: false },
      },
    });
    const before = server.requestCount(`/verification_sessions/${ID}`);
    const body = stripeEventBody('identity.verification_session.processing', {
      id: ID,
      object: 'identity.verification_session',
    });
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: WEBHOOK_SECRET });
    expect(
      await postWebhook(originOf(tg.gateway.url), 'stripe', { body, headers: { 'stripe-signature': header } }),
    ).toEqual({
      status: 200,
      body: { received: true },
    });
    expect(await waitFor(() => server.requestCount(`/verification_sessions/${ID}`) === before + 1)).toBe(true);
  });
});
