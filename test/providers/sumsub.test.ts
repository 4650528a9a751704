import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noChecks } from '../../src/model/checks.ts';
import type { Session } from '../../src/model/session.ts';
import { mapStatus } from '../../src/providers/status.ts';
import { SumsubAdapter } from '../../src/providers/sumsub/client.ts';
import { SUMSUB_DEFAULT_BASE_URL, sumsubConfig } from '../../src/providers/sumsub/config.ts';
import { sumsubModule } from '../../src/providers/sumsub/index.ts';
import {
  DOCUMENTED_GREEN_WEBHOOK,
  DOCUMENTED_SIGNING_STRING,
} from '../../src/providers/sumsub/sandbox/examples/documented.ts';
import { PRIVATE_CLIENT_COMMENT, SUMSUB_IDS } from '../../src/providers/sumsub/sandbox/scenarios.ts';
import {
  SUMSUB_SANDBOX_APP_TOKEN,
  SUMSUB_SANDBOX_SECRET_KEY,
  startSumsubSimulator,
} from '../../src/providers/sumsub/sandbox/simulator.ts';
import { signSumsubRequest, sumsubAuthHeaders } from '../../src/providers/sumsub/signer.ts';
import { sumsubReviewStatus, sumsubStatusKey } from '../../src/providers/sumsub/status.ts';
import { sumsubWebhook, verifySumsubDigest } from '../../src/providers/sumsub/webhook.ts';
import type { Simulator } from '../../src/sandbox/server.ts';
import { GatewayError } from '../../src/upstream/errors.ts';
import { TEST_HTTP_OPTIONS } from '../support/gateway.ts';
import { waitFor } from '../support/webhooks.ts';

const LIVE = (sim: Simulator, secretKey = SUMSUB_SANDBOX_SECRET_KEY) => ({
  baseUrl: sim.url,
  appToken: SUMSUB_SANDBOX_APP_TOKEN,
  secretKey,
});
const adapterFor = (sim: Simulator, secretKey?: string) =>
  new SumsubAdapter(LIVE(sim, secretKey), { sandbox: true, http: TEST_HTTP_OPTIONS });

async function failure(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { code: error.code, message: error.message, retryAfterSeconds: error.retryAfterSeconds };
  }
  throw new Error('expected a failure');
}

describe('Sumsub request signer (docs.sumsub.com/reference/authentication)', () => {
  // The documented string to sign, under a test key; the HMAC computed independently with
  // `printf '%s' '<string>' | openssl dgst -sha256 -hmac 'SoMe_SeCrEt_KeY'` (and Python's hmac: same value).
  it('signs the documented example string', () => {
    const [ts, rest] = [DOCUMENTED_SIGNING_STRING.slice(0, 10), DOCUMENTED_SIGNING_STRING.slice(14)];
    expect(signSumsubRequest('SoMe_SeCrEt_KeY', { ts, method: 'POST', pathWithQuery: rest, body: '' })).toBe(
      '15cc96be3e65ed8805f374db7f4c49c5723ae2a20eea3159cf0ab7c3badc3ad0',
    );
  });

  it('signs a GET with no body, and a POST with its exact body bytes (openssl vectors)', () => {
    expect(
      sumsubAuthHeaders(
        { appToken: 'sbx:t', secretKey: 'SoMe_SeCrEt_KeY' },
        'get',
        '/resources/applicants/5cb56e8e0a975a35f333cb83/one',
        '',
        1607551635,
      ),
    ).toEqual({
      'x-app-token': 'sbx:t',
      'x-app-access-ts': '1607551635',
      'x-app-access-sig': '657b022793edc53b1dcbc33e599a767c5af9280152482605767e576c9ebd7ceb',
    });
    const body = Buffer.from('{"reviewAnswer":"GREEN","rejectLabels":[]}');
    expect(
      signSumsubRequest('SoMe_SeCrEt_KeY', {
        ts: '1607551635',
        method: 'POST',
        pathWithQuery: '/resources/applicants/5cb56e8e0a975a35f333cb83/status/testCompleted',
        body,
      }),
    ).toBe('2597751aa93168005923d7cea43ec1c9351dbf4b83ff92a05a150e0eeef1fade');
  });
});

