import type {
  AmlCheck,
  DocumentCheck,
  FaceMatchCheck,
  IpCheck,
  LivenessCheck,
  NodeWarning,
} from '../../model/checks.ts';
import { noChecks } from '../../model/checks.ts';
import type {
  Address,
  Aml,
  AmlHit,
  Applicant,
  Face,
  Journey,
  JourneyStop,
  Kyc,
  Location,
  Review,
  Session,
  VendorHistoryItem,
  VerificationStatus,
} from '../../model/session.ts';
import { allNull, calendarDate, instant, joinName, percentToUnit, text, unit } from '../../model/values.ts';
import { declinesPart } from '../declines.ts';
import { isTerminal, knownStatus, mapStatus, type StatusTable } from '../status.ts';
import { personaDeclineReasons, personaTurn } from './declines.ts';
import {
  type PersonaCheck,
  type PersonaGovernmentId,
  type PersonaInquiryAttributes,
  type PersonaInquiryDocument,
  type PersonaInquirySession,
  type PersonaSelfie,
  type PersonaWatchlist,
  readIncluded,
} from './payload.ts';
import { personaCheckStatus, personaInquiryStatus, personaReportStatus, personaVerificationStatus } from './status.ts';

/** A Persona inquiry with its included verifications, reports and sessions, in the unified shape. */
export function normalizePersonaInquiry(doc: PersonaInquiryDocument, sandbox: boolean): Session {
  const { id, attributes: a, relationships } = doc.data;
  const included = readIncluded(doc.included);
  const status = mapStatus(personaInquiryStatus, a.status);
  const governmentIds = byTime(included.governmentIds);
  const selfies = byTime(included.selfies);
  const watchlists = byTime(included.watchlists);
  const sessions = byTime(included.sessions);
  const documents = governmentIds.map(documentCheck);
  const faceMatches = selfies.map(faceMatchCheck);
  const liveness = selfies.map(livenessCheck);
  const aml = watchlists.map(amlCheck);
  const ip = sessions.map(ipCheck);
  const verifications = [...governmentIds, ...selfies];

  const session: Session = {
    provider: 'PERSONA',
    providerSessionId: id,
    status,
    providerStatus: a.status,
    isTerminal: isTerminal(status),
    reasonCode: status === 'DECLINED' ? firstFailedCheck(verifications) : null,
    reasonDescription: null,
    createdAt: instant(a['created-at']),
    sandbox,
    sensitiveDataExpired: text(a['redacted-at']) !== null,
    applicant: applicantOf(a),
    journey: journeyOf(a, verifications),
    kyc: documents.at(-1)?.kyc ?? null,
    aml: aml.at(-1)?.aml ?? null,
    face: faceOf(selfies.at(-1)),
    location: ip.at(-1)?.location ?? null,
    warnings: verifications.flatMap((v) => v.attributes.checks.filter(failed).map((c) => warningOf(v, c))),
    reviews: reviewsOf(a, status, text(relationships?.reviewer?.data?.id)),
    reference: text(a['reference-id']),
    metadata: {
      'reference-id': text(a['reference-id']),
      note: text(a.note),
      tags: a.tags,
      behaviors: a.behaviors ?? null,
      'previous-step-name': text(a['previous-step-name']),
      'next-step-name': text(a['next-step-name']),
      'inquiry-template-id': text(relationships?.['inquiry-template']?.data?.id ?? relationships?.template?.data?.id),
      unmapped: included.unmapped,
    },
    ...noChecks(),
    history: historyOf(a),
    ...declinesPart(personaDeclineReasons(governmentIds, selfies, watchlists)),
  };
  const turn = personaTurn(a.status, verifications);
  if (turn) session.turn = turn;
  session.checks = { ...session.checks, documents, faceMatches, liveness, aml, ip };
  return session.sensitiveDataExpired ? withoutPersonalData(session) : session;
}

