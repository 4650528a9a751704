import type {
  DatabaseCheck,
  DocumentCheck,
  EmailCheck,
  FaceMatchCheck,
  NodeWarning,
  PhoneCheck,
} from '../../model/checks.ts';
import { noChecks } from '../../model/checks.ts';
import { defaultRetryScope, type RetryScope } from '../../model/declines.ts';
import type { Address, Applicant, Face, Kyc, Session, VerificationStatus } from '../../model/session.ts';
import { allNull, calendarDate, joinName, text } from '../../model/values.ts';
import { type DeclineSignal, declineReasons } from '../declines.ts';
import { isTerminal, mapStatus } from '../status.ts';
import { stripeLastErrorCodes } from './declines.ts';
import type {
  StripeAddress,
  StripeDate,
  StripeError,
  StripeVerificationReport,
  StripeVerificationSession,
} from './payload.ts';
import { stripeCheckStatus, stripeSessionStatus, stripeStatusKey } from './status.ts';

type Report = StripeVerificationReport;
type Check = 'document' | 'selfie' | 'id_number' | 'email' | 'phone';
const CHECKS: readonly Check[] = ['document', 'selfie', 'id_number', 'email', 'phone'];

/** The unified statuses that carry decline reasons (DESIGN §8): a NOT_STARTED session has none, whatever it holds. */
const WITH_REASONS: ReadonlySet<VerificationStatus> = new Set([
  'DECLINED',
  'RESUBMISSION_REQUESTED',
  'EXPIRED',
  'ABANDONED',
  'ERROR',
  'IN_REVIEW',
]);

/** The ISO country of each `id_number_type` (`IdNumber.IdNumberType`). */
const ID_NUMBER_COUNTRY: Record<string, string> = { br_cpf: 'BR', sg_nric: 'SG', us_ssn: 'US' };

/** A VerificationSession, with its expanded last report and verified outputs, in the unified shape. */
export function normalizeStripeSession(vs: StripeVerificationSession, sandbox: boolean): Session {
  const error = errorOf(vs.last_error);
  const status = mapStatus(stripeSessionStatus, stripeStatusKey(vs.status, error !== null));
  const report = typeof vs.last_verification_report === 'object' ? vs.last_verification_report : null;
  const redacted = vs.redaction?.status === 'redacted';
  const document = report?.document ? documentCheck(report.id, report.document) : null;
  const selfie = report?.selfie ? faceMatchCheck(report.id, report.selfie) : null;
  const session: Session = {
    provider: 'STRIPE',
    providerSessionId: vs.id,
    status,
    providerStatus: vs.status,
    isTerminal: isTerminal(status),
    reasonCode: error?.code ?? null,
    reasonDescription: error?.reason ?? null,
    createdAt: unixInstant(vs.created),
    sandbox,
    sensitiveDataExpired: redacted,
    applicant: applicantOf(vs),
    journey: null,
    kyc: document?.kyc ?? null,
    aml: null,
    face: faceOf(report),
    location: null,
    warnings: report ? warningsOf(report) : [],
    reviews: [],
    reference: value(vs.client_reference_id),
    metadata: {
      type: value(vs.type),
      verification_flow: value(vs.verification_flow),
      livemode: vs.livemode ?? null,
      last_verification_report:
        report?.id ?? (typeof vs.last_verification_report === 'string' ? vs.last_verification_report : null),
      redaction: value(vs.redaction?.status),
      related_customer: value(vs.related_customer),
      metadata: vs.metadata ?? null,
      options: vs.options ?? null,
      document_files: report?.document?.files ?? [],
    },
    ...noChecks(),
    declineReasons: WITH_REASONS.has(status) ? declineReasons(signalsOf(vs.status, error, report)) : [],
    ...(vs.status === 'requires_input' ? { turn: 'USER' as const } : {}),
    ...(vs.status === 'processing' ? { turn: 'VENDOR' as const } : {}),
  };
  const idNumber = report?.id_number ? databaseCheck(report.id, report.id_number) : null;
  const email = report?.email ? emailCheck(report.id, report.email) : null;
  const phone = report?.phone ? phoneCheck(report.id, report.phone) : null;
  session.databaseValidation = idNumber;
  session.emailVerification = email;
  session.phoneVerification = phone;
  session.checks = {
    ...session.checks,
    documents: document ? [document] : [],
    faceMatches: selfie ? [selfie] : [],
    databaseValidations: idNumber ? [idNumber] : [],
    emailVerifications: email ? [email] : [],
    phoneVerifications: phone ? [phone] : [],
  };
  return redacted ? withoutPersonalData(session) : session;
}

/** `last_error` counts only with a code: the documented example sends `{ code: null, reason: null }` for none. */
function errorOf(error: StripeError): { code: string; reason: string | null } | null {
  const code = value(error?.code);
  return code === null ? null : { code, reason: value(error?.reason) };
}

