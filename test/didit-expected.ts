import type { NodeWarning, SessionChecks } from '../src/model/checks.ts';
import type { Aml, Kyc, Location, Session } from '../src/model/session.ts';

/** Unified sessions the Didit suites expect, written out by hand (never computed by the code under test). */

/** A unified session whose warnings carry the node that raised them. */
export type ExpectedSession = Omit<Session, 'warnings'> & { warnings: NodeWarning[] };

const NO_RUNS: SessionChecks = {
  documents: [],
  nfc: [],
  liveness: [],
  faceMatches: [],
  aml: [],
  ip: [],
  proofOfAddress: [],
  phoneVerifications: [],
  emailVerifications: [],
  databaseValidations: [],
};

const NO_NEW_CHECKS = {
  nfc: null,
  proofOfAddress: null,
  phoneVerification: null,
  emailVerification: null,
  databaseValidation: null,
};

/** The documented decision, normalised: every field of the seed accounted for (v1), and the same facts from v3. */
export function documentedSession(version: 'v1' | 'v3'): ExpectedSession {
  // v1 has no workflow nodes; the v3 payload names one node per feature.
  const node = (id: string) => (version === 'v3' ? id : null);
  const kyc: Kyc = {
    status: 'APPROVED',
    providerStatus: 'Approved',
    documentType: 'Passport',
    documentNumber: 'BK123456',
    personalNumber: '999999999',
    issuingCountry: 'ESP',
    issuingCountryName: 'Spain',
    issuingState: null,
    dateOfIssue: '2019-03-24',
    expirationDate: '2026-03-24',
    firstName: 'Sergey',
    middleName: null,
    lastName: 'Kozlov',
    fullName: 'Sergey Kozlov',
    dateOfBirth: '1990-01-01',
    age: null,
    gender: 'M',
    nationality: 'ESP',
    placeOfBirth: 'Madrid, Spain',
    address: {
      line1: null,
      line2: null,
      city: null,
      state: null,
      postalCode: null,
      country: null,
      formatted: 'Carrer del Clot, 36, p02, Sant Martí, 08018 Barcelona, Spain',
    },
    nfcVerified: false,
    service: null,
    confirmation: null,
    issues: [],
    images: {
      portrait: 'https://example.com/portrait.jpg',
      front: 'https://example.com/front.jpg',
      back: null,
      fullFront: 'https://example.com/full_front.jpg',
      fullBack: null,
      frontVideo: 'https://example.com/front.mp4',
      backVideo: null,
    },
  };
  const aml: Aml = {
    status: 'IN_REVIEW',
    providerStatus: 'In Review',
    totalHits: 1,
    score: 0.7035,
    hits: [
      {
        id: 'aaaaaaa-1111-2222-3333-4444-555555555555',
        caption: 'Kozlov Sergey Alexandrovich',
        match: false,
        score: 0.7034920634920635,
        target: true,
        datasets: ['ru_acf_bribetakers'],
        topics: ['poi'],
        names: ['Kozlov Sergey Alexandrovich'],
        aliases: ['Козлов Сергей Александрович'],
        notes: [
          'Assistant Prosecutor of the Soviet District of Voronezh. Involved in the case against the Ukrainian pilot Nadiya Savchenko',
        ],
        positions: ['Organizers of political repressions', 'Организаторы политических репрессий'],
        firstSeen: '2023-06-23T12:02:51.000Z',
        lastSeen: '2024-07-20T17:53:03.000Z',
        lastChange: '2024-02-27T17:53:01.000Z',
      },
    ],
  };
  const location: Location = {
    status: 'APPROVED',
    providerStatus: 'Approved',
    ip: {
      address: '83.50.226.71',
      country: 'Spain',
      countryCode: 'ES',
      state: 'Barcelona',
      city: 'Barcelona',
      latitude: 41.4022,
      longitude: 2.1407,
      isp: null,
      organization: null,
      isVpnOrTor: false,
      isDataCenter: false,
      timeZone: 'Europe/Madrid',
      timeZoneOffset: '+0100',
    },
    device: { brand: 'Apple', model: 'iPhone', browserFamily: 'Mobile Safari', osFamily: 'iOS', platform: 'mobile' },
    documentLocation: { latitude: 4, longitude: -72 },
    distanceFromDocumentToIpKm: 8393.68,
  };
  const amlWarning: NodeWarning = {
    nodeId: node('feature_aml_1'),
    feature: 'AML',
    risk: 'POSSIBLE_MATCH_FOUND',
    logType: 'warning',
    shortDescription: 'Possible match found in AML screening',
    longDescription:
      'The Anti-Money Laundering (AML) screening process identified potential matches with watchlists or high-risk databases, requiring further review.',
    additionalData: null,
  };
  return {
    provider: 'DIDIT',
    providerSessionId: '11111111-2222-3333-4444-555555555555',
    status: 'DECLINED',
    providerStatus: 'Declined',
    isTerminal: true,
    reasonCode: 'POSSIBLE_MATCH_FOUND',
    reasonDescription: 'Possible match found in AML screening',
    createdAt: '2024-07-24T08:54:25.443Z',
    sandbox: false,
    sensitiveDataExpired: false,
    applicant: {
      firstName: 'Sergey',
      lastName: 'Kozlov',
      fullName: 'Sergey Kozlov',
      dateOfBirth: '1990-01-01',
      email: null,
      phone: null,
      nationality: 'ESP',
      gender: 'M',
      address: {
        line1: null,
        line2: null,
        city: null,
        state: null,
        postalCode: null,
        country: null,
        formatted: 'Carrer del Clot, 36, p02, Sant Martí, 08018 Barcelona, Spain',
      },
    },
    journey: null,
    kyc,
    aml,
    face: {
      status: 'APPROVED',
      providerStatus: 'Approved',
      faceMatchStatus: 'APPROVED',
      livenessStatus: 'APPROVED',
      faceMatchScore: 0.9799,
      livenessScore: 0.8799,
      faceMatchPassed: true,
      ageEstimate: 24.3,
      ageCheckPassed: null,
      // v3 has no gender estimation: the one fact of the documented session it cannot carry.
      genderEstimate: version === 'v1' ? { male: 0.9923, female: 0.0077 } : null,
    },
    location,
    warnings: [amlWarning],
    reviews: [
      {
        user: 'compliance@example.com',
        status: 'DECLINED',
        providerStatus: 'Declined',
        comment: 'Possible match found in AML screening',
        createdAt: '2024-07-18T13:29:00.366Z',
      },
    ],
    reference: '11111111-1111-1111-1111-111111111111',
    metadata: { vendor_data: '11111111-1111-1111-1111-111111111111' },
    ...NO_NEW_CHECKS,
    checks: {
      ...NO_RUNS,
      documents: [
        {
          nodeId: node('feature_ocr_1'),
          status: 'APPROVED',
          providerStatus: 'Approved',
          documentSubtype: null,
          kyc,
          warnings: [],
        },
      ],
      liveness: [
        {
          nodeId: node('feature_liveness_1'),
          status: 'APPROVED',
          providerStatus: 'Approved',
          method: null,
          score: 0.8799,
          ageEstimate: 24.3,
          referenceImage: null,
          videoUrl: 'https://example.com/video.mp4',
          warnings: [],
        },
      ],
      faceMatches: [
        {
          nodeId: node('feature_face_match_1'),
          status: 'APPROVED',
          providerStatus: 'Approved',
          score: 0.9799,
          sourceImage: 'https://example.com/source.jpg',
          targetImage: 'https://example.com/target.jpg',
          warnings: [],
        },
      ],
      aml: [
        {
          nodeId: node('feature_aml_1'),
          status: 'IN_REVIEW',
          providerStatus: 'In Review',
          aml,
          warnings: [amlWarning],
        },
      ],
      ip: [
        {
          nodeId: node('feature_ip_1'),
          status: 'APPROVED',
          providerStatus: 'Approved',
          location,
          deviceFingerprint: null,
          warnings: [],
        },
      ],
    },
  };
}