/** Oldest first by `created-at` (Persona lists related objects in no documented order); the latest is last. */
function byTime<T extends { attributes: { 'created-at'?: string | null } }>(items: T[]): T[] {
  const at = (item: T) => instant(item.attributes['created-at']) ?? '';
  return [...items].sort((x, y) => (at(x) < at(y) ? -1 : at(x) > at(y) ? 1 : 0));
}

/** `fields.<name>.value` when it is a string; else the 2023-01-05 top-level copy. */
function field(a: PersonaInquiryAttributes, name: string): string | null {
  const entry = a.fields?.[name];
  const value = entry && typeof entry === 'object' ? (entry as { value?: unknown }).value : undefined;
  if (typeof value === 'string') return text(value);
  const top = (a as Record<string, unknown>)[name];
  return typeof top === 'string' ? text(top) : null;
}

function fieldAddress(a: PersonaInquiryAttributes): Address | null {
  return nonEmpty<Address>({
    line1: field(a, 'address-street-1'),
    line2: field(a, 'address-street-2'),
    city: field(a, 'address-city'),
    state: field(a, 'address-subdivision'),
    postalCode: field(a, 'address-postal-code'),
    country: field(a, 'address-country-code'),
    formatted: null,
  });
}

function applicantOf(a: PersonaInquiryAttributes): Applicant | null {
  return nonEmpty<Applicant>({
    firstName: field(a, 'name-first'),
    lastName: field(a, 'name-last'),
    fullName: joinName(field(a, 'name-first'), field(a, 'name-middle'), field(a, 'name-last')),
    dateOfBirth: calendarDate(field(a, 'birthdate')),
    email: field(a, 'email-address'),
    phone: field(a, 'phone-number'),
    nationality: null,
    gender: null,
    address: fieldAddress(a),
  });
}

type TimestampAttribute =
  | 'created-at'
  | 'started-at'
  | 'completed-at'
  | 'failed-at'
  | 'marked-for-review-at'
  | 'decisioned-at'
  | 'expired-at'
  | 'redacted-at';
type Transition = [event: string, attribute: TimestampAttribute, word: string | null];

/**
 * The inquiry's transitions: the `inquiry.*` event each timestamp attribute stands for, and the status word it moved
 * the inquiry to (null where none: a decision that is no longer the status, a redaction).
 */
function transitionsOf(a: PersonaInquiryAttributes): Transition[] {
  const decision = a.status === 'approved' || a.status === 'declined' ? a.status : null;
  return [
    ['inquiry.created', 'created-at', 'created'],
    ['inquiry.started', 'started-at', 'pending'],
    ['inquiry.completed', 'completed-at', 'completed'],
    ['inquiry.failed', 'failed-at', 'failed'],
    ['inquiry.marked-for-review', 'marked-for-review-at', 'needs_review'],
    [decision ? `inquiry.${decision}` : 'inquiry.decisioned', 'decisioned-at', decision],
    ['inquiry.expired', 'expired-at', 'expired'],
    ['inquiry.redacted', 'redacted-at', null],
  ];
}

/**
 * Persona's own dated history of the inquiry's status: each transition with a timestamp and a status word its table
 * maps, oldest first (ties in transition order). Its id names the attribute and the instant, so a re-decision (a
 * new `decisioned-at`) is a new item and a re-read the same one.
 */
