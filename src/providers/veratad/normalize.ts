import type { Address, Applicant, Face, Journey, JourneyStop, Kyc, Session } from '../../model/session.ts';
import { noParts } from '../../model/session.ts';
import { allNull, calendarDate, instant, joinName, text } from '../../model/values.ts';
import { declinesPart } from '../declines.ts';
import { isTerminal, mapStatus } from '../status.ts';
import { veratadDeclineReasons, veratadTurn } from './declines.ts';
import type {
  VeratadDcamsPlus,
  VeratadDocumentData,
  VeratadInProgress,
  VeratadJourneyStop,
  VeratadResult,
} from './payload.ts';
import { veratadActionStatus, veratadInProgressStatus, veratadSessionStatus } from './status.ts';

/** VX redacts some document fields in place ("anonymized and redacted as necessary"); a placeholder is no value. */
const REDACTED = /^<\s*redacted\s*>$/i;

/** `text`, plus VX's `<REDACTED>` placeholder read as absent. */
function vxText(value: string | null | undefined): string | null {
  const t = text(value);
  return t === null || REDACTED.test(t) ? null : t;
}

/** An ISO 3166 code, alpha-2 or alpha-3 as VX sends it, upper-cased; null when the value is not a code. */
function countryCode(value: string | null | undefined): string | null {
  const t = vxText(value);
  return t !== null && /^[A-Za-z]{2,3}$/.test(t) ? t.toUpperCase() : null;
}

const DURATION = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+(?:\.\d+)?)\s*s)?$/i;

/**
 * VX journey duration in whole seconds: `00h 01m 25s` is 85; any part may be missing (`01m 25s`, `32s`).
 * The legacy webhook shape sends milliseconds as a number. Null when absent or unreadable.
 */
export function durationSeconds(value: string | number | null | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value / 1000) : null;
  const raw = text(value);
  if (raw === null) return null;
  const m = DURATION.exec(raw);
  if (!m || (m[1] === undefined && m[2] === undefined && m[3] === undefined)) return null;
  const [h, min, s] = [m[1], m[2], m[3]].map((part) => (part === undefined ? 0 : Number(part))) as [
    number,
    number,
    number,
  ];
  return Math.round(h * 3600 + min * 60 + s);
}

