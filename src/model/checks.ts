import type { Address, Aml, Kyc, Location, VerificationStatus, Warning } from './session.ts';

/**
 * Per-check runs: one item per node of a provider's verification workflow that ran the check (Didit v3 runs a
 * feature on several nodes; Didit v1 runs each once). The session-level parts (`kyc`, `aml`, `face`,
 * `location`, `nfc`...) are the latest run; these lists keep every run. Leaves are nullable: a workflow may
 * withhold attributes.
 */

/** A warning together with the workflow node that raised it (null where the provider has no nodes). */
export interface NodeWarning extends Warning {
  nodeId: string | null;
}

/** What every run has: its node, its own status, and the warnings it raised. */
export interface CheckRun {
  nodeId: string | null;
  status: VerificationStatus | null;
  providerStatus: string | null;
  warnings: NodeWarning[];
}

export interface DocumentCheck extends CheckRun {
  documentSubtype: string | null;
  kyc: Kyc | null;
}

export interface NfcCheck extends CheckRun {
  portraitImage: string | null;
  signatureImage: string | null;
  chip: NfcChip | null;
  /** Both integrity checks passed (SOD and data groups); null when either is unknown. */
  authentic: boolean | null;
  sodIntegrity: boolean | null;
  dgIntegrity: boolean | null;
  certificate: NfcCertificate | null;
}

export interface NfcChip {
  documentType: string | null;
  issuingCountry: string | null;
  documentNumber: string | null;
  expirationDate: string | null;
  firstName: string | null;
  lastName: string | null;
  dateOfBirth: string | null;
  gender: string | null;
  nationality: string | null;
  address: string | null;
  placeOfBirth: string | null;
}

export interface NfcCertificate {
  issuer: string | null;
  subject: string | null;
  serialNumber: string | null;
  notValidBefore: string | null;
  notValidAfter: string | null;
}

export interface LivenessCheck extends CheckRun {
  method: string | null;
  /** 0..1. */
  score: number | null;
  ageEstimate: number | null;
  referenceImage: string | null;
  videoUrl: string | null;
}

export interface FaceMatchCheck extends CheckRun {
  /** 0..1. */
  score: number | null;
  sourceImage: string | null;
  targetImage: string | null;
}

export interface AmlCheck extends CheckRun {
  aml: Aml | null;
}

export interface IpCheck extends CheckRun {
  location: Location | null;
  deviceFingerprint: string | null;
}

export interface ProofOfAddressCheck extends CheckRun {
  documentType: string | null;
  documentSubtype: string | null;
  documentLanguage: string | null;
  issuingCountry: string | null;
  issuer: string | null;
  issueDate: string | null;
  expirationDate: string | null;
  nameOnDocument: string | null;
  /** 0..1: the name on the document against the name on the identity document. */
  nameMatchScore: number | null;
  address: Address | null;
  documentFile: string | null;
  tampered: boolean | null;
}

export interface PhoneCheck extends CheckRun {
  phoneNumber: string | null;
  countryCode: string | null;
  countryName: string | null;
  carrierName: string | null;
  carrierType: string | null;
  disposable: boolean | null;
  virtual: boolean | null;
  verificationMethod: string | null;
  verificationAttempts: number | null;
  verifiedAt: string | null;
}

export interface EmailCheck extends CheckRun {
  email: string | null;
  breached: boolean | null;
  breaches: EmailBreach[];
  disposable: boolean | null;
  undeliverable: boolean | null;
  verificationAttempts: number | null;
  verifiedAt: string | null;
}

export interface EmailBreach {
  name: string | null;
  domain: string | null;
  breachDate: string | null;
  dataClasses: string[];
}

export interface DatabaseCheck extends CheckRun {
  issuingCountry: string | null;
  validationType: string | null;
  matchType: string | null;
  results: DatabaseValidationResult[];
}

export interface DatabaseValidationResult {
  serviceId: string | null;
  serviceName: string | null;
  outcome: string | null;
  fullNameMatch: string | null;
  dateOfBirthMatch: string | null;
  identificationNumberMatch: string | null;
}

/** Every run of every check of a session, per check, in the order the provider lists them. */
export interface SessionChecks {
  documents: DocumentCheck[];
  nfc: NfcCheck[];
  liveness: LivenessCheck[];
  faceMatches: FaceMatchCheck[];
  aml: AmlCheck[];
  ip: IpCheck[];
  proofOfAddress: ProofOfAddressCheck[];
  phoneVerifications: PhoneCheck[];
  emailVerifications: EmailCheck[];
  databaseValidations: DatabaseCheck[];
}

/** The checks part of a session that has none (used by `noParts`). */
export function noChecks(): {
  nfc: null;
  proofOfAddress: null;
  phoneVerification: null;
  emailVerification: null;
  databaseValidation: null;
  checks: SessionChecks;
} {
  return {
    nfc: null,
    proofOfAddress: null,
    phoneVerification: null,
    emailVerification: null,
    databaseValidation: null,
    checks: {
      documents: [],
      nfc: [],
      liveness: [],
      faceMatches: [],
      aml: [],
      ip: [],
      proofOfAddress: [],
      phoneVerifications: [],
      emailVerifications: [],
      databaseValidations: [],
    },
  };
}
