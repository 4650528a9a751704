import { describe, expect, it } from 'vitest';
import { DIDIT_V1_DOCUMENTED_DECISION } from '../src/providers/didit/examples/v1Documented.ts';
import { normalizeDiditV1Decision } from '../src/providers/didit/normalizeV1.ts';
import { diditReason, percentScore, unifiedReview } from '../src/providers/didit/parts.ts';
import { diditV1Decision } from '../src/providers/didit/payloadV1.ts';
import { diditFeatureStatus, diditSessionStatus } from '../src/providers/didit/status.ts';
import { checkDiditSessionId, decisionPath } from '../src/providers/didit/upstream.ts';
import { isTerminal, mapStatus } from '../src/providers/status.ts';
import { DOCUMENTED_V1_SESSION } from './didit-expected.ts';

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

describe('normalizeDiditV1Decision', () => {
  const documented = diditV1Decision.parse(DIDIT_V1_DOCUMENTED_DECISION);

  it('maps every field of the documented decision', () => {
    expect(normalizeDiditV1Decision(documented, false)).toEqual(DOCUMENTED_V1_SESSION);
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
