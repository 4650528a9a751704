import { describe, expect, it } from 'vitest';
import { noChecks } from '../src/model/checks.ts';
import { VERIFICATION_STATUSES } from '../src/model/session.ts';
import { mapStatus } from '../src/providers/status.ts';
import { veratadModule } from '../src/providers/veratad/index.ts';
import {
  durationSeconds,
  normalizeVeratadInProgress,
  normalizeVeratadResult,
} from '../src/providers/veratad/normalize.ts';
import { veratadInProgress, veratadResult } from '../src/providers/veratad/payload.ts';
import { VERATAD_SCENARIOS } from '../src/providers/veratad/sandbox/scenarios.ts';
import {
  VERATAD_STATUS_TABLES,
  veratadActionStatus,
  veratadResultStatus,
  veratadSessionStatus,
} from '../src/providers/veratad/status.ts';

/** VX "Get Session Result", 200 tab (seeds/veratad-vx-get-session-result.md), verbatim. */
const PHONE_CHECK = {
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
  request_id: '19fe3b9e-384e-41d1-bded-8de9ef3abacb',
  additionalData: { customKey: 'customValue' },
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
      {
        timestamp: '2024-08-19 20:56:25.223174',
        type: 'NEW REGISTRATION',
        source: '',
        status: '',
        action: '',
        detail: '',
      },
      {
        timestamp: '2024-08-19 20:56:41.280685',
        type: 'Data Service',
        source: 'PhoneMatch5.0.Smart2FA.SMS',
        status: 'PENDING',
        action: 'PENDING',
        detail: 'MORE INFORMATION IS REQUIRED',
      },
      {
        timestamp: '2024-08-19 20:56:57.448256',
        type: 'Data Service',
        source: 'PhoneMatch5.0.Smart2FA.SMS',
        status: 'PASS',
        action: 'PASS',
        detail: 'ALL CHECKS PASSED',
      },
    ],
    duration: '00h 00m 32s',
  },
  documents: null,
};

/** VX "Get Session Status" webhook/polling body (seeds/veratad-vx-session-status-and-webhook.txt), verbatim. */
const DOCUMENT_CHECK = {
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
  request_id: '4ed2ec66-9471-415d-99ce-7bd1742fc2b8',
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
      DocumentNumber: '<REDACTED>',
      DocumentType: 'DRIVERS LICENSE',
      SourceDocumentType: 'Driver Licence',
      NationalID: '<REDACTED>',
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
      {
        timestamp: '2024-08-12 13:06:50.335771',
        type: 'NEW REGISTRATION',
        source: '',
        status: null,
        action: '',
        detail: '',
      },
      {
        timestamp: '2024-08-12 13:08:15.694983',
        type: 'SDK_Scan',
        source: 'DCAMSPLUS5.0.Enhanced.OCR',
        status: 'PASS',
        action: 'PASS',
        detail: 'ALL CHECKS PASSED',
      },
    ],
    duration: '00h 01m 25s',
  },
  documents: null,
};

const normalize = (body: unknown, id = '19fe3b9e-384e-41d1-bded-8de9ef3abacb') =>
  normalizeVeratadResult(veratadResult.parse(body), id, false);

const EMPTY_STOP = {
  type: 'NEW REGISTRATION',
  source: null,
  status: null,
  providerStatus: null,
  action: null,
  detail: null,
};