describe('Sumsub status table (DESIGN §7: both axes)', () => {
  it.each([
    ['init', null, null, 'init', 'NOT_STARTED'],
    ['pending', null, null, 'pending', 'IN_PROGRESS'],
    ['prechecked', null, null, 'prechecked', 'IN_PROGRESS'],
    ['queued', null, null, 'queued', 'IN_PROGRESS'],
    ['awaitingService', null, null, 'awaitingService', 'IN_PROGRESS'],
    ['awaitingUser', null, null, 'awaitingUser', 'IN_PROGRESS'],
    ['onHold', null, null, 'onHold', 'IN_REVIEW'],
    ['completed', 'GREEN', null, 'completed/GREEN', 'APPROVED'],
    ['completed', 'RED', 'RETRY', 'completed/RED/RETRY', 'RESUBMISSION_REQUESTED'],
    ['completed', 'RED', 'FINAL', 'completed/RED/FINAL', 'DECLINED'],
    ['completed', 'RED', null, 'completed/RED', 'UNKNOWN'],
    ['completed', null, null, 'completed', 'UNKNOWN'],
    ['completed', 'YELLOW', null, 'completed/YELLOW', 'UNKNOWN'],
    ['pending', 'RED', 'RETRY', 'pending', 'IN_PROGRESS'],
    ['reinspection', null, null, 'reinspection', 'UNKNOWN'],
  ])('%s × %s × %s → %s → %s', (reviewStatus, answer, type, key, unified) => {
    expect(sumsubStatusKey(reviewStatus, answer, type)).toBe(key);
    expect(mapStatus(sumsubReviewStatus, key)).toBe(unified);
  });
});

