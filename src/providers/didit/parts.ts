import type { AmlCheck, CheckRun, DocumentCheck, NodeWarning } from '../../model/checks.ts';
import type {
  Address,
  Aml,
  AmlHit,
  Applicant,
  DeviceInfo,
  GeoPoint,
  IpInfo,
  Kyc,
  KycImages,
  Review,
  Session,
  VendorHistoryItem,
  VerificationStatus,
  Warning,
} from '../../model/session.ts';
import { allNull, calendarDate, instant, joinName, percentToUnit, text, unit } from '../../model/values.ts';
import { knownStatus, mapStatus } from '../status.ts';
import type {
  DiditAmlFields,
  DiditAmlHitPayload,
  DiditDocumentFields,
  DiditNetworkFields,
  DiditParsedAddress,
  DiditReviewPayload,
  DiditWarningPayload,
} from './payload.ts';
import { diditFeatureStatus, diditSessionStatus } from './status.ts';

/**
 * Normalisation both Didit generations share: the value rules, and the parts whose field names did not change
 * between v1 and v3 (document, AML screening, IP and device, warnings, reviews).
 */

/** A feature status word, mapped, with the raw word kept; both null when Didit sent none. */
export function featureStatus(raw: string | null | undefined): {
  status: VerificationStatus | null;
  providerStatus: string | null;
} {
  const providerStatus = text(raw);
  return { status: providerStatus === null ? null : mapStatus(diditFeatureStatus, providerStatus), providerStatus };
}

/** A 0-100 score to 0..1; null when absent or out of range (Didit's 97.99 becomes 0.9799). */
export function percentScore(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && value >= 0 && value <= 100 ? percentToUnit(value) : null;
}

/** A score already on 0..1; null when absent or out of range. */
export function unitScore(value: number | null | undefined): number | null {
  const score = unit(value);
  return score !== null && score >= 0 && score <= 1 ? score : null;
}

/** True for an approved check, false for a declined one, null while it is anything else. */
export function passed(status: VerificationStatus | null): boolean | null {
  if (status === 'APPROVED') return true;
  if (status === 'DECLINED') return false;
  return null;
}

export function geoPoint(
  point: { latitude?: number | null; longitude?: number | null } | null | undefined,
): GeoPoint | null {
  const unified: GeoPoint = { latitude: unit(point?.latitude), longitude: unit(point?.longitude) };
  return allNull(unified) ? null : unified;
}

export function unifiedAddress(
  parsed: Pick<DiditParsedAddress, 'street_1' | 'street_2' | 'city' | 'region' | 'postal_code' | 'country'> | null,
  ...formatted: Array<string | null | undefined>
): Address | null {
  const address: Address = {
    line1: text(parsed?.street_1),
    line2: text(parsed?.street_2),
    city: text(parsed?.city),
    state: text(parsed?.region),
    postalCode: text(parsed?.postal_code),
    country: text(parsed?.country),
    formatted: formatted.map(text).find((f) => f !== null) ?? null,
  };
  return allNull(address) ? null : address;
}

/** The document check: v1 `kyc`, v3 one `id_verifications[]` item. */
export function unifiedKyc(
  doc: DiditDocumentFields,
  extra: { age: number | null; nfcVerified: boolean | null },
): Kyc | null {
  const images: KycImages = {
    portrait: text(doc.portrait_image),
    front: text(doc.front_image),
    back: text(doc.back_image),
    fullFront: text(doc.full_front_image),
    fullBack: text(doc.full_back_image),
    frontVideo: text(doc.front_video),
    backVideo: text(doc.back_video),
  };
  const kyc: Kyc = {
    ...featureStatus(doc.status),
    documentType: text(doc.document_type),
    documentNumber: text(doc.document_number),
    personalNumber: text(doc.personal_number),
    issuingCountry: text(doc.issuing_state),
    issuingCountryName: text(doc.issuing_state_name),
    issuingState: null,
    dateOfIssue: calendarDate(doc.date_of_issue),
    expirationDate: calendarDate(doc.expiration_date),
    firstName: text(doc.first_name),
    middleName: null,
    lastName: text(doc.last_name),
    fullName: text(doc.full_name) ?? joinName(doc.first_name, doc.last_name),
    dateOfBirth: calendarDate(doc.date_of_birth),
    age: extra.age,
    gender: text(doc.gender),
    nationality: text(doc.nationality),
    placeOfBirth: text(doc.place_of_birth),
    address: unifiedAddress(
      doc.parsed_address ?? null,
      doc.formatted_address,
      doc.parsed_address?.formatted_address,
      doc.address,
    ),
    nfcVerified: extra.nfcVerified,
    service: null,
    confirmation: null,
    issues: [],
    images: allNull(images) ? null : images,
  };
  return allNull(kyc) ? null : kyc;
}