/**
 * Why the session was sent back or ended: `last_error` first, then each failed check of the report. Stripe's own
 * retry signal is the status — `requires_input` lets the user retry in this session, `canceled` does not: a new
 * session may, unless the reason itself rules a retry out (a category not retryable by default, `under_supported_age`).
 * `last_error.reason` and the checks' `error.reason` are documented as messages "that can be shown to your users".
 */
function signalsOf(
  status: string,
  error: { code: string; reason: string | null } | null,
  report: Report | null,
): DeclineSignal[] {
  if (status !== 'requires_input' && status !== 'canceled') return [];
  const errors = [error, ...CHECKS.map((c) => errorOf(report?.[c]?.error))].filter((e) => e !== null);
  return errors.map((e) => ({
    table: stripeLastErrorCodes,
    code: e.code,
    retry: status === 'requires_input' ? 'SAME_SESSION' : canceledRetry(e.code),
    userMessage: e.reason,
  }));
}

/** A canceled session ends; a new one may be started unless the reason's category is never retryable. */
function canceledRetry(code: string): RetryScope {
  const category = stripeLastErrorCodes.rows.find((r) => r.code === code)?.category ?? 'OTHER';
  return defaultRetryScope(category) === 'NONE' ? 'NONE' : 'NEW_SESSION';
}

