import type { DeclineCategory, DeclineReason, RetryScope, SessionTurn } from '../../model/declines.ts';
import { text } from '../../model/values.ts';
import { type DeclineRow, type DeclineTable, declineReasons, withUserMessage } from '../declines.ts';
import type { SumsubReviewResult } from './payload.ts';

/**
 * Sumsub's rejection labels (`reviewResult.rejectLabels`), from docs.sumsub.com/docs/receive-and-interpret-results-via-api
 * ("Rejected labels" = FINAL, "Resubmission requested labels" = RETRY) and /docs/rejection-labels (the newer labels).
 * Sumsub warns that a label does not fix the rejection type: the session's `reviewRejectType` is the retry signal, the
 * group here only the default of its list. The pinned mappings of DESIGN §8 are marked "pinned".
 */
const retry = (code: string, category: DeclineCategory, note?: string): DeclineRow => ({
  code,
  category,
  retry: 'SAME_SESSION',
  ...(note ? { note } : {}),
});
const final = (code: string, category: DeclineCategory, note?: string): DeclineRow => ({
  code,
  category,
  retry: 'NONE',
  ...(note ? { note } : {}),
});
const either = (code: string, category: DeclineCategory, note: string): DeclineRow => ({ code, category, note });

export const sumsubRejectLabels: DeclineTable = {
  provider: 'SUMSUB',
  field: 'reviewResult.rejectLabels',
  source:
    'docs.sumsub.com/docs/receive-and-interpret-results-via-api (rejected and resubmission-requested labels), docs.sumsub.com/docs/rejection-labels',
  rows: [
    // RETRY: "resubmission requested" labels.
    retry('ADDITIONAL_DOCUMENT_REQUIRED', 'DOCUMENT_INCOMPLETE'),
    retry('ADDITIONAL_DATA_REQUIRED', 'DATA_UNVERIFIED'),
    retry('APPLICANT_INTERRUPTED_INTERVIEW', 'USER_FLOW_INCOMPLETE'),
    retry('BACK_SIDE_MISSING', 'DOCUMENT_INCOMPLETE'),
    retry('BAD_AVATAR', 'SELFIE_UNUSABLE'),
    retry('BAD_FACE_MATCHING', 'FACE_MISMATCH', 'pinned'),
    retry('BAD_PROOF_OF_ADDRESS', 'DOCUMENT_UNSUPPORTED'),
    retry('BAD_PROOF_OF_IDENTITY', 'DOCUMENT_UNSUPPORTED'),
    retry('BAD_PROOF_OF_PAYMENT', 'DOCUMENT_UNSUPPORTED'),
    retry('BAD_SELFIE', 'SELFIE_UNUSABLE'),
    retry('BAD_VIDEO_SELFIE', 'SELFIE_UNUSABLE'),
    retry('BLACK_AND_WHITE', 'DOCUMENT_NOT_ORIGINAL', 'a black-and-white copy instead of the colour original'),
    retry('COMPANY_NOT_DEFINED_BENEFICIARIES', 'DATA_UNVERIFIED'),
    retry('COMPANY_NOT_DEFINED_REPRESENTATIVES', 'DATA_UNVERIFIED'),
    retry('COMPANY_NOT_DEFINED_STRUCTURE', 'DATA_UNVERIFIED'),
    retry('COMPANY_NOT_VALIDATED_BENEFICIARIES', 'DATA_UNVERIFIED'),
    retry('COMPANY_NOT_VALIDATED_REPRESENTATIVES', 'DATA_UNVERIFIED'),
    retry('CONNECTION_INTERRUPTED', 'USER_FLOW_INCOMPLETE', 'the video-ident call dropped'),
    retry('DIGITAL_DOCUMENT', 'DOCUMENT_NOT_ORIGINAL'),
    retry('DOCUMENT_DAMAGED', 'DOCUMENT_UNREADABLE'),
    retry('DOCUMENT_DEPRIVED', 'DOCUMENT_UNSUPPORTED', 'the applicant was deprived of the document'),
    retry('DOCUMENT_MISSING', 'DOCUMENT_INCOMPLETE'),
    retry('DOCUMENT_PAGE_MISSING', 'DOCUMENT_INCOMPLETE'),
    retry('EXPIRATION_DATE', 'DOCUMENT_EXPIRED', 'pinned'),
    retry('FRONT_SIDE_MISSING', 'DOCUMENT_INCOMPLETE', 'pinned'),
    retry('GRAPHIC_EDITOR', 'DOCUMENT_NOT_ORIGINAL', 'an image edited in a graphic editor; FORGERY is the fraud label'),
    retry('ID_INVALID', 'DOCUMENT_UNSUPPORTED'),
    retry('INCOMPATIBLE_LANGUAGE', 'DOCUMENT_UNSUPPORTED', 'a translation is required'),
    retry('INCOMPLETE_DOCUMENT', 'DOCUMENT_INCOMPLETE'),
    retry('INCORRECT_SOCIAL_NUMBER', 'DATA_MISMATCH'),
    retry('LOW_QUALITY', 'DOCUMENT_UNREADABLE', 'pinned'),
    retry('NOT_ALL_CHECKS_COMPLETED', 'USER_FLOW_INCOMPLETE'),
    retry('NOT_READABLE', 'DOCUMENT_UNREADABLE'),
    retry('OUTDATED_DOCUMENT_VERSION', 'DOCUMENT_UNSUPPORTED'),
    retry('PROBLEMATIC_APPLICANT_DATA', 'DATA_MISMATCH'),
    retry('REQUESTED_DATA_MISMATCH', 'DATA_MISMATCH'),
    retry('RESTRICTED_PERSON', 'OTHER', 'a restriction on the person (e.g. driving), from a database check'),
    retry('SCREENSHOTS', 'DOCUMENT_NOT_ORIGINAL', 'pinned'),
    retry('SELFIE_WITH_PAPER', 'SELFIE_UNUSABLE', 'a special selfie (with a paper and date) is required'),
    retry('UNFILLED_ID', 'DOCUMENT_INCOMPLETE', 'signatures or stamps missing'),
    retry('UNSATISFACTORY_PHOTOS', 'DOCUMENT_UNREADABLE', 'pinned'),
    retry('UNSUITABLE_DOCUMENT', 'DOCUMENT_UNSUPPORTED'),
    retry('UNSUITABLE_ENV', 'SELFIE_UNUSABLE', 'the surroundings of a video ident were unsuitable'),
    retry('WRONG_ADDRESS', 'DATA_MISMATCH'),
    retry('OTHER', 'OTHER', 'Sumsub’s own catch-all label'),
    either('CHECK_UNAVAILABLE', 'PROVIDER_ERROR', 'listed in both groups: a database was unavailable'),
    // FINAL: "rejected" labels.
    final('ADVERSE_MEDIA', 'PEP_OR_ADVERSE_MEDIA', 'pinned'),
    final('AGE_REQUIREMENT_MISMATCH', 'UNDERAGE', 'pinned'),
    final('BLACKLIST', 'FRAUD_SUSPECTED', 'the older spelling of BLOCKLIST'),
    final('BLOCKLIST', 'FRAUD_SUSPECTED', 'pinned'),
    final('COMPANY_PROBLEMATIC_STRUCTURE', 'OTHER', 'officials of the company were rejected'),
    final('COMPROMISED_PERSONS', 'SANCTIONS_MATCH', 'watchlists (wanted persons, fitness and probity)'),
    final('CRIMINAL', 'SANCTIONS_MATCH', 'criminal records'),
    final('DB_DATA_MISMATCH', 'DATA_MISMATCH'),
    final('DB_DATA_NOT_FOUND', 'DATA_UNVERIFIED'),
    final('DEEPFAKE', 'LIVENESS_FAILED'),
    final('DOCUMENT_TEMPLATE', 'DOCUMENT_TAMPERED', 'a template from the internet'),
    final('DUPLICATE', 'DUPLICATE', 'pinned'),
    final('EXPERIENCE_REQUIREMENT_MISMATCH', 'OTHER', 'not enough experience (e.g. driving)'),
    final('EXTERNAL_DECISION_REJECTION', 'OTHER', 'rejected by your own external decision'),
    final('FALSE_IDENTITY', 'FRAUD_SUSPECTED'),
    final('FALSE_IDENTITY_DOCUMENT', 'DOCUMENT_TAMPERED'),
    final('FITNESS_PROBITY', 'SANCTIONS_MATCH'),
    final('FORCED_VERIFICATION', 'FRAUD_SUSPECTED'),
    final('FORGERY', 'DOCUMENT_TAMPERED', 'pinned'),
    final('FRAUDULENT_LIVENESS', 'LIVENESS_FAILED', 'pinned'),
    final('FRAUDULENT_PATTERNS', 'FRAUD_SUSPECTED'),
    final('HIGH_RISK_PROFILE', 'FRAUD_SUSPECTED'),
    final('INCONSISTENT_PROFILE', 'FRAUD_SUSPECTED', 'data or documents of different persons'),
    final('NOT_DOCUMENT', 'DOCUMENT_UNSUPPORTED'),
    final('PEP', 'PEP_OR_ADVERSE_MEDIA', 'pinned'),
    final('PRINTED_ID_COPY', 'DOCUMENT_NOT_ORIGINAL'),
    final(
      'REGULATIONS_VIOLATIONS',
      'OTHER',
      'one of your rules (age, region, duplicates…): the other labels say which',
    ),
    final('SANCTIONS', 'SANCTIONS_MATCH', 'pinned'),
    final('SELFIE_MISMATCH', 'FACE_MISMATCH', 'pinned'),
    final('SPAM', 'FRAUD_SUSPECTED', 'irrelevant uploads, many times over'),
    final('SUSPICIOUS_PATTERNS', 'FRAUD_SUSPECTED'),
    final('THIRD_PARTY_INVOLVED', 'FRAUD_SUSPECTED'),
    final('UNSUPPORTED_LANGUAGE', 'OTHER', 'no video ident in the applicant’s language'),
    final('WRONG_USER_REGION', 'RESTRICTED_JURISDICTION', 'pinned'),
  ],
};

