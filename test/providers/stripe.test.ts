import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ProviderMode } from '../../src/config/providerMode.ts';
import { DECLINE_CATEGORIES } from '../../src/model/declines.ts';
import type { Session } from '../../src/model/session.ts';
import { declineReasons } from '../../src/providers/declines.ts';
import type { StartSessionRequest } from '../../src/providers/start.ts';
import { mapStatus } from '../../src/providers/status.ts';
import { StripeAdapter } from '../../src/providers/stripe/client.ts';
import { STRIPE_API_VERSION, type StripeLive, stripeConfig } from '../../src/providers/stripe/config.ts';
import { stripeLastErrorCodes } from '../../src/providers/stripe/declines.ts';
import { stripeModule } from '../../src/providers/stripe/index.ts';
import { normalizeStripeSession } from '../../src/providers/stripe/normalize.ts';
import { stripeVerificationSession } from '../../src/providers/stripe/payload.ts';
import { FIXTURE_SESSION, FIXTURE_SESSION_ID } from '../../src/providers/stripe/sandbox/scenarios.ts';
import { STRIPE_SANDBOX_SECRET_KEY, startStripeSimulator } from '../../src/providers/stripe/sandbox/simulator.ts';
import { signStripeDelivery, stripeEventBody } from '../../src/providers/stripe/sandbox/webhookSender.ts';
import { stripeSessionStatus, stripeStatusKey } from '../../src/providers/stripe/status.ts';
import { stripeWebhook } from '../../src/providers/stripe/webhook.ts';
import type { RunningSimulator } from '../../src/providers/types.ts';
import { GatewayError } from '../../src/upstream/errors.ts';
import { TEST_HTTP_OPTIONS } from '../support/gateway.ts';

/** The codes of stripe-node's Identity error unions, extracted into a fixture that names its source. */
const CODES = JSON.parse(
  readFileSync(new URL('./fixtures/stripe/identity-error-codes.json', import.meta.url), 'utf8'),
) as Record<string, string | string[]>;

const stripe = new Stripe('sk_test_unused');
const SECRET = 'whsec_test_secret_for_stripe_tests';

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; extensions: unknown }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    const e = error as GatewayError;
    return { code: e.code, message: e.message, extensions: e.extensions };
  }
  throw new Error('expected a GatewayError');
}

function startRequest(overrides: Partial<StartSessionRequest> = {}): StartSessionRequest {
  return {
    flow: 'document',
    subjectRef: 'user-42',
    country: 'US',
    prefill: { givenName: 'Jenny', familyName: 'Rosen', dateOfBirth: null, email: 'jenny@example.com', phone: null },
    returnUrl: 'https://app.example/done',
    locale: null,
    idempotencyKey: 'idem-key-0001',
    resumeFrom: null,
    checkpoint: async () => {},
    ...overrides,
  };
}

