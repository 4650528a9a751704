import type {
  AmlCheck,
  DatabaseCheck,
  DocumentCheck,
  FaceMatchCheck,
  LivenessCheck,
  NodeWarning,
} from '../../model/checks.ts';
import {
  type Address,
  type Aml,
  type Applicant,
  type Face,
  type Kyc,
  noParts,
  type Session,
  type VerificationStatus,
} from '../../model/session.ts';
import { allNull, calendarDate, instant, joinName, text } from '../../model/values.ts';
import { isTerminal, mapStatus } from '../status.ts';
import { plaidDeclineReasons, plaidTurn } from './declines.ts';
import type { PlaidDocument, PlaidIdentityVerification, PlaidSelfie } from './payload.ts';
import { locationOf, riskWarnings } from './risk.ts';
import { FAILED_STEP_STATUSES, PLAID_STEPS, plaidStepStatus, plaidVerificationStatus } from './status.ts';

/** Plaid's address shapes (user and document) in the unified one; null when nothing is in it. */
interface PlaidAddress {
  street?: string | null;
  street2?: string | null;
  city?: string | null;
  region?: string | null;
  postal_code?: string | null;
  country?: string | null;
}

function address(a: PlaidAddress | null | undefined): Address | null {
  if (!a) return null;
  const out: Address = {
    line1: text(a.street),
    line2: text(a.street2),
    city: text(a.city),
    state: text(a.region),
    postalCode: text(a.postal_code),
    country: text(a.country),
    formatted: null,
  };
  return allNull(out) ? null : out;
}

/** A step's word as a part's status: null where the step has not run (`not_applicable`, `waiting_for_prerequisite`). */
const stepStatus = (word: string | null | undefined): VerificationStatus | null =>
  word == null || word === 'not_applicable' || word === 'waiting_for_prerequisite'
    ? null
    : mapStatus(plaidStepStatus, word);

const ran = (word: string | null | undefined) => word != null && word !== 'not_applicable';

/** The latest submission: the highest `attempt` (Plaid lists them oldest first). */
function latest<T extends { attempt?: number | null }>(items: readonly T[]): T | null {
  return items.reduce<T | null>(
    (best, item) => (best === null || (item.attempt ?? 0) >= (best.attempt ?? 0) ? item : best),
    null,
  );
}

/** Analysis values that are not a clean pass, as `<field>:<value>` (what `Kyc.issues` lists). */
function documentIssues(doc: PlaidDocument): string[] {
  const a = doc.analysis;
  const data = a?.extracted_data;
  const issues: string[] = [];
  if (a?.authenticity && a.authenticity !== 'match') issues.push(`authenticity:${a.authenticity}`);
  if (a?.image_quality && a.image_quality !== 'high') issues.push(`image_quality:${a.image_quality}`);
  if (data?.expiration_date && data.expiration_date !== 'not_expired')
    issues.push(`expiration_date:${data.expiration_date}`);
  for (const f of ['name', 'date_of_birth', 'issuing_country'] as const)
    if (data?.[f] && data[f] !== 'match') issues.push(`${f}:${data[f]}`);
  return issues;
}

function documentKyc(doc: PlaidDocument | null, step: string | null | undefined): Kyc {
  const data = doc?.extracted_data;
  const images = doc?.images;
  const kycImages = images
    ? {
        portrait: text(images.face),
        front: text(images.cropped_front),
        back: text(images.cropped_back),
        fullFront: text(images.original_front),
        fullBack: text(images.original_back),
        frontVideo: null,
        backVideo: null,
      }
    : null;
  return {
    status: stepStatus(step),
    providerStatus: text(step),
    documentType: text(data?.category),
    documentNumber: text(data?.id_number),
    personalNumber: null,
    issuingCountry: text(data?.issuing_country),
    issuingCountryName: null,
    issuingState: text(data?.issuing_region),
    dateOfIssue: calendarDate(data?.issue_date),
    expirationDate: calendarDate(data?.expiration_date),
    firstName: text(data?.name?.given_name),
    middleName: null,
    lastName: text(data?.name?.family_name),
    fullName: joinName(data?.name?.given_name, data?.name?.family_name),
    dateOfBirth: calendarDate(data?.date_of_birth),
    age: null,
    gender: null,
    nationality: null,
    placeOfBirth: null,
    address: address(data?.address),
    nfcVerified: null,
    service: null,
    confirmation: null,
    issues: doc ? documentIssues(doc) : [],
    images: kycImages && !allNull(kycImages) ? kycImages : null,
  };
}

