import type { DeclineCategory, DeclineReason, SessionTurn } from '../../model/declines.ts';
import { text } from '../../model/values.ts';
import { type DeclineRow, type DeclineSignal, type DeclineTable, declineReasons } from '../declines.ts';
import type { PersonaGovernmentId, PersonaSelfie, PersonaWatchlist } from './payload.ts';

/**
 * Persona's verification check names (`verification.attributes.checks[].name`), every one in persona-openapi's
 * examples (github.com/persona-id/persona-openapi, components/examples of each API version). A failed check is a
 * reason; its verification's status `requires_retry` is Persona's signal that the person may retry in the inquiry.
 */
const row = (code: string, category: DeclineCategory, note?: string): DeclineRow => ({
  code,
  category,
  ...(note ? { note } : {}),
});

export const personaVerificationChecks: DeclineTable = {
  provider: 'PERSONA',
  field: 'verification checks[].name',
  source: 'github.com/persona-id/persona-openapi components/examples (verification/government-id, selfie, database…)',
  rows: [
    row('database_address_comparison', 'DATA_MISMATCH'),
    row('database_birthdate_comparison', 'DATA_MISMATCH'),
    row('database_name_comparison', 'DATA_MISMATCH'),
    row('database_business_active_business_detection', 'DATA_UNVERIFIED'),
    row('database_business_associated_persons_comparison', 'DATA_UNVERIFIED'),
    row('database_business_enabled_country_detection', 'DATA_UNVERIFIED'),
    row('database_business_identity_comparison', 'DATA_UNVERIFIED'),
    row('database_business_service_available_detection', 'PROVIDER_ERROR', 'the business database was unavailable'),
    row('document_expired_detection', 'DOCUMENT_EXPIRED'),
    row('document_extracted_properties_detection', 'DOCUMENT_UNREADABLE'),
    row('document_fabrication_detection', 'DOCUMENT_TAMPERED'),
    row('document_type_detection', 'DOCUMENT_UNSUPPORTED'),
    row('id_aamva_database_lookup', 'DATA_UNVERIFIED'),
    row('id_account_comparison', 'DATA_MISMATCH'),
    row('id_age_comparison', 'UNDERAGE'),
    row('id_age_inconsistency_detection', 'DOCUMENT_TAMPERED', 'the age on the ID does not fit its portrait'),
    row('id_barcode_detection', 'DOCUMENT_UNREADABLE'),
    row('id_barcode_inconsistency_detection', 'DOCUMENT_TAMPERED'),
    row('id_blur_detection', 'DOCUMENT_UNREADABLE'),
    row('id_color_inconsistency_detection', 'DOCUMENT_NOT_ORIGINAL', 'a black-and-white copy'),
    row('id_compromised_detection', 'FRAUD_SUSPECTED'),
    row('id_disallowed_country_detection', 'DOCUMENT_UNSUPPORTED', 'an ID of a country your template does not accept'),
    row('id_disallowed_type_detection', 'DOCUMENT_UNSUPPORTED'),
    row('id_double_side_detection', 'DOCUMENT_INCOMPLETE'),
    row('id_electronic_replica_detection', 'DOCUMENT_NOT_ORIGINAL'),
    row('id_entity_detection', 'FRAUD_SUSPECTED'),
    row('id_expired_detection', 'DOCUMENT_EXPIRED'),
    row('id_extracted_properties_detection', 'DOCUMENT_UNREADABLE'),
    row('id_extraction_inconsistency_detection', 'DOCUMENT_TAMPERED'),
    row('id_fabrication_detection', 'DOCUMENT_TAMPERED'),
    row('id_glare_detection', 'DOCUMENT_UNREADABLE'),
    row('id_handwriting_detection', 'DOCUMENT_TAMPERED'),
    row('id_inconsistent_repeat_detection', 'FRAUD_SUSPECTED'),
    row('id_inquiry_comparison', 'DATA_MISMATCH'),
    row('id_mrz_detection', 'DOCUMENT_UNREADABLE'),
    row('id_mrz_inconsistency_detection', 'DOCUMENT_TAMPERED'),
    row('id_nfc_expired_detection', 'DOCUMENT_EXPIRED'),
    row('id_number_format_inconsistency_detection', 'DOCUMENT_TAMPERED'),
    row('id_po_box_detection', 'DATA_UNVERIFIED', 'a PO box where a residential address is needed'),
    row('id_portrait_clarity_detection', 'DOCUMENT_UNREADABLE'),
    row('id_portrait_detection', 'DOCUMENT_UNREADABLE'),
    row('id_public_figure_detection', 'FRAUD_SUSPECTED'),
    row('id_real_id_detection', 'DOCUMENT_UNSUPPORTED'),
    row('id_repeat_detection', 'DUPLICATE'),
    row('id_selfie_comparison', 'FACE_MISMATCH'),
    row('id_tamper_detection', 'DOCUMENT_TAMPERED'),
    row('id_type_detection', 'DOCUMENT_UNSUPPORTED'),
    row('id_unprocessable_submission_detection', 'DOCUMENT_UNREADABLE'),
    row('id_valid_dates_detection', 'DATA_UNVERIFIED'),
    row('selfie_account_comparison', 'DUPLICATE'),
    row('selfie_age_comparison', 'FACE_MISMATCH', 'the selfie’s apparent age does not fit the ID'),
    row('selfie_face_covering_detection', 'SELFIE_UNUSABLE'),
    row('selfie_glare_detection', 'SELFIE_UNUSABLE'),
    row('selfie_glasses_detection', 'SELFIE_UNUSABLE'),
    row('selfie_id_comparison', 'FACE_MISMATCH'),
    row('selfie_image_quality_detection', 'SELFIE_UNUSABLE'),
    row('selfie_liveness_detection', 'LIVENESS_FAILED'),
    row('selfie_multiple_faces_detection', 'SELFIE_UNUSABLE'),
    row('selfie_pose_detection', 'SELFIE_UNUSABLE'),
    row('selfie_pose_repeat_detection', 'LIVENESS_FAILED'),
    row('selfie_public_figure_detection', 'FRAUD_SUSPECTED'),
    row('selfie_suspicious_entity_detection', 'FRAUD_SUSPECTED'),
  ],
};

