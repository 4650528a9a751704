/** The benchmark's operation: the Didit documented example. */
export const SESSION = '11111111-2222-3333-4444-555555555555';

/** The Didit example with ~30 fields across kyc, aml.hits, face, location, warnings and reviews. */
export const QUERY = `query Bench {
  session(provider: DIDIT, id: "${SESSION}") {
    id status providerStatus isTerminal reasonCode createdAt
    kyc { status documentType documentNumber issuingCountry dateOfBirth expirationDate firstName lastName fullName nationality }
    aml { status totalHits score hits { caption score datasets topics } }
    face { status faceMatchScore livenessScore ageEstimate }
    location { status ip { address country city isVpnOrTor } device { brand osFamily } }
    warnings { feature risk logType }
    reviews { status comment createdAt }
  }
}`;
/** The same operation as typed clients send it: one document, the id as a variable. */
export const VARIABLES_QUERY = QUERY.replace('query Bench {', 'query Bench($id: String!) {').replace(
  `id: "${SESSION}"`,
  'id: $id',
);