describe('Sumsub adapter against its simulator', () => {
  let sim: Simulator;
  let adapter: SumsubAdapter;
  beforeAll(async () => {
    sim = await startSumsubSimulator();
    adapter = adapterFor(sim);
  });
  afterAll(async () => {
    await adapter.close();
    await sim.close();
  });

  const APPLICANT = {
    firstName: 'Jane',
    lastName: 'Sample',
    fullName: 'Jane Alice Sample',
    dateOfBirth: '1991-04-12',
    email: 'jane.sample@example.com',
    phone: '+447700900123',
    nationality: 'GBR',
    gender: 'F',
    address: {
      line1: '221 Harbour Street',
      line2: 'Flat 4B',
      city: 'London',
      state: null,
      postalCode: 'SW1A 1AA',
      country: 'GBR',
      formatted: '221 Harbour Street, Flat 4B, London SW1A 1AA',
    },
  };
  const KYC = {
    status: null,
    providerStatus: null,
    documentType: 'PASSPORT',
    documentNumber: '533401872',
    personalNumber: null,
    issuingCountry: 'GBR',
    issuingCountryName: null,
    issuingState: null,
    dateOfIssue: '2021-05-03',
    expirationDate: '2031-05-02',
    firstName: 'Jane',
    middleName: 'Alice',
    lastName: 'Sample',
    fullName: 'Jane Alice Sample',
    dateOfBirth: '1991-04-12',
    age: null,
    gender: 'F',
    nationality: 'GBR',
    placeOfBirth: 'London',
    address: null,
    nfcVerified: null,
    service: null,
    confirmation: null,
    issues: [],
    images: null,
  };
  const session = (id: string, extra: Partial<Session>): Session => ({
    provider: 'SUMSUB',
    providerSessionId: id,
    status: 'APPROVED',
    providerStatus: 'completed/GREEN',
    isTerminal: true,
    reasonCode: null,
    reasonDescription: null,
    createdAt: '2026-03-02T09:30:00.000Z',
    sandbox: true,
    sensitiveDataExpired: false,
    applicant: APPLICANT,
    journey: null,
    kyc: KYC,
    aml: null,
    face: null,
    location: null,
    warnings: [],
    reviews: [],
    reference: null,
    metadata: null,
    detailsDeferred: true,
    nfc: null,
    proofOfAddress: null,
    phoneVerification: null,
    databaseValidation: null,
    emailVerification: null,
    checks: noChecks().checks,
    ...extra,
  });

  it('normalises the documented applicant (APPROVED), whole', async () => {
    expect(await adapter.fetchSession(SUMSUB_IDS.documented)).toEqual(session(SUMSUB_IDS.documented, {}));
  });

  it('maps a RED/RETRY verdict: first label as reasonCode, every label a warning, moderationComment as description', async () => {
    expect(await adapter.fetchSession(SUMSUB_IDS.redretry)).toEqual(
      session(SUMSUB_IDS.redretry, {
        status: 'RESUBMISSION_REQUESTED',
        providerStatus: 'completed/RED/RETRY',
        isTerminal: false,
        reasonCode: 'UNSATISFACTORY_PHOTOS',
        // Both labels retry in the same session (reviewRejectType RETRY); moderationComment, meant for the applicant,
        // on the first.
        declineReasons: [
          {
            category: 'DOCUMENT_UNREADABLE',
            retryable: true,
            retryScope: 'SAME_SESSION',
            vendorSignal: true,
            providerCode: 'UNSATISFACTORY_PHOTOS',
            userMessage: 'We do not accept screenshots. Please upload an original photo.',
          },
          {
            category: 'DOCUMENT_NOT_ORIGINAL',
            retryable: true,
            retryScope: 'SAME_SESSION',
            vendorSignal: true,
            providerCode: 'SCREENSHOTS',
            userMessage: null,
          },
        ],
        reasonDescription: 'We do not accept screenshots. Please upload an original photo.',
        warnings: ['UNSATISFACTORY_PHOTOS', 'SCREENSHOTS'].map((risk) => ({
          feature: null,
          risk,
          logType: 'warning',
          shortDescription: null,
          longDescription: null,
          additionalData: null,
        })),
      }),
    );
  });

  it('maps a RED/FINAL verdict to DECLINED with error-level warnings', async () => {
    const s = await adapter.fetchSession(SUMSUB_IDS.redfinal);
    expect([s.status, s.providerStatus, s.isTerminal, s.reasonCode, s.reasonDescription]).toEqual([
      'DECLINED',
      'completed/RED/FINAL',
      true,
      'FORGERY',
      'We could not verify your identity.',
    ]);
    expect(s.warnings.map((w) => [w.risk, w.logType])).toEqual([
      ['FORGERY', 'error'],
      ['BLACKLIST', 'error'],
    ]);
  });

  it('shows every status-table row from its scenario', async () => {
    for (const row of sumsubModule.contract.statusScenarios) {
      const s = await adapter.fetchSession(row.id);
      const expected = sumsubReviewStatus.rows.find((r) => r.value === row.value)?.status;
      expect([row.value, s.status, s.providerStatus]).toEqual([row.value, expected, row.value]);
    }
  });

  it('maps a status in no table (and RED without a reject type) to UNKNOWN, keeping the raw word', async () => {
    const unknown = await adapter.fetchSession(SUMSUB_IDS.unknownstatus);
    const untyped = await adapter.fetchSession(SUMSUB_IDS.redwithouttype);
    expect([unknown.status, unknown.providerStatus, untyped.status, untyped.providerStatus]).toEqual([
      'UNKNOWN',
      'reinspection',
      'UNKNOWN',
      'completed/RED',
    ]);
  });

  it('fetches reference and metadata (the per-step breakdown) as deferred details', async () => {
    sim.resetCount();
    expect(await adapter.fetchSessionDetails(SUMSUB_IDS.redretry)).toEqual({
      reference: 'crm-redretry',
      metadata: {
        externalUserId: 'crm-redretry',
        levelName: 'id-and-liveness',
        metadata: { plan: 'premium', signupChannel: 'ios' },
        steps: {
          IDENTITY: {
            reviewAnswer: 'RED',
            reviewRejectType: 'RETRY',
            rejectLabels: ['UNSATISFACTORY_PHOTOS', 'SCREENSHOTS'],
            idDocType: 'PASSPORT',
            country: 'GBR',
          },
          SELFIE: {
            reviewAnswer: 'GREEN',
            reviewRejectType: null,
            rejectLabels: [],
            idDocType: 'SELFIE',
            country: 'GBR',
          },
        },
      },
    });
    expect([sim.requestCount('/one'), sim.requestCount('/requiredIdDocsStatus')]).toEqual([1, 1]);
    expect(await adapter.fetchSessionDetails(SUMSUB_IDS.nosteps)).toEqual({
      reference: 'crm-nosteps',
      metadata: {
        externalUserId: 'crm-nosteps',
        levelName: 'id-and-liveness',
        metadata: { plan: 'premium', signupChannel: 'ios' },
        steps: null,
      },
    });
  });

  it('never lets clientComment out: not in a session, not in its details', async () => {
    for (const id of [SUMSUB_IDS.redretry, SUMSUB_IDS.redfinal, SUMSUB_IDS.documented]) {
      const text = JSON.stringify([await adapter.fetchSession(id), await adapter.fetchSessionDetails(id)]);
      expect(text.includes('PRIVATE-NOTE')).toBe(false);
    }
    expect(PRIVATE_CLIENT_COMMENT.startsWith('PRIVATE-NOTE')).toBe(true);
  });

  it('maps Sumsub failures to gateway errors', async () => {
    expect(await failure(adapter.fetchSession(SUMSUB_IDS.notfound))).toEqual({
      code: 'NOT_FOUND',
      message: 'Sumsub has no such session.',
      retryAfterSeconds: undefined,
    });
    expect(await failure(adapter.fetchSession(SUMSUB_IDS.unavailable))).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      message: 'Sumsub is unavailable: it answered HTTP 503.',
      retryAfterSeconds: undefined,
    });
    expect(await failure(adapter.fetchSession(SUMSUB_IDS.ratelimited))).toEqual({
      code: 'UPSTREAM_RATE_LIMITED',
      message: 'Sumsub is rate limiting Verigate; retry in 7 s.',
      retryAfterSeconds: 7,
    });
    expect(await failure(adapter.fetchSession(SUMSUB_IDS.garbage))).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      message: 'Sumsub sent a response Verigate cannot read: the applicant payload body is not JSON.',
      retryAfterSeconds: undefined,
    });
    expect(await failure(adapter.fetchSession(SUMSUB_IDS.badshape))).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      message:
        "Sumsub sent a response Verigate cannot read: the applicant payload does not match Sumsub's documented shape.",
      retryAfterSeconds: undefined,
    });
  });

  it('refuses malformed applicant ids before any call', () => {
    for (const id of sumsubModule.contract.malformedIds) {
      expect(adapter.checkId(id)).toBe('Sumsub applicant ids are 24 lower-case letters or digits.');
    }
    expect(adapter.checkId(SUMSUB_IDS.documented)).toBeNull();
  });

  it('is UPSTREAM_AUTH_FAILED when signed with another secret key', async () => {
    const wrong = adapterFor(sim, 'not-the-secret-key');
    try {
      expect(await failure(wrong.fetchSession(SUMSUB_IDS.green))).toEqual({
        code: 'UPSTREAM_AUTH_FAILED',
        message: "Sumsub rejected Verigate's credentials (HTTP 401).",
        retryAfterSeconds: undefined,
      });
    } finally {
      await wrong.close();
    }
  });
});

