import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import { PROVIDERS } from '../src/model/session.ts';
import { VERIFA_SCENARIOS } from '../src/providers/verifa/sandbox/scenarios.ts';
import { startVerifaSimulator, VERIFA_SANDBOX_API_KEY } from '../src/providers/verifa/sandbox/simulator.ts';
import type { Simulator } from '../src/sandbox/server.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

const SESSION_FIELDS = /* GraphQL */ `
  id provider providerSessionId status providerStatus isTerminal reasonCode reasonDescription createdAt sandbox
  sensitiveDataExpired reference metadata
  applicant { firstName lastName fullName dateOfBirth email phone nationality gender
    address { line1 line2 city state postalCode country formatted } }
  journey { durationSeconds }
  kyc { status providerStatus documentType documentNumber personalNumber issuingCountry issuingCountryName issuingState
    dateOfIssue expirationDate firstName middleName lastName fullName dateOfBirth age gender nationality placeOfBirth
    nfcVerified service confirmation issues images { portrait } }
  aml { status } face { status providerStatus faceMatchStatus livenessStatus faceMatchScore livenessScore faceMatchPassed
    ageEstimate ageCheckPassed genderEstimate { male } }
  location { status } warnings { risk } reviews { status }
`;
const QUERY = `query One($id: String!) { session(provider: VERIFA, id: $id) { ${SESSION_FIELDS} } }`;

const ADDRESS = {
  line1: '221 Harbor Street',
  line2: 'Apt 4B',
  city: 'Portland',
  state: 'OR',
  postalCode: '97205',
  country: null,
  formatted: null,
};

function expectedResult(id: string, status: string, providerStatus: string, extra: Record<string, unknown> = {}) {
  return {
    id: toGlobalId({ provider: 'VERIFA', id }),
    provider: 'VERIFA',
    providerSessionId: id,
    status,
    providerStatus,
    isTerminal: ['APPROVED', 'DECLINED'].includes(status),
    reasonCode: null,
    reasonDescription: null,
    createdAt: '2026-03-02T09:30:00.000Z',
    sandbox: true,
    sensitiveDataExpired: false,
    reference: `crm-${id}`,
    metadata: { external_ref: `crm-${id}`, metadata: { plan: 'premium', signup_channel: 'ios' } },
    applicant: {
      firstName: 'Jane',
      lastName: 'Sample',
      fullName: 'Jane Sample',
      dateOfBirth: '1991-04-12',
      email: null,
      phone: null,
      nationality: 'US',
      gender: 'F',
      address: ADDRESS,
    },
    journey: null,
    kyc: {
      status: null,
      providerStatus: null,
      documentType: 'drivers_license',
      documentNumber: 'D81234567',
      personalNumber: '123-45-6789',
      issuingCountry: 'US',
      issuingCountryName: null,
      issuingState: 'OR',
      dateOfIssue: null,
      expirationDate: '2031-04-12',
      firstName: 'Jane',
      middleName: null,
      lastName: 'Sample',
      fullName: 'Jane Sample',
      dateOfBirth: '1991-04-12',
      age: 34,
      gender: 'F',
      nationality: 'US',
      placeOfBirth: null,
      nfcVerified: null,
      service: null,
      confirmation: null,
      issues: [],
      images: null,
    },
    aml: null,
    face: {
      status: null,
      providerStatus: null,
      faceMatchStatus: null,
      livenessStatus: null,
      faceMatchScore: 0.962,
      livenessScore: null,
      faceMatchPassed: true,
      ageEstimate: null,
      ageCheckPassed: true,
      genderEstimate: null,
    },
    location: null,
    warnings: [],
    reviews: [],
    ...extra,
  };
}