type Unified = Session['status'];

/** How one made-up status scenario should come out (see `FakeSession` in scenarios.ts for the values sent). */
export interface StatusCase {
  status: Unified;
  raw: string;
  terminal: boolean;
  reasonCode?: string;
  reasonDescription?: string;
  kyc?: [Unified, string];
  face?: [Unified, string];
  aml?: [Unified, string];
  ip?: [Unified, string];
  warnings?: Array<[feature: string, risk: string, logType: string, short: string, long: string]>;
  reviews?: Array<[Unified, string, string]>;
}

const FAKE_ADDRESS = {
  line1: null,
  line2: null,
  city: null,
  state: null,
  postalCode: null,
  country: null,
  formatted: 'Calle Falsa, 123, 46001 Valencia, Spain',
};

const passed = (status: Unified) => (status === 'APPROVED' ? true : status === 'DECLINED' ? false : null);

/** The node each made-up check runs on in v3 (one node per feature). */
const FAKE_NODES: Record<string, string> = {
  ID_VERIFICATION: 'feature_ocr_1',
  LIVENESS: 'feature_liveness_1',
  FACEMATCH: 'feature_face_match_1',
  AML: 'feature_aml_1',
  LOCATION: 'feature_ip_1',
};

/** The unified session (model shape) of a made-up status scenario, as v1 or v3 serves it. */
export function expectedStatusSession(
  id: string,
  c: StatusCase,
  sandbox: boolean,
  version: 'v1' | 'v3',
): ExpectedSession {
  const reference = `user-${id.slice(-4)}`;
  const node = (feature: string) => (version === 'v3' ? (FAKE_NODES[feature] ?? null) : null);
  const warnings: NodeWarning[] = (c.warnings ?? []).map(([feature, risk, logType, short, long]) => ({
    nodeId: node(feature),
    feature,
    risk,
    logType,
    shortDescription: short,
    longDescription: long,
    additionalData: null,
  }));
  const raisedBy = (feature: string) => warnings.filter((w) => w.feature === feature);
  const run = (feature: string, [status, providerStatus]: [Unified, string]) => ({
    nodeId: node(feature),
    status,
    providerStatus,
    warnings: raisedBy(feature),
  });
  const kyc: Kyc | null = c.kyc
    ? {
        status: c.kyc[0],
        providerStatus: c.kyc[1],
        documentType: 'Passport',
        documentNumber: 'XDC481516',
        personalNumber: '48151623K',
        issuingCountry: 'ESP',
        issuingCountryName: 'Spain',
        issuingState: null,
        dateOfIssue: '2021-05-14',
        expirationDate: '2031-05-13',
        firstName: 'Lucía',
        middleName: null,
        lastName: 'Ortega Vidal',
        fullName: 'Lucía Ortega Vidal',
        dateOfBirth: '1988-05-14',
        age: null,
        gender: 'F',
        nationality: 'ESP',
        placeOfBirth: 'Valencia',
        address: FAKE_ADDRESS,
        nfcVerified: false,
        service: null,
        confirmation: null,
        issues: [],
        images: {
          portrait: 'https://media.example.invalid/portrait.jpg',
          front: 'https://media.example.invalid/front.jpg',
          back: null,
          fullFront: 'https://media.example.invalid/full_front.jpg',
          fullBack: null,
          frontVideo: null,
          backVideo: null,
        },
      }
    : null;
  const aml: Aml | null = c.aml
    ? { status: c.aml[0], providerStatus: c.aml[1], totalHits: 0, score: 0, hits: [] }
    : null;
  const location: Location | null = c.ip
    ? {
        status: c.ip[0],
        providerStatus: c.ip[1],
        ip: {
          address: '203.0.113.45',
          country: 'Spain',
          countryCode: 'ES',
          state: 'Valencia',
          city: 'Valencia',
          latitude: 39.4699,
          longitude: -0.3763,
          isp: 'Example Telecom',
          organization: null,
          isVpnOrTor: false,
          isDataCenter: false,
          timeZone: 'Europe/Madrid',
          timeZoneOffset: '+0100',
        },
        device: {
          brand: 'Google',
          model: 'Pixel 8',
          browserFamily: 'Chrome Mobile',
          osFamily: 'Android',
          platform: 'mobile',
        },
        documentLocation: { latitude: 39.4699, longitude: -0.3763 },
        distanceFromDocumentToIpKm: 0.5,
      }
    : null;
  return {
    provider: 'DIDIT',
    providerSessionId: id,
    status: c.status,
    providerStatus: c.raw,
    isTerminal: c.terminal,
    reasonCode: c.reasonCode ?? null,
    reasonDescription: c.reasonDescription ?? null,
    createdAt: '2026-03-02T09:30:00.000Z',
    sandbox,
    sensitiveDataExpired: false,
    applicant: c.kyc
      ? {
          firstName: 'Lucía',
          lastName: 'Ortega Vidal',
          fullName: 'Lucía Ortega Vidal',
          dateOfBirth: '1988-05-14',
          email: null,
          phone: null,
          nationality: 'ESP',
          gender: 'F',
          address: FAKE_ADDRESS,
        }
      : null,
    journey: null,
    kyc,
    aml,
    face: c.face
      ? {
          status: c.face[0],
          providerStatus: c.face[1],
          faceMatchStatus: c.face[0],
          livenessStatus: c.face[0],
          faceMatchScore: 0.9125,
          livenessScore: 0.955,
          faceMatchPassed: passed(c.face[0]),
          ageEstimate: 36.8,
          ageCheckPassed: null,
          genderEstimate: null,
        }
      : null,
    location,
    warnings,
    reviews: (c.reviews ?? []).map(([status, providerStatus, comment], i) => ({
      user: 'reviewer@example.invalid',
      status,
      providerStatus,
      comment,
      createdAt: `2026-03-02T1${i}:05:00.000Z`,
    })),
    reference,
    metadata: { vendor_data: reference },
    ...NO_NEW_CHECKS,
    checks: {
      ...NO_RUNS,
      documents: c.kyc ? [{ ...run('ID_VERIFICATION', c.kyc), documentSubtype: null, kyc }] : [],
      liveness: c.face
        ? [
            {
              ...run('LIVENESS', c.face),
              method: null,
              score: 0.955,
              ageEstimate: 36.8,
              referenceImage: null,
              videoUrl: 'https://media.example.invalid/liveness.mp4',
            },
          ]
        : [],
      faceMatches: c.face
        ? [
            {
              ...run('FACEMATCH', c.face),
              score: 0.9125,
              sourceImage: 'https://media.example.invalid/source.jpg',
              targetImage: 'https://media.example.invalid/target.jpg',
            },
          ]
        : [],
      aml: c.aml ? [{ ...run('AML', c.aml), aml }] : [],
      ip: c.ip ? [{ ...run('LOCATION', c.ip), location, deviceFingerprint: null }] : [],
    },
  };
}