describe('Stripe adapter against its simulator', () => {
  let sim: RunningSimulator;
  let adapter: StripeAdapter;
  beforeAll(async () => {
    sim = await startStripeSimulator();
    adapter = new StripeAdapter(
      { baseUrl: sim.url, secretKey: STRIPE_SANDBOX_SECRET_KEY },
      { sandbox: false, http: TEST_HTTP_OPTIONS },
    );
  });
  afterAll(async () => {
    await adapter.close();
    await sim.close();
  });

  it('reads Stripe’s documented example session and report (fixtures3.json) whole', async () => {
    const kyc = {
      status: 'APPROVED',
      providerStatus: 'verified',
      documentType: 'driving_license',
      documentNumber: null,
      personalNumber: null,
      issuingCountry: 'US',
      issuingCountryName: null,
      issuingState: null,
      dateOfIssue: '2020-12-01',
      expirationDate: '2030-12-01',
      firstName: 'Jenny',
      middleName: null,
      lastName: 'Rosen',
      fullName: 'Jenny Rosen',
      dateOfBirth: null,
      age: null,
      gender: null,
      nationality: null,
      placeOfBirth: null,
      address: {
        line1: '1234 Main St.',
        line2: null,
        city: 'San Francisco',
        state: 'CA',
        postalCode: null,
        country: 'US',
        formatted: null,
      },
      nfcVerified: null,
      service: null,
      confirmation: null,
      issues: [],
      images: null,
    };
    const expected: Session = {
      provider: 'STRIPE',
      providerSessionId: FIXTURE_SESSION_ID,
      status: 'APPROVED',
      providerStatus: 'verified',
      isTerminal: true,
      // `last_error: { code: null, reason: null }` is no error.
      reasonCode: null,
      reasonDescription: null,
      createdAt: '2009-02-13T23:31:30.000Z',
      // The adapter is not on the simulator's flag here: the test-mode key alone marks the data.
      sandbox: true,
      // `redaction: { status: "processing" }` is not a redaction yet.
      sensitiveDataExpired: false,
      // The example has no verified_outputs.
      applicant: null,
      journey: null,
      kyc: kyc as Session['kyc'],
      aml: null,
      face: null,
      location: null,
      warnings: [],
      reviews: [],
      reference: null,
      metadata: {
        type: 'document',
        verification_flow: null,
        livemode: false,
        last_verification_report: 'vr_1Pgc76B7WZ01zgkWq9Rp33Dj',
        redaction: 'processing',
        related_customer: null,
        metadata: {},
        options: { document: { require_matching_selfie: true } },
        document_files: ['file_QXhWG300bR0L1WbLXBqG1wQc', 'file_QXhWi7GgxZg2M3XqN2Y0P4Q2'],
      },
      nfc: null,
      proofOfAddress: null,
      phoneVerification: null,
      emailVerification: null,
      databaseValidation: null,
      checks: {
        documents: [
          {
            nodeId: 'vr_1Pgc76B7WZ01zgkWq9Rp33Dj',
            status: 'APPROVED',
            providerStatus: 'verified',
            warnings: [],
            documentSubtype: 'driving_license',
            kyc: kyc as Session['kyc'],
          },
        ],
        nfc: [],
        liveness: [],
        faceMatches: [],
        aml: [],
        ip: [],
        proofOfAddress: [],
        phoneVerifications: [],
        emailVerifications: [],
        databaseValidations: [],
      },
      declineReasons: [],
    };
    expect(await adapter.fetchSession(FIXTURE_SESSION_ID)).toEqual(expected);
  });

  it('maps a report with every check: document → kyc, selfie → face, id_number / email / phone → their checks', async () => {
    const s = await adapter.fetchSession('vs_VerificationFlow');
    expect(s.applicant).toEqual({
      firstName: 'Jenny',
      lastName: 'Rosen',
      fullName: 'Jenny Rosen',
      dateOfBirth: '1990-01-15',
      email: 'jenny.rosen@example.com',
      phone: '+14155550100',
      nationality: null,
      gender: 'female',
      address: {
        line1: '1234 Main St.',
        line2: 'Apt 5',
        city: 'San Francisco',
        state: 'CA',
        postalCode: '94111',
        country: 'US',
        formatted: null,
      },
    });
    expect(s.kyc).toMatchObject({
      documentNumber: 'D1234567',
      dateOfBirth: '1990-01-15',
      expirationDate: '2030-12-01',
      dateOfIssue: '2020-12-01',
      gender: 'female',
      placeOfBirth: 'Portland, OR',
    });
    expect(s.face).toEqual({
      status: 'APPROVED',
      providerStatus: 'verified',
      faceMatchStatus: 'APPROVED',
      livenessStatus: 'APPROVED',
      faceMatchScore: null,
      livenessScore: null,
      faceMatchPassed: true,
      ageEstimate: null,
      ageCheckPassed: null,
      genderEstimate: null,
    });
    const nodeId = 'vr_VerificationFlowReport';
    expect(s.databaseValidation).toEqual({
      nodeId,
      status: 'APPROVED',
      providerStatus: 'verified',
      warnings: [],
      issuingCountry: 'US',
      validationType: 'us_ssn',
      matchType: null,
      results: [
        {
          serviceId: null,
          serviceName: 'id_number',
          outcome: 'verified',
          fullNameMatch: null,
          dateOfBirthMatch: null,
          identificationNumberMatch: 'full_match',
        },
      ],
    });
    expect(s.emailVerification).toEqual({
      nodeId,
      status: 'APPROVED',
      providerStatus: 'verified',
      warnings: [],
      email: 'jenny.rosen@example.com',
      breached: null,
      breaches: [],
      disposable: null,
      undeliverable: null,
      verificationAttempts: null,
      verifiedAt: null,
    });
    expect(s.phoneVerification).toMatchObject({ nodeId, status: 'APPROVED', phoneNumber: '+14155550100' });
    expect(s.checks.faceMatches).toEqual([
      {
        nodeId,
        status: 'APPROVED',
        providerStatus: 'verified',
        warnings: [],
        score: null,
        sourceImage: null,
        targetImage: null,
      },
    ]);
    expect(s.checks.databaseValidations).toEqual([s.databaseValidation]);
    expect(s.checks.emailVerifications).toEqual([s.emailVerification]);
    expect(s.checks.phoneVerifications).toEqual([s.phoneVerification]);
    expect(s.metadata).toMatchObject({ type: 'verification_flow', verification_flow: 'vf_1SimFlow' });
  });

  it('reads requires_input with last_error as RESUBMISSION_REQUESTED, its code, Stripe’s message and a same-session retry', async () => {
    const s = await adapter.fetchSession('vs_SelfieMismatch');
    expect([s.status, s.providerStatus, s.reasonCode, s.reasonDescription, s.turn]).toEqual([
      'RESUBMISSION_REQUESTED',
      'requires_input',
      'selfie_face_mismatch',
      'The provided selfie did not match the face on the document.',
      'USER',
    ]);
    // last_error and the selfie check's error carry the same code: one reason.
    expect(s.declineReasons).toEqual([
      {
        category: 'FACE_MISMATCH',
        retryable: true,
        retryScope: 'SAME_SESSION',
        vendorSignal: true,
        providerCode: 'selfie_face_mismatch',
        userMessage: 'The provided selfie did not match the face on the document.',
      },
    ]);
    expect(s.face).toMatchObject({ status: 'DECLINED', faceMatchStatus: 'DECLINED', faceMatchPassed: false });
    expect(s.warnings).toEqual([
      {
        nodeId: 'vr_SelfieMismatchReport',
        feature: 'selfie',
        risk: 'selfie_face_mismatch',
        logType: 'unverified',
        shortDescription: 'The provided selfie did not match the face on the document.',
        longDescription: null,
        additionalData: null,
      },
    ]);
    const expired = await adapter.fetchSession('vs_DocumentExpired');
    expect(expired.declineReasons?.map((r) => [r.category, r.retryScope, r.providerCode])).toEqual([
      ['DOCUMENT_EXPIRED', 'SAME_SESSION', 'document_expired'],
    ]);
    expect(expired.kyc).toMatchObject({
      status: 'DECLINED',
      expirationDate: '2024-12-01',
      issues: ['document_expired'],
    });
  });

  it('reads canceled as ABANDONED, not retryable for a reason that rules a retry out, and processing as the vendor’s turn', async () => {
    const canceled = await adapter.fetchSession('vs_CanceledUnderage');
    expect([canceled.status, canceled.reasonCode, canceled.turn]).toEqual([
      'ABANDONED',
      'under_supported_age',
      undefined,
    ]);
    expect(canceled.declineReasons).toEqual([
      {
        category: 'UNDERAGE',
        retryable: false,
        retryScope: 'NONE',
        vendorSignal: true,
        providerCode: 'under_supported_age',
        userMessage: 'Stripe does not verify users under the age of majority.',
      },
    ]);
    expect((await adapter.fetchSession('vs_Canceled')).declineReasons).toEqual([]);
    const processing = await adapter.fetchSession('vs_Processing');
    expect([processing.status, processing.turn, processing.declineReasons]).toEqual(['IN_PROGRESS', 'VENDOR', []]);
    const fresh = await adapter.fetchSession('vs_RequiresInput');
    expect([fresh.status, fresh.reasonCode, fresh.turn, fresh.declineReasons]).toEqual([
      'NOT_STARTED',
      null,
      'USER',
      [],
    ]);
  });

  it('answers nothing personal for a redacted session, even what its report still holds', async () => {
    const s = await adapter.fetchSession('vs_Redacted');
    expect([s.status, s.sensitiveDataExpired, s.applicant]).toEqual(['APPROVED', true, null]);
    expect(s.kyc).toMatchObject({
      documentType: 'driving_license',
      documentNumber: null,
      firstName: null,
      lastName: null,
      fullName: null,
      dateOfBirth: null,
      gender: null,
      placeOfBirth: null,
      address: null,
      expirationDate: '2030-12-01',
    });
    expect(s.checks.documents[0]?.kyc).toEqual(s.kyc);
    // `[redacted]` is Stripe's placeholder, not a value; the document images' File ids go with the images.
    expect([s.reference, s.metadata?.document_files]).toEqual([null, []]);
  });

  it('maps a status Stripe adds later to UNKNOWN with its word, never an error', async () => {
    const s = await adapter.fetchSession('vs_Unknown');
    expect([s.status, s.providerStatus, s.isTerminal]).toEqual(['UNKNOWN', 'requires_review', false]);
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
  ])('answers %s with %s', async (id, code, message, extra) => {
    expect(await failure(adapter.fetchSession(id))).toEqual({
      code,
      message,
      extensions: { code, provider: 'STRIPE', ...extra },
    });
  });

  it('refuses malformed ids before any call', () => {
    for (const id of stripeModule.contract.malformedIds) expect(adapter.checkId(id), id).not.toBeNull();
    expect(adapter.checkId('vs_1Pgc76B7WZ01zgkWBdQi8PTU')).toBeNull();
  });

  it('answers UPSTREAM_AUTH_FAILED when its key is refused', async () => {
    const wrong = new StripeAdapter(
      { baseUrl: sim.url, secretKey: 'sk_test_wrong' },
      { sandbox: true, http: TEST_HTTP_OPTIONS },
    );
    expect((await failure(wrong.fetchSession('vs_Verified'))).code).toBe('UPSTREAM_AUTH_FAILED');
    await wrong.close();
  });
});

