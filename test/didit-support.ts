import {
  DIDIT_SANDBOX_API_KEY,
  DIDIT_SANDBOX_CLIENT_ID,
  DIDIT_SANDBOX_CLIENT_SECRET,
  DIDIT_TOKEN_PATH,
  type DiditSimulator,
} from '../src/providers/didit/simulator.ts';
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

/** Every field of `Session`, so that whole objects are compared. */
export const SESSION_FIELDS = /* GraphQL */ `
  id provider providerSessionId status providerStatus isTerminal reasonCode reasonDescription createdAt sandbox
  sensitiveDataExpired reference metadata
  applicant { firstName lastName fullName dateOfBirth email phone nationality gender
    address { line1 line2 city state postalCode country formatted } }
  journey { durationSeconds stops { at } }
  kyc { status providerStatus documentType documentNumber personalNumber issuingCountry issuingCountryName issuingState
    dateOfIssue expirationDate firstName middleName lastName fullName dateOfBirth age gender nationality placeOfBirth
    address { line1 line2 city state postalCode country formatted } nfcVerified service confirmation issues
    images { portrait front back fullFront fullBack frontVideo backVideo } }
  aml { status providerStatus totalHits score
    hits { id caption match score target datasets topics names aliases notes positions firstSeen lastSeen lastChange } }
  face { status providerStatus faceMatchStatus livenessStatus faceMatchScore livenessScore faceMatchPassed
    ageEstimate ageCheckPassed genderEstimate { male female } }
  location { status providerStatus
    ip { address country countryCode state city latitude longitude isp organization isVpnOrTor isDataCenter timeZone
      timeZoneOffset }
    device { brand model browserFamily osFamily platform }
    documentLocation { latitude longitude } distanceFromDocumentToIpKm }
  warnings { feature risk logType shortDescription longDescription additionalData }
  reviews { user status providerStatus comment createdAt }
`;

export const SESSION_QUERY = `query One($id: String!) { session(provider: DIDIT, id: $id) { ${SESSION_FIELDS} } }`;