function expectedSessionOnly(id: string, status: string, providerStatus: string, isTerminal: boolean) {
  return {
    id: toGlobalId({ provider: 'VERIFA', id }),
    provider: 'VERIFA',
    providerSessionId: id,
    status,
    providerStatus,
    isTerminal,
    reasonCode: null,
    reasonDescription: null,
    createdAt: '2026-03-02T09:30:00.000Z',
    sandbox: true,
    sensitiveDataExpired: false,
    reference: `crm-${id}`,
    metadata: { external_ref: `crm-${id}`, metadata: { plan: 'premium', signup_channel: 'ios' } },
    applicant: null,
    journey: null,
    kyc: null,
    aml: null,
    face: null,
    location: null,
    warnings: [],
    reviews: [],
  };
}

const withFace = (patch: Record<string, unknown>) => ({
  ...expectedResult('x', 'APPROVED', 'approved').face,
  ...patch,
});

const RESULT_CASES: Array<[string, Record<string, unknown>]> = [
  [
    'ses_abc123',
    expectedResult('ses_abc123', 'IN_REVIEW', 'needs_review', { face: withFace({ faceMatchScore: 0.91 }) }),
  ],
  ['ses_approved', expectedResult('ses_approved', 'APPROVED', 'approved')],
  [
    'ses_rejected',
    expectedResult('ses_rejected', 'DECLINED', 'rejected', {
      reasonCode: 'document_unreadable',
      reasonDescription: 'The document image was too blurry to read.',
      face: withFace({ faceMatchScore: 0.31, faceMatchPassed: false }),
    }),
  ],
  [
    'ses_resubmission',
    expectedResult('ses_resubmission', 'RESUBMISSION_REQUESTED', 'resubmission_required', {
      reasonCode: 'document_unreadable',
      reasonDescription: 'Please retake the photo of your document in better light.',
    }),
  ],
  [
    'ses_rejected_unknown_code',
    expectedResult('ses_rejected_unknown_code', 'DECLINED', 'rejected', {
      reasonCode: 'selfie_spoof_suspected',
      reasonDescription: 'We could not verify your identity.',
    }),
  ],
  ['ses_result_declined', expectedResult('ses_result_declined', 'DECLINED', 'declined')],
  ['ses_result_failed', expectedResult('ses_result_failed', 'DECLINED', 'failed')],
  ['ses_result_passed', expectedResult('ses_result_passed', 'APPROVED', 'passed')],
  ['ses_result_unknown', expectedResult('ses_result_unknown', 'UNKNOWN', 'escalated')],
  [
    'ses_sensitive_expired',
    expectedResult('ses_sensitive_expired', 'APPROVED', 'approved', {
      sensitiveDataExpired: true,
      applicant: null,
      kyc: { ...expectedResult('x', 'APPROVED', 'approved').kyc, ...emptyKycButCountry() },
    }),
  ],
];

function emptyKycButCountry() {
  return {
    documentType: null,
    documentNumber: null,
    personalNumber: null,
    issuingState: null,
    expirationDate: null,
    firstName: null,
    lastName: null,
    fullName: null,
    dateOfBirth: null,
    age: null,
    gender: null,
    nationality: null,
    issuingCountry: 'US',
  };
}

const SESSION_CASES: Array<[string, string, string, boolean]> = [
  ['ses_pending', 'NOT_STARTED', 'pending', false],
  ['ses_capturing', 'IN_PROGRESS', 'capturing', false],
  ['ses_processing', 'IN_PROGRESS', 'processing', false],
  ['ses_awaiting_external', 'IN_PROGRESS', 'awaiting_external', false],
  ['ses_sandbox_pending', 'IN_PROGRESS', 'sandbox_pending', false],
  ['ses_under_review', 'IN_REVIEW', 'under_review', false],
  ['ses_completed_no_result', 'IN_PROGRESS', 'completed', false],
  ['ses_expired', 'EXPIRED', 'expired', true],
  ['ses_failed', 'ERROR', 'failed', true],
  ['ses_session_unknown', 'UNKNOWN', 'archived', false],
];