describe('Sumsub simulator checks signatures as Sumsub does', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSumsubSimulator();
  });
  afterAll(() => sim.close());

  const call = async (path: string, headers: Record<string, string>, method: 'GET' | 'POST' = 'GET', body?: string) => {
    const res = await request(`${sim.url}${path}`, { method, headers, body });
    return { status: res.statusCode, body: await res.body.json() };
  };
  const creds = { appToken: SUMSUB_SANDBOX_APP_TOKEN, secretKey: SUMSUB_SANDBOX_SECRET_KEY };
  const refusal = (description: string, errorCode: number, errorName: string) => ({
    status: 401,
    body: { description, code: 401, correlationId: expect.stringMatching(/^[0-9a-f]{32}$/), errorCode, errorName },
  });

  it('verifies the exact request target, query string included', async () => {
    const path = `/resources/applicants/${SUMSUB_IDS.green}/one?fields=info`;
    expect((await call(path, sumsubAuthHeaders(creds, 'GET', path))).status).toBe(200);
    const signedWithoutQuery = sumsubAuthHeaders(creds, 'GET', `/resources/applicants/${SUMSUB_IDS.green}/one`);
    expect(await call(path, signedWithoutQuery)).toEqual(
      refusal('Request signature mismatch', 4003, 'app-token-signature mismatch'),
    );
  });

  it('refuses a timestamp more than a minute off, and upper-case hex', async () => {
    const path = `/resources/applicants/${SUMSUB_IDS.green}/one`;
    const stale = sumsubAuthHeaders(creds, 'GET', path, '', Math.floor(Date.now() / 1000) - 120);
    expect(await call(path, stale)).toEqual(
      refusal('Request timestamp is too far from the server time', 4002, 'app-token-ts-invalid'),
    );
    const headers = sumsubAuthHeaders(creds, 'GET', path);
    const upper = { ...headers, 'x-app-access-sig': (headers['x-app-access-sig'] as string).toUpperCase() };
    expect(await call(path, upper)).toEqual(
      refusal('Request signature mismatch', 4003, 'app-token-signature mismatch'),
    );
  });

  it('is UPSTREAM_AUTH_FAILED through the adapter when the clocks are skewed', async () => {
    const skewed = await startSumsubSimulator({ clockOffsetSeconds: 300 });
    const adapter = adapterFor(skewed);
    try {
      expect((await failure(adapter.fetchSession(SUMSUB_IDS.green))).code).toBe('UPSTREAM_AUTH_FAILED');
    } finally {
      await adapter.close();
      await skewed.close();
    }
  });

  it('signs the POST body of testCompleted: a changed body is refused', async () => {
    const path = `/resources/applicants/${SUMSUB_IDS.control}/status/testCompleted`;
    const headers = {
      'content-type': 'application/json',
      ...sumsubAuthHeaders(creds, 'POST', path, '{"reviewAnswer":"GREEN"}'),
    };
    expect(await call(path, headers, 'POST', '{"reviewAnswer":"RED"}')).toEqual(
      refusal('Request signature mismatch', 4003, 'app-token-signature mismatch'),
    );
  });
});