describe('the Stripe simulator’s dialect', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startStripeSimulator();
  });
  afterAll(() => sim.close());
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await request(`${sim.url}${path}`, {
      headers: { authorization: `Bearer ${STRIPE_SANDBOX_SECRET_KEY}`, ...headers },
    });
    return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, unknown> };
  };

  it('answers the report as its id and leaves verified_outputs and hidden fields out unless expanded by name', async () => {
    const plain = await get('/v1/identity/verification_sessions/vs_Verified');
    expect(plain.body.last_verification_report).toBe('vr_VerifiedReport');
    expect(plain.body).not.toHaveProperty('verified_outputs');
    const expanded = await get(
      '/v1/identity/verification_sessions/vs_Verified?expand[]=last_verification_report&expand[]=verified_outputs',
    );
    const report = expanded.body.last_verification_report as { document: Record<string, unknown> };
    expect(report.document).not.toHaveProperty('number');
    expect(report.document).not.toHaveProperty('dob');
    expect(report.document.first_name).toBe('Jenny');
    expect(expanded.body.verified_outputs).not.toHaveProperty('dob');
    const named = await get(
      '/v1/identity/verification_sessions/vs_Verified?expand[]=last_verification_report&expand[]=last_verification_report.document.number&expand[]=verified_outputs&expand[]=verified_outputs.dob',
    );
    expect((named.body.last_verification_report as { document: Record<string, unknown> }).document.number).toBe(
      'D1234567',
    );
    expect((named.body.verified_outputs as Record<string, unknown>).dob).toEqual({ day: 15, month: 1, year: 1990 });
  });

  it('echoes Stripe-Version, sends Request-Id, and answers errors in Stripe’s shape', async () => {
    const ok = await get('/v1/identity/verification_sessions/vs_Verified', { 'stripe-version': STRIPE_API_VERSION });
    expect(ok.headers['stripe-version']).toBe(STRIPE_API_VERSION);
    expect(ok.headers['request-id']).toMatch(/^req_/);
    expect((await get('/v1/identity/verification_sessions/vs_Nothing')).body).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'id',
        message: 'No such verification session.',
      },
    });
    const unauthenticated = await get('/v1/identity/verification_sessions/vs_Verified', {
      authorization: 'Bearer sk_live_x',
    });
    expect([unauthenticated.status, unauthenticated.body]).toEqual([
      401,
      { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } },
    ]);
    expect((await get('/v1/identity/verification_sessions/vs_Verified', { 'stripe-version': 'latest!' })).status).toBe(
      400,
    );
  });
});