const ERROR_CASES: Array<[string, Record<string, unknown>, string]> = [
  ['ses_missing', { code: 'NOT_FOUND', provider: 'VERIFA' }, 'Verifa has no such session.'],
  [
    'ses_error_401',
    { code: 'UPSTREAM_AUTH_FAILED', provider: 'VERIFA' },
    "Verifa rejected Verigate's credentials (HTTP 401).",
  ],
  [
    'ses_error_403',
    { code: 'UPSTREAM_AUTH_FAILED', provider: 'VERIFA' },
    "Verifa rejected Verigate's credentials (HTTP 403).",
  ],
  [
    'ses_rate_limited',
    { code: 'UPSTREAM_RATE_LIMITED', provider: 'VERIFA', retryAfterSeconds: 12 },
    'Verifa is rate limiting Verigate; retry in 12 s.',
  ],
  [
    'ses_error_500',
    { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    'Verifa is unavailable: it answered HTTP 500.',
  ],
  ['ses_slow', { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' }, 'Verifa is unavailable: the request timed out.'],
  [
    'ses_malformed',
    { code: 'UPSTREAM_BAD_RESPONSE', provider: 'VERIFA' },
    'Verifa sent a response Verigate cannot read: the result payload body is not JSON.',
  ],
  [
    'ses_invalid_shape',
    { code: 'UPSTREAM_BAD_RESPONSE', provider: 'VERIFA' },
    "Verifa sent a response Verigate cannot read: the result payload does not match Verifa's documented shape.",
  ],
];

describe('Verifa on its sandbox, end to end over HTTP', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.simulator('VERIFA').resetCount());

  it('covers every scenario of the catalogue in this suite', () => {
    const tested = new Set([
      ...RESULT_CASES.map(([id]) => id),
      ...SESSION_CASES.map(([id]) => id),
      ...ERROR_CASES.map(([id]) => id),
    ]);
    // Timed scenarios (they change as their webhooks go out) are covered by test/webhooks.verifa.e2e.test.ts.
    const fixed = VERIFA_SCENARIOS.filter((s) => s.behaviour.kind !== 'timeline');
    expect([...tested].sort()).toEqual(fixed.map((s) => s.id).sort());
  });

  it.each(RESULT_CASES)('maps result scenario %s', async (id, expected) => {
    const { status, body } = await gw.query(QUERY, { id });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { session: expected } });
  });

  it.each(SESSION_CASES)('maps no-result scenario %s to %s', async (id, unified, raw, terminal) => {
    const { body } = await gw.query(QUERY, { id });
    expect(body).toEqual({ data: { session: expectedSessionOnly(id, unified, raw, terminal) } });
    // result 404, then the session: two calls, and `reference`/`metadata` come from the session already fetched.
    expect(gw.simulator('VERIFA').requestCount()).toBe(2);
  });

  it.each(ERROR_CASES)(
    'answers scenario %s with a coded error and nothing else lost',
    async (id, extensions, message) => {
      const { status, body } = await gw.query(
        `query Q($id: String!) { bad: session(provider: VERIFA, id: $id) { status } good: session(provider: VERIFA, id: "ses_approved") { status } providers { provider configured } }`,
        { id },
      );
      expect(status).toBe(200);
      expect(body.data).toEqual({
        bad: null,
        good: { status: 'APPROVED' },
        providers: PROVIDERS.map((provider) => ({
          provider,
          configured: provider === 'VERIFA' ? true : expect.any(Boolean),
        })),
      });
      expect(body.errors).toEqual([{ message, locations: expect.any(Array), path: ['bad'], extensions }]);
    },
  );

  it('fetches reference and metadata only when they are selected', async () => {
    const { body } = await gw.query(`{ session(provider: VERIFA, id: "ses_approved") { status } }`);
    expect(body).toEqual({ data: { session: { status: 'APPROVED' } } });
    expect(gw.simulator('VERIFA').requestCount()).toBe(1);
    gw.simulator('VERIFA').resetCount();
    await gw.query(`{ session(provider: VERIFA, id: "ses_approved") { status reference metadata } }`);
    expect(gw.simulator('VERIFA').requestCount()).toBe(2);
  });

  it('resolves the session again from its global id with node()', async () => {
    const id = toGlobalId({ provider: 'VERIFA', id: 'ses_abc123' });
    const { body } = await gw.query(
      `query N($id: ID!) { node(id: $id) { id ... on Session { status providerSessionId } } }`,
      {
        id,
      },
    );
    expect(body).toEqual({ data: { node: { id, status: 'IN_REVIEW', providerSessionId: 'ses_abc123' } } });
  });

  it('keeps order in sessions(refs), nulls only the failing items, and fetches duplicates once', async () => {
    const { body } = await gw.query(
      `{ sessions(refs: [
          { provider: VERIFA, id: "ses_approved" },
          { provider: VERIFA, id: "ses_missing" },
          { provider: VERIFA, id: "bad id" },
          { provider: VERIFA, id: "ses_approved" },
          { provider: VERIFA, id: "ses_pending" }
        ]) { providerSessionId status } }`,
    );
    expect(body.data).toEqual({
      sessions: [
        { providerSessionId: 'ses_approved', status: 'APPROVED' },
        null,
        null,
        { providerSessionId: 'ses_approved', status: 'APPROVED' },
        { providerSessionId: 'ses_pending', status: 'NOT_STARTED' },
      ],
    });
    const byIndex = (body.errors ?? [])
      .map((e) => [e.path, e.extensions?.code])
      .sort((a, b) => String(a).localeCompare(String(b)));
    expect(byIndex).toEqual([
      [['sessions', 1], 'NOT_FOUND'],
      [['sessions', 2], 'BAD_USER_INPUT'],
    ]);
    // approved: 1 result call; missing: result + session; pending: result + session.
    expect(gw.simulator('VERIFA').requestCount()).toBe(5);
  });

  it('fetches a session asked for by aliases and node() only once per operation', async () => {
    const id = toGlobalId({ provider: 'VERIFA', id: 'ses_approved' });
    const { body } = await gw.query(
      `query A($id: ID!) { a: session(provider: VERIFA, id: "ses_approved") { status }
        b: session(provider: VERIFA, id: "ses_approved") { isTerminal } c: node(id: $id) { id } }`,
      { id },
    );
    expect(body).toEqual({ data: { a: { status: 'APPROVED' }, b: { isTerminal: true }, c: { id } } });
    expect(gw.simulator('VERIFA').requestCount()).toBe(1);
  });

  it('caps sessions(refs) at 50', async () => {
    const refs = Array.from({ length: 51 }, (_, i) => ({ provider: 'VERIFA', id: `ses_${i}` }));
    const { body } = await gw.query(`query S($refs: [SessionRefInput!]!) { sessions(refs: $refs) { status } }`, {
      refs,
    });
    expect(body.errors).toEqual([
      {
        message: 'sessions(refs:) takes at most 50 refs; got 51.',
        locations: expect.any(Array),
        path: ['sessions'],
        extensions: { code: 'BAD_USER_INPUT' },
      },
    ]);
    expect(gw.simulator('VERIFA').requestCount()).toBe(0);
  });
});