/** A loopback receiver for the simulator's webhooks. */
async function receiver(): Promise<{
  url: string;
  got: Array<{ headers: IncomingHttpHeaders; body: Buffer }>;
  server: Server;
}> {
  const got: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    got.push({ headers: req.headers, body: Buffer.concat(chunks) });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/sumsub`, got, server };
}

describe('Sumsub sandbox control and timed scenarios', () => {
  const WEBHOOK = { secret: 'sandbox-webhook-secret' };
  const hook = sumsubWebhook(WEBHOOK);
  const readDelivery = (d: { headers: IncomingHttpHeaders; body: Buffer }) => {
    const verified = hook.verify(d.headers, d.body, 0);
    const body = JSON.parse(d.body.toString('utf8')) as Record<string, unknown>;
    return { ok: verified.ok, reading: hook.read(body, 0), review: body.reviewResult ?? null };
  };

  it('testCompleted sets the verdict, answers {ok: 1} and sends a signed applicantReviewed', async () => {
    const sink = await receiver();
    const sim = await startSumsubSimulator({ webhook: WEBHOOK });
    sim.webhooks?.deliverTo(sink.url);
    const adapter = adapterFor(sim);
    try {
      expect((await adapter.fetchSession(SUMSUB_IDS.control)).status).toBe('IN_PROGRESS');
      const path = `/resources/applicants/${SUMSUB_IDS.control}/status/testCompleted`;
      const body = JSON.stringify({ reviewAnswer: 'RED', rejectLabels: ['FORGERY'], reviewRejectType: 'FINAL' });
      const creds = { appToken: SUMSUB_SANDBOX_APP_TOKEN, secretKey: SUMSUB_SANDBOX_SECRET_KEY };
      const res = await request(`${sim.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...sumsubAuthHeaders(creds, 'POST', path, body) },
        body,
      });
      expect([res.statusCode, await res.body.json()]).toEqual([200, { ok: 1 }]);
      const s = await adapter.fetchSession(SUMSUB_IDS.control);
      expect([s.status, s.providerStatus, s.reasonCode]).toEqual(['DECLINED', 'completed/RED/FINAL', 'FORGERY']);
      expect(await waitFor(() => sink.got.length === 1)).toBe(true);
      expect(readDelivery(sink.got[0] as { headers: IncomingHttpHeaders; body: Buffer })).toEqual({
        ok: true,
        reading: { kind: 'session', event: 'applicantReviewed', sessionId: SUMSUB_IDS.control },
        review: { reviewAnswer: 'RED', rejectLabels: ['FORGERY'], reviewRejectType: 'FINAL' },
      });
    } finally {
      await adapter.close();
      await sim.close();
      sink.server.close();
    }
  });

  it('the late reversal: GREEN, then RED/FINAL, each with a signed applicantReviewed', async () => {
    const sink = await receiver();
    const sim = await startSumsubSimulator({ webhook: WEBHOOK, timelineStepMs: 150 });
    sim.webhooks?.deliverTo(sink.url);
    const adapter = adapterFor(sim);
    try {
      expect((await adapter.fetchSession(SUMSUB_IDS.reversal)).status).toBe('IN_PROGRESS');
      expect(await waitFor(() => sink.got.length === 2)).toBe(true);
      expect(sink.got.map(readDelivery)).toEqual([
        {
          ok: true,
          reading: { kind: 'session', event: 'applicantReviewed', sessionId: SUMSUB_IDS.reversal },
          review: { reviewAnswer: 'GREEN', rejectLabels: [] },
        },
        {
          ok: true,
          reading: { kind: 'session', event: 'applicantReviewed', sessionId: SUMSUB_IDS.reversal },
          review: {
            reviewAnswer: 'RED',
            rejectLabels: ['FORGERY', 'BLACKLIST'],
            reviewRejectType: 'FINAL',
            moderationComment: 'We could not verify your identity.',
            clientComment: PRIVATE_CLIENT_COMMENT,
          },
        },
      ]);
      const s = await adapter.fetchSession(SUMSUB_IDS.reversal);
      expect([s.status, s.providerStatus]).toEqual(['DECLINED', 'completed/RED/FINAL']);
    } finally {
      await adapter.close();
      await sim.close();
      sink.server.close();
    }
  });
});