describe('Stripe adapter requests', () => {
  let server: ReturnType<typeof createServer>;
  let seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
  let answer: { status: number; body: unknown } = { status: 200, body: {} };
  let adapter: StripeAdapter;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    adapter = new StripeAdapter(
      { baseUrl: url, secretKey: 'sk_live_abc' },
      { sandbox: false, http: TEST_HTTP_OPTIONS },
    );
  });
  afterAll(async () => {
    await adapter.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('GETs the session with the Bearer key, the pinned Stripe-Version and every expand', async () => {
    seen = [];
    answer = { status: 200, body: { ...FIXTURE_SESSION, id: 'vs_Abc', livemode: true } };
    const s = await adapter.fetchSession('vs_Abc');
    expect(s.sandbox).toBe(false); // a live key
    expect(seen).toHaveLength(1);
    const [call] = seen;
    expect(call?.method).toBe('GET');
    const url = new URL(call?.url ?? '', 'http://x');
    expect(url.pathname).toBe('/v1/identity/verification_sessions/vs_Abc');
    expect(url.searchParams.getAll('expand[]')).toEqual([
      'last_verification_report',
      'verified_outputs',
      'last_verification_report.document.number',
      'last_verification_report.document.dob',
      'last_verification_report.document.expiration_date',
      'verified_outputs.dob',
    ]);
    expect(call?.headers.authorization).toBe('Bearer sk_live_abc');
    expect(call?.headers['stripe-version']).toBe('2026-07-29.dahlia');
  });

  it('creates a session form-encoded with the Idempotency-Key, and returns its id, url and client secret', async () => {
    seen = [];
    answer = {
      status: 200,
      body: {
        id: 'vs_New1',
        object: 'identity.verification_session',
        url: 'https://verify.stripe.com/start/x',
        client_secret: 'vs_New1_secret_y',
        status: 'requires_input',
      },
    };
    expect(await adapter.startSession(startRequest())).toEqual({
      providerSessionId: 'vs_New1',
      hostedUrl: 'https://verify.stripe.com/start/x',
      clientToken: 'vs_New1_secret_y',
      expiresAt: null,
    });
    const [call] = seen;
    expect([call?.method, call?.url]).toEqual(['POST', '/v1/identity/verification_sessions']);
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call?.headers['idempotency-key']).toBe('idem-key-0001');
    expect(call?.headers['stripe-version']).toBe(STRIPE_API_VERSION);
    expect([...new URLSearchParams(call?.body).entries()]).toEqual([
      ['type', 'document'],
      ['client_reference_id', 'user-42'],
      ['return_url', 'https://app.example/done'],
      ['provided_details[email]', 'jenny@example.com'],
    ]);
    seen = [];
    await adapter.startSession(startRequest({ flow: 'vf_1AbC', prefill: null, returnUrl: null }));
    expect([...new URLSearchParams(seen[0]?.body).entries()]).toEqual([
      ['verification_flow', 'vf_1AbC'],
      ['client_reference_id', 'user-42'],
    ]);
  });

  it('refuses a flow Stripe has no name for before any call, and names a 400 by code and parameter only', async () => {
    seen = [];
    expect(await failure(adapter.startSession(startRequest({ flow: 'selfie' })))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'Stripe flows are "document", "id_number" or a verification flow id ("vf_" and letters or digits).',
      extensions: { code: 'BAD_USER_INPUT', provider: 'STRIPE' },
    });
    expect(seen).toHaveLength(0);
    answer = {
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'url_invalid',
          param: 'return_url',
          message: 'Not a valid URL: https://secret.example/?token=abc',
        },
      },
    };
    const refused = await failure(adapter.startSession(startRequest()));
    expect(refused).toEqual({
      code: 'BAD_USER_INPUT',
      message: "Stripe refused the verification's input (url_invalid, parameter return_url).",
      extensions: { code: 'BAD_USER_INPUT', provider: 'STRIPE' },
    });
    answer = { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } } };
    expect((await failure(adapter.startSession(startRequest()))).code).toBe('UPSTREAM_AUTH_FAILED');
    answer = {
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'verification_flow',
          message: "No such verification flow: 'vf_1AbC'",
        },
      },
    };
    expect((await failure(adapter.startSession(startRequest({ flow: 'vf_1AbC' })))).message).toBe(
      "Stripe refused the verification's input (resource_missing, parameter verification_flow).",
    );
    answer = {
      status: 429,
      body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } },
    };
    expect(await failure(adapter.startSession(startRequest()))).toEqual({
      code: 'UPSTREAM_RATE_LIMITED',
      message: 'Stripe is rate limiting Verigate; retry in 1 s.',
      extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: 'STRIPE', retryAfterSeconds: 1 },
    });
    answer = { status: 500, body: { error: { type: 'api_error', message: 'Something went wrong' } } };
    expect((await failure(adapter.startSession(startRequest()))).code).toBe('UPSTREAM_UNAVAILABLE');
  });
});

