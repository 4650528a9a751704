import type {
  CheckRun,
  DatabaseCheck,
  EmailCheck,
  FaceMatchCheck,
  IpCheck,
  LivenessCheck,
  NfcCertificate,
  NfcCheck,
  NfcChip,
  PhoneCheck,
  ProofOfAddressCheck,
  SessionChecks,
} from '../../model/checks.ts';
import type { Face, Location, Session, VerificationStatus } from '../../model/session.ts';
import { allNull, calendarDate, instant, joinName, text, unit } from '../../model/values.ts';
import { isTerminal, mapStatus } from '../status.ts';
import { withDiditDeclines } from './declines.ts';
import {
  amlCheck,
  checkRun,
  diditDetails,
  diditReason,
  documentCheck,
  featureStatus,
  geoPoint,
  passed,
  percentScore,
  reviewHistory,
  unifiedAddress,
  unifiedApplicant,
  unifiedNetwork,
  unifiedReview,
  unifiedWarning,
} from './parts.ts';
import type { DiditWarningPayload } from './payload.ts';
import type {
  DiditV3DatabaseValidation,
  DiditV3Decision,
  DiditV3Email,
  DiditV3FaceMatch,
  DiditV3IpAnalysis,
  DiditV3Liveness,
  DiditV3Nfc,
  DiditV3Phone,
  DiditV3ProofOfAddress,
} from './payloadV3.ts';
import { diditSessionStatus } from './status.ts';

/**
 * A Didit v3 decision in the same unified shape as v1, so a client cannot tell which API generation Verigate
 * used. Each feature array becomes a list of runs in `checks`; the session-level parts are the latest run
 * (the last item Didit lists). Every run's warnings, flattened in the decision's order, are the session's.
 * `sandboxFallback`: the adapter talks to Verigate's simulator.
 */
export function normalizeDiditV3Decision(decision: DiditV3Decision, sandboxFallback: boolean): Session {
  const status = mapStatus(diditSessionStatus, decision.status);
  const nfc = decision.nfc_verifications.map(nfcCheck);
  // Not verified by chip unless the latest chip read was approved (false too when no chip was read).
  const nfcVerified = latest(nfc)?.status === 'APPROVED';
  const checks: SessionChecks = {
    documents: decision.id_verifications.map((item) =>
      documentCheck(item, run(item), {
        age: wholeNumber(item.age),
        nfcVerified,
        documentSubtype: text(item.document_subtype),
      }),
    ),
    nfc,
    liveness: decision.liveness_checks.map(livenessCheck),
    faceMatches: decision.face_matches.map(faceMatchCheck),
    aml: decision.aml_screenings.map((item) => amlCheck(item, run(item))),
    ip: decision.ip_analyses.map(ipCheck),
    proofOfAddress: decision.poa_verifications.map(proofOfAddressCheck),
    phoneVerifications: decision.phone_verifications.map(phoneCheck),
    emailVerifications: decision.email_verifications.map(emailCheck),
    databaseValidations: decision.database_validations.map(databaseCheck),
  };
  const warningsOf = (items: ReadonlyArray<{ node_id?: string | null; warnings: DiditWarningPayload[] }>) =>
    items.flatMap((item) => item.warnings.map((w) => unifiedWarning(w, text(item.node_id))));
  const runWarnings = (runs: readonly CheckRun[]) => runs.flatMap((r) => r.warnings);
  const warnings = [
    ...runWarnings(checks.documents),
    ...runWarnings(checks.nfc),
    ...runWarnings(checks.liveness),
    ...runWarnings(checks.faceMatches),
    ...runWarnings(checks.phoneVerifications),
    ...runWarnings(checks.emailVerifications),
    ...runWarnings(checks.proofOfAddress),
    ...warningsOf(decision.document_ai_documents),
    ...warningsOf(decision.questionnaire_responses),
    ...runWarnings(checks.aml),
    ...runWarnings(checks.ip),
    ...runWarnings(checks.databaseValidations),
    ...warningsOf(decision.registry_checks),
    ...warningsOf(decision.document_verifications),
    ...warningsOf(decision.key_people_checks),
  ];

  const kyc = latest(checks.documents)?.kyc ?? null;
  const phone = latest(checks.phoneVerifications);
  const email = latest(checks.emailVerifications);
  const expected = decision.expected_details;
  return withDiditDeclines({
    provider: 'DIDIT',
    providerSessionId: decision.session_id,
    status,
    providerStatus: decision.status,
    isTerminal: isTerminal(status),
    ...diditReason(decision.status, warnings),
    createdAt: instant(decision.created_at),
    sandbox: sandboxFallback || decision.environment === 'sandbox',
    sensitiveDataExpired: false,
    // The document first; what the integrator supplied at creation fills the gaps.
    applicant: unifiedApplicant(kyc, {
      firstName: text(expected?.first_name),
      lastName: text(expected?.last_name),
      fullName: joinName(expected?.first_name, expected?.last_name),
      dateOfBirth: calendarDate(expected?.date_of_birth),
      nationality: text(expected?.nationality),
      gender: text(expected?.gender),
      address: unifiedAddress(null, expected?.address),
      email: email?.email ?? text(decision.contact_details?.email),
      phone: phone?.phoneNumber ?? text(decision.contact_details?.phone),
    }),
    journey: null,
    kyc,
    aml: latest(checks.aml)?.aml ?? null,
    face: v3Face(latest(checks.liveness), latest(checks.faceMatches)),
    location: latest(checks.ip)?.location ?? null,
    warnings,
    reviews: decision.reviews.map(unifiedReview),
    history: reviewHistory(decision.reviews),
    ...diditDetails(decision.vendor_data, decision.metadata),
    nfc: latest(nfc),
    proofOfAddress: latest(checks.proofOfAddress),
    phoneVerification: phone,
    emailVerification: email,
    databaseValidation: latest(checks.databaseValidations),
    checks,
  });
}

