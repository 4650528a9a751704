import type { AmlCheck, DocumentCheck, FaceMatchCheck, LivenessCheck, NodeWarning } from '../../model/checks.ts';
import type { Address, Aml, AmlHit, Applicant, Face, Kyc, VerificationStatus } from '../../model/session.ts';
import { allNull, calendarDate, joinName, text, unit } from '../../model/values.ts';
import { jsonExcess, VENDOR_JSON_LIMITS } from '../../upstream/boundedJson.ts';
import { mapStatus } from '../status.ts';
import type { Found } from './output.ts';
import type {
  OnfidoBreakdown,
  OnfidoDocumentReport,
  OnfidoFacialSimilarityReport,
  OnfidoProfileData,
  OnfidoWatchlistReport,
} from './payload.ts';
import { onfidoReportResult } from './status.ts';

/** One Onfido report (document, facial similarity, watchlist) in the unified parts, and its check run. */

type Verdict = { status: VerificationStatus | null; providerStatus: string | null };

/** A report's verdict: a document's `sub_result` refines `consider`; no result yet reads as none. */
function verdict(result: string | null | undefined, subResult?: string | null): Verdict {
  const raw = text(subResult) ?? text(result);
  return { status: raw === null ? null : mapStatus(onfidoReportResult, raw), providerStatus: raw };
}

/**
 * The breakdown entries that did not come back `clear`, deepest first: `visual_authenticity.fonts` rather than its
 * group, the group alone when none of its entries says why. These are the report's warnings.
 */
function flagged(breakdown: OnfidoBreakdown | null | undefined, feature: string): NodeWarning[] {
  const warnings: NodeWarning[] = [];
  for (const [group, entry] of Object.entries(breakdown ?? {})) {
    const groupResult = text(entry?.result);
    const leaves = Object.entries(entry?.breakdown ?? {}).filter(([, leaf]) => isFlag(text(leaf?.result)));
    for (const [name, leaf] of leaves)
      warnings.push(warning(feature, `${group}.${name}`, text(leaf?.result), leaf?.properties));
    if (leaves.length === 0 && isFlag(groupResult)) warnings.push(warning(feature, group, groupResult, null));
  }
  return warnings;
}

const isFlag = (result: string | null) => result !== null && result !== 'clear';

function warning(feature: string, risk: string, result: string | null, properties: unknown): NodeWarning {
  const extra = properties && typeof properties === 'object' && Object.keys(properties).length > 0 ? properties : null;
  return {
    nodeId: null,
    feature,
    risk,
    logType: 'warning',
    shortDescription: result === null ? null : `${risk}: ${result}`,
    longDescription: null,
    additionalData: extra !== null && jsonExcess(extra, VENDOR_JSON_LIMITS) === null ? extra : null,
  };
}

/** A nested score (`breakdown.<group>.breakdown.<leaf>.properties.score`), kept when in 0..1. */
function score(breakdown: OnfidoBreakdown | null | undefined, group: string, leaf: string): number | null {
  const value = breakdown?.[group]?.breakdown?.[leaf]?.properties?.score;
  const n = unit(typeof value === 'number' ? value : null);
  return n !== null && n >= 0 && n <= 1 ? n : null;
}

type DocumentProperties = NonNullable<OnfidoDocumentReport['properties']>;

/** The document number: `document_number`, else the `document_numbers` entry of that type, else the first. */
function documentNumber(p: DocumentProperties | null): string | null {
  const numbers = (p?.document_numbers ?? []).filter((n) => n !== null && n !== undefined);
  const typed = (type: string) => text(numbers.find((n) => n?.type === type)?.value);
  return text(p?.document_number) ?? typed('document_number') ?? text(numbers[0]?.value);
}

function documentAddress(p: DocumentProperties | null): Address | null {
  const lines = p?.address_lines;
  const address: Address = {
    line1: text(lines?.street_address),
    line2: null,
    city: text(lines?.city),
    state: text(lines?.state),
    postalCode: text(lines?.postal_code),
    country: text(lines?.country_code) ?? text(lines?.country),
    formatted: text(p?.address),
  };
  return allNull(address) ? null : address;
}

export function documentKyc(report: OnfidoDocumentReport): Kyc {
  const p = report.properties ?? null;
  const numbers = (p?.document_numbers ?? []).filter((n) => n !== null && n !== undefined);
  return {
    ...verdict(report.result, report.sub_result),
    documentType: text(p?.document_type),
    documentNumber: documentNumber(p),
    personalNumber: text(p?.personal_number) ?? text(numbers.find((n) => n?.type === 'personal_number')?.value),
    issuingCountry: text(p?.issuing_country),
    issuingCountryName: null,
    issuingState: text(p?.issuing_state),
    dateOfIssue: calendarDate(p?.issuing_date),
    expirationDate: calendarDate(p?.date_of_expiry),
    firstName: text(p?.first_name),
    middleName: text(p?.middle_name),
    lastName: text(p?.last_name),
    fullName: joinName(p?.first_name, p?.middle_name, p?.last_name),
    dateOfBirth: calendarDate(p?.date_of_birth),
    age: null,
    gender: text(p?.gender),
    nationality: text(p?.nationality),
    placeOfBirth: text(p?.place_of_birth),
    address: documentAddress(p),
    nfcVerified: null,
    service: null,
    confirmation: null,
    issues: flagged(report.breakdown, 'DOCUMENT').map((w) => w.risk as string),
    images: null,
  };
}