describe('Stripe’s start flow on the simulator', () => {
  let sim: RunningSimulator;
  let adapter: StripeAdapter;
  const events: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  let receiver: ReturnType<typeof createServer>;
  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        events.push({ headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    sim = await startStripeSimulator({ webhook: { secret: SECRET, sandbox: true } });
    sim.webhooks?.deliverTo(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/stripe`);
    adapter = new StripeAdapter(
      { baseUrl: sim.url, secretKey: STRIPE_SANDBOX_SECRET_KEY },
      { sandbox: true, http: TEST_HTTP_OPTIONS },
    );
  });
  afterAll(async () => {
    await adapter.close();
    await sim.close();
    await new Promise((resolve) => receiver.close(resolve));
  });
  const received = async (count: number) => {
    for (let i = 0; i < 200 && events.length < count; i += 1) await new Promise((r) => setTimeout(r, 25));
    return events.slice(0, count).map((e) => {
      const event = stripe.webhooks.constructEvent(e.body, String(e.headers['stripe-signature']), SECRET, 300);
      return [event.type, (event.data.object as { id: string; status: string }).status];
    });
  };

  it('creates a requires_input session once per Idempotency-Key, and refuses the key with other parameters', async () => {
    const first = await adapter.startSession(startRequest({ idempotencyKey: 'idem-start-1' }));
    expect(first.providerSessionId).toMatch(/^vs_[A-Za-z0-9]+$/);
    // Its url is a bearer link, as Stripe's is: a token, not the session id; the id alone opens no page.
    expect(first.hostedUrl).toMatch(new RegExp(`^${sim.url}/hosted/[A-Za-z0-9_-]{24}$`));
    expect(first.hostedUrl).not.toContain(first.providerSessionId);
    const byId = await request(`${sim.url}/hosted/${first.providerSessionId}`);
    expect([byId.statusCode, await byId.body.text()]).toEqual([404, expect.stringContaining('No such verification')]);
    expect(first.clientToken).toMatch(new RegExp(`^${first.providerSessionId}_secret_`));
    expect(await adapter.startSession(startRequest({ idempotencyKey: 'idem-start-1' }))).toEqual(first);
    expect(
      await failure(adapter.startSession(startRequest({ idempotencyKey: 'idem-start-1', subjectRef: 'other' }))),
    ).toEqual({
      code: 'BAD_USER_INPUT',
      message: "Stripe refused the verification's input.",
      extensions: { code: 'BAD_USER_INPUT', provider: 'STRIPE' },
    });
    const s = await adapter.fetchSession(first.providerSessionId);
    expect([s.status, s.providerStatus, s.reference]).toEqual(['NOT_STARTED', 'requires_input', 'user-42']);
  });

  it('moves a session from its hosted page (resubmit, then approve), each move a signed event stripe-node accepts', async () => {
    events.length = 0;
    const { providerSessionId: id, hostedUrl } = await adapter.startSession(
      startRequest({ idempotencyKey: 'idem-start-2' }),
    );
    const page = await request(hostedUrl as string);
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain('requires_input');
    const post = async (form: string) => {
      const res = await request(hostedUrl as string, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      await res.body.dump();
      return res.statusCode;
    };
    expect(await post('outcome=resubmit&reason=document_expired')).toBe(303);
    const sent = await adapter.fetchSession(id);
    expect([sent.status, sent.reasonCode, sent.declineReasons?.[0]?.retryScope]).toEqual([
      'RESUBMISSION_REQUESTED',
      'document_expired',
      'SAME_SESSION',
    ]);
    expect(await post('outcome=approve')).toBe(303);
    const approved = await adapter.fetchSession(id);
    expect([approved.status, approved.applicant?.email, approved.kyc?.documentNumber]).toEqual([
      'APPROVED',
      'jenny@example.com',
      'D1234567',
    ]);
    expect(await received(3)).toEqual([
      ['identity.verification_session.created', 'requires_input'],
      ['identity.verification_session.requires_input', 'requires_input'],
      ['identity.verification_session.verified', 'verified'],
    ]);
  });

  it('declines as Stripe ends a session (canceled, keeping last_error) and abandons as a cancel without one', async () => {
    const declined = await adapter.startSession(startRequest({ idempotencyKey: 'idem-start-3' }));
    const abandoned = await adapter.startSession(startRequest({ idempotencyKey: 'idem-start-4' }));
    for (const [started, form] of [
      [declined, 'outcome=decline&reason=selfie_manipulated'],
      [abandoned, 'outcome=abandon'],
    ] as const) {
      const res = await request(started.hostedUrl as string, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      await res.body.dump();
    }
    const d = await adapter.fetchSession(declined.providerSessionId);
    expect([d.status, d.reasonCode, d.declineReasons?.map((r) => [r.category, r.retryScope])]).toEqual([
      'ABANDONED',
      'selfie_manipulated',
      [['LIVENESS_FAILED', 'NONE']],
    ]);
    expect(d.face?.livenessStatus).toBe('DECLINED');
    const a = await adapter.fetchSession(abandoned.providerSessionId);
    expect([a.status, a.reasonCode, a.declineReasons]).toEqual(['ABANDONED', null, []]);
  });
  it('cancels and redacts as the integration’s API does, each with its event, and refuses them in the wrong status', async () => {
    events.length = 0;
    const action = async (id: string, what: 'cancel' | 'redact') => {
      const res = await request(`${sim.url}/v1/identity/verification_sessions/${id}/${what}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${STRIPE_SANDBOX_SECRET_KEY}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
      });
      return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
    };
    const started = await adapter.startSession(startRequest({ idempotencyKey: 'idem-start-5' }));
    expect((await action(started.providerSessionId, 'cancel')).body.status).toBe('canceled');
    expect(await action(started.providerSessionId, 'cancel')).toEqual({
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          message: 'Only a VerificationSession in requires_input status can be canceled.',
        },
      },
    });
    expect((await action('vs_Verified', 'redact')).body.redaction).toEqual({ status: 'redacted' });
    const redacted = await adapter.fetchSession('vs_Verified');
    expect([redacted.status, redacted.sensitiveDataExpired, redacted.applicant, redacted.kyc?.documentNumber]).toEqual([
      'APPROVED',
      true,
      null,
      null,
    ]);
    expect((await action('vs_Processing', 'redact')).status).toBe(400);
    expect((await action('vs_Nothing', 'cancel')).status).toBe(404);
    expect(await received(3)).toEqual([
      ['identity.verification_session.created', 'requires_input'],
      ['identity.verification_session.canceled', 'canceled'],
      ['identity.verification_session.redacted', 'verified'],
    ]);
  });
});

