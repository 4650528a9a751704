import { DIDIT_V1_DOCUMENTED_DECISION } from './examples/v1Documented.ts';

/**
 * The Didit sandbox catalogue: one session per status, edge case and failure the adapters handle, each under a
 * fixed UUID. A decision scenario holds the payload each API generation serves (`v1`, `v3`); a generation
 * without one answers 404 for it. Values are fake except Didit's documented examples.
 */

type Payload = Record<string, unknown>;

export type DiditBehaviour =
  | { kind: 'decision'; v1?: Payload; v3?: Payload }
  | { kind: 'error'; status: number; detail: string; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number; v1: Payload; v3?: Payload }
  | { kind: 'raw'; status: number; body: string; contentType: string };

export interface DiditScenario {
  /** Short handle for tests and docs. */
  name: string;
  id: string;
  description: string;
  behaviour: DiditBehaviour;
}

const CREATED = '2026-03-02T09:30:00.000000Z';

type Feature = 'ID_VERIFICATION' | 'LIVENESS' | 'FACEMATCH' | 'AML' | 'LOCATION';

interface FakeWarning {
  feature: Feature;
  risk: string;
  logType: 'error' | 'warning' | 'information';
}

/** A made-up session, described once and rendered in each API generation's shape. */
interface FakeSession {
  id: string;
  status: string;
  /** Status words of the checks that ran; a check left out did not run. `face` is liveness and face match. */
  kyc?: string;
  face?: string;
  aml?: string;
  ip?: string;
  warnings?: FakeWarning[];
  reviews?: Array<{ new_status: string; comment: string }>;
}

const WARNING_TEXT: Record<string, [string, string]> = {
  DOCUMENT_EXPIRED: ['Document expired', 'The document has passed its expiration date.'],
  SCREEN_CAPTURE_DETECTED: ['Screen capture detected', 'The document was photographed from a screen.'],
  QR_NOT_DETECTED: ['QR code not detected', 'The QR code on the document could not be read.'],
  POSSIBLE_MATCH_FOUND: [
    'Possible match found in AML screening',
    'The AML screening found entries that may match the applicant.',
  ],
  COUNTRY_FROM_DOCUMENT_DOES_NOT_MATCH_COUNTRY_FROM_IP: [
    'IP country differs from document country',
    'The IP address is located in a country other than the document’s.',
  ],
  NO_FACE_DETECTED: ['No face detected', 'No face was found in the selfie capture.'],
};

function fakeWarning(w: FakeWarning): Payload {
  const [short, long] = WARNING_TEXT[w.risk] ?? [w.risk, w.risk];
  return {
    feature: w.feature,
    risk: w.risk,
    additional_data: null,
    log_type: w.logType,
    short_description: short,
    long_description: long,
  };
}

function fakeReviews(f: FakeSession): Payload[] {
  return (f.reviews ?? []).map((r, i) => ({
    user: 'reviewer@example.invalid',
    new_status: r.new_status,
    comment: r.comment,
    created_at: `2026-03-02T1${i}:05:00.000000Z`,
  }));
}

const PERSON = {
  document_type: 'Passport',
  document_number: 'XDC481516',
  personal_number: '48151623K',
  portrait_image: 'https://media.example.invalid/portrait.jpg',
  front_image: 'https://media.example.invalid/front.jpg',
  front_video: null,
  back_image: null,
  back_video: null,
  full_front_image: 'https://media.example.invalid/full_front.jpg',
  full_back_image: null,
  date_of_birth: '1988-05-14',
  expiration_date: '2031-05-13',
  date_of_issue: '2021-05-14',
  issuing_state: 'ESP',
  issuing_state_name: 'Spain',
  first_name: 'Lucía',
  last_name: 'Ortega Vidal',
  full_name: 'Lucía Ortega Vidal',
  gender: 'F',
  address: 'Calle Falsa 123, Valencia',
  formatted_address: 'Calle Falsa, 123, 46001 Valencia, Spain',
  parsed_address: null,
  place_of_birth: 'Valencia',
  marital_status: 'SINGLE',
  nationality: 'ESP',
};

const DEVICE_AND_IP = {
  device_brand: 'Google',
  device_model: 'Pixel 8',
  browser_family: 'Chrome Mobile',
  os_family: 'Android',
  platform: 'mobile',
  ip_country: 'Spain',
  ip_country_code: 'ES',
  ip_state: 'Valencia',
  ip_city: 'Valencia',
  latitude: 39.4699,
  longitude: -0.3763,
  ip_address: '203.0.113.45',
  isp: 'Example Telecom',
  organization: null,
  is_vpn_or_tor: false,
  is_data_center: false,
  time_zone: 'Europe/Madrid',
  time_zone_offset: '+0100',
};