describe('Veratad VX status tables (providers.md §5)', () => {
  it.each([
    ['PASS', 'APPROVED'],
    ['FAIL', 'DECLINED'],
    ['PENDING', 'IN_PROGRESS'],
    ['pass', 'UNKNOWN'],
    ['COMPLETED', 'UNKNOWN'],
    ['', 'UNKNOWN'],
  ])('result status %j -> %s', (raw, unified) => {
    expect(mapStatus(veratadResultStatus, raw)).toBe(unified);
  });

  it.each([
    ['PASS', 'APPROVED'],
    ['FAIL', 'DECLINED'],
    ['REVIEW', 'IN_REVIEW'],
    ['PENDING', 'IN_PROGRESS'],
    ['ON HOLD', 'UNKNOWN'],
  ])('action %j -> %s', (raw, unified) => {
    expect(mapStatus(veratadActionStatus, raw)).toBe(unified);
  });

  it.each([
    ['PASS', false, null, 'APPROVED'],
    ['FAIL', false, 'FAIL', 'DECLINED'],
    ['PENDING', false, 'REVIEW', 'IN_REVIEW'],
    ['PENDING', false, 'PENDING', 'IN_PROGRESS'],
    ['PENDING', false, null, 'IN_PROGRESS'],
    ['FAIL', false, 'REVIEW', 'DECLINED'],
    ['FAIL', true, 'FAIL', 'ERROR'],
    ['PENDING', true, 'REVIEW', 'ERROR'],
    ['PASS', true, 'PASS', 'APPROVED'],
    ['ON HOLD', false, 'REVIEW', 'UNKNOWN'],
  ] as const)('session status %j, processing error %j, last stop action %j -> %s', (status, error, last, unified) => {
    expect(veratadSessionStatus({ status, processingError: error, lastStopAction: last })).toBe(unified);
  });

  it('publishes every table as data, with notes where the choice is not obvious', () => {
    expect(veratadModule.statusTables).toBe(VERATAD_STATUS_TABLES);
    for (const table of VERATAD_STATUS_TABLES) {
      expect(table.provider).toBe('VERATAD');
      expect(table.rows.length).toBeGreaterThan(0);
      for (const row of table.rows) expect(VERIFICATION_STATUSES).toContain(row.status);
    }
    expect(veratadResultStatus.rows.find((r) => r.value === 'PENDING')?.note).toMatch(/REVIEW/);
    expect(VERATAD_STATUS_TABLES.map((t) => t.field)).toEqual([
      'status (session result)',
      'action (dcams_plus.action, journey stop status)',
      'dcams_plus.api_processing_error',
      'message (HTTP 202 from the session result)',
    ]);
  });
});

describe('durationSeconds', () => {
  it.each([
    ['00h 01m 25s', 85],
    ['00h 00m 32s', 32],
    ['01h 00m 00s', 3600],
    ['1h 2m 3s', 3723],
    ['01m 25s', 85],
    ['25s', 25],
    ['2m', 120],
    ['1h', 3600],
    ['00h01m25s', 85],
    [85_000, 85],
    [65_400, 65],
    [0, 0],
    ['', null],
    ['soon', null],
    ['85', null],
    [-1, null],
    [null, null],
    [undefined, null],
  ] as const)('%j -> %j', (raw, seconds) => {
    expect(durationSeconds(raw)).toBe(seconds);
  });
});