/** A watchlist report with a match: its matched lists' `list-types` say which kind (report/watchlist.yaml). */
export const personaWatchlistMatches: DeclineTable = {
  provider: 'PERSONA',
  field: 'report/watchlist matched-lists[].list-types',
  source: 'github.com/persona-id/persona-openapi components/schemas (report/watchlist: has-match, matched-lists)',
  rows: [
    row('sanction', 'SANCTIONS_MATCH', 'the only type in the examples'),
    row('pep', 'PEP_OR_ADVERSE_MEDIA', 'type name inferred (Persona’s PEP report)'),
    row('adverse_media', 'PEP_OR_ADVERSE_MEDIA', 'type name inferred (Persona’s adverse media report)'),
    row('warning', 'SANCTIONS_MATCH', 'type name inferred'),
    row('watchlist', 'SANCTIONS_MATCH', 'a match whose lists name no type'),
  ],
};

export const personaDeclineTables: readonly DeclineTable[] = [personaVerificationChecks, personaWatchlistMatches];

type Verification = PersonaGovernmentId | PersonaSelfie;

/** The failed checks of a verification; `requires_retry` lets the person retry them in the same inquiry. */
function checkSignals(v: Verification): DeclineSignal[] {
  const retry = v.attributes.status === 'requires_retry' ? ({ retry: 'SAME_SESSION' } as const) : {};
  return v.attributes.checks
    .filter((c) => c.status === 'failed' && text(c.name) !== null)
    .map((c) => ({ table: personaVerificationChecks, code: c.name as string, ...retry }));
}

function watchlistSignals(w: PersonaWatchlist | undefined): DeclineSignal[] {
  if (w?.attributes['has-match'] !== true) return [];
  const types = w.attributes['matched-lists'].flatMap((l) => [
    ...l['list-types'],
    ...(text(l['list-type']) ? [l['list-type'] as string] : []),
  ]);
  const codes = types.length > 0 ? types : ['watchlist'];
  return codes.map((code) => ({ table: personaWatchlistMatches, code }));
}

/** The latest of each verification kind and the latest watchlist report say why (earlier attempts were retried). */
export function personaDeclineReasons(
  governmentIds: readonly PersonaGovernmentId[],
  selfies: readonly PersonaSelfie[],
  watchlists: readonly PersonaWatchlist[],
): DeclineReason[] {
  const latest = [governmentIds.at(-1), selfies.at(-1)].filter((v): v is Verification => v !== undefined);
  return declineReasons([...latest.flatMap(checkSignals), ...watchlistSignals(watchlists.at(-1))]);
}

/** A pending inquiry waits on Persona while its latest verification is submitted, else on the person. */
export function personaTurn(inquiryStatus: string, verifications: readonly Verification[]): SessionTurn | undefined {
  if (inquiryStatus !== 'pending') return undefined;
  const latest = [...verifications]
    .sort((a, b) => (a.attributes['created-at'] ?? '').localeCompare(b.attributes['created-at'] ?? ''))
    .at(-1);
  return latest?.attributes.status === 'submitted' ? 'VENDOR' : 'USER';
}