/** What every check run has: its node, its status, its warnings. */
export function checkRun(
  nodeId: string | null | undefined,
  rawStatus: string | null | undefined,
  warnings: NodeWarning[],
): CheckRun {
  return { nodeId: text(nodeId), ...featureStatus(rawStatus), warnings };
}

/** One run of the document check: v1 `kyc`, v3 one `id_verifications[]` item. */
export function documentCheck(
  doc: DiditDocumentFields,
  run: CheckRun,
  extra: { age: number | null; nfcVerified: boolean | null; documentSubtype: string | null },
): DocumentCheck {
  return { ...run, documentSubtype: extra.documentSubtype, kyc: unifiedKyc(doc, extra) };
}

/** One AML screening run: v1 `aml`, v3 one `aml_screenings[]` item. */
export function amlCheck(aml: DiditAmlFields, run: CheckRun): AmlCheck {
  return { ...run, aml: unifiedAml(aml) };
}

/** The applicant as the document shows them; `fallback` fills what the document does not say. */
export function unifiedApplicant(kyc: Kyc | null, fallback: Partial<Applicant> = {}): Applicant | null {
  const applicant: Applicant = {
    firstName: kyc?.firstName ?? fallback.firstName ?? null,
    lastName: kyc?.lastName ?? fallback.lastName ?? null,
    fullName: kyc?.fullName ?? fallback.fullName ?? null,
    dateOfBirth: kyc?.dateOfBirth ?? fallback.dateOfBirth ?? null,
    email: fallback.email ?? null,
    phone: fallback.phone ?? null,
    nationality: kyc?.nationality ?? fallback.nationality ?? null,
    gender: kyc?.gender ?? fallback.gender ?? null,
    address: kyc?.address ?? fallback.address ?? null,
  };
  return allNull(applicant) ? null : applicant;
}

function unifiedAmlHit(hit: DiditAmlHitPayload): AmlHit {
  return {
    id: text(hit.id),
    caption: text(hit.caption),
    match: hit.match ?? null,
    score: unitScore(hit.score),
    target: hit.target ?? null,
    datasets: hit.datasets,
    topics: hit.properties?.topics ?? [],
    names: hit.properties?.name ?? [],
    aliases: hit.properties?.alias ?? [],
    notes: hit.properties?.notes ?? [],
    positions: hit.properties?.position ?? [],
    firstSeen: instant(hit.first_seen),
    lastSeen: instant(hit.last_seen),
    lastChange: instant(hit.last_change),
  };
}

/** The AML screening: v1 `aml`, v3 one `aml_screenings[]` item. */
export function unifiedAml(aml: DiditAmlFields): Aml {
  return {
    ...featureStatus(aml.status),
    totalHits: aml.total_hits ?? null,
    score: percentScore(aml.score),
    hits: aml.hits.map(unifiedAmlHit),
  };
}