describe('Stripe webhook verifier', () => {
  const hook = stripeWebhook({ secret: SECRET, sandbox: false });
  const now = Math.floor(Date.now() / 1000);
  const body = stripeEventBody(
    'identity.verification_session.verified',
    { id: 'vs_Verified', object: 'identity.verification_session', status: 'verified' },
    now,
  );
  const headersOf = (header: string) => ({ 'stripe-signature': header });

  it('accepts what stripe-node’s generateTestHeaderString signs, and refuses one changed byte', () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: now });
    const ok = hook.verify(headersOf(header), Buffer.from(body), now);
    expect(ok).toEqual({ ok: true, deliveryId: expect.stringMatching(/^[0-9a-f]{64}@\d+$/), scheme: 'v1' });
    const changed = body.replace('"verified"', '"verifiee"');
    expect(hook.verify(headersOf(header), Buffer.from(changed), now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(hook.read(JSON.parse(body), now)).toEqual({
      kind: 'session',
      event: 'identity.verification_session.verified',
      sessionId: 'vs_Verified',
    });
  });

  it('signs as stripe-node verifies (constructEvent accepts the simulator’s deliveries)', () => {
    const delivery = signStripeDelivery(SECRET, body, now);
    const event = stripe.webhooks.constructEvent(delivery.body, delivery.headers['stripe-signature'] as string, SECRET);
    expect(event.type).toBe('identity.verification_session.verified');
  });

  it('accepts any v1 while a secret is rolled, and refuses another secret, a stale timestamp and a missing header', () => {
    const ours = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: now });
    const other = stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_old', timestamp: now });
    const v1 = (h: string) => h.split(',').find((p) => p.startsWith('v1=')) as string;
    expect(hook.verify(headersOf(`t=${now},${v1(other)},${v1(ours)}`), Buffer.from(body), now).ok).toBe(true);
    expect(hook.verify(headersOf(other), Buffer.from(body), now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(hook.verify(headersOf(ours), Buffer.from(body), now + 301)).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(hook.verify(headersOf(ours), Buffer.from(body), now + 300).ok).toBe(true);
    expect(hook.verify({}, Buffer.from(body), now)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(hook.verify(headersOf('v1=abc'), Buffer.from(body), now)).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
  });

  it('derives the delivery id from what was signed: the same delivery re-cased is the same id', () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET, timestamp: now });
    const a = hook.verify(headersOf(header), Buffer.from(body), now);
    const b = hook.verify(
      headersOf(header.toUpperCase().replace('T=', 't=').replace('V1=', 'v1=')),
      Buffer.from(body),
      now,
    );
    expect(a.ok && b.ok && a.deliveryId === b.deliveryId).toBe(true);
  });

  it('acknowledges other events, and refuses a session event without a vs_ id', () => {
    expect(hook.read({ type: 'payment_intent.succeeded', data: { object: { id: 'pi_1' } } }, now)).toEqual({
      kind: 'ignored',
      event: 'payment_intent.succeeded',
    });
    expect(hook.read({ type: 'identity.verification_report.created', data: { object: { id: 'vr_1' } } }, now)).toEqual({
      kind: 'ignored',
      event: 'identity.verification_report.created',
    });
    expect(
      hook.read({ type: 'identity.verification_session.canceled', data: { object: { id: 'pi_1' } } }, now),
    ).toEqual({
      kind: 'invalid',
      reason: 'invalid_payload',
    });
    expect(hook.read({ data: {} }, now)).toEqual({ kind: 'invalid', reason: 'invalid_payload' });
  });
});