function fakeV1(f: FakeSession): Payload {
  const kyc = f.kyc
    ? {
        status: f.kyc,
        ocr_status: f.kyc,
        epassport_status: null,
        ...PERSON,
        is_nfc_verified: false,
        created_at: CREATED,
      }
    : null;
  const face = f.face
    ? {
        status: f.face,
        face_match_status: f.face,
        liveness_status: f.face,
        face_match_similarity: 91.25,
        liveness_confidence: 95.5,
        source_image: 'https://media.example.invalid/source.jpg',
        target_image: 'https://media.example.invalid/target.jpg',
        video_url: 'https://media.example.invalid/liveness.mp4',
        age_estimation: 36.8,
        gender_estimation: null,
      }
    : null;
  const aml = f.aml ? { status: f.aml, total_hits: 0, score: 0, hits: [] } : null;
  const location = f.ip
    ? {
        ...DEVICE_AND_IP,
        status: f.ip,
        document_location: { latitude: 39.4699, longitude: -0.3763 },
        ip_location: { latitude: 39.4699, longitude: -0.3763 },
        distance_from_document_to_ip_km: { distance: 0.5, direction: 'N' },
      }
    : null;
  return {
    session_id: f.id,
    session_number: 50000 + Number.parseInt(f.id.slice(-4), 16),
    session_url: `https://verify.didit.me/session/${f.id}`,
    status: f.status,
    vendor_data: `user-${f.id.slice(-4)}`,
    callback: 'https://app.example.invalid/kyc/done',
    features: 'OCR + FACE',
    kyc,
    aml,
    face,
    location,
    warnings: (f.warnings ?? []).map(fakeWarning),
    reviews: fakeReviews(f),
    extra_images: [],
    created_at: CREATED,
  };
}

function fake(f: FakeSession): { kind: 'decision'; v1: Payload } {
  return { kind: 'decision', v1: fakeV1(f) };
}

const statusId = (n: number) => `d1d10200-0000-4000-8000-${String(n).padStart(12, '0')}`;
const errorId = (n: number) => `d1d10400-0000-4000-8000-${String(n).padStart(12, '0')}`;

function statusScenario(n: number, f: Omit<FakeSession, 'id'>, description: string): DiditScenario {
  const id = statusId(n);
  const name = `status ${f.status}`;
  return { name, id, description: `\`${f.status}\`: ${description}`, behaviour: fake({ ...f, id }) };
}

const error = (status: number, detail: string, headers?: Record<string, string>): DiditBehaviour => ({
  kind: 'error',
  status,
  detail,
  ...(headers ? { headers } : {}),
});

