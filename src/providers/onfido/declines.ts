import type { DeclineCategory, DeclineReason, SessionTurn } from '../../model/declines.ts';
import { text } from '../../model/values.ts';
import { type DeclineRow, type DeclineSignal, type DeclineTable, declineReasons } from '../declines.ts';
import type { RunOutput } from './output.ts';
import type { OnfidoBreakdown, OnfidoWorkflowRun } from './payload.ts';

/**
 * Onfido's decline vocabularies, from onfido-openapi-spec: the breakdown names of each report
 * (schemas/reports/document_breakdown.yaml, facial_similarity_*_breakdown.yaml, watchlist_*_breakdown.yaml) and the
 * reasons inside three document breakdowns and the selfie's source integrity (document_IQ_reasons.yaml,
 * document_CDQ_reasons.yaml, document_ODP_reasons.yaml, photo_reasons.yaml, video_reasons.yaml). A code is the
 * breakdown's path (`visual_authenticity.fonts`, a group alone when none of its entries is flagged) or the reason's
 * name. Onfido gives no retry signal: every reason takes its category's default.
 */
const row = (code: string, category: DeclineCategory, note?: string): DeclineRow => ({
  code,
  category,
  ...(note ? { note } : {}),
});
const group = (name: string, category: DeclineCategory, leaves: readonly string[]): DeclineRow[] => [
  row(name, category),
  ...leaves.map((leaf) => row(`${name}.${leaf}`, category)),
];

const SPEC = 'github.com/onfido/onfido-openapi-spec';

export const onfidoDocumentBreakdown: DeclineTable = {
  provider: 'ONFIDO',
  field: 'document report breakdown',
  source: `${SPEC} schemas/reports/document_breakdown.yaml`,
  rows: [
    ...group('data_comparison', 'DATA_MISMATCH', [
      'issuing_country',
      'gender',
      'date_of_expiry',
      'last_name',
      'document_type',
      'document_numbers',
      'first_name',
      'date_of_birth',
    ]),
    ...group('data_validation', 'DATA_UNVERIFIED', ['gender', 'date_of_birth', 'document_numbers', 'mrz', 'barcode']),
    row('data_validation.document_expiration', 'DOCUMENT_EXPIRED'),
    row('data_validation.expiry_date', 'DOCUMENT_EXPIRED'),
    ...group('image_integrity', 'DOCUMENT_UNREADABLE', ['image_quality', 'conclusive_document_quality']),
    row('image_integrity.supported_document', 'DOCUMENT_UNSUPPORTED'),
    row('image_integrity.colour_picture', 'DOCUMENT_NOT_ORIGINAL', 'a black-and-white image'),
    ...group('visual_authenticity', 'DOCUMENT_TAMPERED', [
      'fonts',
      'picture_face_integrity',
      'template',
      'security_features',
      'digital_tampering',
      'other',
    ]),
    row('visual_authenticity.original_document_present', 'DOCUMENT_NOT_ORIGINAL'),
    row('visual_authenticity.face_detection', 'DOCUMENT_UNREADABLE', 'no face found on the document'),
    ...group('data_consistency', 'DOCUMENT_TAMPERED', [
      'date_of_expiry',
      'document_numbers',
      'issuing_country',
      'document_type',
      'date_of_birth',
      'gender',
      'first_name',
      'nationality',
      'last_name',
    ]),
    row('data_consistency.multiple_data_sources_present', 'DOCUMENT_INCOMPLETE', 'one data source only to compare'),
    row('police_record', 'FRAUD_SUSPECTED'),
    ...group('compromised_document', 'FRAUD_SUSPECTED', ['document_database', 'repeat_attempts']),
    ...group('age_validation', 'UNDERAGE', ['minimum_accepted_age']),
    ...group('issuing_authority', 'DOCUMENT_TAMPERED', ['nfc_active_authentication', 'nfc_passive_authentication']),
  ],
};