describe('Stripe status and decline tables', () => {
  it('maps exactly DESIGN §8’s rows, requires_input by whether last_error has a code', () => {
    expect(stripeSessionStatus.rows.map((r) => [r.value, r.status])).toEqual([
      ['requires_input', 'NOT_STARTED'],
      ['requires_input/last_error', 'RESUBMISSION_REQUESTED'],
      ['processing', 'IN_PROGRESS'],
      ['verified', 'APPROVED'],
      ['canceled', 'ABANDONED'],
    ]);
    expect(stripeStatusKey('requires_input', true)).toBe('requires_input/last_error');
    expect(stripeStatusKey('canceled', true)).toBe('canceled');
    expect(mapStatus(stripeSessionStatus, stripeStatusKey('requires_review', true))).toBe('UNKNOWN');
    const parse = (extra: Record<string, unknown>) =>
      normalizeStripeSession(stripeVerificationSession.parse({ id: 'vs_X', status: 'requires_input', ...extra }), true);
    expect(parse({ last_error: null }).status).toBe('NOT_STARTED');
    expect(parse({ last_error: { code: null, reason: null } }).status).toBe('NOT_STARTED');
    expect(parse({ last_error: { code: 'consent_declined', reason: null } }).status).toBe('RESUBMISSION_REQUESTED');
  });

  it('covers every error code of stripe-node’s Identity unions, and nothing else', () => {
    expect(CODES.source).toMatch(/^stripe\/stripe-node [0-9a-f]{40}: /);
    const all = new Set(
      Object.entries(CODES)
        .filter(([k]) => k !== 'source')
        .flatMap(([, v]) => v as string[]),
    );
    expect(new Set(CODES['VerificationSession.LastError.Code'])).toEqual(all); // the report's codes are a subset
    expect(stripeLastErrorCodes.rows.map((r) => r.code).sort()).toEqual([...all].sort());
    for (const row of stripeLastErrorCodes.rows) expect(DECLINE_CATEGORIES).toContain(row.category);
  });

  it('keeps DESIGN §8’s pinned mappings, and an unknown code is OTHER with its code kept', () => {
    const category = (code: string) => stripeLastErrorCodes.rows.find((r) => r.code === code)?.category;
    expect(
      [
        'document_expired',
        'selfie_face_mismatch',
        'selfie_manipulated',
        'under_supported_age',
        'consent_declined',
        'abandoned',
      ].map(category),
    ).toEqual([
      'DOCUMENT_EXPIRED',
      'FACE_MISMATCH',
      'LIVENESS_FAILED',
      'UNDERAGE',
      'USER_FLOW_INCOMPLETE',
      'USER_FLOW_INCOMPLETE',
    ]);
    expect(
      declineReasons([
        { table: stripeLastErrorCodes, code: 'brand_new_code', retry: 'SAME_SESSION', userMessage: null },
      ]),
    ).toEqual([
      {
        category: 'OTHER',
        retryable: true,
        retryScope: 'SAME_SESSION',
        vendorSignal: true,
        providerCode: 'brand_new_code',
        userMessage: null,
      },
    ]);
    expect(stripeModule.declineTables).toEqual([stripeLastErrorCodes]);
    expect(stripeModule.defaultFlow).toBe('document');
  });
});

