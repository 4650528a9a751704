import type { DeclineCategory, DeclineReason, SessionTurn } from '../../model/declines.ts';
import type { AmlHit, Session, Warning } from '../../model/session.ts';
import { type DeclineRow, type DeclineSignal, type DeclineTable, declineReasons, declinesPart } from '../declines.ts';

/**
 * Didit's warning risks (`warnings[].risk` of every check), from its warning pages: docs.didit.me
 * core-technology/id-verification/warnings-id-verification (auto-decline and configurable risks),
 * core-technology/liveness/warnings-liveness, the face-match, AML, IP and blocklist reports (providers-didit-v3.md §3).
 * A warning is a reason when Didit's configuration acts on it (`log_type` `error`: decline, `warning`: review);
 * `Resubmitted` is Didit's signal that the person redoes a step in the same session.
 */
const row = (code: string, category: DeclineCategory, note?: string): DeclineRow => ({
  code,
  category,
  ...(note ? { note } : {}),
});

export const diditWarningRisks: DeclineTable = {
  provider: 'DIDIT',
  field: 'warnings[].risk',
  source:
    'docs.didit.me/core-technology/id-verification/warnings-id-verification, /core-technology/liveness/warnings-liveness, the face-match, AML and IP report pages',
  rows: [
    // ID verification: auto-decline
    row('DOCUMENT_NOT_SUPPORTED_FOR_APPLICATION', 'DOCUMENT_UNSUPPORTED'),
    row('DOCUMENT_EXPIRED', 'DOCUMENT_EXPIRED', 'pinned'),
    row('MINIMUM_AGE_NOT_MET', 'UNDERAGE', 'pinned'),
    row('AGE_BELOW_MINIMUM', 'UNDERAGE', 'adaptive age verification'),
    row('AGE_NOT_DETECTED', 'DOCUMENT_UNREADABLE', 'adaptive age verification'),
    row('PORTRAIT_IMAGE_NOT_DETECTED', 'DOCUMENT_UNREADABLE'),
    row('ID_DOCUMENT_IN_BLOCKLIST', 'FRAUD_SUSPECTED', 'pinned'),
    row('ID DOCUMENT_IN_BLOCKLIST', 'FRAUD_SUSPECTED', 'spelt so in a Didit copy of the list'),
    row('FRONT_CAMERA_FACE_IN_BLOCKLIST', 'FRAUD_SUSPECTED'),
    // ID verification: configurable risk groups
    row('POSSIBLE_DUPLICATED_USER', 'DUPLICATE', 'pinned'),
    row('QR_NOT_DETECTED', 'DOCUMENT_UNREADABLE'),
    row('BARCODE_NOT_DETECTED', 'DOCUMENT_UNREADABLE'),
    row('QR_VALIDATION_FAILED', 'DATA_UNVERIFIED'),
    row('BARCODE_VALIDATION_FAILED', 'DATA_UNVERIFIED'),
    row('MRZ_VALIDATION_FAILED', 'DATA_UNVERIFIED'),
    row('MRZ_NOT_DETECTED', 'DOCUMENT_UNREADABLE'),
    row('DATA_INCONSISTENT', 'DATA_MISMATCH'),
    row('MRZ_AND_DATA_EXTRACTED_FROM_OCR_NOT_SAME', 'DATA_MISMATCH'),
    row('DOCUMENT_NAME_DIFFERENT_FROM_OTHER_APPROVED_DOCUMENTS', 'DATA_MISMATCH'),
    row('DOCUMENT_SIDES_MISMATCH', 'DATA_MISMATCH', 'front and back of different documents'),
    row('DOCUMENT_NUMBER_NOT_DETECTED', 'DOCUMENT_UNREADABLE'),
    row('SCREEN_CAPTURE_DETECTED', 'DOCUMENT_NOT_ORIGINAL'),
    row('PRINTED_COPY_DETECTED', 'DOCUMENT_NOT_ORIGINAL'),
    row('PORTRAIT_MANIPULATION_DETECTED', 'DOCUMENT_TAMPERED'),
    // Liveness
    row('NO_FACE_DETECTED', 'SELFIE_UNUSABLE'),
    row('LIVENESS_FACE_ATTACK', 'LIVENESS_FAILED', 'pinned'),
    row('FACE_IN_BLOCKLIST', 'FRAUD_SUSPECTED'),
    row('LOW_LIVENESS_SCORE', 'LIVENESS_FAILED'),
    row('POSSIBLE_DUPLICATED_FACE', 'DUPLICATE'),
    row('DUPLICATED_FACE', 'DUPLICATE'),
    row('MULTIPLE_FACES_DETECTED', 'SELFIE_UNUSABLE'),
    row('LOW_FACE_QUALITY', 'SELFIE_UNUSABLE'),
    // Face match
    row('NO_REFERENCE_IMAGE', 'DOCUMENT_INCOMPLETE', 'no portrait to compare the selfie with'),
    row('LOW_FACE_MATCH_SIMILARITY', 'FACE_MISMATCH', 'pinned'),
    // AML
    row(
      'POSSIBLE_MATCH_FOUND',
      'SANCTIONS_MATCH',
      'pinned: PEP_OR_ADVERSE_MEDIA when no hit is on a sanctions dataset',
    ),
    // IP analysis
    row('COUNTRY_FROM_DOCUMENT_DOES_NOT_MATCH_COUNTRY_FROM_IP', 'DATA_MISMATCH'),
    // Blocklists, phone and email
    row('PHONE_NUMBER_IN_BLOCKLIST', 'FRAUD_SUSPECTED'),
    row('EMAIL_IN_BLOCKLIST', 'FRAUD_SUSPECTED'),
    row('BREACHED_EMAIL_DETECTED', 'DATA_UNVERIFIED'),
  ],
};