export const DIDIT_SCENARIOS: readonly DiditScenario[] = [
  {
    name: 'documented',
    id: '11111111-2222-3333-4444-555555555555',
    description:
      'Didit’s documented example: `Declined` after a manual review, AML `In Review` with one hit, face match 97.99 → DECLINED, reasonCode POSSIBLE_MATCH_FOUND',
    behaviour: { kind: 'decision', v1: DIDIT_V1_DOCUMENTED_DECISION },
  },
  statusScenario(1, { status: 'Not Started' }, 'created, link not opened; no check has run → NOT_STARTED'),
  statusScenario(
    2,
    { status: 'In Progress', kyc: 'Approved', face: 'Not Finished' },
    'document read, selfie not finished → IN_PROGRESS',
  ),
  statusScenario(
    3,
    { status: 'Approved', kyc: 'Approved', face: 'Approved', aml: 'Approved', ip: 'Approved' },
    'every check approved, no warning → APPROVED',
  ),
  statusScenario(
    4,
    {
      status: 'Declined',
      kyc: 'Declined',
      face: 'Approved',
      ip: 'In Review',
      warnings: [
        { feature: 'LOCATION', risk: 'COUNTRY_FROM_DOCUMENT_DOES_NOT_MATCH_COUNTRY_FROM_IP', logType: 'warning' },
        { feature: 'ID_VERIFICATION', risk: 'DOCUMENT_EXPIRED', logType: 'error' },
        { feature: 'ID_VERIFICATION', risk: 'SCREEN_CAPTURE_DETECTED', logType: 'error' },
      ],
      reviews: [{ new_status: 'Declined', comment: 'Expired passport.' }],
    },
    'document declined; the first `error` warning outranks an earlier `warning` → DECLINED, reasonCode DOCUMENT_EXPIRED',
  ),
  statusScenario(
    5,
    {
      status: 'In Review',
      kyc: 'Approved',
      face: 'Approved',
      aml: 'In Review',
      warnings: [
        { feature: 'ID_VERIFICATION', risk: 'QR_NOT_DETECTED', logType: 'information' },
        { feature: 'AML', risk: 'POSSIBLE_MATCH_FOUND', logType: 'warning' },
      ],
    },
    'AML needs a human; a `warning` outranks an earlier `information` → IN_REVIEW, reasonCode POSSIBLE_MATCH_FOUND',
  ),
  statusScenario(6, { status: 'Awaiting User' }, 'KYB waiting for related parties’ sessions → IN_PROGRESS'),
  statusScenario(
    7,
    {
      status: 'Resubmitted',
      kyc: 'Approved',
      face: 'Resub Requested',
      warnings: [{ feature: 'LIVENESS', risk: 'NO_FACE_DETECTED', logType: 'error' }],
      reviews: [{ new_status: 'Resubmitted', comment: 'Please retake the selfie.' }],
    },
    'the user was asked to redo the selfie → RESUBMISSION_REQUESTED',
  ),
  statusScenario(8, { status: 'Expired' }, 'the link was never opened in time → EXPIRED'),
  statusScenario(9, { status: 'Abandoned', kyc: 'Not Finished' }, 'started, not finished in time → ABANDONED'),
  statusScenario(
    10,
    {
      status: 'Kyc Expired',
      kyc: 'Approved',
      face: 'Approved',
      warnings: [{ feature: 'ID_VERIFICATION', risk: 'DOCUMENT_EXPIRED', logType: 'warning' }],
    },
    'approved earlier, the document has since expired → EXPIRED, reasonCode KYC_EXPIRED (before any warning)',
  ),
  statusScenario(11, { status: 'NOT_STARTED' }, 'KYB form → NOT_STARTED'),
  statusScenario(12, { status: 'IN_PROGRESS' }, 'KYB form → IN_PROGRESS'),
  statusScenario(13, { status: 'AWAITING_USER' }, 'KYB form → IN_PROGRESS'),
  statusScenario(14, { status: 'IN_REVIEW' }, 'KYB form → IN_REVIEW'),
  statusScenario(15, { status: 'RESUBMITTED' }, 'KYB form → RESUBMISSION_REQUESTED'),
  statusScenario(16, { status: 'APPROVED' }, 'KYB form → APPROVED'),
  statusScenario(17, { status: 'DECLINED' }, 'KYB form → DECLINED'),
  statusScenario(18, { status: 'EXPIRED' }, 'KYB form → EXPIRED'),
  statusScenario(19, { status: 'ABANDONED' }, 'KYB form → ABANDONED'),
  statusScenario(
    20,
    { status: 'On Hold', kyc: 'Pending Review' },
    'a session status and a check status Verigate does not know → UNKNOWN, raw values kept',
  ),
  {
    name: 'not found',
    id: errorId(404),
    description: 'Didit answers 404 `{"detail": "Not found."}` (any id not in this table does the same) → NOT_FOUND',
    behaviour: error(404, 'Not found.'),
  },
  {
    name: 'error 401',
    id: errorId(401),
    description: 'Didit answers 401 even to a fresh token → UPSTREAM_AUTH_FAILED (v1 retries once first)',
    behaviour: error(401, 'Authentication credentials were not provided or are invalid.'),
  },
  {
    name: 'error 403',
    id: errorId(403),
    description: 'Didit answers 403 (no permission, or no credits left) → UPSTREAM_AUTH_FAILED',
    behaviour: error(403, 'You do not have permission to perform this action.'),
  },
  {
    name: 'rate limited',
    id: errorId(429),
    description: 'Didit answers 429 with `Retry-After: 17` → UPSTREAM_RATE_LIMITED, retryAfterSeconds 17',
    behaviour: error(429, 'Request was throttled. Expected available in 17 seconds.', { 'retry-after': '17' }),
  },
  {
    name: 'error 500',
    id: errorId(500),
    description: 'Didit answers 500 → UPSTREAM_UNAVAILABLE',
    behaviour: error(500, 'A server error occurred.'),
  },
  {
    name: 'slow',
    id: errorId(30),
    description: 'Didit takes 30 s to answer → UPSTREAM_UNAVAILABLE once Verigate’s timeout passes',
    behaviour: { kind: 'slow', delayMs: 30_000, v1: fakeV1({ id: errorId(30), status: 'Approved', kyc: 'Approved' }) },
  },
  {
    name: 'malformed',
    id: errorId(1),
    description: 'Didit answers 200 with a body that is not JSON → UPSTREAM_BAD_RESPONSE',
    behaviour: { kind: 'raw', status: 200, body: '{"session_id": "d1d10400-', contentType: 'application/json' },
  },
  {
    name: 'invalid shape',
    id: errorId(2),
    description: 'Didit answers 200 with JSON of the wrong shape (`status` is a number) → UPSTREAM_BAD_RESPONSE',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ session_id: errorId(2), status: 3, kyc: 'approved' }),
      contentType: 'application/json',
    },
  },
  {
    name: 'html 404',
    id: errorId(3),
    description: 'Didit’s router answers an HTML 404 page (as it does for ids it cannot route) → NOT_FOUND',
    behaviour: {
      kind: 'raw',
      status: 404,
      body: '<!doctype html><html><head><title>Not Found</title></head><body><h1>Not Found</h1></body></html>',
      contentType: 'text/html; charset=utf-8',
    },
  },
];

/** A scenario by its `name` (tests and docs). */
export function diditScenario(name: string): DiditScenario {
  const found = DIDIT_SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`no Didit scenario named ${name}`);
  return found;
}
