import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import { PROVIDERS } from '../src/model/session.ts';
import {
  VERATAD_SCENARIOS,
  VX_DOCUMENT_ID,
  VX_PHONE_CHECK_ID,
  vxScenarioId,
} from '../src/providers/veratad/sandbox/scenarios.ts';
import type { VeratadSimulator } from '../src/providers/veratad/sandbox/simulator.ts';
import { READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';

const SESSION_FIELDS = /* GraphQL */ `
  id provider providerSessionId status providerStatus isTerminal reasonCode reasonDescription createdAt sandbox
  sensitiveDataExpired reference metadata
  applicant { firstName lastName fullName dateOfBirth email phone nationality gender
    address { line1 line2 city state postalCode country formatted } }
  journey { durationSeconds stops { at type source status providerStatus action detail } }
  kyc { status providerStatus documentType documentNumber personalNumber issuingCountry issuingCountryName issuingState
    dateOfIssue expirationDate firstName middleName lastName fullName dateOfBirth age gender nationality placeOfBirth
    address { line1 line2 city state postalCode country formatted }
    nfcVerified service confirmation issues images { portrait } }
  aml { status } face { status providerStatus faceMatchStatus livenessStatus faceMatchScore livenessScore faceMatchPassed
    ageEstimate ageCheckPassed genderEstimate { male } }
  location { status } warnings { risk } reviews { status }
`;
const QUERY = `query One($id: String!) { session(provider: VERATAD, id: $id) { ${SESSION_FIELDS} } }`;

type Json = Record<string, unknown>;

const REGISTRATION = {
  type: 'NEW REGISTRATION',
  source: null,
  status: null,
  providerStatus: null,
  action: null,
  detail: null,
};

function stop(at: string, type: string, source: string, status: string | null, raw: string, detail: string) {
  return { at, type, source, status, providerStatus: raw, action: raw, detail };
}

const NO_DOCUMENT = {
  documentType: null,
  documentNumber: null,
  personalNumber: null,
  issuingCountry: null,
  issuingCountryName: null,
  issuingState: null,
  dateOfIssue: null,
  expirationDate: null,
  firstName: null,
  middleName: null,
  lastName: null,
  fullName: null,
  dateOfBirth: null,
  age: null,
  gender: null,
  nationality: null,
  placeOfBirth: null,
  address: null,
  nfcVerified: null,
  images: null,
};

/** The documented phone check (the docs' example under its id, and its `additionalData: []` twin). */
function phoneCheck(id: string, metadata: Json) {
  return {
    id: toGlobalId({ provider: 'VERATAD', id }),
    provider: 'VERATAD',
    providerSessionId: id,
    status: 'APPROVED',
    providerStatus: 'PASS',
    isTerminal: true,
    reasonCode: null,
    reasonDescription: null,
    createdAt: '2024-08-19T20:56:25.223Z',
    sandbox: true,
    sensitiveDataExpired: false,
    reference: null,
    metadata,
    applicant: {
      firstName: 'John',
      lastName: 'Doe',
      fullName: 'John Doe',
      dateOfBirth: '1990-01-01',
      email: 'johndoe@example.com',
      phone: '123-456-7890',
      nationality: null,
      gender: null,
      address: null,
    },
    journey: {
      durationSeconds: 32,
      stops: [
        { at: '2024-08-19T20:56:25.223Z', ...REGISTRATION },
        stop(
          '2024-08-19T20:56:41.280Z',
          'Data Service',
          'PhoneMatch5.0.Smart2FA.SMS',
          'IN_PROGRESS',
          'PENDING',
          'MORE INFORMATION IS REQUIRED',
        ),
        stop(
          '2024-08-19T20:56:57.448Z',
          'Data Service',
          'PhoneMatch5.0.Smart2FA.SMS',
          'APPROVED',
          'PASS',
          'ALL CHECKS PASSED',
        ),
      ],
    },
    kyc: {
      status: 'APPROVED',
      providerStatus: 'PASS',
      ...NO_DOCUMENT,
      service: 'PhoneMatch5.0.Smart2FA.SMS',
      confirmation: '180603431',
      issues: ['OUT-OF-BAND SUCCESSFUL'],
    },
    aml: null,
    face: null,
    location: null,
    warnings: [],
    reviews: [],
  };
}

const DOCUMENT_CHECK = {
  id: toGlobalId({ provider: 'VERATAD', id: VX_DOCUMENT_ID }),
  provider: 'VERATAD',
  providerSessionId: VX_DOCUMENT_ID,
  status: 'APPROVED',
  providerStatus: 'PASS',
  isTerminal: true,
  reasonCode: null,
  reasonDescription: null,
  createdAt: '2024-08-12T13:06:50.335Z',
  sandbox: true,
  sensitiveDataExpired: false,
  reference: 'Ref123',
  metadata: { verificationId: '170a03b7-001c-4f81-a7a8-af580468ddb8' },
  applicant: {
    firstName: 'John',
    lastName: 'Doe',
    fullName: 'John Doe',
    dateOfBirth: '2000-01-01',
    email: 'johndoe@example.com',
    phone: '555-1234',
    nationality: null,
    gender: null,
    address: {
      line1: '123 Main St',
      line2: null,
      city: 'New York',
      state: 'NY',
      postalCode: '10001',
      country: null,
      formatted: null,
    },
  },
  journey: {
    durationSeconds: 85,
    stops: [
      { at: '2024-08-12T13:06:50.335Z', ...REGISTRATION },
      stop(
        '2024-08-12T13:08:15.694Z',
        'SDK_Scan',
        'DCAMSPLUS5.0.Enhanced.OCR',
        'APPROVED',
        'PASS',
        'ALL CHECKS PASSED',
      ),
    ],
  },
  kyc: {
    status: 'APPROVED',
    providerStatus: 'PASS',
    documentType: 'DRIVERS LICENSE',
    documentNumber: 'D1234567',
    personalNumber: '900-12-3456',
    issuingCountry: 'US',
    issuingCountryName: null,
    issuingState: 'NY',
    dateOfIssue: '2020-01-01',
    expirationDate: '2030-01-01',
    firstName: 'John',
    middleName: null,
    lastName: 'Doe',
    fullName: 'John Doe',
    dateOfBirth: '2000-01-01',
    age: null,
    gender: 'M',
    nationality: null,
    placeOfBirth: null,
    address: {
      line1: '123 Main St',
      line2: null,
      city: 'New York',
      state: 'NY',
      postalCode: '10001',
      country: 'US',
      formatted: '123 Main St, New York, NY 10001',
    },
    nfcVerified: null,
    service: 'DCAMSPLUS5.0.Enhanced.OCR',
    confirmation: '180199072',
    issues: [],
    images: null,
  },
  aml: null,
  face: null,
  location: null,
  warnings: [],
  reviews: [],
};

const T0 = '2026-03-02T09:30:00.000Z';
const T1 = '2026-03-02T09:31:05.250Z';
const SCAN = 'DCAMSPLUS5.0.Enhanced';
const SMS = 'PhoneMatch5.0.Smart2FA.SMS';

const JANE_ADDRESS = {
  line1: '221 Harbor Street',
  line2: null,
  city: 'Portland',
  state: 'OR',
  postalCode: '97205',
  country: null,
  formatted: null,
};

const JANE_LICENCE = {
  documentType: 'DRIVERS LICENSE',
  documentNumber: 'OR7654321',
  personalNumber: null,
  issuingCountry: 'US',
  issuingCountryName: null,
  issuingState: 'OR',
  dateOfIssue: '2016-03-01',
  expirationDate: '2024-03-01',
  firstName: 'Jane',
  middleName: 'Q',
  lastName: 'Sample',
  fullName: 'Jane Q Sample',
  dateOfBirth: '1991-04-12',
  age: null,
  gender: 'F',
  nationality: null,
  placeOfBirth: null,
  address: { ...JANE_ADDRESS, country: 'US', formatted: '221 Harbor Street, Portland, OR 97205' },
  nfcVerified: null,
  images: null,
};

/** A catalogue session of the fake applicant Jane Sample: the top-level fields, plus what the scenario changes. */
function jane(n: number, status: string, providerStatus: string, extra: Json): Json {
  const id = vxScenarioId(n);
  return {
    id: toGlobalId({ provider: 'VERATAD', id }),
    provider: 'VERATAD',
    providerSessionId: id,
    status,
    providerStatus,
    isTerminal: ['APPROVED', 'DECLINED', 'ERROR'].includes(status),
    reasonCode: null,
    reasonDescription: null,
    createdAt: T0,
    sandbox: true,
    sensitiveDataExpired: false,
    reference: `crm-${id.slice(-4)}`,
    metadata: { channel: 'web' },
    applicant: {
      firstName: 'Jane',
      lastName: 'Sample',
      fullName: 'Jane Sample',
      dateOfBirth: '1991-04-12',
      email: 'jane.sample@example.com',
      phone: '503-555-0142',
      nationality: null,
      gender: null,
      address: JANE_ADDRESS,
    },
    aml: null,
    face: null,
    location: null,
    warnings: [],
    reviews: [],
    ...extra,
  };
}

const journey = (last: ReturnType<typeof stop>) => ({
  durationSeconds: 65,
  stops: [{ at: T0, ...REGISTRATION }, last],
});
const dataService = (status: string | null, raw: string, service: string, issues: string[] = []) => ({
  status,
  providerStatus: raw,
  ...NO_DOCUMENT,
  service,
  confirmation: '180700001',
  issues,
});

/** Scenarios that answer a Session: id -> the whole `session` object. */
const SESSION_CASES: Array<[string, Json]> = [
  [VX_PHONE_CHECK_ID, phoneCheck(VX_PHONE_CHECK_ID, { customKey: 'customValue' })],
  [VX_DOCUMENT_ID, DOCUMENT_CHECK],
  [
    vxScenarioId(1),
    jane(1, 'DECLINED', 'FAIL', {
      reasonCode: 'DOCUMENT IS EXPIRED',
      journey: journey(stop(T1, 'SDK_Scan', SCAN, 'DECLINED', 'FAIL', 'DOCUMENT IS EXPIRED')),
      kyc: {
        status: 'DECLINED',
        providerStatus: 'FAIL',
        ...JANE_LICENCE,
        service: SCAN,
        confirmation: '180700001',
        issues: ['DOCUMENT IS EXPIRED'],
      },
    }),
  ],
  [
    vxScenarioId(21),
    jane(21, 'DECLINED', 'FAIL', {
      reasonCode: 'SELFIE MATCH FAILED',
      journey: journey(stop(T1, 'SDK_Scan', SCAN, 'DECLINED', 'FAIL', 'SELFIE MATCH FAILED')),
      kyc: {
        status: 'DECLINED',
        providerStatus: 'FAIL',
        ...JANE_LICENCE,
        service: SCAN,
        confirmation: '180700001',
        issues: ['SELFIE MATCH FAILED'],
      },
    }),
  ],
  [
    vxScenarioId(2),
    jane(2, 'IN_REVIEW', 'PENDING', {
      reasonCode: 'TRANSACTION REQUIRES FURTHER ATTENTION',
      journey: journey(stop(T1, 'SDK_Scan', SCAN, 'IN_REVIEW', 'REVIEW', 'TRANSACTION REQUIRES FURTHER ATTENTION')),
      kyc: {
        status: 'IN_REVIEW',
        providerStatus: 'REVIEW',
        ...JANE_LICENCE,
        expirationDate: '2031-04-12',
        service: SCAN,
        confirmation: '180700001',
        issues: [],
      },
    }),
  ],
  [
    vxScenarioId(3),
    jane(3, 'IN_PROGRESS', 'PENDING', {
      reasonCode: 'MORE INFORMATION IS REQUIRED',
      journey: journey(stop(T1, 'Data Service', SMS, 'IN_PROGRESS', 'PENDING', 'MORE INFORMATION IS REQUIRED')),
      kyc: dataService('IN_PROGRESS', 'PENDING', SMS),
    }),
  ],
  [
    vxScenarioId(4),
    jane(4, 'ERROR', 'FAIL', {
      reasonCode: 'SERVICE CANNOT BE COMPLETED',
      journey: journey(stop(T1, 'SDK_Scan', SCAN, 'DECLINED', 'FAIL', 'SERVICE CANNOT BE COMPLETED')),
      kyc: dataService('DECLINED', 'FAIL', SCAN),
    }),
  ],
  [
    vxScenarioId(5),
    jane(5, 'DECLINED', 'FAIL', {
      reasonCode: 'TRANSACTION REQUIRES FURTHER ATTENTION',
      journey: journey(
        stop(T1, 'Data Service', 'IDMatch5.0', 'IN_REVIEW', 'REVIEW', 'TRANSACTION REQUIRES FURTHER ATTENTION'),
      ),
      kyc: dataService('IN_REVIEW', 'REVIEW', 'IDMatch5.0', ['ADDRESS DID NOT MATCH', 'DOB MATCHED']),
    }),
  ],
  [vxScenarioId(6), phoneCheck(vxScenarioId(6), {})],
  [
    vxScenarioId(7),
    jane(7, 'UNKNOWN', 'ON HOLD', {
      reasonCode: 'ESCALATED TO COMPLIANCE',
      journey: journey(stop(T1, 'Data Service', SMS, 'UNKNOWN', 'ON HOLD', 'ESCALATED TO COMPLIANCE')),
      kyc: dataService('UNKNOWN', 'ON HOLD', SMS),
    }),
  ],
  [
    vxScenarioId(8),
    jane(8, 'APPROVED', 'PASS', {
      reference: null,
      journey: journey(stop(T1, 'SDK_Scan', `${SCAN}.Selfie`, 'APPROVED', 'PASS', 'ALL CHECKS PASSED')),
      kyc: {
        status: 'APPROVED',
        providerStatus: 'PASS',
        ...JANE_LICENCE,
        issuingCountry: 'USA',
        middleName: null,
        fullName: 'Jane Sample',
        expirationDate: '2031-04-12',
        address: { ...JANE_LICENCE.address, country: 'USA' },
        service: `${SCAN}.Selfie`,
        confirmation: '180700001',
        issues: [],
      },
      face: {
        status: null,
        providerStatus: null,
        faceMatchStatus: null,
        livenessStatus: null,
        faceMatchScore: null,
        livenessScore: null,
        faceMatchPassed: null,
        ageEstimate: 34,
        ageCheckPassed: null,
        genderEstimate: null,
      },
    }),
  ],
  [
    vxScenarioId(9),
    {
      id: toGlobalId({ provider: 'VERATAD', id: vxScenarioId(9) }),
      provider: 'VERATAD',
      providerSessionId: vxScenarioId(9),
      status: 'IN_PROGRESS',
      providerStatus: 'IN PROGRESS',
      isTerminal: false,
      reasonCode: null,
      reasonDescription: null,
      createdAt: null,
      sandbox: true,
      sensitiveDataExpired: false,
      reference: null,
      metadata: null,
      applicant: null,
      journey: null,
      kyc: null,
      aml: null,
      face: null,
      location: null,
      warnings: [],
      reviews: [],
    },
  ],
];

const vx = (code: string, extra: Json = {}) => ({ code, provider: 'VERATAD', ...extra });

/** Scenarios that answer an error: id -> extensions, message. */
const ERROR_CASES: Array<[string, Json, string]> = [
  [vxScenarioId(10), vx('NOT_FOUND'), 'Veratad VX has no such session.'],
  [vxScenarioId(11), vx('UPSTREAM_UNAVAILABLE'), 'Veratad VX is unavailable: it answered HTTP 500.'],
  [
    vxScenarioId(12),
    vx('UPSTREAM_RATE_LIMITED', { retryAfterSeconds: 17 }),
    'Veratad VX is rate limiting Verigate; retry in 17 s.',
  ],
  [
    vxScenarioId(13),
    vx('UPSTREAM_RATE_LIMITED', { retryAfterSeconds: 60 }),
    'Veratad VX is rate limiting Verigate; retry in 60 s.',
  ],
  [vxScenarioId(14), vx('UPSTREAM_AUTH_FAILED'), "Veratad VX rejected Verigate's credentials (HTTP 401)."],
  [vxScenarioId(15), vx('UPSTREAM_AUTH_FAILED'), "Veratad VX rejected Verigate's credentials (HTTP 403)."],
  [vxScenarioId(16), vx('UPSTREAM_UNAVAILABLE'), 'Veratad VX is unavailable: the request timed out.'],
  [
    vxScenarioId(17),
    vx('UPSTREAM_BAD_RESPONSE'),
    'Veratad VX sent a response Verigate cannot read: the session result body is not JSON.',
  ],
  [
    vxScenarioId(18),
    vx('UPSTREAM_BAD_RESPONSE'),
    "Veratad VX sent a response Verigate cannot read: the session result does not match Veratad VX's documented shape.",
  ],
];

function veratadSimulator(gw: TestGateway): VeratadSimulator {
  const sim = gw.simulator('VERATAD');
  if (!('expireTokens' in sim)) throw new Error('the VERATAD simulator is not the VX simulator');
  return sim as VeratadSimulator;
}

describe('Veratad VX on its sandbox, end to end over HTTP', () => {
  let gw: TestGateway;
  let sim: VeratadSimulator;
  beforeAll(async () => {
    gw = await startTestGateway();
    sim = veratadSimulator(gw);
  });
  afterAll(() => gw.close());
  beforeEach(() => sim.resetCount());

  it('covers every scenario of the catalogue in this suite', () => {
    const tested = [...SESSION_CASES.map(([id]) => id), ...ERROR_CASES.map(([id]) => id)];
    // Timed scenarios (they change as their webhooks go out) are covered by test/webhooks.veratad.e2e.test.ts.
    const fixed = VERATAD_SCENARIOS.filter((s) => s.behaviour.kind !== 'timeline');
    expect(tested.sort()).toEqual(fixed.map((s) => s.id).sort());
  });

  it('reports VX as configured, on its sandbox', async () => {
    const { body } = await gw.query('{ providers { provider configured sandbox healthy circuit } }');
    expect(body.data?.providers).toContainEqual({
      provider: 'VERATAD',
      configured: true,
      sandbox: true,
      healthy: true,
      circuit: 'CLOSED',
    });
  });

  it.each(SESSION_CASES)('maps scenario %s', async (id, expected) => {
    const { status, body } = await gw.query(QUERY, { id });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { session: expected } });
    expect(sim.requestCount('/api/session/result/')).toBe(1);
  });

  it.each(ERROR_CASES)(
    'answers scenario %s with a coded error and nothing else lost',
    async (id, extensions, message) => {
      const { status, body } = await gw.query(
        `query Q($id: String!) {
        bad: session(provider: VERATAD, id: $id) { status }
        good: session(provider: VERATAD, id: "${VX_PHONE_CHECK_ID}") { status providerSessionId }
        other: session(provider: VERIFA, id: "ses_approved") { status }
        providers { provider configured }
      }`,
        { id },
      );
      expect(status).toBe(200);
      expect(body.data).toEqual({
        bad: null,
        good: { status: 'APPROVED', providerSessionId: VX_PHONE_CHECK_ID },
        other: { status: 'APPROVED' },
        providers: PROVIDERS.map((provider) => ({
          provider,
          configured: provider === 'VERATAD' || provider === 'VERIFA' ? true : expect.any(Boolean),
        })),
      });
      expect(body.errors).toEqual([{ message, locations: expect.any(Array), path: ['bad'], extensions }]);
      // Nothing from upstream (URL, token, body) reaches the client.
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|Bearer|INTERNAL SERVER ERROR|TOO MANY REQUESTS/);
    },
  );

  it('retries a 401 once with a fresh token, then gives up', async () => {
    await gw.query(`{ session(provider: VERATAD, id: "${VX_PHONE_CHECK_ID}") { status } }`); // warm the token
    sim.resetCount();
    const { body } = await gw.query(QUERY, { id: vxScenarioId(14) });
    expect(body.errors?.[0]?.extensions).toEqual(vx('UPSTREAM_AUTH_FAILED'));
    expect(sim.requestCount('/api/session/result/')).toBe(2);
    expect(sim.tokenRequestCount()).toBe(1);
  });

  it('does not retry a 403', async () => {
    await gw.query(`{ session(provider: VERATAD, id: "${VX_PHONE_CHECK_ID}") { status } }`);
    sim.resetCount();
    await gw.query(QUERY, { id: vxScenarioId(15) });
    expect(sim.requestCount('/api/session/result/')).toBe(1);
    expect(sim.tokenRequestCount()).toBe(0);
  });

  it('answers 404 for any id VX does not know', async () => {
    const { body } = await gw.query(QUERY, { id: '00000000-0000-4000-8000-000000000000' });
    expect(body).toEqual({
      data: { session: null },
      errors: [
        {
          message: 'Veratad VX has no such session.',
          locations: expect.any(Array),
          path: ['session'],
          extensions: vx('NOT_FOUND'),
        },
      ],
    });
  });

  it('masks personal fields for a caller without pii:read', async () => {
    const { body } = await gw.query(
      `query One($id: String!) { session(provider: VERATAD, id: $id) {
        applicant { firstName dateOfBirth email phone address { line1 city postalCode formatted } }
        kyc { documentNumber personalNumber dateOfBirth address { line1 city postalCode formatted } } } }`,
      { id: VX_DOCUMENT_ID },
      READ_ONLY_KEY,
    );
    expect(body).toEqual({
      data: {
        session: {
          applicant: {
            firstName: 'J.',
            dateOfBirth: null,
            email: 'j***@example.com',
            phone: '****1234',
            address: { line1: null, city: 'New York', postalCode: null, formatted: null },
          },
          kyc: {
            documentNumber: '****4567',
            personalNumber: '****3456',
            dateOfBirth: null,
            address: { line1: null, city: 'New York', postalCode: null, formatted: null },
          },
        },
      },
    });
  });

  it('resolves a session again from its global id with node()', async () => {
    const id = toGlobalId({ provider: 'VERATAD', id: VX_DOCUMENT_ID });
    const { body } = await gw.query(
      `query N($id: ID!) { node(id: $id) { id ... on Session { status providerSessionId reference } } }`,
      { id },
    );
    expect(body).toEqual({
      data: { node: { id, status: 'APPROVED', providerSessionId: VX_DOCUMENT_ID, reference: 'Ref123' } },
    });
  });

  it('accepts an upper-case request id and asks VX for the lower-case one', async () => {
    const { body } = await gw.query(
      `query One($id: String!) { session(provider: VERATAD, id: $id) { providerSessionId status } }`,
      {
        id: VX_DOCUMENT_ID.toUpperCase(),
      },
    );
    expect(body).toEqual({ data: { session: { providerSessionId: VX_DOCUMENT_ID, status: 'APPROVED' } } });
    expect(sim.requestCount(`/api/session/result/${VX_DOCUMENT_ID}`)).toBe(1);
  });

  it('fetches each session once per operation whatever the aliases and duplicates', async () => {
    const { body } = await gw.query(
      `{ a: session(provider: VERATAD, id: "${VX_DOCUMENT_ID}") { status }
         b: session(provider: VERATAD, id: "${VX_DOCUMENT_ID}") { reference metadata }
         c: sessions(refs: [{ provider: VERATAD, id: "${VX_DOCUMENT_ID}" }, { provider: VERATAD, id: "${vxScenarioId(10)}" },
           { provider: VERATAD, id: "${VX_PHONE_CHECK_ID}" }]) { providerSessionId } }`,
    );
    expect(body.data).toEqual({
      a: { status: 'APPROVED' },
      b: { reference: 'Ref123', metadata: { verificationId: '170a03b7-001c-4f81-a7a8-af580468ddb8' } },
      c: [{ providerSessionId: VX_DOCUMENT_ID }, null, { providerSessionId: VX_PHONE_CHECK_ID }],
    });
    expect(body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['c', 1], 'NOT_FOUND']]);
    expect(sim.requestCount('/api/session/result/')).toBe(3);
  });
});