export const onfidoDocumentReasons: DeclineTable = {
  provider: 'ONFIDO',
  field: 'document breakdown reasons',
  source: `${SPEC} schemas/reports/document_IQ_reasons.yaml, document_CDQ_reasons.yaml, document_ODP_reasons.yaml`,
  rows: [
    // image_integrity.image_quality
    row('dark_photo', 'DOCUMENT_UNREADABLE'),
    row('glare_on_photo', 'DOCUMENT_UNREADABLE'),
    row('blurred_photo', 'DOCUMENT_UNREADABLE'),
    row('covered_photo', 'DOCUMENT_UNREADABLE'),
    row('other_photo_issue', 'DOCUMENT_UNREADABLE'),
    row('damaged_document', 'DOCUMENT_UNREADABLE'),
    row('incorrect_side', 'DOCUMENT_INCOMPLETE'),
    row('cut_off_document', 'DOCUMENT_INCOMPLETE'),
    row('no_document_in_image', 'DOCUMENT_INCOMPLETE'),
    row('two_documents_uploaded', 'DOCUMENT_UNSUPPORTED'),
    // image_integrity.conclusive_document_quality
    row('obscured_data_points', 'DOCUMENT_UNREADABLE'),
    row('obscured_security_features', 'DOCUMENT_UNREADABLE'),
    row('abnormal_document_features', 'DOCUMENT_TAMPERED'),
    row('watermarks_digital_text_overlay', 'DOCUMENT_NOT_ORIGINAL'),
    row('corner_removed', 'DOCUMENT_UNSUPPORTED', 'a cut corner: the document is no longer valid'),
    row('punctured_document', 'DOCUMENT_UNSUPPORTED', 'a punched hole: the document is no longer valid'),
    row('missing_back', 'DOCUMENT_INCOMPLETE'),
    row('digital_document', 'DOCUMENT_NOT_ORIGINAL'),
    // visual_authenticity.original_document_present
    row('photo_of_screen', 'DOCUMENT_NOT_ORIGINAL'),
    row('screenshot', 'DOCUMENT_NOT_ORIGINAL'),
    row('document_on_printed_paper', 'DOCUMENT_NOT_ORIGINAL'),
    row('scan', 'DOCUMENT_NOT_ORIGINAL'),
  ],
};

export const onfidoFacialSimilarityBreakdown: DeclineTable = {
  provider: 'ONFIDO',
  field: 'facial similarity report breakdown',
  source: `${SPEC} schemas/reports/facial_similarity_{photo,photo_fully_auto,video,motion}_breakdown.yaml`,
  rows: [
    ...group('face_comparison', 'FACE_MISMATCH', ['face_match']),
    ...group('image_integrity', 'SELFIE_UNUSABLE', ['face_detected']),
    row('image_integrity.source_integrity', 'LIVENESS_FAILED', 'a manipulated image or a fake camera'),
    ...group('visual_authenticity', 'LIVENESS_FAILED', ['liveness_detected', 'spoofing_detection']),
  ],
};

export const onfidoSelfieReasons: DeclineTable = {
  provider: 'ONFIDO',
  field: 'facial similarity source integrity reasons',
  source: `${SPEC} schemas/reports/photo_reasons.yaml, photo_auto_reasons.yaml, video_reasons.yaml`,
  rows: [
    row('digital_tampering', 'LIVENESS_FAILED'),
    row('fake_webcam', 'LIVENESS_FAILED'),
    row('emulator', 'LIVENESS_FAILED'),
    row('challenge_reuse', 'LIVENESS_FAILED'),
    row('time_of_capture', 'SELFIE_UNUSABLE', 'the photo was taken over 24 hours before its upload'),
  ],
};

export const onfidoWatchlistBreakdown: DeclineTable = {
  provider: 'ONFIDO',
  field: 'watchlist report breakdown',
  source: `${SPEC} schemas/reports/watchlist_{standard,enhanced,aml}_breakdown.yaml`,
  rows: [
    row('sanction', 'SANCTIONS_MATCH'),
    row('politically_exposed_person', 'PEP_OR_ADVERSE_MEDIA'),
    row('adverse_media', 'PEP_OR_ADVERSE_MEDIA'),
    row('legal_and_regulatory_warnings', 'SANCTIONS_MATCH'),
    row('monitored_lists', 'SANCTIONS_MATCH'),
  ],
};

/**
 * A run's `reasons` are words your workflow's designer configures (definitions.yaml: "Configurable when creating the
 * Workflow version"): Onfido has no list, so each is OTHER with its word kept (USER_FLOW_INCOMPLETE for an abandoned
 * run), and only where no report says why; a run in `error` is PROVIDER_ERROR with its `error.type` as the code.
 */
