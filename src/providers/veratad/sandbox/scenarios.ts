/**
 * The Veratad VX sandbox catalogue: one session per status, edge case and failure the adapter handles, each
 * under a fixed UUID (VX `request_id`s are UUIDs). The two documented examples keep their documented ids; every
 * other id is `0e1a7ad0-0000-4000-8000-0000000000NN`. Values are fake. Any id not listed answers 404.
 */

export type VeratadBehaviour =
  | VeratadStaticBehaviour
  /** A timed scenario: each step's answers; VX posts each step's result body to the webhook as the step begins. */
  | { kind: 'timeline'; steps: ReadonlyArray<{ behaviour: VeratadStaticBehaviour & { kind: 'result' } }> };

export type VeratadStaticBehaviour =
  /** 200 with a session result body. */
  | { kind: 'result'; body: Record<string, unknown> }
  /** Any other status with a JSON body, whatever the token (202, 404, 429, 500, and 401/403 that no token fixes). */
  | { kind: 'response'; status: number; body: Record<string, unknown>; headers?: Record<string, string> }
  /** A 200 result that takes `delayMs` to come (the request is dropped if the client gives up first). */
  | { kind: 'slow'; delayMs: number; body: Record<string, unknown> }
  /** A body sent byte for byte (not JSON, or JSON of the wrong shape). */
  | { kind: 'raw'; status: number; body: string; contentType: string };

export interface VeratadScenario {
  id: string;
  description: string;
  behaviour: VeratadBehaviour;
}

/** The documented examples' ids (api.veratad.com "Get Session Result" and "Get Session Status"). */
export const VX_PHONE_CHECK_ID = '19fe3b9e-384e-41d1-bded-8de9ef3abacb';
export const VX_DOCUMENT_ID = '4ed2ec66-9471-415d-99ce-7bd1742fc2b8';

/** The sandbox id of scenario `n` (1..99). */
export const vxScenarioId = (n: number) => `0e1a7ad0-0000-4000-8000-${String(n).padStart(12, '0')}`;

type Json = Record<string, unknown>;

const registration = (timestamp: string): Json => ({
  timestamp,
  type: 'NEW REGISTRATION',
  source: '',
  status: '',
  action: '',
  detail: '',
});

const stop = (timestamp: string, type: string, source: string, action: string, detail: string): Json => ({
  timestamp,
  type,
  source,
  status: action,
  action,
  detail,
});

/** The documented phone-check example (Smart 2FA by SMS, one-time code then pass). */
function phoneCheck(requestId: string, additionalData: unknown): Json {
  return {
    fn: 'John',
    ln: 'Doe',
    addr: '',
    city: '',
    state: '',
    zip: '',
    dob: '19900101',
    email: 'johndoe@example.com',
    phone: '123-456-7890',
    reference: '',
    status: 'PASS',
    request_id: requestId,
    additionalData,
    dcams_plus: {
      document_data: {},
      output: { vpin: {} },
      api_processing_error: false,
      service: 'PhoneMatch5.0.Smart2FA.SMS',
      confirmation: 180603431,
      action: 'PASS',
      detail: 'ALL CHECKS PASSED',
      issues: ['OUT-OF-BAND SUCCESSFUL'],
    },
    storage: { success: null },
    journey: {
      stops: [
        registration('2024-08-19 20:56:25.223174'),
        stop(
          '2024-08-19 20:56:41.280685',
          'Data Service',
          'PhoneMatch5.0.Smart2FA.SMS',
          'PENDING',
          'MORE INFORMATION IS REQUIRED',
        ),
        stop('2024-08-19 20:56:57.448256', 'Data Service', 'PhoneMatch5.0.Smart2FA.SMS', 'PASS', 'ALL CHECKS PASSED'),
      ],
      duration: '00h 00m 32s',
    },
    documents: null,
  };
}