function historyOf(a: PersonaInquiryAttributes): VendorHistoryItem[] {
  const items: VendorHistoryItem[] = [];
  for (const [, attribute, word] of transitionsOf(a)) {
    const at = instant(a[attribute]);
    const status = word === null ? null : knownStatus(personaInquiryStatus, word);
    if (at === null || word === null || status === null) continue;
    items.push({ at, status, providerStatus: word, vendorEventId: `persona:${attribute}:${at}` });
  }
  return items.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

/** The inquiry's transitions (named as Persona's `inquiry.*` events) and each verification's outcome, in time order. */
function journeyOf(
  a: PersonaInquiryAttributes,
  verifications: Array<PersonaGovernmentId | PersonaSelfie>,
): Journey | null {
  const stops: JourneyStop[] = transitionsOf(a).map(([type, attribute, word]) =>
    stop(type, a[attribute], 'inquiry', personaInquiryStatus, word),
  );
  for (const v of verifications) {
    const at = v.attributes['completed-at'] ?? v.attributes['submitted-at'] ?? v.attributes['created-at'];
    stops.push({
      ...stop(v.type, at, 'verification', personaVerificationStatus, text(v.attributes.status)),
      detail: v.id,
    });
  }
  const kept = stops.filter((s) => s.at !== null).sort((x, y) => ((x.at as string) < (y.at as string) ? -1 : 1));
  const begin = instant(a['started-at']) ?? instant(a['created-at']);
  const end = instant(a['completed-at']) ?? instant(a['failed-at']) ?? instant(a['expired-at']);
  const duration = begin && end ? Math.round((Date.parse(end) - Date.parse(begin)) / 1000) : null;
  if (kept.length === 0) return null;
  return { stops: kept, durationSeconds: duration !== null && duration >= 0 ? duration : null };
}

function stop(
  type: string,
  at: string | null | undefined,
  source: string,
  table: StatusTable,
  word: string | null,
): JourneyStop {
  return {
    at: instant(at),
    type,
    source,
    status: word === null ? null : mapStatus(table, word),
    providerStatus: word,
    action: null,
    detail: null,
  };
}

function statusOf(
  table: StatusTable,
  raw: string | null | undefined,
): { status: VerificationStatus | null; providerStatus: string | null } {
  const providerStatus = text(raw);
  return { status: providerStatus === null ? null : mapStatus(table, providerStatus), providerStatus };
}

const failed = (c: PersonaCheck) => c.status === 'failed';

/** The first failed check of the latest verifications, required ones first: why the inquiry was declined. */
function firstFailedCheck(verifications: Array<PersonaGovernmentId | PersonaSelfie>): string | null {
  const checks = [...verifications].reverse().flatMap((v) => v.attributes.checks.filter(failed));
  const required = checks.find((c) => c.requirement === 'required') ?? checks[0];
  return text(required?.name);
}

function warningOf(v: PersonaGovernmentId | PersonaSelfie, c: PersonaCheck): NodeWarning {
  return {
    nodeId: v.id,
    feature: text(c.name),
    risk: text(c.status),
    logType: text(c.requirement),
    shortDescription: c.reasons.length > 0 ? c.reasons.join(', ') : null,
    longDescription: null,
    additionalData: c.metadata ?? null,
  };
}

function documentCheck(v: PersonaGovernmentId): DocumentCheck {
  const g = v.attributes;
  const { status, providerStatus } = statusOf(personaVerificationStatus, g.status);
  const documentNumber = text(g['document-number']);
  const identificationNumber = text(g['identification-number']);
  const kyc: Kyc = {
    status,
    providerStatus,
    documentType: text(g['id-class']),
    // `identification-number` is the ID's main number (a licence or passport number); where the document also has
    // its own `document-number` (ID cards), that is the document number and the other the personal number.
    documentNumber: documentNumber ?? identificationNumber,
    personalNumber: documentNumber !== null ? identificationNumber : null,
    issuingCountry: text(g['country-code']),
    issuingCountryName: null,
    issuingState: text(g['issuing-subdivision']),
    dateOfIssue: calendarDate(g['issue-date']),
    expirationDate: calendarDate(g['expiration-date']),
    firstName: text(g['name-first']),
    middleName: text(g['name-middle']),
    lastName: text(g['name-last']),
    fullName: joinName(g['name-first'], g['name-middle'], g['name-last']),
    dateOfBirth: calendarDate(g.birthdate),
    age: null,
    gender: text(g.sex),
    nationality: text(g.nationality),
    placeOfBirth: text(g.birthplace),
    address: nonEmpty<Address>({
      line1: text(g['address-street-1']),
      line2: text(g['address-street-2']),
      city: text(g['address-city']),
      state: text(g['address-subdivision']),
      postalCode: text(g['address-postal-code']),
      country: null,
      formatted: null,
    }),
    nfcVerified: null,
    service: null,
    confirmation: null,
    issues: g.checks.filter(failed).flatMap((c) => (text(c.name) === null ? [] : [c.name as string])),
    images: nonEmpty({
      portrait: text(g['selfie-photo']?.url) ?? text(g['selfie-photo-url']),
      front: text(g['front-photo-url']),
      back: text(g['back-photo-url']),
      fullFront: null,
      fullBack: null,
      frontVideo: text(g['video-url']),
      backVideo: null,
    }),
  };
  return {
    nodeId: v.id,
    status,
    providerStatus,
    warnings: g.checks.map((c) => warningOf(v, c)),
    documentSubtype: text(g['id-class']),
    kyc,
  };
}

/** A named check's status: `selfie_id_comparison` (face match) and `selfie_liveness_detection` (liveness). */
function checkStatus(v: PersonaSelfie | undefined, name: string) {
  const c = v?.attributes.checks.find((x) => x.name === name);
  return statusOf(personaCheckStatus, c && c.status !== 'not_applicable' ? c.status : null);
}

/**
 * `document-similarity-score`: the spec gives no range; Persona's other scores (`entity-confidence-score`) are
 * 0..100, so a value above 1 is read as a percentage.
 */
function similarity(v: PersonaSelfie | undefined): number | null {
  const raw = unit(v?.attributes['document-similarity-score']);
  if (raw === null || raw < 0 || raw > 100) return null;
  return raw > 1 ? percentToUnit(raw) : raw;
}

function faceOf(v: PersonaSelfie | undefined): Face | null {
  if (!v) return null;
  const { status, providerStatus } = statusOf(personaVerificationStatus, v.attributes.status);
  const match = checkStatus(v, 'selfie_id_comparison');
  const live = checkStatus(v, 'selfie_liveness_detection');
  return nonEmpty<Face>({
    status,
    providerStatus,
    faceMatchStatus: match.status,
    livenessStatus: live.status,
    faceMatchScore: similarity(v),
    livenessScore: null,
    faceMatchPassed: match.providerStatus === null ? null : match.providerStatus === 'passed',
    ageEstimate: null,
    ageCheckPassed: null,
    genderEstimate: null,
  });
}

function faceMatchCheck(v: PersonaSelfie): FaceMatchCheck {
  const match = checkStatus(v, 'selfie_id_comparison');
  return {
    nodeId: v.id,
    ...match,
    warnings: v.attributes.checks.filter((c) => c.name === 'selfie_id_comparison').map((c) => warningOf(v, c)),
    score: similarity(v),
    sourceImage: text(v.attributes['center-photo-url']),
    targetImage: null,
  };
}

function livenessCheck(v: PersonaSelfie): LivenessCheck {
  return {
    nodeId: v.id,
    ...checkStatus(v, 'selfie_liveness_detection'),
    warnings: v.attributes.checks.filter((c) => c.name !== 'selfie_id_comparison').map((c) => warningOf(v, c)),
    method: text(v.attributes['capture-method']),
    score: null,
    ageEstimate: null,
    referenceImage: text(v.attributes['center-photo-url']),
    videoUrl: text(v.attributes['video-url']),
  };
}

function amlCheck(r: PersonaWatchlist): AmlCheck {
  const w = r.attributes;
  const base = statusOf(personaReportStatus, w.status);
  const status = base.status === 'APPROVED' && w['has-match'] === true ? 'IN_REVIEW' : base.status;
  const hits: AmlHit[] = w['matched-lists'].flatMap((list) => {
    const entities = list.entities.length > 0 ? list.entities : [{ name: list.name, 'alias-type': null }];
    return entities.map((e) => ({
      id: text(list.slug),
      caption: text(e.name),
      match: true,
      score: null,
      target: null,
      datasets: text(list.name) === null ? [] : [list.name as string],
      topics:
        list['list-types'].length > 0
          ? list['list-types']
          : text(list['list-type'])
            ? [list['list-type'] as string]
            : [],
      names: text(e.name) === null ? [] : [e.name as string],
      aliases: [],
      notes: text(e['alias-type']) === null ? [] : [`alias-type: ${e['alias-type']}`],
      positions: [],
      firstSeen: null,
      lastSeen: null,
      lastChange: null,
    }));
  });
  const aml: Aml = { status, providerStatus: base.providerStatus, totalHits: hits.length, score: null, hits };
  return { nodeId: r.id, status, providerStatus: base.providerStatus, warnings: [], aml };
}

function ipCheck(s: PersonaInquirySession): IpCheck {
  const x = s.attributes;
  const vpnOrTor =
    x['is-vpn'] === true || x['is-tor'] === true ? true : x['is-vpn'] === false && x['is-tor'] === false ? false : null;
  const location: Location = {
    status: null,
    providerStatus: text(x['threat-level']),
    ip: nonEmpty({
      address: text(x['ip-address']),
      country: text(x['country-name']),
      countryCode: text(x['country-code']),
      state: text(x['region-name']),
      city: null,
      latitude: unit(x.latitude),
      longitude: unit(x.longitude),
      isp: text(x['ip-isp']),
      organization: text(x['network-organization']),
      isVpnOrTor: vpnOrTor,
      isDataCenter: x['is-datacenter'] ?? null,
      timeZone: null,
      timeZoneOffset: null,
    }),
    device: nonEmpty({
      brand: null,
      model: text(x['device-name']),
      browserFamily: text(x['browser-name']),
      osFamily: text(x['os-name']),
      platform: text(x['device-type']),
    }),
    documentLocation: null,
    distanceFromDocumentToIpKm: null,
  };
  return {
    nodeId: s.id,
    status: null,
    providerStatus: text(s.attributes.status),
    warnings: [],
    location,
    deviceFingerprint: null,
  };
}

/** A decisioned inquiry's decision, by its reviewer (`user_…`, `wfl_…` or `wfr_…`), with the reviewer's comment. */
function reviewsOf(a: PersonaInquiryAttributes, status: VerificationStatus, reviewer: string | null): Review[] {
  if (text(a['decisioned-at']) === null || (a.status !== 'approved' && a.status !== 'declined')) return [];
  return [
    {
      user: reviewer,
      status,
      providerStatus: a.status,
      comment: text(a['reviewer-comment']),
      createdAt: instant(a['decisioned-at']),
    },
  ];
}

/**
 * Once Persona has redacted an inquiry (`redacted-at`), its personal data is gone: what a verification still holds
 * while Persona redacts it asynchronously is not answered either, even to `pii:read`.
 */
function withoutPersonalData(session: Session): Session {
  const kycOf = (kyc: Kyc | null): Kyc | null =>
    kyc && {
      ...kyc,
      documentNumber: null,
      personalNumber: null,
      firstName: null,
      middleName: null,
      lastName: null,
      fullName: null,
      dateOfBirth: null,
      placeOfBirth: null,
      address: null,
      images: null,
    };
  const locationOf = (location: Location | null): Location | null =>
    location && { ...location, ip: location.ip && { ...location.ip, address: null } };
  return {
    ...session,
    applicant: null,
    kyc: kycOf(session.kyc),
    location: locationOf(session.location),
    checks: {
      ...session.checks,
      documents: session.checks.documents.map((d) => ({ ...d, kyc: kycOf(d.kyc) })),
      faceMatches: session.checks.faceMatches.map((f) => ({ ...f, sourceImage: null, targetImage: null })),
      liveness: session.checks.liveness.map((l) => ({ ...l, referenceImage: null, videoUrl: null })),
      ip: session.checks.ip.map((i) => ({ ...i, location: locationOf(i.location) })),
    },
  };
}

function nonEmpty<T extends object>(part: T): T | null {
  return allNull(part) ? null : part;
}
