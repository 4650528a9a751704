import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlaidSigner, PlaidWebhookConfig } from '../src/providers/plaid/config.ts';
import { generatePlaidSigner } from '../src/providers/plaid/config.ts';
import { type Json, verification } from '../src/providers/plaid/sandbox/scenarios.ts';
import type { PlaidSimulator } from '../src/providers/plaid/sandbox/simulator.ts';
import { plaidWebhookBody, signPlaidDelivery } from '../src/providers/plaid/sandbox/webhookSender.ts';
import type { StartSessionRequest } from '../src/providers/start.ts';
import { READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { originOf, postWebhook, waitFor } from './support/webhooks.ts';

const WHOLE = `query One($id: String!) { session(provider: PLAID, id: $id) {
  provider providerSessionId status providerStatus isTerminal reasonCode reasonDescription createdAt sandbox
  sensitiveDataExpired reference metadata
  applicant { firstName lastName fullName dateOfBirth email phone address { line1 line2 city state postalCode country } }
  kyc { status providerStatus documentType documentNumber issuingCountry issuingState dateOfIssue expirationDate
    firstName lastName fullName dateOfBirth issues address { line1 city state postalCode country } images { portrait front back fullFront } }
  face { status providerStatus faceMatchStatus livenessStatus faceMatchPassed faceMatchScore }
  aml { status providerStatus totalHits hits { id } }
  databaseValidation { status providerStatus validationType results { serviceId outcome fullNameMatch dateOfBirthMatch identificationNumberMatch } }
  location { ip { address isVpnOrTor timeZoneOffset } }
  warnings { feature risk logType shortDescription additionalData }
  checks {
    documents { nodeId status providerStatus kyc { documentType issues } }
    liveness { nodeId status providerStatus method videoUrl }
    faceMatches { nodeId status providerStatus }
    aml { nodeId status providerStatus }
    databaseValidations { status providerStatus }
  }
} }`;
const STATUS =
  'query One($id: String!) { session(provider: PLAID, id: $id) { providerSessionId status providerStatus isTerminal } }';
const PERSONAL = `query One($id: String!) { session(provider: PLAID, id: $id) {
  applicant { fullName dateOfBirth email phone address { line1 postalCode } }
  kyc { documentNumber dateOfBirth images { front } }
  location { ip { address } }
} }`;
const status = (id: string, unified: string, word: string) => ({
  data: {
    session: {
      providerSessionId: id,
      status: unified,
      providerStatus: word,
      isTerminal: ['APPROVED', 'DECLINED', 'EXPIRED', 'ABANDONED', 'ERROR'].includes(unified),
    },
  },
});
const errorOf = (body: { errors?: Array<{ extensions?: Record<string, unknown>; message: string }> }) =>
  body.errors?.map((e): Record<string, unknown> => ({ message: e.message, ...e.extensions }));

/** The spec's example with every value the reader shows changed: a passport holder whose selfie failed. */
const CHANGED: Json = verification(
  'idv_7Hq2LmP9xZ',
  'failed',
  { selfie_check: 'failed', watchlist_screening: 'success', risk_check: 'success' },
  (v) => {
    v.client_user_id = 'customer-8812';
    v.created_at = '2026-11-30T18:04:11Z';
    v.completed_at = '2026-11-30T18:09:40Z';
    v.previous_attempt_id = null;
    v.template = { id: 'idvtmp_Zq81', version: 7 };
    v.watchlist_screening_id = 'scr_Q1w2E3';
    v.user = {
      phone_number: '+447700900123',
      date_of_birth: '1988-02-29',
      ip_address: '198.51.100.23',
      email_address: 'april@example.org',
      name: { given_name: 'April', family_name: 'Ludgate' },
      address: {
        street: '9 Rue Lafayette',
        street2: null,
        city: 'Paris',
        region: null,
        postal_code: '75009',
        country: 'FR',
      },
      id_number: null,
    };
    const doc = v.documentary_verification.documents[0] as Json;
    doc.attempt = 2;
    doc.extracted_data = {
      id_number: 'P99887766',
      category: 'passport',
      expiration_date: '2031-01-15',
      issue_date: '2021-01-15',
      issuing_country: 'FR',
      issuing_region: null,
      date_of_birth: '1988-02-29',
      address: null,
      name: { given_name: 'April', family_name: 'Ludgate' },
    };
    doc.analysis = {
      ...(doc.analysis as Json),
      authenticity: 'match',
      image_quality: 'medium',
      extracted_data: {
        name: 'match',
        date_of_birth: 'match',
        expiration_date: 'not_expired',
        issuing_country: 'match',
      },
    };
    v.documentary_verification.documents = [
      { ...doc, attempt: 1, status: 'failed', analysis: { ...(doc.analysis as Json), image_quality: 'low' } },
      doc,
    ];
    v.selfie_check.selfies = [
      {
        status: 'failed',
        attempt: 1,
        capture: { image_url: null, video_url: 'https://example.plaid.com/s/1.webm' },
        analysis: { document_comparison: 'no_match', liveness_check: 'success' },
      },
    ];
    v.kyc_check = {
      status: 'success',
      address: { summary: 'partial_match', po_box: 'no', type: 'residential' },
      name: { summary: 'match' },
      date_of_birth: { summary: 'match' },
      id_number: { summary: 'no_input' },
      phone_number: { summary: 'no_data', area_code: 'no_data' },
    };
    v.risk_check = {
      status: 'success',
      behavior: { user_interactions: 'genuine', fraud_ring_detected: 'no', bot_detected: 'no' },
      email: {
        is_deliverable: 'yes',
        breach_count: 0,
        domain_is_disposable: 'no',
        top_level_domain_is_suspicious: 'no',
      },
      phone: { linked_services: [] },
      devices: [{ ip_proxy_type: 'vpn', ip_spam_list_count: 0, ip_timezone_offset: '+01:00:00' }],
      identity_abuse_signals: null,
      facial_duplicates: [],
      trust_index_score: 41,
    };
  },
);

/** A Plaid-speaking server of the test's own, answering from the spec's shapes with values the simulator never has. */
interface Recorded {
  path: string;
  headers: IncomingMessage['headers'];
  body: Json;
}
async function startPlaidLike(): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const plaidError = (type: string, code: string) => ({
    error_type: type,
    error_code: code,
    error_message: 'changed message',
    display_message: null,
    request_id: 'req_test',
  });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    const send = (code: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
    };
    const id = body.identity_verification_id;
    if (id === 'idv_7Hq2LmP9xZ') return send(200, { ...CHANGED, request_id: 'req_test' });
    if (id === 'idv_Gone404') return send(404, plaidError('INVALID_REQUEST', 'NOT_FOUND'));
    if (id === 'idv_Gone400') return send(400, plaidError('INVALID_REQUEST', 'NOT_FOUND'));
    if (id === 'idv_Keys') return send(400, plaidError('INVALID_INPUT', 'INVALID_API_KEYS'));
    if (id === 'idv_Busy') return send(429, plaidError('RATE_LIMIT_EXCEEDED', 'RATE_LIMIT'), { 'retry-after': '7' });
    if (id === 'idv_BusyQuiet') return send(429, plaidError('RATE_LIMIT_EXCEEDED', 'RATE_LIMIT'));
    if (req.url === '/identity_verification/create')
      return send(400, {
        ...plaidError('INVALID_REQUEST', 'INVALID_FIELD'),
        error_message: `bad ${body.client_user_id}`,
      });
    return send(500, plaidError('API_ERROR', 'INTERNAL_SERVER_ERROR'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

describe('Plaid, live against a Plaid-speaking server', () => {
  let plaid: Awaited<ReturnType<typeof startPlaidLike>>;
  let tg: TestGateway;
  beforeAll(async () => {
    plaid = await startPlaidLike();
    tg = await startTestGateway({
      PLAID_CLIENT_ID: 'client-live-1',
      PLAID_SECRET: 'secret-live-1',
      PLAID_ENV: 'production',
      PLAID_BASE_URL: plaid.url,
    });
  });
  afterAll(async () => {
    await tg?.close();
    await new Promise((resolve) => plaid?.server.close(resolve));
  });

  it('posts /identity_verification/get with the keys in headers and the version pinned', async () => {
    plaid.requests.length = 0;
    await tg.query(STATUS, { id: 'idv_7Hq2LmP9xZ' });
    expect(plaid.requests.map((r) => [r.path, r.body])).toEqual([
      ['/identity_verification/get', { identity_verification_id: 'idv_7Hq2LmP9xZ' }],
    ]);
    const { headers } = plaid.requests[0] as Recorded;
    expect([
      headers['plaid-client-id'],
      headers['plaid-secret'],
      headers['plaid-version'],
      headers['content-type'],
    ]).toEqual(['client-live-1', 'secret-live-1', '2020-09-14', 'application/json']);
  });

  it('answers the whole normalised verification: steps to parts, step words per check, failed step as the reason', async () => {
    const { body } = await tg.query(WHOLE, { id: 'idv_7Hq2LmP9xZ' });
    expect(body).toEqual({
      data: {
        session: {
          provider: 'PLAID',
          providerSessionId: 'idv_7Hq2LmP9xZ',
          status: 'DECLINED',
          providerStatus: 'failed',
          isTerminal: true,
          reasonCode: 'selfie_check',
          reasonDescription: 'Failed steps: selfie_check',
          createdAt: '2026-11-30T18:04:11.000Z',
          sandbox: false,
          sensitiveDataExpired: false,
          reference: 'customer-8812',
          metadata: {
            template: { id: 'idvtmp_Zq81', version: 7 },
            steps: {
              accept_tos: 'success',
              verify_sms: 'success',
              kyc_check: 'success',
              documentary_verification: 'success',
              selfie_check: 'failed',
              watchlist_screening: 'success',
              risk_check: 'success',
            },
            completed_at: '2026-11-30T18:09:40.000Z',
            previous_attempt_id: null,
            watchlist_screening_id: 'scr_Q1w2E3',
            beacon_user_id: 'becusr_42cF1MNo42r9Xj',
            user_id: 'usr_dddAs9ewdcDQQQ',
            kyc_check: {
              address: { summary: 'partial_match', po_box: 'no', type: 'residential' },
              phone_number: { summary: 'no_data', area_code: 'no_data' },
            },
            risk_check: { status: 'success', trust_index_score: 41 },
          },
          applicant: {
            firstName: 'April',
            lastName: 'Ludgate',
            fullName: 'April Ludgate',
            dateOfBirth: '1988-02-29',
            email: 'april@example.org',
            phone: '+447700900123',
            address: {
              line1: '9 Rue Lafayette',
              line2: null,
              city: 'Paris',
              state: null,
              postalCode: '75009',
              country: 'FR',
            },
          },
          kyc: {
            status: 'APPROVED',
            providerStatus: 'success',
            documentType: 'passport',
            documentNumber: 'P99887766',
            issuingCountry: 'FR',
            issuingState: null,
            dateOfIssue: '2021-01-15',
            expirationDate: '2031-01-15',
            firstName: 'April',
            lastName: 'Ludgate',
            fullName: 'April Ludgate',
            dateOfBirth: '1988-02-29',
            issues: ['image_quality:medium'],
            address: null,
            images: {
              portrait: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/face.jpeg',
              front: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/cropped_front.jpeg',
              back: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/cropped_back.jpeg',
              fullFront: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/original_front.jpeg',
            },
          },
          face: {
            status: 'DECLINED',
            providerStatus: 'failed',
            faceMatchStatus: 'DECLINED',
            livenessStatus: 'APPROVED',
            faceMatchPassed: false,
            faceMatchScore: null,
          },
          aml: { status: 'APPROVED', providerStatus: 'success', totalHits: null, hits: [] },
          databaseValidation: {
            status: 'APPROVED',
            providerStatus: 'success',
            validationType: 'kyc_check',
            results: [
              {
                serviceId: 'kyc_check',
                outcome: 'success',
                fullNameMatch: 'match',
                dateOfBirthMatch: 'match',
                identificationNumberMatch: 'no_input',
              },
            ],
          },
          location: { ip: { address: '198.51.100.23', isVpnOrTor: true, timeZoneOffset: '+01:00:00' } },
          warnings: [
            {
              feature: 'risk_check',
              risk: 'IP_PROXY_DETECTED',
              logType: 'warning',
              shortDescription: 'The device used a proxy',
              additionalData: { ip_proxy_type: ['vpn'] },
            },
          ],
          checks: {
            documents: [
              {
                nodeId: 'attempt-1',
                status: 'DECLINED',
                providerStatus: 'failed',
                kyc: { documentType: 'passport', issues: ['image_quality:low'] },
              },
              {
                nodeId: 'attempt-2',
                status: 'APPROVED',
                providerStatus: 'success',
                kyc: { documentType: 'passport', issues: ['image_quality:medium'] },
              },
            ],
            liveness: [
              {
                nodeId: 'attempt-1',
                status: 'APPROVED',
                providerStatus: 'success',
                method: 'video',
                videoUrl: 'https://example.plaid.com/s/1.webm',
              },
            ],
            faceMatches: [{ nodeId: 'attempt-1', status: 'DECLINED', providerStatus: 'no_match' }],
            aml: [{ nodeId: 'scr_Q1w2E3', status: 'APPROVED', providerStatus: 'success' }],
            databaseValidations: [{ status: 'APPROVED', providerStatus: 'success' }],
          },
        },
      },
    });
  });

  it('masks personal data without pii:read, through the schema’s @pii', async () => {
    const full = await tg.query(PERSONAL, { id: 'idv_7Hq2LmP9xZ' });
    const masked = await tg.query(PERSONAL, { id: 'idv_7Hq2LmP9xZ' }, READ_ONLY_KEY);
    expect(full.body.data).toEqual({
      session: {
        applicant: {
          fullName: 'April Ludgate',
          dateOfBirth: '1988-02-29',
          email: 'april@example.org',
          phone: '+447700900123',
          address: { line1: '9 Rue Lafayette', postalCode: '75009' },
        },
        kyc: {
          documentNumber: 'P99887766',
          dateOfBirth: '1988-02-29',
          images: {
            front: 'https://example.plaid.com/verifications/idv_52xR9LKo77r1Np/documents/1/cropped_front.jpeg',
          },
        },
        location: { ip: { address: '198.51.100.23' } },
      },
    });
    expect(masked.body).toEqual({ data: MASKED });
  });

  it.each([
    ['idv_Gone404', { message: 'Plaid has no such session.', code: 'NOT_FOUND', provider: 'PLAID' }],
    ['idv_Gone400', { message: 'Plaid has no such session.', code: 'NOT_FOUND', provider: 'PLAID' }],
    [
      'idv_Keys',
      { message: "Plaid rejected Verigate's credentials (HTTP 400).", code: 'UPSTREAM_AUTH_FAILED', provider: 'PLAID' },
    ],
    [
      'idv_Busy',
      {
        message: 'Plaid is rate limiting Verigate; retry in 7 s.',
        code: 'UPSTREAM_RATE_LIMITED',
        provider: 'PLAID',
        retryAfterSeconds: 7,
      },
    ],
    [
      'idv_BusyQuiet',
      {
        message: 'Plaid is rate limiting Verigate; retry in 60 s.',
        code: 'UPSTREAM_RATE_LIMITED',
        provider: 'PLAID',
        retryAfterSeconds: 60,
      },
    ],
  ])('maps Plaid’s error body for %s by its error_code', async (id, error) => {
    const { body } = await tg.query(STATUS, { id });
    expect(body.data).toEqual({ session: null });
    expect(errorOf(body)).toEqual([error]);
  });

  it('refuses malformed ids with BAD_USER_INPUT before any call', async () => {
    plaid.requests.length = 0;
    for (const id of ['idv_', 'idv_a-b', 'inq_abc', `idv_${'x'.repeat(65)}`]) {
      const { body } = await tg.query(STATUS, { id });
      expect(errorOf(body)?.[0]?.code, id).toBe('BAD_USER_INPUT');
    }
    expect(plaid.requests).toEqual([]);
  });

  it('starts a verification from the prefill, and a 400 about the input is BAD_USER_INPUT without its message', async () => {
    plaid.requests.length = 0;
    const adapter = tg.gateway.registry.adapter('PLAID');
    const start = adapter?.startSession?.(startRequest('idvtmp_Live1', { givenName: 'April', familyName: null }));
    await expect(start).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: "Plaid refused the verification's input (INVALID_FIELD).",
    });
    expect(plaid.requests.map((r) => [r.path, r.body])).toEqual([
      [
        '/identity_verification/create',
        {
          client_user_id: 'user-42',
          template_id: 'idvtmp_Live1',
          is_shareable: true,
          gave_consent: false,
          is_idempotent: true,
          user: { email_address: 'april@example.org', phone_number: '+447700900123', date_of_birth: '1988-02-29' },
        },
      ],
    ]);
    await expect(adapter?.startSession?.(startRequest('tmpl_1'))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(plaid.requests).toHaveLength(1);
  });
});

const MASKED = {
  session: {
    applicant: {
      fullName: 'A. L.',
      dateOfBirth: null,
      email: 'a***@example.org',
      phone: '****0123',
      address: { line1: null, postalCode: null },
    },
    kyc: { documentNumber: '****7766', dateOfBirth: null, images: { front: null } },
    location: { ip: { address: null } },
  },
};

function startRequest(
  flow: string,
  name: { givenName: string | null; familyName: string | null } = { givenName: 'April', familyName: 'Ludgate' },
): StartSessionRequest {
  return {
    flow,
    subjectRef: 'user-42',
    country: 'US',
    prefill: { ...name, dateOfBirth: '1988-02-29', email: 'april@example.org', phone: '+447700900123' },
    returnUrl: null,
    locale: null,
    idempotencyKey: 'idem-0001-plaid',
    resumeFrom: null,
    checkpoint: async () => {},
  };
}

describe('Plaid on its sandbox', () => {
  let tg: TestGateway;
  let sim: PlaidSimulator;
  let hook: PlaidWebhookConfig;
  const origin = () => originOf(tg.gateway.url);
  const reads = () => sim.requestCount('/identity_verification/get');
  const keyFetches = () => sim.requestCount('/webhook_verification_key/get');
  const now = () => Math.floor(Date.now() / 1000);
  beforeAll(async () => {
    tg = await startTestGateway(
      { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' },
      { timelineStepMs: 300, refresher: { minIntervalMs: 50, backoffMs: 50 } },
    );
    sim = tg.simulator('PLAID') as PlaidSimulator;
    hook = tg.config.webhooks.plaid as PlaidWebhookConfig;
  });
  afterAll(() => tg?.close());

  it('tells why a session was declined, and whose turn an active one is', async () => {
    const adapter = tg.gateway.registry.adapter('PLAID');
    const reasons = async (id: string) => (await adapter?.fetchSession(id))?.declineReasons;
    const reason = (category: string, providerCode: string, retryable: boolean, vendorSignal: boolean) => ({
      category,
      retryable,
      retryScope: retryable ? 'NEW_SESSION' : 'NONE',
      vendorSignal,
      providerCode,
      userMessage: null,
    });
    expect(await reasons('idv_FailedDocument')).toEqual([
      reason('DOCUMENT_UNREADABLE', 'image_quality:low', true, false),
      reason('DOCUMENT_EXPIRED', 'expiration_date:expired', true, false),
    ]);
    expect(await reasons('idv_FailedSelfie')).toEqual([
      reason('FACE_MISMATCH', 'document_comparison:no_match', false, false),
    ]);
    expect(await reasons('idv_FailedKyc')).toEqual([
      reason('DATA_MISMATCH', 'name:no_match', true, false),
      reason('DATA_UNVERIFIED', 'date_of_birth:no_data', true, false),
    ]);
    expect(await reasons('idv_FailedScreening')).toEqual([
      reason('SANCTIONS_MATCH', 'watchlist_screening:failed', false, true),
    ]);
    expect(await reasons('idv_FailedRisk')).toEqual([reason('FRAUD_SUSPECTED', 'bot_detected:yes', false, true)]);
    expect(await reasons('idv_PendingReview')).toEqual([
      reason('SANCTIONS_MATCH', 'watchlist_screening:pending_review', false, true),
    ]);
    expect(await reasons('idv_Expired')).toEqual([reason('USER_FLOW_INCOMPLETE', 'expired', true, false)]);
    expect(await reasons('idv_52xR9LKo77r1Np')).toBeUndefined();
    expect((await adapter?.fetchSession('idv_Active'))?.turn).toBe('USER');
    expect((await adapter?.fetchSession('idv_Processing'))?.turn).toBe('VENDOR');
  });

  it('retries a read that Plaid answered 503 once, as a GET would be: /identity_verification/get changes nothing', async () => {
    sim.faults.inject({ kind: 'status', status: 503 }, { times: 1, path: '/identity_verification/get' });
    const before = reads();
    expect((await tg.query(STATUS, { id: 'idv_Canceled' })).body).toEqual(
      status('idv_Canceled', 'ABANDONED', 'canceled'),
    );
    expect(reads()).toBe(before + 2);
  });

  it('refreshes a cached session when the simulator’s signed webhooks arrive', async () => {
    expect((await tg.query(STATUS, { id: 'idv_Timed' })).body).toEqual(status('idv_Timed', 'IN_PROGRESS', 'active'));
    expect(await waitFor(() => (sim.webhooks?.delivered() ?? 0) >= 2, 10_000)).toBe(true);
    const approved = JSON.stringify(status('idv_Timed', 'APPROVED', 'success'));
    expect(
      await waitFor(async () => JSON.stringify((await tg.query(STATUS, { id: 'idv_Timed' })).body) === approved),
    ).toBe(true);
  });

  describe('forged deliveries', () => {
    const body = plaidWebhookBody('STATUS_UPDATED', 'idv_52xR9LKo77r1Np');
    const b64 = (v: string | Buffer) => Buffer.from(v).toString('base64url');
    const post = (headers: Record<string, string>, raw = body) =>
      postWebhook(origin(), 'plaid', { body: raw, headers });
    const signer = () => hook.signer as PlaidSigner;
    const refused = { status: 401, body: { error: 'unauthorized' } };

    beforeAll(async () => {
      // A genuine delivery first, so the simulator's key is cached, and its refresh caches the session's answer.
      const before = reads();
      expect(await post(signPlaidDelivery(signer(), body).headers)).toEqual({ status: 200, body: { received: true } });
      expect(await waitFor(() => reads() > before)).toBe(true);
      await tg.query(STATUS, { id: 'idv_52xR9LKo77r1Np' });
    });

    it.each([
      [
        'alg none',
        () => {
          const payload = b64(JSON.stringify({ iat: now(), request_body_sha256: sha256(body) }));
          return { 'plaid-verification': `${b64(JSON.stringify({ alg: 'none', kid: signer().kid }))}.${payload}.` };
        },
      ],
      [
        'HS256 with the public key as its secret',
        () => {
          const header = b64(JSON.stringify({ alg: 'HS256', kid: signer().kid, typ: 'JWT' }));
          const payload = b64(JSON.stringify({ iat: now(), request_body_sha256: sha256(body) }));
          const pem = signer().publicKey.export({ format: 'pem', type: 'spki' });
          return { 'plaid-verification': `${header}.${payload}.${hmac(pem, `${header}.${payload}`)}` };
        },
      ],
      [
        'the hash of another body',
        () => signPlaidDelivery(signer(), plaidWebhookBody('RETRIED', 'idv_52xR9LKo77r1Np')).headers,
      ],
      ['an iat six minutes old', () => signPlaidDelivery(signer(), body, now() - 360).headers],
      ['an unknown kid', () => signPlaidDelivery(generatePlaidSigner(), body).headers],
      ['a key Plaid has expired', () => signPlaidDelivery(sim.addKey(now() - 10), body).headers],
      ['no header at all', () => ({})],
    ])('refuses %s with 401 and leaves the session alone', async (_, headers) => {
      hook.keyRefetchIntervalMs = 0; // every unknown kid is fetched here, so each refusal is for its own reason
      const before = reads();
      expect(await post(headers())).toEqual(refused);
      expect(reads()).toBe(before);
      expect((await tg.query(STATUS, { id: 'idv_52xR9LKo77r1Np' })).body).toEqual(
        status('idv_52xR9LKo77r1Np', 'APPROVED', 'success'),
      );
      expect(reads()).toBe(before);
    });

    it('fetches the key endpoint at most once per window for a flood of unknown kids', async () => {
      hook.keyRefetchIntervalMs = 60_000;
      const fetched = keyFetches();
      const flood = Array.from({ length: 40 }, () => signPlaidDelivery(generatePlaidSigner(), body).headers);
      const answers = await Promise.all(flood.map((headers) => post(headers)));
      expect(answers.every((a) => a.status === 401)).toBe(true);
      expect(keyFetches() - fetched).toBeLessThanOrEqual(1);
      // The cached key still verifies meanwhile; its refresh is waited for, so the next test starts quiet.
      const before = reads();
      expect(await post(signPlaidDelivery(signer(), body).headers)).toEqual({ status: 200, body: { received: true } });
      expect(await waitFor(() => reads() > before)).toBe(true);
      hook.keyRefetchIntervalMs = 5_000;
    });

    it('acknowledges another product’s webhook without a refresh', async () => {
      const other = JSON.stringify({
        webhook_type: 'ITEM',
        webhook_code: 'ERROR',
        item_id: 'x',
        environment: 'sandbox',
      });
      const before = reads();
      expect(await post(signPlaidDelivery(signer(), other).headers, other)).toEqual({
        status: 200,
        body: { received: true },
      });
      expect(reads()).toBe(before);
    });
  });

  describe('a started verification and its hosted page', () => {
    const started = async (ref: string) => {
      const adapter = tg.gateway.registry.adapter('PLAID');
      const s = await adapter?.startSession?.({ ...startRequest('idvtmp_Sandbox1'), subjectRef: ref });
      if (!s) throw new Error('no start');
      return s;
    };
    const press = async (hostedUrl: string, form: Record<string, string>) => {
      const res = await request(hostedUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
      await res.body.dump();
      return res.statusCode;
    };
    const becomes = async (id: string, unified: string, word: string) => {
      const want = JSON.stringify(status(id, unified, word));
      return waitFor(async () => JSON.stringify((await tg.query(STATUS, { id })).body) === want);
    };

    it('is active with a shareable link to the simulator’s page; the same start again is the same verification', async () => {
      const s = await started('user-hosted-1');
      expect(s).toEqual({
        providerSessionId: expect.stringMatching(/^idv_[A-Za-z0-9]+$/),
        hostedUrl: expect.stringMatching(new RegExp(`^${sim.url}/verify/[A-Za-z0-9_-]{24}$`)),
        clientToken: null,
        expiresAt: null,
      });
      expect((await started('user-hosted-1')).providerSessionId).toBe(s.providerSessionId);
      expect((await tg.query(STATUS, { id: s.providerSessionId })).body).toEqual(
        status(s.providerSessionId, 'IN_PROGRESS', 'active'),
      );
      const page = await request(s.hostedUrl as string);
      expect(page.statusCode).toBe(200);
      expect(await page.body.text()).toContain('<strong data-state>active</strong>');
      // The link is a bearer token: the verification's id alone opens no page and moves nothing.
      expect(s.hostedUrl).not.toContain(s.providerSessionId);
      const byId = await request(`${sim.url}/verify/${s.providerSessionId}`);
      expect([byId.statusCode, await byId.body.text()]).toEqual([404, expect.stringContaining('No such verification')]);
      expect(await press(`${sim.url}/verify/${s.providerSessionId}`, { outcome: 'approve' })).toBe(404);
      expect((await tg.query(STATUS, { id: s.providerSessionId })).body).toEqual(
        status(s.providerSessionId, 'IN_PROGRESS', 'active'),
      );
    });

    it('approve → success, decline → failed with that step, resubmit → active again, abandon → canceled, each signed', async () => {
      const approve = await started('user-hosted-2');
      const delivered = sim.webhooks?.delivered() ?? 0;
      expect(await press(approve.hostedUrl as string, { outcome: 'approve' })).toBe(303);
      expect(await becomes(approve.providerSessionId, 'APPROVED', 'success')).toBe(true);

      const decline = await started('user-hosted-3');
      await tg.query(STATUS, { id: decline.providerSessionId });
      expect(await press(decline.hostedUrl as string, { outcome: 'decline', reason: 'selfie_check' })).toBe(303);
      expect(await becomes(decline.providerSessionId, 'DECLINED', 'failed')).toBe(true);
      const session = await tg.gateway.registry.adapter('PLAID')?.fetchSession(decline.providerSessionId);
      expect([session?.reasonCode, session?.declineReasons?.map((r) => r.category)]).toEqual([
        'selfie_check',
        ['FACE_MISMATCH'],
      ]);

      expect(await press(decline.hostedUrl as string, { outcome: 'resubmit', reason: 'selfie_check' })).toBe(303);
      expect(await becomes(decline.providerSessionId, 'IN_PROGRESS', 'active')).toBe(true);
      expect(await press(decline.hostedUrl as string, { outcome: 'abandon' })).toBe(303);
      expect(await becomes(decline.providerSessionId, 'ABANDONED', 'canceled')).toBe(true);
      // approve, decline, resubmit (RETRIED and STATUS_UPDATED), abandon: five signed deliveries, all accepted.
      expect(await waitFor(() => (sim.webhooks?.delivered() ?? 0) >= delivered + 5)).toBe(true);
    });

    it('refuses a template Plaid does not have with BAD_USER_INPUT', async () => {
      const adapter = tg.gateway.registry.adapter('PLAID');
      await expect(adapter?.startSession?.(startRequest('idvtmp_Missing'))).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        message: "Plaid refused the verification's input (INVALID_FIELD).",
      });
    });
  });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64url');
