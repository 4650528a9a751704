import {
  type Applicant,
  type Face,
  type Kyc,
  noParts,
  type Session,
  type SessionDetails,
} from '../../model/session.ts';
import { allNull, calendarDate, instant, joinName, text, unit } from '../../model/values.ts';
import { declinesPart } from '../declines.ts';
import { isTerminal, mapStatus } from '../status.ts';
import { verifaDeclineReasons, verifaTurn } from './declines.ts';
import type { VerifaResult, VerifaSession } from './payload.ts';
import { verifaResultStatus, verifaSessionStatus } from './status.ts';

/** A Verifa result (the session has a decision) in the unified shape. */
export function normalizeVerifaResult(result: VerifaResult, sandboxFallback: boolean): Session {
  const status = mapStatus(verifaResultStatus, result.status);
  const data = result.extracted_data ?? null;
  const address = data?.address
    ? {
        line1: text(data.address.line1),
        line2: text(data.address.line2),
        city: text(data.address.city),
        state: text(data.address.state),
        postalCode: text(data.address.zip),
        country: text(data.address.country),
        formatted: null,
      }
    : null;
  const cleanAddress = address && !allNull(address) ? address : null;

  const applicant: Applicant | null = data
    ? {
        firstName: text(data.first_name),
        lastName: text(data.last_name),
        fullName: joinName(data.first_name, data.last_name),
        dateOfBirth: calendarDate(data.date_of_birth),
        email: null,
        phone: null,
        nationality: text(data.nationality),
        gender: text(data.gender),
        address: cleanAddress,
      }
    : null;

  const kyc: Kyc = {
    status: null,
    providerStatus: null,
    documentType: text(data?.document_type),
    documentNumber: text(data?.document_number),
    personalNumber: text(data?.ssn),
    issuingCountry: text(result.country_used),
    issuingCountryName: null,
    issuingState: text(data?.document_issuing_state),
    dateOfIssue: null,
    expirationDate: calendarDate(data?.document_expiration_date),
    firstName: text(data?.first_name),
    middleName: null,
    lastName: text(data?.last_name),
    fullName: joinName(data?.first_name, data?.last_name),
    dateOfBirth: calendarDate(data?.date_of_birth),
    age: result.extracted_age ?? null,
    gender: text(data?.gender),
    nationality: text(data?.nationality),
    placeOfBirth: null,
    address: cleanAddress,
    nfcVerified: null,
    service: null,
    confirmation: null,
    issues: [],
    images: null,
  };

  const score = unit(result.face_match_score);
  const face: Face = {
    status: null,
    providerStatus: null,
    faceMatchStatus: null,
    livenessStatus: null,
    // Verifa documents 0..1; anything outside is not a score we can pass on.
    faceMatchScore: score !== null && score >= 0 && score <= 1 ? score : null,
    livenessScore: null,
    faceMatchPassed: result.face_match_passed ?? null,
    ageEstimate: null,
    ageCheckPassed: result.age_check_passed ?? null,
    genderEstimate: null,
  };

  return {
    provider: 'VERIFA',
    providerSessionId: result.session_id,
    status,
    providerStatus: result.status,
    isTerminal: isTerminal(status),
    reasonCode: text(result.rejection_reason_code),
    reasonDescription: text(result.rejection_reason),
    createdAt: instant(result.created_at),
    sandbox: result.is_sandbox ?? sandboxFallback,
    sensitiveDataExpired: result.sensitive_data_expired ?? false,
    ...noParts(),
    applicant: applicant && !allNull(applicant) ? applicant : null,
    kyc: allNull(kyc) ? null : kyc,
    face: allNull(face) ? null : face,
    reference: null,
    metadata: null,
    detailsDeferred: true,
    ...declinesPart(verifaDeclineReasons(result)),
  };
}

/** A Verifa session that has no result yet: the session lifecycle status and no parts. */
export function normalizeVerifaSession(session: VerifaSession, sandboxFallback: boolean): Session {
  const status = mapStatus(verifaSessionStatus, session.status);
  const turn = verifaTurn(session.status);
  return {
    provider: 'VERIFA',
    providerSessionId: session.id,
    status,
    providerStatus: session.status,
    isTerminal: isTerminal(status),
    reasonCode: null,
    reasonDescription: null,
    createdAt: instant(session.created_at),
    sandbox: session.is_sandbox ?? (session.environment ? session.environment === 'sandbox' : sandboxFallback),
    sensitiveDataExpired: session.retention_status === 'sensitive_redacted' || session.retention_status === 'redacted',
    ...noParts(),
    ...verifaSessionDetails(session),
    ...(turn ? { turn } : {}),
  };
}

export function verifaSessionDetails(session: VerifaSession): SessionDetails {
  const reference = text(session.external_ref);
  const metadata = session.metadata ?? null;
  return {
    reference,
    metadata: reference === null && metadata === null ? null : { external_ref: reference, metadata },
  };
}