export function documentCheck({ nodeId, report }: Found<OnfidoDocumentReport>): DocumentCheck {
  return {
    nodeId,
    ...verdict(report.result, report.sub_result),
    documentSubtype: text(report.properties?.document_subtype),
    kyc: documentKyc(report),
    warnings: flagged(report.breakdown, 'DOCUMENT').map((w) => ({ ...w, nodeId })),
  };
}

export function facialSimilarityFace(report: OnfidoFacialSimilarityReport): Face {
  const b = report.breakdown;
  const comparison = text(b?.face_comparison?.result);
  const authenticity = text(b?.visual_authenticity?.result);
  const spoofing = score(b, 'visual_authenticity', 'spoofing_detection') ?? unit(report.properties?.score ?? null);
  return {
    ...verdict(report.result),
    faceMatchStatus: verdict(comparison).status,
    livenessStatus: verdict(authenticity).status,
    faceMatchScore: score(b, 'face_comparison', 'face_match'),
    // The spoofing score: 1 is surely a live person, 0 surely a spoof (facial_similarity_*_breakdown.yaml).
    livenessScore: spoofing !== null && spoofing >= 0 && spoofing <= 1 ? spoofing : null,
    faceMatchPassed: comparison === 'clear' ? true : comparison === null ? null : false,
    ageEstimate: null,
    ageCheckPassed: null,
    genderEstimate: null,
  };
}

/** A facial similarity report is a face match and, where it judged the capture, a liveness check. */
export function facialSimilarityChecks({ nodeId, report }: Found<OnfidoFacialSimilarityReport>): {
  faceMatch: FaceMatchCheck | null;
  liveness: LivenessCheck | null;
} {
  const face = facialSimilarityFace(report);
  const warnings = flagged(report.breakdown, 'FACIAL_SIMILARITY').map((w) => ({ ...w, nodeId }));
  const of = (group: string) => warnings.filter((w) => w.risk?.startsWith(group));
  const comparison = text(report.breakdown?.face_comparison?.result);
  const authenticity = text(report.breakdown?.visual_authenticity?.result);
  return {
    faceMatch:
      comparison === null && face.faceMatchScore === null
        ? null
        : {
            nodeId,
            ...verdict(comparison),
            score: face.faceMatchScore,
            sourceImage: null,
            targetImage: null,
            warnings: of('face_comparison'),
          },
    liveness:
      authenticity === null && face.livenessScore === null
        ? null
        : {
            nodeId,
            ...verdict(authenticity),
            method: text(report.name),
            score: face.livenessScore,
            ageEstimate: null,
            referenceImage: null,
            videoUrl: null,
            warnings: of('visual_authenticity'),
          },
  };
}

type WatchlistRecord = NonNullable<NonNullable<NonNullable<OnfidoWatchlistReport['properties']>['records']>[number]>;

const texts = (values: ReadonlyArray<string | null | undefined>) => [
  ...new Set(values.map(text).filter((v): v is string => v !== null)),
];

function hit(record: WatchlistRecord): AmlHit {
  return {
    id: null,
    caption: text(record.full_name),
    match: null,
    score: null,
    target: null,
    datasets: texts((record.source ?? []).map((s) => s?.source_name)),
    topics: texts((record.event ?? []).map((e) => e?.category)),
    names: texts([record.full_name]),
    aliases: texts((record.alias ?? []).map((a) => a?.alias_name)),
    notes: [],
    positions: texts(record.position ?? []),
    firstSeen: null,
    lastSeen: null,
    lastChange: null,
  };
}

export function watchlistAml(report: OnfidoWatchlistReport): Aml {
  const records = report.properties?.records;
  const hits = (records ?? []).filter((r): r is WatchlistRecord => r !== null && r !== undefined).map(hit);
  return {
    ...verdict(report.result),
    totalHits: Array.isArray(records) ? hits.length : null,
    score: null,
    hits,
  };
}

export function watchlistCheck({ nodeId, report }: Found<OnfidoWatchlistReport>): AmlCheck {
  return {
    nodeId,
    ...verdict(report.result),
    aml: watchlistAml(report),
    warnings: flagged(report.breakdown, 'WATCHLIST').map((w) => ({ ...w, nodeId })),
  };
}

/** The applicant: what a profile data capture task collected, else what the document says. */
export function applicantOf(
  profile: OnfidoProfileData | null,
  document: OnfidoDocumentReport | null,
): Applicant | null {
  const p = document?.properties ?? null;
  const a = profile?.address;
  const address: Address = {
    line1: text(a?.line1),
    line2: joinName(a?.line2, a?.line3),
    city: text(a?.town),
    state: text(a?.state),
    postalCode: text(a?.postcode),
    country: text(a?.country),
    formatted: null,
  };
  const firstName = text(profile?.first_name) ?? text(p?.first_name);
  const lastName = text(profile?.last_name) ?? text(p?.last_name);
  const applicant: Applicant = {
    firstName,
    lastName,
    fullName: profile ? joinName(firstName, lastName) : joinName(p?.first_name, p?.middle_name, p?.last_name),
    dateOfBirth: calendarDate(profile?.dob) ?? calendarDate(p?.date_of_birth),
    email: text(profile?.email),
    phone: text(profile?.phone_number),
    nationality: text(profile?.nationality) ?? text(p?.nationality),
    gender: text(p?.gender),
    address: allNull(address) ? documentAddress(p) : address,
  };
  return allNull(applicant) ? null : applicant;
}
