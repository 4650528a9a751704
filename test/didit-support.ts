import {
  DIDIT_SANDBOX_API_KEY,
  DIDIT_SANDBOX_CLIENT_ID,
  DIDIT_SANDBOX_CLIENT_SECRET,
  DIDIT_TOKEN_PATH,
  type DiditSimulator,
} from '../src/providers/didit/sandbox/simulator.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

/** Shared by the Didit suites: gateways wired to a simulator the test started, and the full selection. */

/** Verigate's own Didit budget (100/min when live) is off: the suites make more calls than that. */
const NO_BUDGET = { DIDIT_RATE_LIMIT_PER_MINUTE: '0' };

/** A gateway whose Didit is configured for v1 (client credentials) against `sim`. */
export function startV1Gateway(sim: DiditSimulator, env: Record<string, string> = {}): Promise<TestGateway> {
  return startTestGateway({
    DIDIT_BASE_URL: sim.url,
    DIDIT_AUTH_URL: `${sim.url}${DIDIT_TOKEN_PATH}`,
    DIDIT_CLIENT_ID: DIDIT_SANDBOX_CLIENT_ID,
    DIDIT_CLIENT_SECRET: DIDIT_SANDBOX_CLIENT_SECRET,
    ...NO_BUDGET,
    ...env,
  });
}

/** A gateway whose Didit is configured for v3 (API key) against `sim`. */
export function startV3Gateway(sim: DiditSimulator, env: Record<string, string> = {}): Promise<TestGateway> {
  return startTestGateway({ DIDIT_BASE_URL: sim.url, DIDIT_API_KEY: DIDIT_SANDBOX_API_KEY, ...NO_BUDGET, ...env });
}

/** Every field of `Session` (as of this provider's fields), so that whole objects are compared. */
const FRAGMENTS = /* GraphQL */ `
  fragment AddressFields on Address { line1 line2 city state postalCode country formatted }
  fragment WarningFields on Warning { nodeId feature risk logType shortDescription longDescription additionalData }
  fragment KycFields on Kyc {
    status providerStatus documentType documentNumber personalNumber issuingCountry issuingCountryName issuingState
    dateOfIssue expirationDate firstName middleName lastName fullName dateOfBirth age gender nationality placeOfBirth
    address { ...AddressFields } nfcVerified service confirmation issues
    images { portrait front back fullFront fullBack frontVideo backVideo }
  }
  fragment AmlFields on Aml {
    status providerStatus totalHits score
    hits { id caption match score target datasets topics names aliases notes positions firstSeen lastSeen lastChange }
  }
  fragment LocationFields on Location {
    status providerStatus
    ip { address country countryCode state city latitude longitude isp organization isVpnOrTor isDataCenter timeZone
      timeZoneOffset }
    device { brand model browserFamily osFamily platform }
    documentLocation { latitude longitude } distanceFromDocumentToIpKm
  }
  fragment NfcFields on NfcCheck {
    nodeId status providerStatus portraitImage signatureImage authentic sodIntegrity dgIntegrity
    chip { documentType issuingCountry documentNumber expirationDate firstName lastName dateOfBirth gender nationality
      address placeOfBirth }
    certificate { issuer subject serialNumber notValidBefore notValidAfter }
    warnings { ...WarningFields }
  }
  fragment ProofOfAddressFields on ProofOfAddressCheck {
    nodeId status providerStatus documentType documentSubtype documentLanguage issuingCountry issuer issueDate
    expirationDate nameOnDocument nameMatchScore address { ...AddressFields } documentFile tampered
    warnings { ...WarningFields }
  }
  fragment PhoneFields on PhoneCheck {
    nodeId status providerStatus phoneNumber countryCode countryName carrierName carrierType disposable virtual
    verificationMethod verificationAttempts verifiedAt warnings { ...WarningFields }
  }
  fragment EmailFields on EmailCheck {
    nodeId status providerStatus email breached breaches { name domain breachDate dataClasses } disposable
    undeliverable verificationAttempts verifiedAt warnings { ...WarningFields }
  }
  fragment DatabaseFields on DatabaseCheck {
    nodeId status providerStatus issuingCountry validationType matchType
    results { serviceId serviceName outcome fullNameMatch dateOfBirthMatch identificationNumberMatch }
    warnings { ...WarningFields }
  }
`;

const SESSION_FIELDS = /* GraphQL */ `
  id provider providerSessionId status providerStatus isTerminal reasonCode reasonDescription createdAt sandbox
  sensitiveDataExpired reference metadata
  applicant { firstName lastName fullName dateOfBirth email phone nationality gender address { ...AddressFields } }
  journey { durationSeconds stops { at } }
  kyc { ...KycFields }
  aml { ...AmlFields }
  face { status providerStatus faceMatchStatus livenessStatus faceMatchScore livenessScore faceMatchPassed
    ageEstimate ageCheckPassed genderEstimate { male female } }
  location { ...LocationFields }
  warnings { ...WarningFields }
  reviews { user status providerStatus comment createdAt }
  nfc { ...NfcFields }
  proofOfAddress { ...ProofOfAddressFields }
  phoneVerification { ...PhoneFields }
  emailVerification { ...EmailFields }
  databaseValidation { ...DatabaseFields }
  checks {
    documents { nodeId status providerStatus documentSubtype kyc { ...KycFields } warnings { ...WarningFields } }
    nfc { ...NfcFields }
    liveness { nodeId status providerStatus method score ageEstimate referenceImage videoUrl
      warnings { ...WarningFields } }
    faceMatches { nodeId status providerStatus score sourceImage targetImage warnings { ...WarningFields } }
    aml { nodeId status providerStatus aml { ...AmlFields } warnings { ...WarningFields } }
    ip { nodeId status providerStatus location { ...LocationFields } deviceFingerprint warnings { ...WarningFields } }
    proofOfAddress { ...ProofOfAddressFields }
    phoneVerifications { ...PhoneFields }
    emailVerifications { ...EmailFields }
    databaseValidations { ...DatabaseFields }
  }
`;

export const SESSION_QUERY = `query One($id: String!) { session(provider: DIDIT, id: $id) { ${SESSION_FIELDS} } } ${FRAGMENTS}`;