describe('normalizeVeratadResult', () => {
  it('maps the documented phone-check result field by field', () => {
    expect(normalize(PHONE_CHECK)).toEqual({
      provider: 'VERATAD',
      providerSessionId: '19fe3b9e-384e-41d1-bded-8de9ef3abacb',
      status: 'APPROVED',
      providerStatus: 'PASS',
      isTerminal: true,
      reasonCode: null,
      reasonDescription: null,
      createdAt: '2024-08-19T20:56:25.223Z',
      sandbox: false,
      sensitiveDataExpired: false,
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
        stops: [
          { at: '2024-08-19T20:56:25.223Z', ...EMPTY_STOP },
          {
            at: '2024-08-19T20:56:41.280Z',
            type: 'Data Service',
            source: 'PhoneMatch5.0.Smart2FA.SMS',
            status: 'IN_PROGRESS',
            providerStatus: 'PENDING',
            action: 'PENDING',
            detail: 'MORE INFORMATION IS REQUIRED',
          },
          {
            at: '2024-08-19T20:56:57.448Z',
            type: 'Data Service',
            source: 'PhoneMatch5.0.Smart2FA.SMS',
            status: 'APPROVED',
            providerStatus: 'PASS',
            action: 'PASS',
            detail: 'ALL CHECKS PASSED',
          },
        ],
        durationSeconds: 32,
      },
      // No document ran, but the phone check did: its service, confirmation, outcome and issues are kept.
      kyc: {
        status: 'APPROVED',
        providerStatus: 'PASS',
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
        service: 'PhoneMatch5.0.Smart2FA.SMS',
        confirmation: '180603431',
        issues: ['OUT-OF-BAND SUCCESSFUL'],
        images: null,
      },
      aml: null,
      face: null,
      location: null,
      warnings: [],
      reviews: [],
      ...noChecks(),
      reference: null,
      metadata: { customKey: 'customValue' },
    });
  });

  it('maps the documented document-scan result field by field, reading <REDACTED> as absent', () => {
    expect(normalize(DOCUMENT_CHECK, '4ed2ec66-9471-415d-99ce-7bd1742fc2b8')).toEqual({
      provider: 'VERATAD',
      providerSessionId: '4ed2ec66-9471-415d-99ce-7bd1742fc2b8',
      status: 'APPROVED',
      providerStatus: 'PASS',
      isTerminal: true,
      reasonCode: null,
      reasonDescription: null,
      createdAt: '2024-08-12T13:06:50.335Z',
      sandbox: false,
      sensitiveDataExpired: false,
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
        stops: [
          { at: '2024-08-12T13:06:50.335Z', ...EMPTY_STOP },
          {
            at: '2024-08-12T13:08:15.694Z',
            type: 'SDK_Scan',
            source: 'DCAMSPLUS5.0.Enhanced.OCR',
            status: 'APPROVED',
            providerStatus: 'PASS',
            action: 'PASS',
            detail: 'ALL CHECKS PASSED',
          },
        ],
        durationSeconds: 85,
      },
      kyc: {
        status: 'APPROVED',
        providerStatus: 'PASS',
        documentType: 'DRIVERS LICENSE',
        documentNumber: null,
        personalNumber: null,
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
      ...noChecks(),
      reference: 'Ref123',
      metadata: { verificationId: '170a03b7-001c-4f81-a7a8-af580468ddb8' },
    });
  });

  it('reads additionalData [] (the plain-text docs) as an empty object, and a missing one as null', () => {
    expect(normalize({ ...PHONE_CHECK, additionalData: [] }).metadata).toEqual({});
    expect(normalize({ ...PHONE_CHECK, additionalData: null }).metadata).toBeNull();
    const { additionalData: _omitted, ...without } = PHONE_CHECK;
    expect(normalize(without).metadata).toBeNull();
  });

  it('reads dates as YYYY-MM-DD and zone-less timestamps as UTC, nulling what is not a date', () => {
    const session = normalize({
      ...DOCUMENT_CHECK,
      dob: '19901340',
      dcams_plus: {
        ...DOCUMENT_CHECK.dcams_plus,
        document_data: { DateOfBirth: '1990-02-28', IssueDate: '2020', ExpirationDate: '20280229' },
      },
      journey: { stops: [{ timestamp: '2024-12-31 23:59:59.999999', type: 'NEW REGISTRATION' }], duration: null },
    });
    expect(session.applicant?.dateOfBirth).toBeNull();
    expect(session.kyc?.dateOfBirth).toBe('1990-02-28');
    expect(session.kyc?.dateOfIssue).toBeNull();
    expect(session.kyc?.expirationDate).toBe('2028-02-29');
    expect(session.createdAt).toBe('2024-12-31T23:59:59.999Z');
    expect(session.journey).toEqual({
      stops: [{ ...EMPTY_STOP, at: '2024-12-31T23:59:59.999Z' }],
      durationSeconds: null,
    });
  });

  it('gives the reason only when the session did not pass', () => {
    const failed = normalize({
      ...DOCUMENT_CHECK,
      status: 'FAIL',
      dcams_plus: { ...DOCUMENT_CHECK.dcams_plus, action: 'FAIL', detail: 'DOCUMENT IS EXPIRED' },
    });
    expect([failed.status, failed.reasonCode, failed.isTerminal, failed.kyc?.status]).toEqual([
      'DECLINED',
      'DOCUMENT IS EXPIRED',
      true,
      'DECLINED',
    ]);
    const pending = normalize({
      ...PHONE_CHECK,
      status: 'PENDING',
      dcams_plus: { ...PHONE_CHECK.dcams_plus, action: 'PENDING', detail: 'MORE INFORMATION IS REQUIRED' },
      journey: { stops: PHONE_CHECK.journey.stops.slice(0, 2), duration: '00h 00m 16s' },
    });
    expect([pending.status, pending.reasonCode, pending.isTerminal]).toEqual([
      'IN_PROGRESS',
      'MORE INFORMATION IS REQUIRED',
      false,
    ]);
  });

  it('reports a processing error as ERROR unless the session passed', () => {
    const errored = { ...PHONE_CHECK.dcams_plus, api_processing_error: true, detail: 'SERVICE CANNOT BE COMPLETED' };
    const failed = normalize({ ...PHONE_CHECK, status: 'FAIL', dcams_plus: { ...errored, action: 'FAIL' } });
    expect([failed.status, failed.isTerminal, failed.reasonCode]).toEqual([
      'ERROR',
      true,
      'SERVICE CANNOT BE COMPLETED',
    ]);
    expect(normalize({ ...PHONE_CHECK, dcams_plus: errored }).status).toBe('APPROVED');
  });

  it('puts a manual review (PENDING, last stop REVIEW) in IN_REVIEW', () => {
    const review = {
      timestamp: '2024-08-19 21:00:00.000000',
      type: 'Manual Review',
      source: 'DCAMSPLUS5.0.Enhanced',
      status: 'PENDING',
      action: 'REVIEW',
      detail: 'TRANSACTION REQUIRES FURTHER ATTENTION',
    };
    const session = normalize({
      ...PHONE_CHECK,
      status: 'PENDING',
      journey: { stops: [...PHONE_CHECK.journey.stops, review], duration: '00h 03m 35s' },
    });
    expect(session.status).toBe('IN_REVIEW');
    expect(session.isTerminal).toBe(false);
    expect(session.journey?.stops.at(-1)).toEqual({
      at: '2024-08-19T21:00:00.000Z',
      type: 'Manual Review',
      source: 'DCAMSPLUS5.0.Enhanced',
      status: 'IN_PROGRESS',
      providerStatus: 'PENDING',
      action: 'REVIEW',
      detail: 'TRANSACTION REQUIRES FURTHER ATTENTION',
    });
  });

  it('keeps an unknown status raw and maps it to UNKNOWN, on the session, the check and the stops', () => {
    const session = normalize({
      ...PHONE_CHECK,
      status: 'ON HOLD',
      dcams_plus: { ...PHONE_CHECK.dcams_plus, action: 'ESCALATE' },
      journey: { stops: [{ timestamp: null, status: 'PAUSED', action: 'PAUSED' }] },
    });
    expect([session.status, session.providerStatus, session.isTerminal]).toEqual(['UNKNOWN', 'ON HOLD', false]);
    expect([session.kyc?.status, session.kyc?.providerStatus]).toEqual(['UNKNOWN', 'ESCALATE']);
    expect(session.journey?.stops[0]).toMatchObject({ status: 'UNKNOWN', providerStatus: 'PAUSED', at: null });
    expect(session.createdAt).toBeNull();
  });

  it('tolerates fields beyond the documented example and maps age_estimate to face.ageEstimate', () => {
    const session = normalize({
      ...DOCUMENT_CHECK,
      ssn: '123456789',
      zip: 10001,
      dcams_plus: {
        ...DOCUMENT_CHECK.dcams_plus,
        document_data: {
          ...DOCUMENT_CHECK.dcams_plus.document_data,
          CountryCode: 'usa',
          Height: 180,
          DocumentNumber: 'D1234567',
          MiddleName: null,
        },
        output: { vpin: { id: 1 }, age_estimate: '27.5', spoof_score: { live: 0.98 } },
        issues: null,
      },
    });
    expect(session.applicant?.address?.postalCode).toBe('10001');
    expect(session.kyc).toMatchObject({
      issuingCountry: 'USA',
      documentNumber: 'D1234567',
      middleName: null,
      issues: [],
    });
    expect(session.kyc?.address?.country).toBe('USA');
    expect(session.face).toEqual({
      status: null,
      providerStatus: null,
      faceMatchStatus: null,
      livenessStatus: null,
      faceMatchScore: null,
      livenessScore: null,
      faceMatchPassed: null,
      ageEstimate: 27.5,
      ageCheckPassed: null,
      genderEstimate: null,
    });
    // The SSN is not part of the unified model: it must not leak anywhere into it.
    expect(JSON.stringify(session)).not.toContain('123456789');
  });

  it.each([['5-08'], ['6\'0"'], [180], [{ cm: 180 }], [null]])('accepts a Height of %j', (height) => {
    const body = {
      ...DOCUMENT_CHECK,
      dcams_plus: {
        ...DOCUMENT_CHECK.dcams_plus,
        document_data: { ...DOCUMENT_CHECK.dcams_plus.document_data, Height: height },
      },
    };
    expect(veratadResult.safeParse(body).success).toBe(true);
  });

  it.each([
    [{ age_estimate: 'about thirty' }],
    [{ age_estimate: null }],
    [{ age_estimate: { value: 30 } }],
    [{}],
    [[]],
  ])('ignores an output of %j without failing', (output) => {
    expect(normalize({ ...PHONE_CHECK, dcams_plus: { ...PHONE_CHECK.dcams_plus, output } }).face).toBeNull();
  });

  it('reads a PHP empty array as an empty object wherever an object is expected', () => {
    const session = normalize({
      ...PHONE_CHECK,
      dcams_plus: { ...PHONE_CHECK.dcams_plus, document_data: [], output: [] },
    });
    expect(session.kyc?.service).toBe('PhoneMatch5.0.Smart2FA.SMS');
    expect(normalize({ ...PHONE_CHECK, dcams_plus: [], journey: [] })).toMatchObject({ kyc: null, journey: null });
  });

  it('keeps a session with only its status readable (null leaves everywhere)', () => {
    expect(normalize({ status: 'PASS', dcams_plus: null, journey: null, fn: null })).toEqual({
      provider: 'VERATAD',
      providerSessionId: '19fe3b9e-384e-41d1-bded-8de9ef3abacb',
      status: 'APPROVED',
      providerStatus: 'PASS',
      isTerminal: true,
      reasonCode: null,
      reasonDescription: null,
      createdAt: null,
      sandbox: false,
      sensitiveDataExpired: false,
      applicant: null,
      journey: null,
      kyc: null,
      aml: null,
      face: null,
      location: null,
      warnings: [],
      reviews: [],
      ...noChecks(),
      reference: null,
      metadata: null,
    });
  });

  it('reads the legacy webhook journey (duration in ms, no stops)', () => {
    const session = normalize({
      status: 'PASS',
      request_id: '19fe3b9e-384e-41d1-bded-8de9ef3abacb',
      journey: { id: 'j-1', duration: 85_000, components: { history: { '0': { name: 'PhoneMatch' } } } },
    });
    expect(session.journey).toEqual({ stops: [], durationSeconds: 85 });
  });

  it.each([
    ['a numeric status', { ...PHONE_CHECK, status: 7 }],
    ['no status', { ...PHONE_CHECK, status: undefined }],
    ['a journey that is a string', { ...PHONE_CHECK, journey: 'yesterday' }],
    ['stops that are not a list', { ...PHONE_CHECK, journey: { stops: 'three' } }],
    ['issues that are not a list', { ...PHONE_CHECK, dcams_plus: { ...PHONE_CHECK.dcams_plus, issues: 'none' } }],
    ['a list body', [PHONE_CHECK]],
  ])('rejects a body with %s', (_name, body) => {
    expect(veratadResult.safeParse(body).success).toBe(false);
  });
});