const W = {
  ipCountry: [
    'LOCATION',
    'COUNTRY_FROM_DOCUMENT_DOES_NOT_MATCH_COUNTRY_FROM_IP',
    'warning',
    'IP country differs from document country',
    'The IP address is located in a country other than the document’s.',
  ],
  expired: (logType: string) => [
    'ID_VERIFICATION',
    'DOCUMENT_EXPIRED',
    logType,
    'Document expired',
    'The document has passed its expiration date.',
  ],
  screen: [
    'ID_VERIFICATION',
    'SCREEN_CAPTURE_DETECTED',
    'error',
    'Screen capture detected',
    'The document was photographed from a screen.',
  ],
  qr: [
    'ID_VERIFICATION',
    'QR_NOT_DETECTED',
    'information',
    'QR code not detected',
    'The QR code on the document could not be read.',
  ],
  aml: [
    'AML',
    'POSSIBLE_MATCH_FOUND',
    'warning',
    'Possible match found in AML screening',
    'The AML screening found entries that may match the applicant.',
  ],
  noFace: ['LIVENESS', 'NO_FACE_DETECTED', 'error', 'No face detected', 'No face was found in the selfie capture.'],
} as const;

type WarningRow = [string, string, string, string, string];
const row = (w: readonly string[]) => [...w] as WarningRow;

