import { describe, expect, it } from 'vitest';
import type { NodeWarning } from '../src/model/checks.ts';
import { normalizeDiditV1Decision } from '../src/providers/didit/normalizeV1.ts';
import { normalizeDiditV3Decision } from '../src/providers/didit/normalizeV3.ts';
import { diditReason, percentScore, unifiedReview } from '../src/providers/didit/parts.ts';
import { diditV1Decision } from '../src/providers/didit/payloadV1.ts';
import { diditV3Decision } from '../src/providers/didit/payloadV3.ts';
import { DIDIT_V1_DOCUMENTED_DECISION } from '../src/providers/didit/sandbox/examples/v1Documented.ts';
import { DIDIT_V3_DOCUMENTED_DECISION } from '../src/providers/didit/sandbox/examples/v3Documented.ts';
import { DIDIT_V3_OFFICIAL_EXAMPLE } from '../src/providers/didit/sandbox/examples/v3Official.ts';
import { diditFeatureStatus, diditSessionStatus } from '../src/providers/didit/status.ts';
import { checkDiditSessionId, decisionPath } from '../src/providers/didit/upstream.ts';
import { isTerminal, mapStatus } from '../src/providers/status.ts';
import { documentedSession } from './didit-expected.ts';

describe('Didit session status table (providers.md §2.4, §5)', () => {
  it.each([
    ['Not Started', 'NOT_STARTED', false],
    ['In Progress', 'IN_PROGRESS', false],
    ['Awaiting User', 'IN_PROGRESS', false],
    ['In Review', 'IN_REVIEW', false],
    ['Resubmitted', 'RESUBMISSION_REQUESTED', false],
    ['Approved', 'APPROVED', true],
    ['Declined', 'DECLINED', true],
    ['Expired', 'EXPIRED', true],
    ['Abandoned', 'ABANDONED', true],
    ['Kyc Expired', 'EXPIRED', true],
    ['NOT_STARTED', 'NOT_STARTED', false],
    ['IN_PROGRESS', 'IN_PROGRESS', false],
    ['AWAITING_USER', 'IN_PROGRESS', false],
    ['IN_REVIEW', 'IN_REVIEW', false],
    ['RESUBMITTED', 'RESUBMISSION_REQUESTED', false],
    ['APPROVED', 'APPROVED', true],
    ['DECLINED', 'DECLINED', true],
    ['EXPIRED', 'EXPIRED', true],
    ['ABANDONED', 'ABANDONED', true],
  ] as const)('%j -> %s (terminal: %s)', (raw, unified, terminal) => {
    expect(mapStatus(diditSessionStatus, raw)).toBe(unified);
    expect(isTerminal(unified)).toBe(terminal);
  });

  it.each([
    'KYC Expired', // the spelling is "Kyc Expired", single capital K
    'approved',
    'Pending Review', // invented by community code, not Didit
    'On Hold',
    '',
  ])('maps %j, which Didit does not send, to UNKNOWN', (raw) => {
    expect(mapStatus(diditSessionStatus, raw)).toBe('UNKNOWN');
  });
});

describe('Didit feature status table', () => {
  it.each([
    ['Approved', 'APPROVED'],
    ['Declined', 'DECLINED'],
    ['In Review', 'IN_REVIEW'],
    ['Not Finished', 'IN_PROGRESS'],
    ['Resub Requested', 'RESUBMISSION_REQUESTED'],
    ['Expired', 'EXPIRED'],
    ['No Action', 'APPROVED'],
    ['NOT_FINISHED', 'IN_PROGRESS'],
    ['APPROVED', 'APPROVED'],
    ['DECLINED', 'DECLINED'],
    ['IN_REVIEW', 'IN_REVIEW'],
    ['RESUB_REQUESTED', 'RESUBMISSION_REQUESTED'],
    ['Pending Review', 'UNKNOWN'],
  ])('%j -> %s', (raw, unified) => {
    expect(mapStatus(diditFeatureStatus, raw)).toBe(unified);
  });
});