/** The latest run: Didit lists a feature's items in the order its nodes ran. */
function latest<T>(runs: readonly T[]): T | null {
  return runs.at(-1) ?? null;
}

function run(item: { node_id?: string | null; status?: string | null; warnings: DiditWarningPayload[] }): CheckRun {
  const nodeId = text(item.node_id);
  return checkRun(
    nodeId,
    item.status,
    item.warnings.map((w) => unifiedWarning(w, nodeId)),
  );
}

function wholeNumber(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isInteger(value) ? value : null;
}

/** The worst status decides the combined face status: a decline outweighs a review, which outweighs a pass. */
const FACE_STATUS_WEIGHT: readonly VerificationStatus[] = [
  'DECLINED',
  'RESUBMISSION_REQUESTED',
  'IN_REVIEW',
  'IN_PROGRESS',
  'NOT_STARTED',
  'EXPIRED',
  'ABANDONED',
  'ERROR',
  'UNKNOWN',
  'APPROVED',
];

/** v1's `face` was liveness and face match together; v3 reports them apart. */
function v3Face(liveness: LivenessCheck | null, match: FaceMatchCheck | null): Face | null {
  if (!liveness && !match) return null;
  const decisive = [liveness, match]
    .filter((r): r is LivenessCheck | FaceMatchCheck => r !== null && r.status !== null)
    .sort(
      (a, b) =>
        FACE_STATUS_WEIGHT.indexOf(a.status as VerificationStatus) -
        FACE_STATUS_WEIGHT.indexOf(b.status as VerificationStatus),
    )[0];
  return {
    status: decisive?.status ?? null,
    providerStatus: decisive?.providerStatus ?? null,
    faceMatchStatus: match?.status ?? null,
    livenessStatus: liveness?.status ?? null,
    faceMatchScore: match?.score ?? null,
    livenessScore: liveness?.score ?? null,
    faceMatchPassed: passed(match?.status ?? null),
    ageEstimate: liveness?.ageEstimate ?? null,
    ageCheckPassed: null,
    // v3 has no gender estimation.
    genderEstimate: null,
  };
}

function livenessCheck(item: DiditV3Liveness): LivenessCheck {
  return {
    ...run(item),
    method: text(item.method),
    score: percentScore(item.score),
    ageEstimate: unit(item.age_estimation),
    referenceImage: text(item.reference_image),
    videoUrl: text(item.video_url),
  };
}

function faceMatchCheck(item: DiditV3FaceMatch): FaceMatchCheck {
  return {
    ...run(item),
    score: percentScore(item.score),
    sourceImage: text(item.source_image),
    targetImage: text(item.target_image),
  };
}

function ipCheck(item: DiditV3IpAnalysis): IpCheck {
  const location: Location = {
    ...featureStatus(item.status),
    ...unifiedNetwork(item, item.ip?.location ?? null),
    documentLocation: geoPoint(item.id_document?.location),
    distanceFromDocumentToIpKm: unit(item.ip?.distance_from_id_document ?? item.id_document?.distance_from_ip),
  };
  return {
    ...run(item),
    location: allNull(location) ? null : location,
    deviceFingerprint: text(item.device_fingerprint),
  };
}