describe('malformed Veratad VX ids', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  const BAD_IDS: Array<[string, string]> = [
    ['empty', ''],
    ['too long', `${VX_PHONE_CHECK_ID}${'0'.repeat(300)}`],
    ['path traversal', '../'],
    ['traversal before a valid id', `../${VX_PHONE_CHECK_ID}`],
    ['query string', '?'],
    ['id with a query string', `${VX_PHONE_CHECK_ID}?status=PASS`],
    ['fragment', '#'],
    ['id with a fragment', `${VX_PHONE_CHECK_ID}#x`],
    ['encoded slash', '%2F'],
    ['encoded traversal', `..%2F${VX_PHONE_CHECK_ID}`],
    ['unicode', '19fe3b9e-384e-41d1-bded-8de9ef3abacß'],
    ['right-to-left override', `${VX_PHONE_CHECK_ID}\u202e`],
    ['full-width digits', '１９fe3b9e-384e-41d1-bded-8de9ef3abacb'],
    ['non-UUID', 'ses_abc123'],
    ['UUID without hyphens', '19fe3b9e384e41d1bded8de9ef3abacb'],
    ['UUID in braces', `{${VX_PHONE_CHECK_ID}}`],
    ['non-hex UUID', '19fe3b9e-384e-41d1-bded-8de9ef3abacg'],
    ['trailing newline', `${VX_PHONE_CHECK_ID}\n`],
    ['leading space', ` ${VX_PHONE_CHECK_ID}`],
  ];

  it.each(BAD_IDS)('rejects an id that is %s with BAD_USER_INPUT before any upstream call', async (_name, id) => {
    const sim = veratadSimulator(gw);
    sim.resetCount();
    const { body } = await gw.query(
      `query Q($id: String!) { session(provider: VERATAD, id: $id) { status } providers { provider } }`,
      { id },
    );
    expect(body).toEqual({
      data: { session: null, providers: PROVIDERS.map((provider) => ({ provider })) },
      errors: [
        {
          message:
            'Malformed Veratad VX session id: Veratad VX request ids are UUIDs: 32 hexadecimal digits grouped 8-4-4-4-12 with "-".',
          locations: expect.any(Array),
          path: ['session'],
          extensions: { code: 'BAD_USER_INPUT', provider: 'VERATAD' },
        },
      ],
    });
    expect(sim.requestCount()).toBe(0);
    expect(sim.tokenRequestCount()).toBe(0);
  });

  it('rejects a node id whose request id is malformed without calling VX', async () => {
    const sim = veratadSimulator(gw);
    sim.resetCount();
    const id = toGlobalId({ provider: 'VERATAD', id: '../api/session/result/x' });
    const { body } = await gw.query(`query N($id: ID!) { node(id: $id) { id } }`, { id });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', provider: 'VERATAD' });
    expect(body.errors?.[0]?.path).toEqual(['node']);
    expect(sim.requestCount()).toBe(0);
  });
});