/** Every status scenario (by name) and its unified result; the same for v1 and v3. */
export const STATUS_CASES: Array<[name: string, expected: StatusCase]> = [
  ['status Not Started', { status: 'NOT_STARTED', raw: 'Not Started', terminal: false }],
  [
    'status In Progress',
    {
      status: 'IN_PROGRESS',
      raw: 'In Progress',
      terminal: false,
      kyc: ['APPROVED', 'Approved'],
      face: ['IN_PROGRESS', 'Not Finished'],
    },
  ],
  [
    'status Approved',
    {
      status: 'APPROVED',
      raw: 'Approved',
      terminal: true,
      kyc: ['APPROVED', 'Approved'],
      face: ['APPROVED', 'Approved'],
      aml: ['APPROVED', 'Approved'],
      ip: ['APPROVED', 'Approved'],
    },
  ],
  [
    'status Declined',
    {
      status: 'DECLINED',
      raw: 'Declined',
      terminal: true,
      reasonCode: 'DOCUMENT_EXPIRED',
      reasonDescription: 'Document expired',
      kyc: ['DECLINED', 'Declined'],
      face: ['APPROVED', 'Approved'],
      ip: ['IN_REVIEW', 'In Review'],
      warnings: [row(W.qr), row(W.expired('error')), row(W.screen), row(W.ipCountry)],
      reviews: [['DECLINED', 'Declined', 'Expired passport.']],
    },
  ],
  [
    'status In Review',
    {
      status: 'IN_REVIEW',
      raw: 'In Review',
      terminal: false,
      reasonCode: 'POSSIBLE_MATCH_FOUND',
      reasonDescription: 'Possible match found in AML screening',
      kyc: ['APPROVED', 'Approved'],
      face: ['APPROVED', 'Approved'],
      aml: ['IN_REVIEW', 'In Review'],
      warnings: [row(W.qr), row(W.aml)],
    },
  ],
  ['status Awaiting User', { status: 'IN_PROGRESS', raw: 'Awaiting User', terminal: false }],
  [
    'status Resubmitted',
    {
      status: 'RESUBMISSION_REQUESTED',
      raw: 'Resubmitted',
      terminal: false,
      reasonCode: 'NO_FACE_DETECTED',
      reasonDescription: 'No face detected',
      kyc: ['APPROVED', 'Approved'],
      face: ['RESUBMISSION_REQUESTED', 'Resub Requested'],
      warnings: [row(W.noFace)],
      reviews: [['RESUBMISSION_REQUESTED', 'Resubmitted', 'Please retake the selfie.']],
    },
  ],
  ['status Expired', { status: 'EXPIRED', raw: 'Expired', terminal: true }],
  ['status Abandoned', { status: 'ABANDONED', raw: 'Abandoned', terminal: true, kyc: ['IN_PROGRESS', 'Not Finished'] }],
  [
    'status Kyc Expired',
    {
      status: 'EXPIRED',
      raw: 'Kyc Expired',
      terminal: true,
      reasonCode: 'KYC_EXPIRED',
      kyc: ['APPROVED', 'Approved'],
      face: ['APPROVED', 'Approved'],
      warnings: [row(W.expired('warning'))],
    },
  ],
  ['status NOT_STARTED', { status: 'NOT_STARTED', raw: 'NOT_STARTED', terminal: false }],
  ['status IN_PROGRESS', { status: 'IN_PROGRESS', raw: 'IN_PROGRESS', terminal: false }],
  ['status AWAITING_USER', { status: 'IN_PROGRESS', raw: 'AWAITING_USER', terminal: false }],
  ['status IN_REVIEW', { status: 'IN_REVIEW', raw: 'IN_REVIEW', terminal: false }],
  ['status RESUBMITTED', { status: 'RESUBMISSION_REQUESTED', raw: 'RESUBMITTED', terminal: false }],
  ['status APPROVED', { status: 'APPROVED', raw: 'APPROVED', terminal: true }],
  ['status DECLINED', { status: 'DECLINED', raw: 'DECLINED', terminal: true }],
  ['status EXPIRED', { status: 'EXPIRED', raw: 'EXPIRED', terminal: true }],
  ['status ABANDONED', { status: 'ABANDONED', raw: 'ABANDONED', terminal: true }],
  ['status On Hold', { status: 'UNKNOWN', raw: 'On Hold', terminal: false, kyc: ['UNKNOWN', 'Pending Review'] }],
];

