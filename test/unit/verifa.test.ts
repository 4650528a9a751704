import { describe, expect, it } from 'vitest';
import { mapStatus } from '../../src/providers/status.ts';
import { normalizeVerifaResult, normalizeVerifaSession } from '../../src/providers/verifa/normalize.ts';
import { verifaResult, verifaSession } from '../../src/providers/verifa/payload.ts';
import { verifaResultStatus, verifaSessionStatus } from '../../src/providers/verifa/status.ts';

describe('Verifa status tables (providers.md §5)', () => {
  it.each([
    ['approved', 'APPROVED'],
    ['rejected', 'DECLINED'],
    ['needs_review', 'IN_REVIEW'],
    ['declined', 'DECLINED'],
    ['failed', 'DECLINED'],
    ['passed', 'APPROVED'],
    ['Approved', 'UNKNOWN'],
    ['', 'UNKNOWN'],
  ])('result %j -> %s', (raw, unified) => {
    expect(mapStatus(verifaResultStatus, raw)).toBe(unified);
  });

  it.each([
    ['pending', 'NOT_STARTED'],
    ['capturing', 'IN_PROGRESS'],
    ['processing', 'IN_PROGRESS'],
    ['awaiting_external', 'IN_PROGRESS'],
    ['sandbox_pending', 'IN_PROGRESS'],
    ['under_review', 'IN_REVIEW'],
    ['completed', 'IN_PROGRESS'],
    ['expired', 'EXPIRED'],
    ['failed', 'ERROR'],
    ['archived', 'UNKNOWN'],
  ])('session %j -> %s', (raw, unified) => {
    expect(mapStatus(verifaSessionStatus, raw)).toBe(unified);
  });
});

describe('normalizeVerifaResult', () => {
  // Verifa's documented example, field for field (its placeholder values replaced by realistic ones).
  const documented = verifaResult.parse({
    session_id: 'ses_abc123',
    status: 'needs_review',
    is_sandbox: true,
    created_at: '2024-01-15T09:30:00Z',
    face_match_passed: true,
    face_match_score: 0.87,
    age_check_passed: true,
    extracted_age: 33,
    extracted_data: {
      first_name: 'Ana',
      last_name: 'Lopez',
      date_of_birth: '1990-05-01',
      address: { line1: '1 Main St', line2: '', city: 'Austin', state: 'TX', zip: '73301' },
      document_number: 'X1234567',
      nationality: 'US',
      gender: 'F',
      ssn: '987-65-4321',
      document_type: 'passport',
      document_expiration_date: '2030-01-01',
      document_issuing_state: 'TX',
    },
    rejection_reason: '',
    rejection_reason_code: 'document_unreadable',
    processing_mode: 'auto',
    country_used: 'US',
    sensitive_data_expired: false,
  });

  it('maps every field of the documented result', () => {
    const s = normalizeVerifaResult(documented, false);
    expect(s).toMatchObject({
      provider: 'VERIFA',
      providerSessionId: 'ses_abc123',
      status: 'IN_REVIEW',
      providerStatus: 'needs_review',
      isTerminal: false,
      reasonCode: 'document_unreadable',
      reasonDescription: null,
      createdAt: '2024-01-15T09:30:00.000Z',
      sandbox: true,
      sensitiveDataExpired: false,
      detailsDeferred: true,
      warnings: [],
      reviews: [],
    });
    expect(s.applicant).toEqual({
      firstName: 'Ana',
      lastName: 'Lopez',
      fullName: 'Ana Lopez',
      dateOfBirth: '1990-05-01',
      email: null,
      phone: null,
      nationality: 'US',
      gender: 'F',
      address: {
        line1: '1 Main St',
        line2: null,
        city: 'Austin',
        state: 'TX',
        postalCode: '73301',
        country: null,
        formatted: null,
      },
    });
    expect(s.kyc).toMatchObject({
      documentType: 'passport',
      documentNumber: 'X1234567',
      personalNumber: '987-65-4321',
      issuingCountry: 'US',
      issuingState: 'TX',
      expirationDate: '2030-01-01',
      age: 33,
    });
    expect(s.face).toMatchObject({ faceMatchScore: 0.87, faceMatchPassed: true, ageCheckPassed: true });
  });

  it('drops a face match score outside 0..1 (the reference shows a placeholder 1.1) instead of passing it on', () => {
    const s = normalizeVerifaResult({ ...documented, face_match_score: 1.1 }, false);
    expect(s.face?.faceMatchScore).toBeNull();
    expect(s.face?.faceMatchPassed).toBe(true);
  });

  it('accepts an empty extracted_data, as Verifa sends once sensitive data has expired', () => {
    const expired = verifaResult.parse({
      session_id: 's',
      status: 'approved',
      extracted_data: [],
      sensitive_data_expired: true,
    });
    const s = normalizeVerifaResult(expired, true);
    expect(s.applicant).toBeNull();
    expect(s.kyc).toBeNull();
    expect(s.face).toBeNull();
    expect(s.sensitiveDataExpired).toBe(true);
    expect(s.sandbox).toBe(true);
  });
});

describe('normalizeVerifaSession', () => {
  it('maps a session without result to its lifecycle status with no parts', () => {
    const s = normalizeVerifaSession(
      verifaSession.parse({
        id: 'ses_x',
        status: 'under_review',
        environment: 'live',
        created_at: '2026-01-01T00:00:00Z',
        external_ref: 'order-7',
        metadata: [],
        retention_status: 'sensitive_redacted',
      }),
      true,
    );
    expect(s).toMatchObject({
      status: 'IN_REVIEW',
      providerStatus: 'under_review',
      sandbox: false,
      sensitiveDataExpired: true,
      reference: 'order-7',
      metadata: { external_ref: 'order-7', metadata: {} },
      applicant: null,
      kyc: null,
    });
  });
});