describe('Stripe configuration section', () => {
  const parse = (vars: Record<string, string>) => z.object(stripeConfig.env).parse(vars) as Record<string, unknown>;
  const mode = (vars: Record<string, string>, production = false) => {
    const problems: string[] = [];
    return { mode: stripeConfig.mode(parse(vars), { production }, problems), problems };
  };
  const webhook = (vars: Record<string, string>, m: ProviderMode<StripeLive>) => {
    const problems: string[] = [];
    return { hook: stripeConfig.webhook?.(parse(vars), m, problems), problems };
  };

  it('is live with the secret key alone, on api.stripe.com, and takes a base URL', () => {
    expect(mode({ STRIPE_SECRET_KEY: 'sk_live_abc' })).toEqual({
      mode: { mode: 'live', live: { baseUrl: 'https://api.stripe.com', secretKey: 'sk_live_abc' } },
      problems: [],
    });
    expect(mode({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_BASE_URL: 'http://proxy.local:12111' }).mode).toEqual({
      mode: 'live',
      live: { baseUrl: 'http://proxy.local:12111', secretKey: 'sk_test_abc' },
    });
  });

  it('runs on the simulator with nothing set, and is off in production', () => {
    expect(mode({})).toEqual({ mode: { mode: 'sandbox' }, problems: [] });
    expect(mode({}, true)).toEqual({ mode: { mode: 'off' }, problems: [] });
    expect(mode({ STRIPE_SECRET_KEY: 'sk_live_abc' }, true).mode.mode).toBe('live');
  });

  it('reports a base URL without a secret key as half-configured, and refuses a base URL with a query', () => {
    expect(mode({ STRIPE_BASE_URL: 'https://api.stripe.com' })).toEqual({
      mode: { mode: 'off' },
      problems: ['STRIPE_SECRET_KEY: required when STRIPE_BASE_URL is set'],
    });
    expect(
      z
        .object(stripeConfig.env)
        .safeParse({ STRIPE_BASE_URL: 'https://api.stripe.com/?x=1' })
        .error?.issues.map((i) => i.message),
    ).toEqual(['must be an absolute http(s) URL without query or fragment']);
  });

  it('turns webhooks on with STRIPE_WEBHOOK_SECRET, generates a whsec_ one for the sandbox, and reports one while off', () => {
    const live: ProviderMode<StripeLive> = { mode: 'live', live: { baseUrl: 'https://x', secretKey: 'k' } };
    expect(webhook({ STRIPE_WEBHOOK_SECRET: 'whsec_abc' }, live)).toEqual({
      hook: { secret: 'whsec_abc', sandbox: false },
      problems: [],
    });
    expect(webhook({}, live)).toEqual({ hook: null, problems: [] });
    expect(webhook({}, { mode: 'sandbox' })).toEqual({
      hook: { secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{32}$/), sandbox: true },
      problems: [],
    });
    expect(webhook({ STRIPE_WEBHOOK_SECRET: 'whsec_abc' }, { mode: 'off' })).toEqual({
      hook: null,
      problems: ['STRIPE_WEBHOOK_SECRET: set, but STRIPE is not configured (webhooks refresh its sessions)'],
    });
  });

  it('documents 25 requests per second (1 500 a minute) and every variable in its docs rows', () => {
    expect(stripeConfig.documentedRatePerMinute).toBe(1_500);
    expect(stripeConfig.docs.flatMap((d) => d.names).sort()).toEqual(Object.keys(stripeConfig.env).sort());
  });
});