describe('Sumsub webhook digest (X-Payload-Digest)', () => {
  // Sumsub's documented GREEN webhook, serialised compactly; digests computed independently with
  // `printf '%s' "$BODY" | openssl dgst -<alg> -hmac 'SoMe_SeCrEt_KeY'`.
  const BODY = Buffer.from(JSON.stringify(DOCUMENTED_GREEN_WEBHOOK));
  const SECRET = 'SoMe_SeCrEt_KeY';
  const DELIVERY = 'sha256=11c25196f0dc028a389b81de509e432fe338d84720072c0e6c56aa32e2122016';
  const VECTORS = {
    HMAC_SHA1_HEX: 'af2ed1a51383be20d93b6f8a39c7bbf0fd57e9ff',
    HMAC_SHA256_HEX: 'f8161c4e081bfc0cfc81ba6285331c49fcfc30b0edf0b3c6d29ac0157d03a953',
    HMAC_SHA512_HEX:
      '060db2191dbd6a67382db357bacbe5f721e9c812c67298e7181aaa9e2a22b628be6b3358e22326e48a82d2da3be0ca93d3bd293fa9e963e804daa671d3c1a4a0',
  };
  const hook = sumsubWebhook({ secret: SECRET });
  const headers = (digest: string, alg?: string) => ({
    'x-payload-digest': digest,
    ...(alg ? { 'x-payload-digest-alg': alg } : {}),
  });

  it.each(Object.entries(VECTORS))('verifies the %s golden vector; one changed byte fails', (alg, digest) => {
    expect(hook.verify(headers(digest, alg), BODY, 0)).toEqual({ ok: true, deliveryId: DELIVERY, scheme: alg });
    const changed = Buffer.from(BODY);
    changed[10] = (changed[10] as number) ^ 1;
    expect(hook.verify(headers(digest, alg), changed, 0)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('reads a missing algorithm header as the legacy SHA-1', () => {
    expect(hook.verify(headers(VECTORS.HMAC_SHA1_HEX), BODY, 0)).toEqual({
      ok: true,
      deliveryId: DELIVERY,
      scheme: 'HMAC_SHA1_HEX',
    });
    expect(hook.verify(headers(VECTORS.HMAC_SHA256_HEX), BODY, 0)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('keys the delivery on the signed body, so re-cased hex is the same delivery', () => {
    expect(verifySumsubDigest(VECTORS.HMAC_SHA256_HEX.toUpperCase(), 'HMAC_SHA256_HEX', BODY, SECRET)).toEqual({
      ok: true,
      deliveryId: DELIVERY,
      scheme: 'HMAC_SHA256_HEX',
    });
  });

  it('refuses a missing digest, an unknown algorithm and another secret', () => {
    expect(hook.verify({}, BODY, 0)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(hook.verify(headers(VECTORS.HMAC_SHA256_HEX, 'HMAC_MD5_HEX'), BODY, 0)).toEqual({
      ok: false,
      reason: 'malformed_signature',
    });
    expect(verifySumsubDigest(VECTORS.HMAC_SHA256_HEX, 'HMAC_SHA256_HEX', BODY, 'other')).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('reads applicant* events as hints and acknowledges the others', () => {
    expect(hook.read(DOCUMENTED_GREEN_WEBHOOK, 0)).toEqual({
      kind: 'session',
      event: 'applicantReviewed',
      sessionId: '5cb56e8e0a975a35f333cb83',
    });
    for (const type of [
      'applicantPending',
      'applicantCreated',
      'applicantOnHold',
      'applicantReset',
      'applicantWorkflowCompleted',
    ]) {
      expect(hook.read({ type, applicantId: SUMSUB_IDS.green }, 0)).toEqual({
        kind: 'session',
        event: type,
        sessionId: SUMSUB_IDS.green,
      });
    }
    expect(hook.read({ type: 'kytCaseReviewed', caseId: 'x' }, 0)).toEqual({
      kind: 'ignored',
      event: 'kytCaseReviewed',
    });
    expect(hook.read({ type: 'applicantReviewed' }, 0)).toEqual({ kind: 'invalid', reason: 'invalid_payload' });
    expect(hook.read({ type: 'applicantReviewed', applicantId: '../x' }, 0)).toEqual({
      kind: 'invalid',
      reason: 'invalid_payload',
    });
    expect(hook.read([], 0)).toEqual({ kind: 'invalid', reason: 'invalid_payload' });
  });
});

describe('Sumsub config section', () => {
  const parse = (env: Record<string, string>) =>
    Object.fromEntries(Object.entries(sumsubConfig.env).map(([name, schema]) => [name, schema.parse(env[name])]));
  const run = (env: Record<string, string>, production = false) => {
    const problems: string[] = [];
    const values = parse(env);
    const mode = sumsubConfig.mode(values, { production }, problems);
    const webhook = sumsubConfig.webhook?.(values, mode, problems) ?? null;
    return { mode, webhook, problems };
  };

  it('is live with the token and key, on the default base URL', () => {
    expect(run({ SUMSUB_APP_TOKEN: 'prd:t', SUMSUB_SECRET_KEY: 'k', SUMSUB_WEBHOOK_SECRET: 'w' })).toEqual({
      mode: { mode: 'live', live: { baseUrl: SUMSUB_DEFAULT_BASE_URL, appToken: 'prd:t', secretKey: 'k' } },
      webhook: { secret: 'w' },
      problems: [],
    });
    expect(
      run({ SUMSUB_APP_TOKEN: 't', SUMSUB_SECRET_KEY: 'k', SUMSUB_BASE_URL: 'http://127.0.0.1:9/sumsub' }).mode,
    ).toEqual({ mode: 'live', live: { baseUrl: 'http://127.0.0.1:9/sumsub', appToken: 't', secretKey: 'k' } });
  });

  it('is a sandbox with a generated webhook secret when nothing is set, off in production', () => {
    const sandbox = run({});
    expect(sandbox.mode).toEqual({ mode: 'sandbox' });
    expect(sandbox.webhook?.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(run({}, true)).toEqual({ mode: { mode: 'off' }, webhook: null, problems: [] });
  });

  it('reports a half-configured Sumsub and a webhook secret without the API', () => {
    expect(run({ SUMSUB_APP_TOKEN: 't' })).toEqual({
      mode: { mode: 'off' },
      webhook: null,
      problems: ['SUMSUB_SECRET_KEY: required when SUMSUB_APP_TOKEN is set (Sumsub signs every request)'],
    });
    expect(run({ SUMSUB_BASE_URL: 'https://proxy.example' }).problems).toEqual([
      'SUMSUB_APP_TOKEN: required when SUMSUB_BASE_URL is set (Sumsub signs every request)',
      'SUMSUB_SECRET_KEY: required when SUMSUB_BASE_URL is set (Sumsub signs every request)',
    ]);
    expect(run({ SUMSUB_WEBHOOK_SECRET: 'w' }, true)).toEqual({
      mode: { mode: 'off' },
      webhook: null,
      problems: ['SUMSUB_WEBHOOK_SECRET: set, but SUMSUB is not configured (webhooks refresh its sessions)'],
    });
  });
});