export const diditDeclineTables: readonly DeclineTable[] = [diditWarningRisks];

const ACTED_ON = new Set(['error', 'warning']);

/**
 * `POSSIBLE_MATCH_FOUND` by the hits' datasets (`Sanctions`, `PEP`, `PEP Level 1..4`, `Adverse Media`…): a sanctions
 * dataset makes it SANCTIONS_MATCH, PEP or adverse media only PEP_OR_ADVERSE_MEDIA, anything else the row's default.
 */
export function amlCategory(hits: readonly AmlHit[]): DeclineCategory | undefined {
  const datasets = hits.flatMap((h) => h.datasets.map((d) => d.toLowerCase()));
  if (datasets.some((d) => d.includes('sanction'))) return 'SANCTIONS_MATCH';
  if (datasets.some((d) => d.startsWith('pep') || d.includes('adverse media'))) return 'PEP_OR_ADVERSE_MEDIA';
  return undefined;
}

/**
 * The warnings Didit acted on (a decline or a review), in its order; on a `Resubmitted` session each is to be redone
 * in the same session. `hits` are the AML hits, which decide what `POSSIBLE_MATCH_FOUND` is.
 */
export function diditDeclineReasons(
  rawStatus: string,
  warnings: readonly Warning[],
  hits: readonly AmlHit[],
): DeclineReason[] {
  const resubmit = rawStatus === 'Resubmitted' || rawStatus === 'RESUBMITTED';
  const signals: DeclineSignal[] = [];
  for (const w of warnings) {
    if (w.risk === null || !ACTED_ON.has(w.logType?.toLowerCase() ?? '')) continue;
    const category = w.risk === 'POSSIBLE_MATCH_FOUND' ? amlCategory(hits) : undefined;
    signals.push({
      table: diditWarningRisks,
      code: w.risk,
      ...(resubmit ? { retry: 'SAME_SESSION' as const } : {}),
      ...(category ? { category } : {}),
    });
  }
  return declineReasons(signals);
}

/** `In Progress` is the person's move; `Awaiting User` (KYB) waits on other people's sessions, not on Didit. */
export function diditTurn(rawStatus: string): SessionTurn | undefined {
  if (rawStatus === 'In Progress' || rawStatus === 'IN_PROGRESS') return 'USER';
  if (rawStatus === 'Awaiting User' || rawStatus === 'AWAITING_USER') return 'USER';
  return undefined;
}

/** A normalised Didit session with its reasons and whose move it is (v1 and v3 alike: from its warnings and hits). */
export function withDiditDeclines(session: Session): Session {
  const hits = [...session.checks.aml.flatMap((c) => c.aml?.hits ?? []), ...(session.aml?.hits ?? [])];
  const turn = diditTurn(session.providerStatus);
  return {
    ...session,
    ...declinesPart(diditDeclineReasons(session.providerStatus, session.warnings, hits)),
    ...(turn ? { turn } : {}),
  };
}