/** IP and device facts: v1 `location`, v3 one `ip_analyses[]` item. */
export function unifiedNetwork(
  net: DiditNetworkFields,
  ipLocation: { latitude?: number | null; longitude?: number | null } | null,
): { ip: IpInfo | null; device: DeviceInfo | null } {
  const ip: IpInfo = {
    address: text(net.ip_address),
    country: text(net.ip_country),
    countryCode: text(net.ip_country_code),
    state: text(net.ip_state),
    city: text(net.ip_city),
    latitude: unit(net.latitude ?? ipLocation?.latitude),
    longitude: unit(net.longitude ?? ipLocation?.longitude),
    isp: text(net.isp),
    organization: text(net.organization),
    isVpnOrTor: net.is_vpn_or_tor ?? null,
    isDataCenter: net.is_data_center ?? null,
    timeZone: text(net.time_zone),
    timeZoneOffset: text(net.time_zone_offset),
  };
  const device: DeviceInfo = {
    brand: text(net.device_brand),
    model: text(net.device_model),
    browserFamily: text(net.browser_family),
    osFamily: text(net.os_family),
    platform: text(net.platform),
  };
  return { ip: allNull(ip) ? null : ip, device: allNull(device) ? null : device };
}

/** A warning; `nodeId` falls back to the node of the item that carried it (v3), else null (v1 has no nodes). */
export function unifiedWarning(w: DiditWarningPayload, itemNodeId: string | null = null): NodeWarning {
  return {
    nodeId: text(w.node_id) ?? itemNodeId,
    feature: text(w.feature),
    risk: text(w.risk),
    logType: text(w.log_type),
    shortDescription: text(w.short_description),
    longDescription: text(w.long_description),
    additionalData: w.additional_data ?? null,
  };
}

export function unifiedReview(r: DiditReviewPayload): Review {
  const providerStatus = text(r.new_status);
  return {
    user: text(r.user),
    status: providerStatus === null ? 'UNKNOWN' : mapStatus(diditSessionStatus, providerStatus),
    providerStatus,
    comment: text(r.comment),
    createdAt: instant(r.created_at),
  };
}

/**
 * Didit's own dated history of the session's status: each review with a `created_at` and a `new_status` the session
 * table maps, oldest first. Only the status and the instant: the reviewer and the comment are not copied.
 */
export function reviewHistory(reviews: readonly DiditReviewPayload[]): VendorHistoryItem[] {
  const items: VendorHistoryItem[] = [];
  for (const r of reviews) {
    const at = instant(r.created_at);
    const word = text(r.new_status);
    const status = word === null ? null : knownStatus(diditSessionStatus, word);
    if (at === null || word === null || status === null) continue;
    items.push({ at, status, providerStatus: word, vendorEventId: `didit:review:${at}` });
  }
  return items.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

const LOG_TYPE_RANK: Record<string, number> = { error: 0, warning: 1, information: 2 };

/**
 * Didit's reason: `KYC_EXPIRED` for a `Kyc Expired` session, else the risk of the most important warning
 * (`error` before `warning` before `information`, then the first in Didit's order) and its short description.
 */
export function diditReason(
  rawStatus: string,
  warnings: readonly Warning[],
): Pick<Session, 'reasonCode' | 'reasonDescription'> {
  if (rawStatus === 'Kyc Expired') return { reasonCode: 'KYC_EXPIRED', reasonDescription: null };
  let top: Warning | null = null;
  let topRank = Number.POSITIVE_INFINITY;
  for (const w of warnings) {
    if (w.risk === null) continue;
    const rank = LOG_TYPE_RANK[w.logType?.toLowerCase() ?? ''] ?? 3;
    if (rank < topRank) {
      top = w;
      topRank = rank;
    }
  }
  return { reasonCode: top?.risk ?? null, reasonDescription: top?.shortDescription ?? null };
}

/** `vendor_data` is the caller's own reference; metadata carries it and, in v3, the creation `metadata`. */
export function diditDetails(
  vendorData: string | null | undefined,
  metadata: unknown = null,
): Pick<Session, 'reference' | 'metadata'> {
  const reference = text(vendorData);
  const hasMetadata = metadata !== null && metadata !== undefined;
  if (reference === null && !hasMetadata) return { reference: null, metadata: null };
  return { reference, metadata: { vendor_data: reference, ...(hasMetadata ? { metadata } : {}) } };
}