function nfcCheck(item: DiditV3Nfc): NfcCheck {
  const c = item.chip_data;
  const chip: NfcChip = {
    documentType: text(c?.document_type),
    issuingCountry: text(c?.issuing_country),
    documentNumber: text(c?.document_number),
    expirationDate: calendarDate(c?.expiration_date),
    firstName: text(c?.first_name),
    lastName: text(c?.last_name),
    dateOfBirth: calendarDate(c?.birth_date),
    gender: text(c?.gender),
    nationality: text(c?.nationality),
    address: text(c?.address),
    placeOfBirth: text(c?.place_of_birth),
  };
  const cert = item.certificate_summary;
  // Didit sends certificate dates as `2031-02-18 10:21:11` (no zone): read as UTC.
  const certificate: NfcCertificate = {
    issuer: text(cert?.issuer),
    subject: text(cert?.subject),
    serialNumber: text(cert?.serial_number),
    notValidBefore: instant(cert?.not_valid_before),
    notValidAfter: instant(cert?.not_valid_after),
  };
  const sod = item.authenticity?.sod_integrity ?? null;
  const dg = item.authenticity?.dg_integrity ?? null;
  return {
    ...run(item),
    portraitImage: text(item.portrait_image),
    signatureImage: text(item.signature_image),
    chip: allNull(chip) ? null : chip,
    authentic: sod === null || dg === null ? null : sod && dg,
    sodIntegrity: sod,
    dgIntegrity: dg,
    certificate: allNull(certificate) ? null : certificate,
  };
}

function proofOfAddressCheck(item: DiditV3ProofOfAddress): ProofOfAddressCheck {
  const parsed = item.poa_parsed_address ?? null;
  return {
    ...run(item),
    documentType: text(item.document_type),
    documentSubtype: text(item.document_subtype),
    documentLanguage: text(item.document_language),
    issuingCountry: text(item.issuing_state),
    issuer: text(item.issuer),
    issueDate: calendarDate(item.issue_date),
    expirationDate: calendarDate(item.expiration_date),
    nameOnDocument: text(item.name_on_document),
    nameMatchScore: percentScore(item.name_match_score_id_verification),
    address: unifiedAddress(parsed, item.poa_formatted_address, parsed?.formatted_address, item.poa_address),
    documentFile: text(item.document_file),
    tampered: item.document_metadata?.is_tampered ?? null,
  };
}

function phoneCheck(item: DiditV3Phone): PhoneCheck {
  return {
    ...run(item),
    phoneNumber: text(item.full_number),
    countryCode: text(item.country_code),
    countryName: text(item.country_name),
    carrierName: text(item.carrier?.name),
    carrierType: text(item.carrier?.type),
    disposable: item.is_disposable ?? null,
    virtual: item.is_virtual ?? null,
    verificationMethod: text(item.verification_method),
    verificationAttempts: wholeNumber(item.verification_attempts),
    verifiedAt: instant(item.verified_at),
  };
}

function emailCheck(item: DiditV3Email): EmailCheck {
  return {
    ...run(item),
    email: text(item.email),
    breached: item.is_breached ?? null,
    breaches: item.breaches.map((b) => ({
      name: text(b.name),
      domain: text(b.domain),
      breachDate: calendarDate(b.breach_date),
      dataClasses: b.data_classes,
    })),
    disposable: item.is_disposable ?? null,
    undeliverable: item.is_undeliverable ?? null,
    verificationAttempts: wholeNumber(item.verification_attempts),
    verifiedAt: instant(item.verified_at),
  };
}

/** A verdict code (`full_match`...). Anything else is not passed on: Didit's own example once has a name there. */
function verdict(value: string | null | undefined): string | null {
  const code = text(value);
  return code !== null && /^[a-z_]{1,40}$/.test(code) ? code : null;
}

function databaseCheck(item: DiditV3DatabaseValidation): DatabaseCheck {
  return {
    ...run(item),
    issuingCountry: text(item.issuing_state),
    validationType: text(item.validation_type),
    matchType: text(item.match_type),
    results: item.validations.map((v) => ({
      serviceId: text(v.service_id),
      serviceName: text(v.service_name),
      outcome: text(v.outcome_code),
      fullNameMatch: verdict(v.validation?.full_name),
      dateOfBirthMatch: verdict(v.validation?.date_of_birth),
      identificationNumberMatch: verdict(v.validation?.identification_number),
    })),
  };
}