function unixInstant(seconds: number | null | undefined): string | null {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** `{ day, month, year }` → `YYYY-MM-DD`; null unless all three make a real date. */
function dateOf(d: StripeDate): string | null {
  if (!d || typeof d.year !== 'number' || typeof d.month !== 'number' || typeof d.day !== 'number') return null;
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return calendarDate(`${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`);
}

function addressOf(a: StripeAddress): Address | null {
  if (!a) return null;
  return nonEmpty<Address>({
    line1: value(a.line1),
    line2: value(a.line2),
    city: value(a.city),
    state: value(a.state),
    postalCode: value(a.postal_code),
    country: value(a.country),
    formatted: null,
  });
}

/**
 * A string as Stripe sends it, null when empty or `[redacted]`: Stripe's placeholder for a value it has redacted (and
 * for a sex it will not show) is no value.
 */
function value(raw: string | null | undefined): string | null {
  const v = text(raw);
  return v === '[redacted]' ? null : v;
}

function checkStatus(raw: string | null | undefined): {
  status: VerificationStatus | null;
  providerStatus: string | null;
} {
  const providerStatus = value(raw);
  return { status: providerStatus === null ? null : mapStatus(stripeCheckStatus, providerStatus), providerStatus };
}

function applicantOf(vs: StripeVerificationSession): Applicant | null {
  const v = vs.verified_outputs;
  if (!v) return null;
  return nonEmpty<Applicant>({
    firstName: value(v.first_name),
    lastName: value(v.last_name),
    fullName: joinName(value(v.first_name), value(v.last_name)),
    dateOfBirth: dateOf(v.dob),
    email: value(v.email),
    phone: value(v.phone),
    nationality: null,
    gender: value(v.sex),
    address: addressOf(v.address),
  });
}

function warningOf(reportId: string, check: Check, error: StripeError): NodeWarning[] {
  const e = errorOf(error);
  if (!e) return [];
  return [
    {
      nodeId: reportId,
      feature: check,
      risk: e.code,
      logType: 'unverified',
      shortDescription: e.reason,
      longDescription: null,
      additionalData: null,
    },
  ];
}

function warningsOf(report: Report): NodeWarning[] {
  return CHECKS.flatMap((c) => warningOf(report.id, c, report[c]?.error));
}

type ReportDocument = NonNullable<Report['document']>;

function documentCheck(reportId: string, d: ReportDocument): DocumentCheck {
  const { status, providerStatus } = checkStatus(d.status);
  const error = errorOf(d.error);
  const kyc: Kyc = {
    status,
    providerStatus,
    documentType: value(d.type),
    documentNumber: value(d.number),
    personalNumber: null,
    issuingCountry: value(d.issuing_country),
    issuingCountryName: null,
    issuingState: null,
    dateOfIssue: dateOf(d.issued_date),
    expirationDate: dateOf(d.expiration_date),
    firstName: value(d.first_name),
    middleName: null,
    lastName: value(d.last_name),
    fullName: joinName(value(d.first_name), value(d.last_name)),
    dateOfBirth: dateOf(d.dob),
    age: null,
    gender: value(d.sex),
    nationality: null,
    placeOfBirth: value(d.unparsed_place_of_birth),
    address: addressOf(d.address),
    nfcVerified: null,
    service: null,
    confirmation: null,
    issues: error ? [error.code] : [],
    // `files` are File ids, not URLs (reading them needs the secret key): kept in metadata, not here.
    images: null,
  };
  return {
    nodeId: reportId,
    status,
    providerStatus,
    warnings: warningOf(reportId, 'document', d.error),
    documentSubtype: value(d.type),
    kyc,
  };
}

type ReportSelfie = NonNullable<Report['selfie']>;

function faceMatchCheck(reportId: string, s: ReportSelfie): FaceMatchCheck {
  return {
    nodeId: reportId,
    ...checkStatus(s.status),
    warnings: warningOf(reportId, 'selfie', s.error),
    score: null,
    sourceImage: null,
    targetImage: null,
  };
}

/** Stripe's selfie check compares the face with the document's and checks it is live: one status for both. */
function faceOf(report: Report | null): Face | null {
  const s = report?.selfie;
  if (!s) return null;
  const { status, providerStatus } = checkStatus(s.status);
  const code = errorOf(s.error)?.code ?? null;
  return {
    status,
    providerStatus,
    faceMatchStatus: code === 'selfie_manipulated' ? null : status,
    livenessStatus: code === 'selfie_manipulated' ? 'DECLINED' : s.status === 'verified' ? 'APPROVED' : null,
    faceMatchScore: null,
    livenessScore: null,
    faceMatchPassed: code === 'selfie_manipulated' ? null : providerStatus === null ? null : s.status === 'verified',
    ageEstimate: null,
    ageCheckPassed: null,
    genderEstimate: null,
  };
}

type ReportIdNumber = NonNullable<Report['id_number']>;

function databaseCheck(reportId: string, n: ReportIdNumber): DatabaseCheck {
  const type = value(n.id_number_type);
  const code = errorOf(n.error)?.code ?? null;
  return {
    nodeId: reportId,
    ...checkStatus(n.status),
    warnings: warningOf(reportId, 'id_number', n.error),
    issuingCountry: type === null ? null : (ID_NUMBER_COUNTRY[type] ?? null),
    validationType: type,
    matchType: null,
    results: [
      {
        serviceId: null,
        serviceName: 'id_number',
        outcome: value(n.status),
        fullNameMatch: null,
        dateOfBirthMatch: null,
        identificationNumberMatch:
          code === 'id_number_mismatch' ? 'no_match' : n.status === 'verified' ? 'full_match' : null,
      },
    ],
  };
}

type ReportEmail = NonNullable<Report['email']>;

function emailCheck(reportId: string, e: ReportEmail): EmailCheck {
  return {
    nodeId: reportId,
    ...checkStatus(e.status),
    warnings: warningOf(reportId, 'email', e.error),
    email: value(e.email),
    breached: null,
    breaches: [],
    disposable: null,
    undeliverable: null,
    verificationAttempts: null,
    verifiedAt: null,
  };
}

type ReportPhone = NonNullable<Report['phone']>;

function phoneCheck(reportId: string, p: ReportPhone): PhoneCheck {
  return {
    nodeId: reportId,
    ...checkStatus(p.status),
    warnings: warningOf(reportId, 'phone', p.error),
    phoneNumber: value(p.phone),
    countryCode: null,
    countryName: null,
    carrierName: null,
    carrierType: null,
    disposable: null,
    virtual: null,
    verificationMethod: null,
    verificationAttempts: null,
    verifiedAt: null,
  };
}

/**
 * Once Stripe has redacted a session (`redaction.status: redacted`), its personal data is gone: what a report still
 * carries while the redaction settles is not answered either, even to `pii:read`.
 */
function withoutPersonalData(session: Session): Session {
  const kycOf = (kyc: Kyc | null): Kyc | null =>
    kyc && {
      ...kyc,
      documentNumber: null,
      firstName: null,
      lastName: null,
      fullName: null,
      dateOfBirth: null,
      gender: null,
      placeOfBirth: null,
      address: null,
    };
  return {
    ...session,
    // The document images' File ids go with the images Stripe deleted.
    metadata: session.metadata && { ...session.metadata, document_files: [] },
    applicant: null,
    kyc: kycOf(session.kyc),
    emailVerification: session.emailVerification && { ...session.emailVerification, email: null },
    phoneVerification: session.phoneVerification && { ...session.phoneVerification, phoneNumber: null },
    checks: {
      ...session.checks,
      documents: session.checks.documents.map((d) => ({ ...d, kyc: kycOf(d.kyc) })),
      emailVerifications: session.checks.emailVerifications.map((e) => ({ ...e, email: null })),
      phoneVerifications: session.checks.phoneVerifications.map((p) => ({ ...p, phoneNumber: null })),
    },
  };
}

function nonEmpty<T extends object>(part: T): T | null {
  return allNull(part) ? null : part;
}