describe('Didit values', () => {
  it('turns 0-100 scores into 0..1 and drops the out-of-range ones', () => {
    expect(percentScore(97.99)).toBe(0.9799);
    expect(percentScore(0)).toBe(0);
    expect(percentScore(100)).toBe(1);
    expect(percentScore(100.5)).toBeNull();
    expect(percentScore(-1)).toBeNull();
    expect(percentScore(null)).toBeNull();
  });

  it('reads a review whose status is missing as UNKNOWN with no raw value', () => {
    expect(unifiedReview({ user: 'API Client', new_status: null, comment: '', created_at: null })).toEqual({
      user: 'API Client',
      status: 'UNKNOWN',
      providerStatus: null,
      comment: null,
      createdAt: null,
    });
  });

  const warning = (risk: string | null, logType: string | null) => ({
    feature: 'ID_VERIFICATION',
    risk,
    logType,
    shortDescription: `about ${risk}`,
    longDescription: null,
    additionalData: null,
  });

  it('picks the reason from the most important warning: error, then warning, then information, then first', () => {
    const warnings = [
      warning('INFO_FIRST', 'information'),
      warning('WARN_FIRST', 'warning'),
      warning('ERROR_FIRST', 'error'),
      warning('ERROR_SECOND', 'error'),
    ];
    expect(diditReason('Declined', warnings)).toEqual({
      reasonCode: 'ERROR_FIRST',
      reasonDescription: 'about ERROR_FIRST',
    });
    expect(diditReason('In Review', warnings.slice(0, 2))).toEqual({
      reasonCode: 'WARN_FIRST',
      reasonDescription: 'about WARN_FIRST',
    });
    expect(diditReason('Approved', [warning('ODD', 'debug'), warning('INFO', 'information')]).reasonCode).toBe('INFO');
    expect(diditReason('Approved', [warning(null, 'error'), warning('ODD', 'Unknown')]).reasonCode).toBe('ODD');
    expect(diditReason('Approved', [])).toEqual({ reasonCode: null, reasonDescription: null });
  });

  it('gives KYC_EXPIRED for a Kyc Expired session, before any warning', () => {
    expect(diditReason('Kyc Expired', [warning('DOCUMENT_EXPIRED', 'error')])).toEqual({
      reasonCode: 'KYC_EXPIRED',
      reasonDescription: null,
    });
  });

  it('accepts any hex UUID as a session id and sends it lowercased', () => {
    expect(checkDiditSessionId('11111111-2222-3333-4444-555555555555')).toBeNull();
    expect(checkDiditSessionId('D1D10200-0000-4000-8000-00000000000A')).toBeNull();
    expect(decisionPath('v3', 'D1D10200-0000-4000-8000-00000000000A')).toBe(
      '/v3/session/d1d10200-0000-4000-8000-00000000000a/decision/',
    );
    for (const bad of [
      '',
      '11111111222233334444555555555555',
      '{11111111-2222-3333-4444-555555555555}',
      'g1111111-2222-3333-4444-555555555555',
    ]) {
      expect(checkDiditSessionId(bad)).toBe('Didit session ids are UUIDs (8-4-4-4-12 hexadecimal digits).');
    }
  });
});

/** The documented review as the timeline's vendor history: its status and instant, not the reviewer or comment. */
const REVIEW_HISTORY = [
  {
    at: '2024-07-18T13:29:00.366Z',
    status: 'DECLINED',
    providerStatus: 'Declined',
    vendorEventId: 'didit:review:2024-07-18T13:29:00.366Z',
  },
];

describe('normalizeDiditV1Decision', () => {
  const documented = diditV1Decision.parse(DIDIT_V1_DOCUMENTED_DECISION);

  it('maps every field of the documented decision', () => {
    expect(normalizeDiditV1Decision(documented, false)).toEqual({
      ...documentedSession('v1'),
      history: REVIEW_HISTORY,
      declineReasons: [
        // The AML hit is on a sanctions list: POSSIBLE_MATCH_FOUND by the hit's datasets (DESIGN §8).
        {
          category: 'SANCTIONS_MATCH',
          retryable: false,
          retryScope: 'NONE',
          vendorSignal: false,
          providerCode: 'POSSIBLE_MATCH_FOUND',
          userMessage: null,
        },
      ],
    });
  });

  it('marks the session sandboxed when the adapter talks to the simulator', () => {
    expect(normalizeDiditV1Decision(documented, true).sandbox).toBe(true);
  });

  it('reads a decision whose features have not run (null objects, null lists) as a status with no parts', () => {
    const bare = diditV1Decision.parse({
      session_id: '11111111-2222-3333-4444-555555555555',
      status: 'Not Started',
      vendor_data: null,
      kyc: null,
      aml: null,
      face: null,
      location: null,
      warnings: null,
      reviews: null,
      created_at: '2024-07-24T08:54:25.443172Z',
    });
    expect(normalizeDiditV1Decision(bare, false)).toMatchObject({
      status: 'NOT_STARTED',
      isTerminal: false,
      reasonCode: null,
      applicant: null,
      kyc: null,
      aml: null,
      face: null,
      location: null,
      warnings: [],
      reviews: [],
      reference: null,
      metadata: null,
    });
  });

  it('keeps an empty check as null, drops out-of-range scores, and reads naive hit dates as UTC', () => {
    const decision = diditV1Decision.parse({
      session_id: '11111111-2222-3333-4444-555555555555',
      status: 'In Review',
      kyc: { status: '', document_number: '  ' },
      face: { face_match_similarity: 130, liveness_confidence: 55.5, gender_estimation: { male: null, female: null } },
      aml: { status: 'In Review', total_hits: 1, score: 55, hits: [{ score: 3, first_seen: '2024-01-02T03:04:05' }] },
      location: { distance_from_document_to_ip_km: null },
    });
    const s = normalizeDiditV1Decision(decision, false);
    expect(s.kyc).toBeNull();
    expect(s.location).toBeNull();
    expect(s.face).toMatchObject({ faceMatchScore: null, livenessScore: 0.555, genderEstimate: null });
    expect(s.aml?.hits[0]).toMatchObject({ score: null, firstSeen: '2024-01-02T03:04:05.000Z', names: [] });
  });

  it('rejects a payload whose status is not a string', () => {
    expect(diditV1Decision.safeParse({ session_id: 'x', status: 3 }).success).toBe(false);
  });
});