/** A number of years from `dcams_plus.output.age_estimate`, whose format the docs do not show. */
function ageEstimate(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

function stopOf(stop: VeratadJourneyStop): JourneyStop {
  const providerStatus = text(stop.status);
  return {
    at: instant(stop.timestamp),
    type: text(stop.type),
    source: text(stop.source),
    status: providerStatus === null ? null : mapStatus(veratadActionStatus, providerStatus),
    providerStatus,
    action: text(stop.action),
    detail: text(stop.detail),
  };
}

function journeyOf(journey: VeratadResult['journey']): Journey | null {
  if (!journey) return null;
  const stops = (journey.stops ?? []).map(stopOf);
  const duration = durationSeconds(journey.duration);
  return stops.length === 0 && duration === null ? null : { stops, durationSeconds: duration };
}

function nonEmpty<T extends object>(part: T): T | null {
  return allNull(part) ? null : part;
}

function applicantOf(result: VeratadResult): Applicant | null {
  return nonEmpty({
    firstName: text(result.fn),
    lastName: text(result.ln),
    fullName: joinName(result.fn, result.ln),
    dateOfBirth: calendarDate(result.dob),
    email: text(result.email),
    phone: text(result.phone),
    nationality: null,
    gender: null,
    address: nonEmpty<Address>({
      line1: text(result.addr),
      line2: null,
      city: text(result.city),
      state: text(result.state),
      postalCode: text(result.zip),
      country: null,
      formatted: null,
    }),
  });
}

/**
 * `dcams_plus` describes the most recent verification transaction: a document scan fills `document_data`, a data
 * service (PhoneMatch, IDMatch...) leaves it `{}` but still reports its service, confirmation, action and issues.
 */
function kycOf(dcams: VeratadDcamsPlus | null | undefined): Kyc | null {
  if (!dcams) return null;
  const doc: Partial<VeratadDocumentData> = dcams.document_data ?? {};
  const action = text(dcams.action);
  return nonEmpty<Kyc>({
    status: action === null ? null : mapStatus(veratadActionStatus, action),
    providerStatus: action,
    documentType: vxText(doc.DocumentType),
    documentNumber: vxText(doc.DocumentNumber),
    personalNumber: vxText(doc.NationalID),
    issuingCountry: countryCode(doc.CountryCode),
    issuingCountryName: null,
    issuingState: vxText(doc.State),
    dateOfIssue: calendarDate(doc.IssueDate),
    expirationDate: calendarDate(doc.ExpirationDate),
    firstName: vxText(doc.FirstName),
    middleName: vxText(doc.MiddleName),
    lastName: vxText(doc.LastName),
    fullName: joinName(vxText(doc.FirstName), vxText(doc.MiddleName), vxText(doc.LastName)),
    dateOfBirth: calendarDate(doc.DateOfBirth),
    age: null,
    gender: vxText(doc.Sex),
    nationality: null,
    placeOfBirth: null,
    address: nonEmpty<Address>({
      line1: vxText(doc.Address),
      line2: null,
      city: vxText(doc.City),
      state: vxText(doc.State),
      postalCode: vxText(doc.Zip),
      country: countryCode(doc.CountryCode),
      formatted: vxText(doc.FullAddress),
    }),
    nfcVerified: null,
    service: text(dcams.service),
    confirmation: text(dcams.confirmation),
    issues: (dcams.issues ?? []).map(text).filter((i): i is string => i !== null),
    images: null,
  });
}

function faceOf(dcams: VeratadDcamsPlus | null | undefined): Face | null {
  const age = ageEstimate(dcams?.output?.age_estimate);
  if (age === null) return null;
  return {
    status: null,
    providerStatus: null,
    faceMatchStatus: null,
    livenessStatus: null,
    faceMatchScore: null,
    livenessScore: null,
    faceMatchPassed: null,
    ageEstimate: age,
    ageCheckPassed: null,
    genderEstimate: null,
  };
}

/**
 * A VX session result (HTTP 200) in the unified shape. `requestId` is the id that was asked for; the payload's
 * own `request_id` wins when present.
 */
export function normalizeVeratadResult(result: VeratadResult, requestId: string, sandbox: boolean): Session {
  const journey = journeyOf(result.journey);
  const lastStop = journey?.stops.at(-1);
  const status = veratadSessionStatus({
    status: result.status,
    processingError: result.dcams_plus?.api_processing_error === true,
    lastStopAction: lastStop?.action ?? null,
  });
  return {
    provider: 'VERATAD',
    providerSessionId: text(result.request_id) ?? requestId,
    status,
    providerStatus: result.status,
    isTerminal: isTerminal(status),
    reasonCode: result.status === 'PASS' ? null : text(result.dcams_plus?.detail),
    reasonDescription: null,
    createdAt: journey?.stops[0]?.at ?? null,
    sandbox,
    sensitiveDataExpired: false,
    ...noParts(),
    applicant: applicantOf(result),
    journey,
    kyc: kycOf(result.dcams_plus),
    face: faceOf(result.dcams_plus),
    reference: text(result.reference),
    metadata: result.additionalData ?? null,
    ...declinesPart(veratadDeclineReasons(result.status, result.dcams_plus?.detail, journey)),
    ...(status === 'IN_PROGRESS' ? { turn: veratadTurn } : {}),
  };
}

/** HTTP 202 `{"message": "IN PROGRESS"}`: the user started, no result is written yet; the parts are null. */
export function normalizeVeratadInProgress(body: VeratadInProgress, requestId: string, sandbox: boolean): Session {
  const status = mapStatus(veratadInProgressStatus, body.message);
  return {
    provider: 'VERATAD',
    providerSessionId: requestId,
    status,
    providerStatus: body.message,
    isTerminal: isTerminal(status),
    reasonCode: null,
    reasonDescription: null,
    createdAt: null,
    sandbox,
    sensitiveDataExpired: false,
    ...noParts(),
    reference: null,
    metadata: null,
    turn: veratadTurn,
  };
}
