import type { Face, GeoPoint, Location, Session } from '../../model/session.ts';
import { allNull, instant, unit } from '../../model/values.ts';
import { isTerminal, mapStatus } from '../status.ts';
import {
  diditDetails,
  diditReason,
  featureStatus,
  passed,
  percentScore,
  unifiedAml,
  unifiedApplicant,
  unifiedKyc,
  unifiedNetwork,
  unifiedReview,
  unifiedWarning,
} from './parts.ts';
import type { DiditV1Decision, DiditV1Face, DiditV1Location } from './payloadV1.ts';
import { diditSessionStatus } from './status.ts';

/** A Didit v1 decision in the unified shape. `sandbox`: the adapter talks to Verigate's simulator. */
export function normalizeDiditV1Decision(decision: DiditV1Decision, sandbox: boolean): Session {
  const status = mapStatus(diditSessionStatus, decision.status);
  const warnings = decision.warnings.map(unifiedWarning);
  const kyc = decision.kyc
    ? unifiedKyc(decision.kyc, { age: null, nfcVerified: decision.kyc.is_nfc_verified ?? null })
    : null;
  return {
    provider: 'DIDIT',
    providerSessionId: decision.session_id,
    status,
    providerStatus: decision.status,
    isTerminal: isTerminal(status),
    ...diditReason(decision.status, warnings),
    createdAt: instant(decision.created_at),
    sandbox,
    sensitiveDataExpired: false,
    applicant: unifiedApplicant(kyc),
    journey: null,
    kyc,
    aml: decision.aml ? unifiedAml(decision.aml) : null,
    face: decision.face ? v1Face(decision.face) : null,
    location: decision.location ? v1Location(decision.location) : null,
    warnings,
    reviews: decision.reviews.map(unifiedReview),
    ...diditDetails(decision.vendor_data),
  };
}

function v1Face(face: DiditV1Face): Face | null {
  const faceMatch = featureStatus(face.face_match_status);
  const gender = face.gender_estimation
    ? { male: percentScore(face.gender_estimation.male), female: percentScore(face.gender_estimation.female) }
    : null;
  const unified: Face = {
    ...featureStatus(face.status),
    faceMatchStatus: faceMatch.status,
    livenessStatus: featureStatus(face.liveness_status).status,
    faceMatchScore: percentScore(face.face_match_similarity),
    livenessScore: percentScore(face.liveness_confidence),
    faceMatchPassed: passed(faceMatch.status),
    ageEstimate: unit(face.age_estimation),
    ageCheckPassed: null,
    genderEstimate: gender && !allNull(gender) ? gender : null,
  };
  return allNull(unified) ? null : unified;
}

function v1Location(location: DiditV1Location): Location | null {
  const documentLocation: GeoPoint = {
    latitude: unit(location.document_location?.latitude),
    longitude: unit(location.document_location?.longitude),
  };
  const unified: Location = {
    ...featureStatus(location.status),
    ...unifiedNetwork(location, location.ip_location ?? null),
    documentLocation: allNull(documentLocation) ? null : documentLocation,
    distanceFromDocumentToIpKm: unit(location.distance_from_document_to_ip_km?.distance),
  };
  return allNull(unified) ? null : unified;
}