/** The documented document-scan example, with fake values where the docs show `<REDACTED>`. */
const documentCheck: Json = {
  fn: 'John',
  ln: 'Doe',
  addr: '123 Main St',
  city: 'New York',
  state: 'NY',
  zip: '10001',
  dob: '20000101',
  email: 'johndoe@example.com',
  phone: '555-1234',
  reference: 'Ref123',
  status: 'PASS',
  request_id: VX_DOCUMENT_ID,
  additionalData: { verificationId: '170a03b7-001c-4f81-a7a8-af580468ddb8' },
  dcams_plus: {
    document_data: {
      FirstName: 'John',
      LastName: 'Doe',
      MiddleName: '',
      Address: '123 Main St',
      City: 'New York',
      State: 'NY',
      Zip: '10001',
      CountryCode: 'US',
      FullAddress: '123 Main St, New York, NY 10001',
      DateOfBirth: '20000101',
      Height: '6\'0"',
      Sex: 'M',
      EyeColor: 'Brown',
      DocumentNumber: 'D1234567',
      DocumentType: 'DRIVERS LICENSE',
      SourceDocumentType: 'Driver Licence',
      NationalID: '900-12-3456',
      IssueDate: '20200101',
      ExpirationDate: '20300101',
    },
    output: { vpin: {} },
    api_processing_error: false,
    service: 'DCAMSPLUS5.0.Enhanced.OCR',
    confirmation: 180199072,
    action: 'PASS',
    detail: 'ALL CHECKS PASSED',
    issues: [],
  },
  storage: { success: true },
  journey: {
    stops: [
      { ...registration('2024-08-12 13:06:50.335771'), status: null },
      stop('2024-08-12 13:08:15.694983', 'SDK_Scan', 'DCAMSPLUS5.0.Enhanced.OCR', 'PASS', 'ALL CHECKS PASSED'),
    ],
    duration: '00h 01m 25s',
  },
  documents: null,
};

const PERSON: Json = {
  fn: 'Jane',
  ln: 'Sample',
  addr: '221 Harbor Street',
  city: 'Portland',
  state: 'OR',
  zip: '97205',
  dob: '19910412',
  email: 'jane.sample@example.com',
  phone: '503-555-0142',
};

const JANE_LICENCE: Json = {
  FirstName: 'Jane',
  MiddleName: 'Q',
  LastName: 'Sample',
  Address: '221 Harbor Street',
  City: 'Portland',
  State: 'OR',
  Zip: '97205',
  CountryCode: 'US',
  FullAddress: '221 Harbor Street, Portland, OR 97205',
  DateOfBirth: '19910412',
  Sex: 'F',
  DocumentNumber: 'OR7654321',
  DocumentType: 'DRIVERS LICENSE',
  NationalID: '',
  IssueDate: '20160301',
  ExpirationDate: '20240301',
};

/** A session result for the fake applicant: `dcams` and `stops` describe what ran. */
function session(requestId: string, status: string, dcams: Json | null, stops: Json[], extra: Json = {}): Json {
  return {
    ...PERSON,
    reference: `crm-${requestId.slice(-4)}`,
    status,
    request_id: requestId,
    additionalData: { channel: 'web' },
    dcams_plus: dcams,
    storage: { success: true },
    journey: { stops, duration: '00h 01m 05s' },
    documents: null,
    ...extra,
  };
}

function dcams(service: string, action: string, detail: string, extra: Json = {}): Json {
  return {
    document_data: {},
    output: { vpin: {} },
    api_processing_error: false,
    service,
    confirmation: 180700001,
    action,
    detail,
    issues: [],
    ...extra,
  };
}

/** The licence of the timed scenario: not expired. */
const VALID_LICENCE: Json = { ...JANE_LICENCE, ExpirationDate: '20310412' };
const T0 = '2026-03-02 09:30:00.000000';
const T1 = '2026-03-02 09:31:05.250000';
const SCAN = 'DCAMSPLUS5.0.Enhanced';
const SMS = 'PhoneMatch5.0.Smart2FA.SMS';