export const sumsubDeclineTables: readonly DeclineTable[] = [sumsubRejectLabels];

/** `reviewRejectType`: the vendor's own word on a retry, for every label of the verdict. */
function retryOf(rejectType: string | null | undefined): RetryScope | undefined {
  if (rejectType === 'RETRY') return 'SAME_SESSION';
  if (rejectType === 'FINAL') return 'NONE';
  return undefined;
}

/**
 * A completed verdict's reasons: each label with the verdict's `reviewRejectType`, and `moderationComment` (text Sumsub
 * documents as "can be shown to your applicants") on the first. `clientComment` is never read (payload.ts drops it).
 */
export function sumsubDeclineReasons(verdict: SumsubReviewResult | null): DeclineReason[] {
  if (verdict?.reviewAnswer !== 'RED') return [];
  const retry = retryOf(verdict.reviewRejectType);
  const signals = (verdict.rejectLabels ?? []).map((code) => ({
    table: sumsubRejectLabels,
    code,
    ...(retry ? { retry } : {}),
  }));
  return withUserMessage(declineReasons(signals), text(verdict.moderationComment));
}

/** Whose move an unfinished review waits on: `awaitingUser` is the applicant's, the other states Sumsub's. */
export function sumsubTurn(reviewStatus: string): SessionTurn | undefined {
  if (reviewStatus === 'awaitingUser') return 'USER';
  if (['pending', 'prechecked', 'queued', 'awaitingService'].includes(reviewStatus)) return 'VENDOR';
  return undefined;
}
