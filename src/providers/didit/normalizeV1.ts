import { type FaceMatchCheck, type LivenessCheck, type NodeWarning, noChecks } from '../../model/checks.ts';
import type { Face, Location, Session } from '../../model/session.ts';
import { allNull, instant, text, unit } from '../../model/values.ts';
import { isTerminal, mapStatus } from '../status.ts';
import { withDiditDeclines } from './declines.ts';
import {
  amlCheck,
  checkRun,
  diditDetails,
  diditReason,
  documentCheck,
  featureStatus,
  geoPoint,
  passed,
  percentScore,
  reviewHistory,
  unifiedApplicant,
  unifiedNetwork,
  unifiedReview,
  unifiedWarning,
} from './parts.ts';
import type { DiditV1Decision, DiditV1Face, DiditV1Location } from './payloadV1.ts';
import { diditSessionStatus } from './status.ts';

/**
 * The `feature` of the v1 warnings each check raises (Didit's module names, as v3 spells them). A warning of
 * another feature stays in the session's warnings only.
 */
const RUN_FEATURES = {
  documents: ['ID_VERIFICATION'],
  liveness: ['LIVENESS'],
  faceMatches: ['FACEMATCH', 'FACE_MATCH'],
  aml: ['AML'],
  ip: ['LOCATION', 'IP_ANALYSIS'],
} as const;

/**
 * A Didit v1 decision in the unified shape. v1 ran each check at most once and has no workflow nodes: each
 * check present is one run with a null `nodeId`. `sandbox`: the adapter talks to Verigate's simulator.
 */
export function normalizeDiditV1Decision(decision: DiditV1Decision, sandbox: boolean): Session {
  const status = mapStatus(diditSessionStatus, decision.status);
  const warnings = decision.warnings.map((w) => unifiedWarning(w));
  const raisedBy = (features: readonly string[]): NodeWarning[] =>
    warnings.filter((w) => w.feature !== null && features.includes(w.feature));

  const { kyc: kycPayload, aml: amlPayload, face: facePayload, location: locationPayload } = decision;
  const document = kycPayload
    ? documentCheck(kycPayload, checkRun(null, kycPayload.status, raisedBy(RUN_FEATURES.documents)), {
        age: null,
        nfcVerified: kycPayload.is_nfc_verified ?? null,
        documentSubtype: null,
      })
    : null;
  const aml = amlPayload ? amlCheck(amlPayload, checkRun(null, amlPayload.status, raisedBy(RUN_FEATURES.aml))) : null;
  const location = locationPayload ? v1Location(locationPayload) : null;
  const ip = locationPayload
    ? { ...checkRun(null, locationPayload.status, raisedBy(RUN_FEATURES.ip)), location, deviceFingerprint: null }
    : null;
  const liveness = facePayload ? v1Liveness(facePayload, raisedBy(RUN_FEATURES.liveness)) : null;
  const faceMatch = facePayload ? v1FaceMatch(facePayload, raisedBy(RUN_FEATURES.faceMatches)) : null;
  const kyc = document?.kyc ?? null;
  const none = noChecks();

  return withDiditDeclines({
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
    aml: aml?.aml ?? null,
    face: facePayload ? v1Face(facePayload) : null,
    location,
    warnings,
    reviews: decision.reviews.map(unifiedReview),
    history: reviewHistory(decision.reviews),
    ...diditDetails(decision.vendor_data),
    ...none,
    checks: {
      ...none.checks,
      documents: document ? [document] : [],
      liveness: liveness ? [liveness] : [],
      faceMatches: faceMatch ? [faceMatch] : [],
      aml: aml ? [aml] : [],
      ip: ip ? [ip] : [],
    },
  });
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

/** The liveness half of v1 `face`, as a run; null when v1 sent none of it. */
function v1Liveness(face: DiditV1Face, warnings: NodeWarning[]): LivenessCheck | null {
  const run: LivenessCheck = {
    ...checkRun(null, face.liveness_status, warnings),
    method: null,
    score: percentScore(face.liveness_confidence),
    ageEstimate: unit(face.age_estimation),
    referenceImage: null,
    videoUrl: text(face.video_url),
  };
  return allNull({ ...run, warnings: [] }) ? null : run;
}

/** The face-match half of v1 `face`, as a run; null when v1 sent none of it. */
function v1FaceMatch(face: DiditV1Face, warnings: NodeWarning[]): FaceMatchCheck | null {
  const run: FaceMatchCheck = {
    ...checkRun(null, face.face_match_status, warnings),
    score: percentScore(face.face_match_similarity),
    sourceImage: text(face.source_image),
    targetImage: text(face.target_image),
  };
  return allNull({ ...run, warnings: [] }) ? null : run;
}

function v1Location(location: DiditV1Location): Location | null {
  const unified: Location = {
    ...featureStatus(location.status),
    ...unifiedNetwork(location, location.ip_location ?? null),
    documentLocation: geoPoint(location.document_location),
    distanceFromDocumentToIpKm: unit(location.distance_from_document_to_ip_km?.distance),
  };
  return allNull(unified) ? null : unified;
}