const message = (
  status: number,
  text: string,
  detail: string,
  headers?: Record<string, string>,
): VeratadStaticBehaviour => ({
  kind: 'response',
  status,
  body: { message: text, detail },
  ...(headers ? { headers } : {}),
});

export const VERATAD_SCENARIOS: readonly VeratadScenario[] = [
  {
    id: VX_PHONE_CHECK_ID,
    description:
      'VX’s documented result example: `PASS` after a Smart 2FA phone check (no document data), ' +
      '`additionalData {"customKey":"customValue"}` → APPROVED',
    behaviour: { kind: 'result', body: phoneCheck(VX_PHONE_CHECK_ID, { customKey: 'customValue' }) },
  },
  {
    id: VX_DOCUMENT_ID,
    description:
      'VX’s documented webhook/polling example: `PASS` after a driver-licence scan, full document data → APPROVED',
    behaviour: { kind: 'result', body: documentCheck },
  },
  {
    id: vxScenarioId(1),
    description:
      '`FAIL`: the document scan failed with `DOCUMENT IS EXPIRED` → DECLINED, reasonCode `DOCUMENT IS EXPIRED`; declineReasons DOCUMENT_EXPIRED (retryable in a new session), userAction START_OVER',
    behaviour: {
      kind: 'result',
      body: session(
        vxScenarioId(1),
        'FAIL',
        dcams(SCAN, 'FAIL', 'DOCUMENT IS EXPIRED', { document_data: JANE_LICENCE, issues: ['DOCUMENT IS EXPIRED'] }),
        [registration(T0), stop(T1, 'SDK_Scan', SCAN, 'FAIL', 'DOCUMENT IS EXPIRED')],
      ),
    },
  },
  {
    id: vxScenarioId(21),
    description:
      '`FAIL`: the selfie did not match the scanned document (`SELFIE MATCH FAILED`) → DECLINED; declineReasons FACE_MISMATCH (not retryable), userAction CONTACT_SUPPORT',
    behaviour: {
      kind: 'result',
      body: session(
        vxScenarioId(21),
        'FAIL',
        dcams(SCAN, 'FAIL', 'SELFIE MATCH FAILED', { document_data: JANE_LICENCE, issues: ['SELFIE MATCH FAILED'] }),
        [registration(T0), stop(T1, 'SDK_Scan', SCAN, 'FAIL', 'SELFIE MATCH FAILED')],
      ),
    },
  },
  {
    id: vxScenarioId(2),
    description:
      '`PENDING` with the last journey stop in manual review (action `REVIEW`) → IN_REVIEW, ' +
      'reasonCode `TRANSACTION REQUIRES FURTHER ATTENTION`',
    behaviour: {
      kind: 'result',
      body: session(
        vxScenarioId(2),
        'PENDING',
        dcams(SCAN, 'REVIEW', 'TRANSACTION REQUIRES FURTHER ATTENTION', {
          document_data: { ...JANE_LICENCE, ExpirationDate: '20310412' },
        }),
        [registration(T0), stop(T1, 'SDK_Scan', SCAN, 'REVIEW', 'TRANSACTION REQUIRES FURTHER ATTENTION')],
      ),
    },
  },
  {
    id: vxScenarioId(3),
    description:
      '`PENDING` mid-journey: Smart 2FA waits for the one-time code (`MORE INFORMATION IS REQUIRED`) → IN_PROGRESS',
    behaviour: {
      kind: 'result',
      body: session(vxScenarioId(3), 'PENDING', dcams(SMS, 'PENDING', 'MORE INFORMATION IS REQUIRED'), [
        registration(T0),
        stop(T1, 'Data Service', SMS, 'PENDING', 'MORE INFORMATION IS REQUIRED'),
      ]),
    },
  },
  {
    id: vxScenarioId(4),
    description:
      '`dcams_plus.api_processing_error: true` (`SERVICE CANNOT BE COMPLETED`) on a `FAIL` → ERROR, ' +
      'reasonCode `SERVICE CANNOT BE COMPLETED`; declineReasons PROVIDER_ERROR, userAction START_OVER',
    behaviour: {
      kind: 'result',
      body: session(
        vxScenarioId(4),
        'FAIL',
        dcams(SCAN, 'FAIL', 'SERVICE CANNOT BE COMPLETED', { api_processing_error: true }),
        [registration(T0), stop(T1, 'SDK_Scan', SCAN, 'FAIL', 'SERVICE CANNOT BE COMPLETED')],
      ),
    },
  },
  {
    id: vxScenarioId(5),
    description:
      'per-check `REVIEW` (IDMatch found the person, the address did not match) in a session that ended `FAIL` → ' +
      'DECLINED, kyc IN_REVIEW with its issues',
    behaviour: {
      kind: 'result',
      body: session(
        vxScenarioId(5),
        'FAIL',
        dcams('IDMatch5.0', 'REVIEW', 'TRANSACTION REQUIRES FURTHER ATTENTION', {
          issues: ['ADDRESS DID NOT MATCH', 'DOB MATCHED'],
        }),
        [registration(T0), stop(T1, 'Data Service', 'IDMatch5.0', 'REVIEW', 'TRANSACTION REQUIRES FURTHER ATTENTION')],
      ),
    },
  },
  {
    id: vxScenarioId(6),
    description:
      'the documented phone-check example as the plain-text docs show it, `additionalData: []` → metadata {}',
    behaviour: { kind: 'result', body: phoneCheck(vxScenarioId(6), []) },
  },
  {
    id: vxScenarioId(7),
    description: 'a status Verigate does not know (`ON HOLD`, also on the last stop) → UNKNOWN, raw value kept',
    behaviour: {
      kind: 'result',
      body: session(vxScenarioId(7), 'ON HOLD', dcams(SMS, 'ON HOLD', 'ESCALATED TO COMPLIANCE'), [
        registration(T0),
        stop(T1, 'Data Service', SMS, 'ON HOLD', 'ESCALATED TO COMPLIANCE'),
      ]),
    },
  },
  {
    id: vxScenarioId(8),
    description:
      'fields beyond the documented example: top-level `ssn`, `output.age_estimate` and `spoof_score`, alpha-3 ' +
      '`CountryCode`, `Height "5-08"`, null leaves, a numeric ZIP, the legacy duration in ms → APPROVED, face.ageEstimate 34',
    behaviour: {
      kind: 'result',
      body: session(
        vxScenarioId(8),
        'PASS',
        dcams(`${SCAN}.Selfie`, 'PASS', 'ALL CHECKS PASSED', {
          document_data: {
            ...JANE_LICENCE,
            CountryCode: 'USA',
            Height: '5-08',
            MiddleName: null,
            NationalID: null,
            Zip: 97205,
            ExpirationDate: '20310412',
          },
          output: { vpin: {}, age_estimate: 34, spoof_score: 0.02 },
          issues: null,
        }),
        [],
        {
          ssn: '123456789',
          zip: 97205,
          reference: null,
          journey: {
            stops: [registration(T0), stop(T1, 'SDK_Scan', `${SCAN}.Selfie`, 'PASS', 'ALL CHECKS PASSED')],
            duration: 65_400,
          },
        },
      ),
    },
  },
  {
    id: vxScenarioId(9),
    description: 'HTTP 202 `{"message":"IN PROGRESS"}`: the user started, no result yet → IN_PROGRESS, null parts',
    behaviour: message(202, 'IN PROGRESS', 'Session result not found, but user started the process.'),
  },
  {
    id: vxScenarioId(10),
    description: 'HTTP 404 `NOT FOUND` (any id not in this table does the same) → NOT_FOUND',
    behaviour: message(
      404,
      'NOT FOUND',
      'Session result not found, user did not start the process or your request_id is invalid.',
    ),
  },
  {
    id: vxScenarioId(11),
    description: 'HTTP 500 `INTERNAL SERVER ERROR` → UPSTREAM_UNAVAILABLE',
    behaviour: message(500, 'INTERNAL SERVER ERROR', 'An unexpected error occurred while processing your request.'),
  },
  {
    id: vxScenarioId(12),
    description: 'HTTP 429 with `Retry-After: 17` → UPSTREAM_RATE_LIMITED, retryAfterSeconds 17',
    behaviour: message(429, 'TOO MANY REQUESTS', 'Rate limit exceeded.', { 'retry-after': '17' }),
  },
  {
    id: vxScenarioId(13),
    description: 'HTTP 429 without `Retry-After` → UPSTREAM_RATE_LIMITED, retryAfterSeconds 60 (the default)',
    behaviour: message(429, 'TOO MANY REQUESTS', 'Rate limit exceeded.'),
  },
  {
    id: vxScenarioId(14),
    description: 'HTTP 401 even with a fresh token → one retry with a new token, then UPSTREAM_AUTH_FAILED',
    behaviour: message(401, 'UNAUTHORIZED', 'The token is not valid for this resource.'),
  },
  {
    id: vxScenarioId(15),
    description: 'HTTP 403 (the client may not read this session) → UPSTREAM_AUTH_FAILED, no retry',
    behaviour: message(403, 'FORBIDDEN', 'Access to this resource is forbidden.'),
  },
  {
    id: vxScenarioId(16),
    description: 'VX takes 30 s to answer → UPSTREAM_UNAVAILABLE once Verigate’s timeout passes',
    behaviour: { kind: 'slow', delayMs: 30_000, body: phoneCheck(vxScenarioId(16), []) },
  },
  {
    id: vxScenarioId(17),
    description: 'HTTP 200 with a body that is not JSON → UPSTREAM_BAD_RESPONSE',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: '{"request_id": "0e1a7ad0-0000-4000-8000-000000000017", "status": ',
      contentType: 'application/json',
    },
  },
  {
    id: vxScenarioId(18),
    description:
      'HTTP 200 with JSON of the wrong shape (`status` is a number, `journey` a string) → UPSTREAM_BAD_RESPONSE',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ request_id: vxScenarioId(18), status: 7, journey: 'yesterday' }),
      contentType: 'application/json',
    },
  },
  {
    id: vxScenarioId(20),
    description:
      'timed, with webhooks: `PENDING` mid-journey (Smart 2FA waits for the code) when first read → IN_PROGRESS; a ' +
      'few seconds later the document scan goes to manual review (`REVIEW`) → IN_REVIEW; then `PASS` → APPROVED; ' +
      'VX posts the result body to the webhook after each component',
    behaviour: {
      kind: 'timeline',
      steps: [
        {
          behaviour: {
            kind: 'result',
            body: session(vxScenarioId(20), 'PENDING', dcams(SMS, 'PENDING', 'MORE INFORMATION IS REQUIRED'), [
              registration(T0),
              stop(T1, 'Data Service', SMS, 'PENDING', 'MORE INFORMATION IS REQUIRED'),
            ]),
          },
        },
        {
          behaviour: {
            kind: 'result',
            body: session(
              vxScenarioId(20),
              'PENDING',
              dcams(SCAN, 'REVIEW', 'TRANSACTION REQUIRES FURTHER ATTENTION', { document_data: VALID_LICENCE }),
              [
                registration(T0),
                stop(T1, 'Data Service', SMS, 'PASS', 'ALL CHECKS PASSED'),
                stop(T1, 'SDK_Scan', SCAN, 'REVIEW', 'TRANSACTION REQUIRES FURTHER ATTENTION'),
              ],
            ),
          },
        },
        {
          behaviour: {
            kind: 'result',
            body: session(
              vxScenarioId(20),
              'PASS',
              dcams(SCAN, 'PASS', 'ALL CHECKS PASSED', { document_data: VALID_LICENCE }),
              [
                registration(T0),
                stop(T1, 'Data Service', SMS, 'PASS', 'ALL CHECKS PASSED'),
                stop(T1, 'SDK_Scan', SCAN, 'PASS', 'ALL CHECKS PASSED'),
              ],
            ),
          },
        },
      ],
    },
  },
];