const matchStatus = (word: string | null | undefined): VerificationStatus | null =>
  word === 'match' || word === 'success' ? 'APPROVED' : word === 'no_match' || word === 'failed' ? 'DECLINED' : null;

function selfieFace(selfie: PlaidSelfie | null, step: string | null | undefined): Face {
  const comparison = selfie?.analysis?.document_comparison;
  const faceMatchStatus = matchStatus(comparison);
  return {
    status: stepStatus(step),
    providerStatus: text(step),
    faceMatchStatus,
    livenessStatus: matchStatus(selfie?.analysis?.liveness_check),
    faceMatchScore: null,
    livenessScore: null,
    faceMatchPassed: faceMatchStatus === null ? null : faceMatchStatus === 'APPROVED',
    ageEstimate: null,
    ageCheckPassed: null,
    genderEstimate: null,
  };
}

const run = (nodeId: string | null, status: VerificationStatus | null, providerStatus: string | null) => ({
  nodeId,
  status,
  providerStatus,
  warnings: [] as NodeWarning[],
});

function documentChecks(docs: readonly PlaidDocument[]): DocumentCheck[] {
  return docs.map((doc) => ({
    ...run(doc.attempt == null ? null : `attempt-${doc.attempt}`, stepStatus(doc.status), text(doc.status)),
    documentSubtype: null,
    kyc: documentKyc(doc, doc.status),
  }));
}

function selfieChecks(selfies: readonly PlaidSelfie[]): { liveness: LivenessCheck[]; faceMatches: FaceMatchCheck[] } {
  const node = (s: PlaidSelfie) => (s.attempt == null ? null : `attempt-${s.attempt}`);
  return {
    liveness: selfies.map((s) => ({
      ...run(node(s), matchStatus(s.analysis?.liveness_check), text(s.analysis?.liveness_check)),
      method: s.capture?.video_url ? 'video' : s.capture?.image_url ? 'image' : null,
      score: null,
      ageEstimate: null,
      referenceImage: text(s.capture?.image_url),
      videoUrl: text(s.capture?.video_url),
    })),
    faceMatches: selfies.map((s) => ({
      ...run(node(s), matchStatus(s.analysis?.document_comparison), text(s.analysis?.document_comparison)),
      score: null,
      sourceImage: text(s.capture?.image_url),
      targetImage: null,
    })),
  };
}

function databaseCheck(v: PlaidIdentityVerification, step: string | null | undefined): DatabaseCheck | null {
  const k = v.kyc_check;
  if (!k && !ran(step)) return null;
  return {
    ...run(null, stepStatus(step), text(step)),
    issuingCountry: text(v.user?.address?.country),
    validationType: 'kyc_check',
    matchType: null,
    results: k
      ? [
          {
            serviceId: 'kyc_check',
            serviceName: 'Plaid Data Source Verification',
            outcome: text(k.status ?? step),
            fullNameMatch: text(k.name?.summary),
            dateOfBirthMatch: text(k.date_of_birth?.summary),
            identificationNumberMatch: text(k.id_number?.summary),
          },
        ]
      : [],
  };
}

function screening(v: PlaidIdentityVerification, step: string | null | undefined): Aml | null {
  if (!ran(step) && !v.watchlist_screening_id) return null;
  return { status: stepStatus(step), providerStatus: text(step), totalHits: null, score: null, hits: [] };
}