/** Every failure scenario (by name): the error's extensions and message, the same for v1 and v3. */
export const ERROR_CASES: Array<[name: string, extensions: Record<string, unknown>, message: string]> = [
  ['not found', { code: 'NOT_FOUND', provider: 'DIDIT' }, 'Didit has no such session.'],
  ['html 404', { code: 'NOT_FOUND', provider: 'DIDIT' }, 'Didit has no such session.'],
  [
    'error 401',
    { code: 'UPSTREAM_AUTH_FAILED', provider: 'DIDIT' },
    "Didit rejected Verigate's credentials (HTTP 401).",
  ],
  [
    'error 403',
    { code: 'UPSTREAM_AUTH_FAILED', provider: 'DIDIT' },
    "Didit rejected Verigate's credentials (HTTP 403).",
  ],
  [
    'rate limited',
    { code: 'UPSTREAM_RATE_LIMITED', provider: 'DIDIT', retryAfterSeconds: 17 },
    'Didit is rate limiting Verigate; retry in 17 s.',
  ],
  ['error 500', { code: 'UPSTREAM_UNAVAILABLE', provider: 'DIDIT' }, 'Didit is unavailable: it answered HTTP 500.'],
  ['slow', { code: 'UPSTREAM_UNAVAILABLE', provider: 'DIDIT' }, 'Didit is unavailable: the request timed out.'],
  [
    'malformed',
    { code: 'UPSTREAM_BAD_RESPONSE', provider: 'DIDIT' },
    'Didit sent a response Verigate cannot read: the decision payload body is not JSON.',
  ],
  [
    'invalid shape',
    { code: 'UPSTREAM_BAD_RESPONSE', provider: 'DIDIT' },
    "Didit sent a response Verigate cannot read: the decision payload does not match Didit's documented shape.",
  ],
];