export const onfidoWorkflowReasons: DeclineTable = {
  provider: 'ONFIDO',
  field: 'workflow run reasons / error.type',
  source: `${SPEC} schemas/workflow_runs/definitions.yaml (reasons, error)`,
  rows: [],
};

export const onfidoDeclineTables: readonly DeclineTable[] = [
  onfidoDocumentBreakdown,
  onfidoDocumentReasons,
  onfidoFacialSimilarityBreakdown,
  onfidoSelfieReasons,
  onfidoWatchlistBreakdown,
  onfidoWorkflowReasons,
];

const flagged = (result: unknown) => typeof result === 'string' && result !== 'clear';

/** Reason names a breakdown entry's `properties` flag (`{ blurred_photo: "consider" }`). */
function reasonsIn(properties: Record<string, unknown> | null | undefined, table: DeclineTable): DeclineSignal[] {
  return Object.entries(properties ?? {})
    .filter(([name, value]) => name !== 'reasons' && flagged(value))
    .map(([code]) => ({ table, code }));
}

/**
 * The flagged entries of one report's breakdown, deepest first: a reason named in an entry's properties, else the
 * entry (`group.leaf`), else the group when none of its entries says why.
 */
function breakdownSignals(
  breakdown: OnfidoBreakdown | null | undefined,
  table: DeclineTable,
  reasons: DeclineTable | null,
): DeclineSignal[] {
  const signals: DeclineSignal[] = [];
  for (const [name, entry] of Object.entries(breakdown ?? {})) {
    const leaves = Object.entries(entry?.breakdown ?? {}).filter(([, leaf]) => flagged(leaf?.result));
    for (const [leafName, leaf] of leaves) {
      const why = reasons ? reasonsIn(leaf?.properties, reasons) : [];
      signals.push(...(why.length > 0 ? why : [{ table, code: `${name}.${leafName}` }]));
    }
    if (leaves.length === 0 && flagged(entry?.result)) signals.push({ table, code: name });
  }
  return signals;
}

/** Runs whose reports and reasons say why they did not pass; an approved run's `reasons` are no decline. */
const DECIDED_AGAINST = new Set(['declined', 'review', 'abandoned', 'error']);

/** Every reason of a run's reports (or its error), else its own `reasons`; most severe first. */
export function onfidoDeclineReasons(run: OnfidoWorkflowRun, output: RunOutput): DeclineReason[] {
  if (!DECIDED_AGAINST.has(run.status ?? '')) return [];
  const signals: DeclineSignal[] = [
    ...output.documents.flatMap((d) =>
      breakdownSignals(d.report.breakdown, onfidoDocumentBreakdown, onfidoDocumentReasons),
    ),
    ...output.faces.flatMap((f) =>
      breakdownSignals(f.report.breakdown, onfidoFacialSimilarityBreakdown, onfidoSelfieReasons),
    ),
    ...output.watchlists.flatMap((w) => breakdownSignals(w.report.breakdown, onfidoWatchlistBreakdown, null)),
  ];
  const errorType = run.status === 'error' ? text(run.error?.type) : null;
  if (run.status === 'error') {
    signals.push({ table: onfidoWorkflowReasons, code: errorType ?? 'error', category: 'PROVIDER_ERROR' });
  }
  // The run's own words only say why where no report does: an abandoned run's are the person's unfinished flow.
  const category = run.status === 'abandoned' ? 'USER_FLOW_INCOMPLETE' : 'OTHER';
  if (signals.length === 0 || run.status === 'abandoned') {
    for (const reason of run.reasons ?? []) {
      const code = text(reason);
      if (code !== null) signals.push({ table: onfidoWorkflowReasons, code, category });
    }
  }
  return declineReasons(signals);
}

/** `awaiting_input` waits on the applicant; `processing` and `awaiting_client_input` on Onfido or your systems. */
export function onfidoTurn(status: string | null | undefined): SessionTurn | undefined {
  if (status === 'awaiting_input') return 'USER';
  if (status === 'processing' || status === 'awaiting_client_input') return 'VENDOR';
  return undefined;
}