describe('normalizeVeratadInProgress', () => {
  it('reports HTTP 202 as IN_PROGRESS with no parts', () => {
    const body = veratadInProgress.parse({
      message: 'IN PROGRESS',
      detail: 'Session result not found, but user started the process.',
    });
    expect(normalizeVeratadInProgress(body, '19fe3b9e-384e-41d1-bded-8de9ef3abacb', true)).toEqual({
      // The user started and has steps left.
      turn: 'USER',
      provider: 'VERATAD',
      providerSessionId: '19fe3b9e-384e-41d1-bded-8de9ef3abacb',
      status: 'IN_PROGRESS',
      providerStatus: 'IN PROGRESS',
      isTerminal: false,
      reasonCode: null,
      reasonDescription: null,
      createdAt: null,
      sandbox: true,
      sensitiveDataExpired: false,
      applicant: null,
      journey: null,
      kyc: null,
      aml: null,
      face: null,
      location: null,
      warnings: [],
      reviews: [],
      ...noChecks(),
      reference: null,
      metadata: null,
    });
  });
});

describe('the sandbox catalogue', () => {
  it('has unique UUID ids, the two documented examples first', () => {
    const ids = VERATAD_SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ids.slice(0, 2)).toEqual(['19fe3b9e-384e-41d1-bded-8de9ef3abacb', '4ed2ec66-9471-415d-99ce-7bd1742fc2b8']);
  });

  it('serves result bodies that its own adapter reads', () => {
    for (const s of VERATAD_SCENARIOS) {
      if (s.behaviour.kind === 'result' || s.behaviour.kind === 'slow') {
        expect(veratadResult.safeParse(s.behaviour.body).success, s.id).toBe(true);
      }
    }
  });
});