describe('hostile and malformed ids', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  const BAD_IDS: Array<[string, string]> = [
    ['empty', ''],
    ['too long', `ses_${'a'.repeat(200)}`],
    ['path traversal', '../admin'],
    ['query string', 'ses_abc123?status=approved'],
    ['fragment', 'ses_abc123#x'],
    ['encoded slash', 'ses%2F..%2Fadmin'],
    ['unicode', 'ses_abc123\u202e'],
    ['emoji', 'ses_😀'],
    ['whitespace', ' ses_abc123'],
    ['slash', 'ses_abc123/result'],
  ];

  it.each(BAD_IDS)('rejects %s ids with BAD_USER_INPUT before any upstream call', async (_name, id) => {
    gw.simulator('VERIFA').resetCount();
    const { body } = await gw.query(
      `query Q($id: String!) { session(provider: VERIFA, id: $id) { status } providers { provider } }`,
      { id },
    );
    expect(body.data?.session).toBeNull();
    expect(body.data?.providers).toHaveLength(PROVIDERS.length);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', provider: 'VERIFA' });
    expect(body.errors?.[0]?.path).toEqual(['session']);
    expect(gw.simulator('VERIFA').requestCount()).toBe(0);
  });

  it.each([
    ['not base64', '!!!'],
    ['another type', Buffer.from('User:VERIFA:ses_abc123').toString('base64url')],
    ['unknown provider', Buffer.from('Session:ACME:ses_abc123').toString('base64url')],
    ['no id', Buffer.from('Session:VERIFA:').toString('base64url')],
    ['padded base64', `${Buffer.from('Session:VERIFA:ses_abc123').toString('base64')}==`],
  ])('rejects a node id that is %s', async (_name, id) => {
    gw.simulator('VERIFA').resetCount();
    const { body } = await gw.query(`query N($id: ID!) { node(id: $id) { id } }`, { id });
    expect(body).toEqual({
      data: { node: null },
      errors: [
        {
          message: 'Malformed node id: pass an id from a Node.id field.',
          locations: expect.any(Array),
          path: ['node'],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
    });
    expect(gw.simulator('VERIFA').requestCount()).toBe(0);
  });

  it('rejects a node id whose session id is malformed without calling Verifa', async () => {
    gw.simulator('VERIFA').resetCount();
    const id = toGlobalId({ provider: 'VERIFA', id: '../etc' });
    const { body } = await gw.query(`query N($id: ID!) { node(id: $id) { id } }`, { id });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', provider: 'VERIFA' });
    expect(gw.simulator('VERIFA').requestCount()).toBe(0);
  });
});

describe('Verifa dialect', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startVerifaSimulator();
  });
  afterAll(() => sim.close());

  it('reports UPSTREAM_AUTH_FAILED when Verifa rejects the configured key', async () => {
    const gw = await startTestGateway({ VERIFA_BASE_URL: sim.url, VERIFA_API_KEY: 'vk_sandbox_wrong_key_000000' });
    try {
      const { body } = await gw.query(`{ session(provider: VERIFA, id: "ses_approved") { status } }`);
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_AUTH_FAILED', provider: 'VERIFA' });
      const { body: providers } = await gw.query('{ providers { provider configured sandbox } }');
      expect(providers.data?.providers).toContainEqual({ provider: 'VERIFA', configured: true, sandbox: false });
    } finally {
      await gw.close();
    }
  });

  it('sends Verifa-Version when configured, and Verifa rejecting it surfaces as a coded error', async () => {
    const gw = await startTestGateway({
      VERIFA_BASE_URL: sim.url,
      VERIFA_API_KEY: VERIFA_SANDBOX_API_KEY,
      VERIFA_VERSION: '2019-01-01',
    });
    try {
      const { body } = await gw.query(`{ session(provider: VERIFA, id: "ses_approved") { status } }`);
      expect(body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'VERIFA' });
    } finally {
      await gw.close();
    }
  });

  it('works against a base URL with a path prefix and without a version header', async () => {
    const gw = await startTestGateway({ VERIFA_BASE_URL: `${sim.url}/`, VERIFA_API_KEY: VERIFA_SANDBOX_API_KEY });
    try {
      const { body } = await gw.query(`{ session(provider: VERIFA, id: "ses_abc123") { status sandbox } }`);
      // Live mode against the simulator: `sandbox` comes from Verifa's own is_sandbox flag.
      expect(body).toEqual({ data: { session: { status: 'IN_REVIEW', sandbox: true } } });
    } finally {
      await gw.close();
    }
  });
});