/** Everything read that the unified model has no place for: the steps' own words, the template, other ids. */
function metadata(v: PlaidIdentityVerification): Record<string, unknown> {
  const k = v.kyc_check;
  const r = v.risk_check;
  return {
    template: v.template ? { id: v.template.id ?? null, version: v.template.version ?? null } : null,
    steps: v.steps ?? null,
    completed_at: instant(v.completed_at),
    previous_attempt_id: text(v.previous_attempt_id),
    watchlist_screening_id: text(v.watchlist_screening_id),
    beacon_user_id: text(v.beacon_user_id),
    user_id: text(v.user_id),
    kyc_check: k
      ? {
          address: k.address
            ? { summary: k.address.summary ?? null, po_box: k.address.po_box ?? null, type: k.address.type ?? null }
            : null,
          phone_number: k.phone_number
            ? { summary: k.phone_number.summary ?? null, area_code: k.phone_number.area_code ?? null }
            : null,
        }
      : null,
    risk_check: r ? { status: r.status ?? null, trust_index_score: r.trust_index_score ?? null } : null,
  };
}

function applicantOf(v: PlaidIdentityVerification): Applicant | null {
  const u = v.user;
  if (!u) return null;
  const applicant: Applicant = {
    firstName: text(u.name?.given_name),
    lastName: text(u.name?.family_name),
    fullName: joinName(u.name?.given_name, u.name?.family_name),
    dateOfBirth: calendarDate(u.date_of_birth),
    email: text(u.email_address),
    phone: text(u.phone_number),
    nationality: null,
    gender: null,
    address: address(u.address),
  };
  return allNull(applicant) ? null : applicant;
}

/** The failed steps, in Plaid's order: the first is `reasonCode`, all of them `reasonDescription`. */
function failedSteps(v: PlaidIdentityVerification): string[] {
  const steps = v.steps ?? {};
  const known = [...PLAID_STEPS, ...Object.keys(steps).filter((s) => !(PLAID_STEPS as readonly string[]).includes(s))];
  return known.filter((s) => {
    const word = steps[s];
    return word != null && FAILED_STEP_STATUSES.has(word);
  });
}

/** An identity verification (`/identity_verification/get`) in the unified shape. */
export function normalizePlaidVerification(v: PlaidIdentityVerification, sandbox: boolean): Session {
  const status = mapStatus(plaidVerificationStatus, v.status);
  const steps = v.steps ?? {};
  const documents = v.documentary_verification?.documents ?? [];
  const selfies = v.selfie_check?.selfies ?? [];
  const docStep = steps.documentary_verification ?? v.documentary_verification?.status;
  const selfieStep = steps.selfie_check ?? v.selfie_check?.status;
  const kycStep = steps.kyc_check ?? v.kyc_check?.status;
  const screeningStep = steps.watchlist_screening;
  const riskStep = steps.risk_check ?? v.risk_check?.status;

  const kyc = documents.length > 0 || ran(docStep) ? documentKyc(latest(documents), docStep) : null;
  const face = selfies.length > 0 || ran(selfieStep) ? selfieFace(latest(selfies), selfieStep) : null;
  const database = databaseCheck(v, kycStep);
  const aml = screening(v, screeningStep);
  const amlCheck: AmlCheck | null = aml
    ? { ...run(text(v.watchlist_screening_id), aml.status, aml.providerStatus), aml }
    : null;
  const failures = failedSteps(v);
  const declineReasons = plaidDeclineReasons(v);
  const { liveness, faceMatches } = selfieChecks(selfies);
  const parts = noParts();

  return {
    provider: 'PLAID',
    providerSessionId: v.id,
    status,
    providerStatus: v.status,
    isTerminal: isTerminal(status),
    reasonCode: failures[0] ?? null,
    reasonDescription: failures.length > 0 ? `Failed steps: ${failures.join(', ')}` : null,
    createdAt: instant(v.created_at),
    sandbox,
    sensitiveDataExpired: text(v.redacted_at) !== null,
    ...parts,
    applicant: applicantOf(v),
    kyc,
    face,
    aml,
    location: locationOf(v),
    warnings: riskWarnings(v.risk_check, riskStep),
    databaseValidation: database,
    checks: {
      ...parts.checks,
      documents: documentChecks(documents),
      liveness,
      faceMatches,
      aml: amlCheck ? [amlCheck] : [],
      databaseValidations: database ? [database] : [],
    },
    reference: text(v.client_user_id),
    metadata: metadata(v),
    ...(declineReasons.length > 0 ? { declineReasons } : {}),
    ...(status === 'IN_PROGRESS' ? { turn: plaidTurn(v) } : {}),
  };
}
