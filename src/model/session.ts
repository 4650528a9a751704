import {
  type DatabaseCheck,
  type EmailCheck,
  type NfcCheck,
  noChecks,
  type PhoneCheck,
  type ProofOfAddressCheck,
  type SessionChecks,
} from './checks.ts';
import type { DeclineReason, SessionTurn } from './declines.ts';

/**
 * The unified model: what every provider adapter produces and every resolver receives.
 * Plain, JSON-serialisable data (it is cached as is), shaped after the GraphQL schema.
 * Vendor field names never appear here.
 */

// The provider list is derived from the registry (src/providers/registry.ts) by `npm run docs`.
export { PROVIDERS, type Provider } from '../generated/providers.ts';

import type { Provider } from '../generated/providers.ts';

export const VERIFICATION_STATUSES = [
  'NOT_STARTED',
  'IN_PROGRESS',
  'IN_REVIEW',
  'APPROVED',
  'DECLINED',
  'RESUBMISSION_REQUESTED',
  'EXPIRED',
  'ABANDONED',
  'ERROR',
  'UNKNOWN',
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** Statuses after which the session is not expected to move on by itself. */
export const TERMINAL_STATUSES: ReadonlySet<VerificationStatus> = new Set([
  'APPROVED',
  'DECLINED',
  'EXPIRED',
  'ABANDONED',
  'ERROR',
]);

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface Session {
  provider: Provider;
  providerSessionId: string;
  status: VerificationStatus;
  providerStatus: string;
  isTerminal: boolean;
  reasonCode: string | null;
  reasonDescription: string | null;
  createdAt: string | null;
  sandbox: boolean;
  sensitiveDataExpired: boolean;
  applicant: Applicant | null;
  journey: Journey | null;
  kyc: Kyc | null;
  aml: Aml | null;
  face: Face | null;
  location: Location | null;
  warnings: Warning[];
  reviews: Review[];
  reference: string | null;
  metadata: Record<string, unknown> | null;
  /**
   * True when `reference`/`metadata` were not in the payload that built this session and the adapter can fetch
   * them with `ProviderAdapter.fetchSessionDetails` (one more upstream call, made only when a client asks).
   */
  detailsDeferred?: boolean;
  /** The latest NFC chip read (Didit v3), null where none ran. */
  nfc: NfcCheck | null;
  /** The latest proof-of-address check (Didit v3). */
  proofOfAddress: ProofOfAddressCheck | null;
  /** The latest phone verification (Didit v3). */
  phoneVerification: PhoneCheck | null;
  /** The latest government-database validation (Didit v3). */
  databaseValidation: DatabaseCheck | null;
  /** The latest email verification (Didit v3). */
  emailVerification: EmailCheck | null;
  /** Every run of every check, one per workflow node; the parts above are the latest of each. */
  checks: SessionChecks;
  /**
   * Why the session was declined or sent back, most severe first (src/providers/declines.ts builds them from the
   * vendor's codes); absent: none.
   */
  declineReasons?: DeclineReason[];
  /** For IN_PROGRESS: whether the person has steps left or the vendor is checking (absent: unknown, the person's). */
  turn?: SessionTurn;
  /**
   * The vendor's own dated history of the session's status, where its payload carries one (Persona's transition
   * timestamps, Didit's reviews), oldest first; absent where it has none. Not in GraphQL: the timeline records it as
   * `PROVIDER` entries (src/events/history.ts).
   */
  history?: VendorHistoryItem[];
}

/** One dated status change the vendor reports of a session: a status and an instant, no personal data. */
export interface VendorHistoryItem {
  /** When the vendor says it happened, ISO-8601 UTC with milliseconds. */
  at: string;
  status: VerificationStatus;
  /** The vendor's word, one its status table maps. */
  providerStatus: string;
  /** Stable across reads of the same payload (`persona:completed-at:<at>`): what the timeline dedupes by. */
  vendorEventId: string;
}

export interface Applicant {
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  dateOfBirth: string | null;
  email: string | null;
  phone: string | null;
  nationality: string | null;
  gender: string | null;
  address: Address | null;
}

export interface Address {
  line1: string | null;
  line2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string | null;
  formatted: string | null;
}

export interface Journey {
  stops: JourneyStop[];
  durationSeconds: number | null;
}

export interface JourneyStop {
  at: string | null;
  type: string | null;
  source: string | null;
  status: VerificationStatus | null;
  providerStatus: string | null;
  action: string | null;
  detail: string | null;
}

export interface Kyc {
  status: VerificationStatus | null;
  providerStatus: string | null;
  documentType: string | null;
  documentNumber: string | null;
  personalNumber: string | null;
  issuingCountry: string | null;
  issuingCountryName: string | null;
  issuingState: string | null;
  dateOfIssue: string | null;
  expirationDate: string | null;
  firstName: string | null;
  middleName: string | null;
  lastName: string | null;
  fullName: string | null;
  dateOfBirth: string | null;
  age: number | null;
  gender: string | null;
  nationality: string | null;
  placeOfBirth: string | null;
  address: Address | null;
  nfcVerified: boolean | null;
  service: string | null;
  confirmation: string | null;
  issues: string[];
  images: KycImages | null;
}

export interface KycImages {
  portrait: string | null;
  front: string | null;
  back: string | null;
  fullFront: string | null;
  fullBack: string | null;
  frontVideo: string | null;
  backVideo: string | null;
}

export interface Aml {
  status: VerificationStatus | null;
  providerStatus: string | null;
  totalHits: number | null;
  score: number | null;
  hits: AmlHit[];
}

export interface AmlHit {
  id: string | null;
  caption: string | null;
  match: boolean | null;
  score: number | null;
  target: boolean | null;
  datasets: string[];
  topics: string[];
  names: string[];
  aliases: string[];
  notes: string[];
  positions: string[];
  firstSeen: string | null;
  lastSeen: string | null;
  lastChange: string | null;
}

export interface Face {
  status: VerificationStatus | null;
  providerStatus: string | null;
  faceMatchStatus: VerificationStatus | null;
  livenessStatus: VerificationStatus | null;
  faceMatchScore: number | null;
  livenessScore: number | null;
  faceMatchPassed: boolean | null;
  ageEstimate: number | null;
  ageCheckPassed: boolean | null;
  genderEstimate: GenderEstimate | null;
}

export interface GenderEstimate {
  male: number | null;
  female: number | null;
}

export interface Location {
  status: VerificationStatus | null;
  providerStatus: string | null;
  ip: IpInfo | null;
  device: DeviceInfo | null;
  documentLocation: GeoPoint | null;
  distanceFromDocumentToIpKm: number | null;
}

export interface IpInfo {
  address: string | null;
  country: string | null;
  countryCode: string | null;
  state: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  isp: string | null;
  organization: string | null;
  isVpnOrTor: boolean | null;
  isDataCenter: boolean | null;
  timeZone: string | null;
  timeZoneOffset: string | null;
}

export interface DeviceInfo {
  brand: string | null;
  model: string | null;
  browserFamily: string | null;
  osFamily: string | null;
  platform: string | null;
}

export interface GeoPoint {
  latitude: number | null;
  longitude: number | null;
}

export interface Warning {
  feature: string | null;
  risk: string | null;
  logType: string | null;
  shortDescription: string | null;
  longDescription: string | null;
  additionalData: unknown;
}

export interface Review {
  user: string | null;
  status: VerificationStatus;
  providerStatus: string | null;
  comment: string | null;
  createdAt: string | null;
}

export interface ProviderInfo {
  provider: Provider;
  configured: boolean;
  sandbox: boolean;
  healthy: boolean;
  circuit: CircuitState;
}

/** The details a deferred session can fetch later (see `Session.detailsDeferred`). */
export type SessionDetails = Pick<Session, 'reference' | 'metadata'>;

/** The parts of a session with nothing in them (a session known only by its status). */
export function noParts(): Pick<
  Session,
  | 'applicant'
  | 'journey'
  | 'kyc'
  | 'aml'
  | 'face'
  | 'location'
  | 'warnings'
  | 'reviews'
  | 'nfc'
  | 'proofOfAddress'
  | 'phoneVerification'
  | 'emailVerification'
  | 'databaseValidation'
  | 'checks'
> {
  return {
    ...noChecks(),
    applicant: null,
    journey: null,
    kyc: null,
    aml: null,
    face: null,
    location: null,
    warnings: [],
    reviews: [],
  };
}
