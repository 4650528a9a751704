import {
  type Address,
  type Applicant,
  type Kyc,
  noParts,
  type Session,
  type SessionDetails,
  type Warning,
} from '../../model/session.ts';
import { allNull, calendarDate, instant, joinName, text } from '../../model/values.ts';
import { declinesPart } from '../declines.ts';
import { isTerminal, mapStatus } from '../status.ts';
import { sumsubDeclineReasons, sumsubTurn } from './declines.ts';
import type { SumsubApplicant, SumsubIdDoc, SumsubInfo, SumsubReviewResult } from './payload.ts';
import { sumsubReviewStatus, sumsubStatusKey } from './status.ts';

/** Documents that identify a person (the KYC part); selfies and proofs of address are other steps. */
const IDENTITY_DOCS = new Set(['PASSPORT', 'ID_CARD', 'DRIVERS', 'RESIDENCE_PERMIT']);

/**
 * A Sumsub applicant in the unified shape. `reference` and `metadata` are deferred: they come with the per-step
 * breakdown (`requiredIdDocsStatus`), a second call made only when a client selects them.
 */
export function normalizeSumsubApplicant(applicant: SumsubApplicant, sandbox: boolean): Session {
  const { review } = applicant;
  // Only a completed review's verdict is current: a resubmitted applicant keeps the previous one while pending.
  const verdict = review.reviewStatus === 'completed' ? (review.reviewResult ?? null) : null;
  const providerStatus = sumsubStatusKey(review.reviewStatus, verdict?.reviewAnswer, verdict?.reviewRejectType);
  const status = mapStatus(sumsubReviewStatus, providerStatus);
  const labels = verdict?.rejectLabels ?? [];
  const info = merged(applicant.info, applicant.fixedInfo);
  const turn = sumsubTurn(review.reviewStatus);
  return {
    provider: 'SUMSUB',
    providerSessionId: applicant.id,
    status,
    providerStatus,
    isTerminal: isTerminal(status),
    reasonCode: text(labels[0]),
    reasonDescription: text(verdict?.moderationComment),
    createdAt: instant(applicant.createdAt),
    sandbox,
    sensitiveDataExpired: false,
    ...noParts(),
    applicant: person(info, applicant),
    kyc: kyc(info),
    warnings: labels.map((label) => rejectWarning(label, verdict)),
    reference: null,
    metadata: null,
    detailsDeferred: true,
    ...declinesPart(sumsubDeclineReasons(verdict)),
    ...(turn ? { turn } : {}),
  };
}

/** `info` is what Sumsub recognised or was given; `fixedInfo` what you set. Recognised data wins, field by field. */
function merged(info: SumsubInfo | null | undefined, fixed: SumsubInfo | null | undefined): SumsubInfo {
  const out: Record<string, unknown> = { ...(fixed ?? {}) };
  for (const [key, value] of Object.entries(info ?? {})) if (value !== null && value !== undefined) out[key] = value;
  return out as SumsubInfo;
}

function person(info: SumsubInfo, applicant: SumsubApplicant): Applicant | null {
  const first = info.addresses?.[0];
  const address: Address = {
    line1: text(first?.street),
    line2: text(first?.subStreet),
    city: text(first?.town),
    state: text(first?.state),
    postalCode: text(first?.postCode),
    // Sumsub's `info.country` is the applicant's country (alpha-3); an address without its own country is there.
    country: text(first?.country) ?? text(info.country),
    formatted: text(first?.formattedAddress),
  };
  const result: Applicant = {
    firstName: text(info.firstName),
    lastName: text(info.lastName),
    fullName: joinName(info.firstName, info.middleName, info.lastName),
    dateOfBirth: calendarDate(info.dob),
    email: text(applicant.email),
    phone: text(applicant.phone) ?? text(info.phone),
    nationality: text(info.nationality),
    gender: text(info.gender),
    address: allNull(address) ? null : address,
  };
  return allNull(result) ? null : result;
}

/** The identity document Sumsub read (the first of `info.idDocs` that identifies a person). */
function kyc(info: SumsubInfo): Kyc | null {
  const doc: SumsubIdDoc | undefined = info.idDocs?.find((d) => IDENTITY_DOCS.has(d.idDocType ?? ''));
  if (!doc) return null;
  const result: Kyc = {
    status: null,
    providerStatus: null,
    documentType: text(doc.idDocType),
    documentNumber: text(doc.number),
    personalNumber: null,
    issuingCountry: text(doc.country),
    issuingCountryName: null,
    issuingState: null,
    dateOfIssue: calendarDate(doc.issuedDate),
    expirationDate: calendarDate(doc.validUntil),
    firstName: text(doc.firstName),
    middleName: text(doc.middleName),
    lastName: text(doc.lastName),
    fullName: joinName(doc.firstName, doc.middleName, doc.lastName),
    dateOfBirth: calendarDate(doc.dob),
    age: null,
    gender: text(doc.gender),
    nationality: text(doc.nationality),
    placeOfBirth: text(doc.placeOfBirth),
    address: null,
    nfcVerified: null,
    service: null,
    confirmation: null,
    issues: [],
    images: null,
  };
  return allNull(result) ? null : result;
}

/** One rejection label as a warning: a FINAL rejection's labels are errors, a RETRY's warnings to fix. */
function rejectWarning(label: string, verdict: SumsubReviewResult | null): Warning {
  return {
    feature: null,
    risk: label,
    logType: verdict?.reviewRejectType === 'FINAL' ? 'error' : 'warning',
    shortDescription: null,
    longDescription: null,
    additionalData: null,
  };
}

/** A verification step's own verdict (`requiredIdDocsStatus`), without its comments. */
export interface SumsubStep {
  reviewAnswer: string | null;
  reviewRejectType: string | null;
  rejectLabels: string[];
  idDocType: string | null;
  country: string | null;
}

/**
 * The deferred details: `reference` is your `externalUserId`; `metadata` holds it with the level, your applicant
 * metadata (key/value pairs as an object) and each step's verdict (null until a step was submitted).
 */
export function sumsubDetails(
  applicant: SumsubApplicant,
  steps: Record<string, SumsubStepPayload | null> | null,
): SessionDetails {
  const reference = text(applicant.externalUserId);
  const pairs = applicant.metadata ?? null;
  return {
    reference,
    metadata: {
      externalUserId: reference,
      levelName: text(applicant.review.levelName) ?? text(applicant.levelName),
      metadata: pairs === null ? null : Object.fromEntries(pairs.map((p) => [p.key, p.value])),
      steps: steps === null ? null : Object.fromEntries(Object.entries(steps).map(([name, s]) => [name, step(s)])),
    },
  };
}

export interface SumsubStepPayload {
  reviewResult?: SumsubReviewResult | null;
  idDocType?: string | null;
  country?: string | null;
}

function step(s: SumsubStepPayload | null): SumsubStep | null {
  if (s === null) return null;
  return {
    reviewAnswer: text(s.reviewResult?.reviewAnswer),
    reviewRejectType: text(s.reviewResult?.reviewRejectType),
    rejectLabels: s.reviewResult?.rejectLabels ?? [],
    idDocType: text(s.idDocType),
    country: text(s.country),
  };
}
