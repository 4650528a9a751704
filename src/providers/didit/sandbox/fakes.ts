/**
 * Made-up Didit sessions for the sandbox: a session is described once (`FakeSession`) and rendered in each API
 * generation's shape, so both generations serve the same facts and Verigate must answer them identically.
 * Values are fake.
 */

export type Payload = Record<string, unknown>;

export const CREATED = '2026-03-02T09:30:00.000000Z';

type Feature = 'ID_VERIFICATION' | 'LIVENESS' | 'FACEMATCH' | 'AML' | 'LOCATION';

/** The order v3 lists its feature arrays in, hence the order of the flattened warnings. */
const FEATURE_ORDER: readonly Feature[] = ['ID_VERIFICATION', 'LIVENESS', 'FACEMATCH', 'AML', 'LOCATION'];

export interface FakeWarning {
  feature: Feature;
  risk: string;
  logType: 'error' | 'warning' | 'information';
}

export interface FakeSession {
  id: string;
  status: string;
  /** Status words of the checks that ran; a check left out did not run. `face` is liveness and face match. */
  kyc?: string;
  face?: string;
  aml?: string;
  ip?: string;
  /** In v3's order (document, liveness, face match, AML, IP), which is also the v1 list's order. */
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

export function fakeWarning(w: FakeWarning, nodeId?: string): Payload {
  const [short, long] = WARNING_TEXT[w.risk] ?? [w.risk, w.risk];
  return {
    feature: w.feature,
    risk: w.risk,
    additional_data: null,
    log_type: w.logType,
    short_description: short,
    long_description: long,
    ...(nodeId ? { node_id: nodeId } : {}),
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

/** The document fields (same names in v1 `kyc` and v3 `id_verifications[]`). */
export const PERSON = {
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
  nationality: 'ESP',
};

/** The IP and device fields (same names in v1 `location` and v3 `ip_analyses[]`). */
export const DEVICE_AND_IP = {
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

const VALENCIA = { latitude: 39.4699, longitude: -0.3763 };
const MEDIA = {
  source: 'https://media.example.invalid/source.jpg',
  target: 'https://media.example.invalid/target.jpg',
  video: 'https://media.example.invalid/liveness.mp4',
};

const sortedWarnings = (f: FakeSession) =>
  [...(f.warnings ?? [])].sort((a, b) => FEATURE_ORDER.indexOf(a.feature) - FEATURE_ORDER.indexOf(b.feature));

const common = (f: FakeSession) => ({
  session_id: f.id,
  session_number: 50_000 + Number.parseInt(f.id.slice(-4), 10),
  session_url: `https://verify.didit.me/session/${f.id}`,
  status: f.status,
  vendor_data: `user-${f.id.slice(-4)}`,
  callback: 'https://app.example.invalid/kyc/done',
});

/** The session in the v1 shape: one object per feature, one flat list of warnings. */
export function fakeV1(f: FakeSession): Payload {
  return {
    ...common(f),
    features: 'OCR + FACE',
    kyc: f.kyc
      ? {
          status: f.kyc,
          ocr_status: f.kyc,
          epassport_status: null,
          ...PERSON,
          marital_status: 'SINGLE',
          is_nfc_verified: false,
          created_at: CREATED,
        }
      : null,
    aml: f.aml ? { status: f.aml, total_hits: 0, score: 0, hits: [] } : null,
    face: f.face
      ? {
          status: f.face,
          face_match_status: f.face,
          liveness_status: f.face,
          face_match_similarity: 91.25,
          liveness_confidence: 95.5,
          source_image: MEDIA.source,
          target_image: MEDIA.target,
          video_url: MEDIA.video,
          age_estimation: 36.8,
          gender_estimation: null,
        }
      : null,
    location: f.ip
      ? {
          ...DEVICE_AND_IP,
          status: f.ip,
          document_location: VALENCIA,
          ip_location: VALENCIA,
          distance_from_document_to_ip_km: { distance: 0.5, direction: 'N' },
        }
      : null,
    warnings: sortedWarnings(f).map((w) => fakeWarning(w)),
    reviews: fakeReviews(f),
    extra_images: [],
    created_at: CREATED,
  };
}

/** The session in the v3 shape: one array per feature, one node each, warnings inside their item. */
export function fakeV3(f: FakeSession): Payload {
  const warningsOf = (feature: Feature, nodeId: string) =>
    sortedWarnings(f)
      .filter((w) => w.feature === feature)
      .map((w) => fakeWarning(w, nodeId));
  return {
    ...common(f),
    session_kind: 'user',
    environment: 'live',
    workflow_id: 'd1d1f000-0000-4000-8000-000000000001',
    features: ['ID_VERIFICATION', 'LIVENESS', 'FACE_MATCH', 'AML', 'IP_ANALYSIS'],
    metadata: null,
    expected_details: null,
    contact_details: null,
    id_verifications: f.kyc
      ? [
          {
            node_id: 'feature_ocr_1',
            status: f.kyc,
            document_subtype: null,
            age: null,
            ...PERSON,
            marital_status: 'Single',
            extra_fields: {},
            mrz: null,
            extra_files: [],
            matches: [],
            warnings: warningsOf('ID_VERIFICATION', 'feature_ocr_1'),
          },
        ]
      : null,
    nfc_verifications: null,
    liveness_checks: f.face
      ? [
          {
            node_id: 'feature_liveness_1',
            status: f.face,
            method: null,
            score: 95.5,
            reference_image: null,
            video_url: MEDIA.video,
            age_estimation: 36.8,
            matches: [],
            warnings: warningsOf('LIVENESS', 'feature_liveness_1'),
            face_quality: null,
            face_luminance: null,
          },
        ]
      : null,
    face_matches: f.face
      ? [
          {
            node_id: 'feature_face_match_1',
            status: f.face,
            score: 91.25,
            source_image_session_id: null,
            source_image: MEDIA.source,
            target_image: MEDIA.target,
            warnings: warningsOf('FACEMATCH', 'feature_face_match_1'),
          },
        ]
      : null,
    phone_verifications: null,
    email_verifications: null,
    poa_verifications: null,
    document_ai_documents: null,
    questionnaire_responses: null,
    aml_screenings: f.aml
      ? [
          {
            node_id: 'feature_aml_1',
            status: f.aml,
            total_hits: 0,
            entity_type: 'person',
            hits: [],
            score: 0,
            screened_data: { full_name: PERSON.full_name, nationality: 'ES', date_of_birth: PERSON.date_of_birth },
            is_ongoing_monitoring_enabled: false,
            next_ongoing_monitoring_bill_date: null,
            warnings: warningsOf('AML', 'feature_aml_1'),
          },
        ]
      : null,
    ip_analyses: f.ip
      ? [
          {
            node_id: 'feature_ip_1',
            status: f.ip,
            ...DEVICE_AND_IP,
            device_fingerprint: null,
            ip: { location: VALENCIA, distance_from_id_document: 0.5, distance_from_poa_document: null },
            id_document: { location: VALENCIA, distance_from_ip: 0.5, distance_from_poa_document: null },
            poa_document: null,
            warnings: warningsOf('LOCATION', 'feature_ip_1'),
            matches: [],
          },
        ]
      : null,
    database_validations: null,
    reviews: fakeReviews(f),
    created_at: CREATED,
    expires_at: null,
  };
}