describe('normalizeDiditV3Decision', () => {
  const minimal = { session_id: '11111111-2222-3333-4444-555555555555', status: 'In Review' };
  const v3 = (payload: Record<string, unknown>, sandbox = false) =>
    normalizeDiditV3Decision(diditV3Decision.parse({ ...minimal, ...payload }), sandbox);

  it('maps the documented session, described by v3, to the same unified session as v1 but for node ids and gender', () => {
    expect(v3(DIDIT_V3_DOCUMENTED_DECISION)).toEqual({
      ...documentedSession('v3'),
      history: REVIEW_HISTORY,
      declineReasons: [
        // The AML hit is on a sanctions list: POSSIBLE_MATCH_FOUND by the hit's datasets (DESIGN §8).
        {
          category: 'SANCTIONS_MATCH',
          retryable: false,
          retryScope: 'NONE',
          vendorSignal: false,
          providerCode: 'POSSIBLE_MATCH_FOUND',
          userMessage: null,
        },
      ],
    });
  });

  it('reads the official OpenAPI example', () => {
    const s = v3(DIDIT_V3_OFFICIAL_EXAMPLE);
    expect(s).toMatchObject({ status: 'IN_REVIEW', reasonCode: 'DATA_INCONSISTENT', face: { status: 'IN_REVIEW' } });
    expect(Object.values(s.checks).map((runs) => runs.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('tolerates a decision whose feature arrays are null or absent', () => {
    const nulls = Object.fromEntries(
      ['id_verifications', 'nfc_verifications', 'liveness_checks', 'face_matches', 'phone_verifications']
        .concat(['email_verifications', 'poa_verifications', 'aml_screenings', 'ip_analyses', 'database_validations'])
        .concat(['document_ai_documents', 'questionnaire_responses', 'registry_checks', 'reviews'])
        .map((key) => [key, null]),
    );
    for (const payload of [nulls, {}]) {
      expect(v3(payload)).toMatchObject({
        status: 'IN_REVIEW',
        applicant: null,
        kyc: null,
        aml: null,
        face: null,
        location: null,
        nfc: null,
        warnings: [],
        reviews: [],
        reference: null,
        metadata: null,
      });
    }
  });

  it('tolerates items whose attributes the workflow withholds, and status words it does not know', () => {
    const s = v3({
      id_verifications: [{ node_id: 'feature_ocr_1', status: 'Verifying', warnings: null }],
      aml_screenings: [{ node_id: 'feature_aml_1', status: 'Approved', hits: null, score: null, total_hits: null }],
      ip_analyses: [{ node_id: 'feature_ip_1', status: 'Approved', ip: null, id_document: null }],
    });
    expect(s.kyc).toMatchObject({ status: 'UNKNOWN', providerStatus: 'Verifying', documentNumber: null, images: null });
    expect(s.aml).toEqual({ status: 'APPROVED', providerStatus: 'Approved', totalHits: null, score: null, hits: [] });
    expect(s.location).toMatchObject({ status: 'APPROVED', ip: null, device: null, documentLocation: null });
    expect(s.checks.documents[0]?.nodeId).toBe('feature_ocr_1');
  });

  it('takes the latest run of each feature for the parts and keeps every run in checks', () => {
    const doc = (node: string, number: string) => ({ node_id: node, status: 'Approved', document_number: number });
    const s = v3({ id_verifications: [doc('feature_ocr_1', 'A1'), doc('feature_ocr_2', 'B2')] });
    expect(s.kyc?.documentNumber).toBe('B2');
    expect(s.checks.documents.map((d) => [d.nodeId, d.kyc?.documentNumber])).toEqual([
      ['feature_ocr_1', 'A1'],
      ['feature_ocr_2', 'B2'],
    ]);
  });

  it('combines liveness and face match into one face status, the worse one deciding', () => {
    const face = (liveness: string | null, match: string | null) =>
      v3({
        liveness_checks: liveness ? [{ node_id: 'feature_liveness_1', status: liveness, score: 90 }] : null,
        face_matches: match ? [{ node_id: 'feature_face_match_1', status: match, score: 40 }] : null,
      }).face;
    expect(face('Approved', 'Declined')).toMatchObject({
      status: 'DECLINED',
      providerStatus: 'Declined',
      faceMatchPassed: false,
    });
    expect(face('In Review', 'Approved')).toMatchObject({
      status: 'IN_REVIEW',
      livenessScore: 0.9,
      faceMatchScore: 0.4,
    });
    expect(face('Approved', null)).toMatchObject({ status: 'APPROVED', faceMatchStatus: null, faceMatchPassed: null });
    expect(face(null, null)).toBeNull();
  });

  it('warns with the node that raised each warning, in the decision’s order', () => {
    const w = (risk: string, logType: string) => ({ feature: 'X', risk, log_type: logType });
    const s = v3({
      aml_screenings: [{ node_id: 'feature_aml_1', status: 'In Review', warnings: [w('AML_RISK', 'warning')] }],
      id_verifications: [{ node_id: 'feature_ocr_1', status: 'Declined', warnings: [w('ID_RISK', 'error')] }],
      key_people_checks: [{ node_id: 'feature_kyb_key_people_1', warnings: [w('KYB_RISK', 'error')] }],
    });
    expect(s.warnings.map((x) => [(x as NodeWarning).nodeId, x.risk])).toEqual([
      ['feature_ocr_1', 'ID_RISK'],
      ['feature_aml_1', 'AML_RISK'],
      ['feature_kyb_key_people_1', 'KYB_RISK'],
    ]);
    expect(s.reasonCode).toBe('ID_RISK');
  });

  it('marks sandbox sessions from Didit’s environment, or from the simulator', () => {
    expect(v3({ environment: 'sandbox' }).sandbox).toBe(true);
    expect(v3({ environment: 'live' }).sandbox).toBe(false);
    expect(v3({ environment: 'live' }, true).sandbox).toBe(true);
  });

  it('carries vendor_data, and the creation metadata only when there is some', () => {
    expect(v3({ vendor_data: 'u-1', metadata: null })).toMatchObject({
      reference: 'u-1',
      metadata: { vendor_data: 'u-1' },
    });
    expect(v3({ vendor_data: 'u-1', metadata: { plan: 'pro' } }).metadata).toEqual({
      vendor_data: 'u-1',
      metadata: { plan: 'pro' },
    });
    expect(v3({ vendor_data: null, metadata: { plan: 'pro' } })).toMatchObject({
      reference: null,
      metadata: { vendor_data: null, metadata: { plan: 'pro' } },
    });
  });

  it('passes database verdict codes on, but not a name where a verdict belongs', () => {
    const s = v3({
      database_validations: [
        {
          node_id: 'feature_db_validation_1',
          status: 'Approved',
          validations: [{ validation: { full_name: 'Testa Fakeperson', date_of_birth: 'full_match' } }],
        },
      ],
    });
    expect(s.databaseValidation?.results[0]).toMatchObject({ fullNameMatch: null, dateOfBirthMatch: 'full_match' });
  });

  it('maps a business (KYB) decision’s UPPER_SNAKE statuses', () => {
    const s = v3({
      session_kind: 'business',
      status: 'AWAITING_USER',
      aml_screenings: [{ node_id: 'feature_aml_1', status: 'RESUB_REQUESTED' }],
    });
    expect(s).toMatchObject({ status: 'IN_PROGRESS', aml: { status: 'RESUBMISSION_REQUESTED' }, applicant: null });
  });

  it('rejects leaves of the wrong type (then the session is UPSTREAM_BAD_RESPONSE, not a wrong answer)', () => {
    expect(diditV3Decision.safeParse({ ...minimal, liveness_checks: [{ score: 'high' }] }).success).toBe(false);
    expect(diditV3Decision.safeParse({ ...minimal, status: 7 }).success).toBe(false);
    expect(diditV3Decision.safeParse({ ...minimal, id_verifications: {} }).success).toBe(false);
  });
});
