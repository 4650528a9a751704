import {
  ONFIDO_SDK_DOCUMENT_REPORT,
  ONFIDO_SDK_FACIAL_SIMILARITY_REPORT,
  ONFIDO_SDK_PROFILE_DATA,
} from './examples/sdk.ts';

/**
 * The simulator's reports, forced the way Onfido's sandbox forces them: every report comes back `clear` unless the
 * run was created with its name in `consider`, and a document report takes the `sub_result` asked for (the check
 * builder's sandbox-only `consider` and `sub_result`, onfido-openapi-spec schemas/checks/definitions.yaml). A
 * scenario says which it was created with; the reports are Onfido's own examples with those verdicts applied.
 */

export type SandboxReport = 'document' | 'facial_similarity_photo' | 'watchlist_standard';
export type DocumentSubResult = 'clear' | 'rejected' | 'suspected' | 'caution';

export interface SandboxControls {
  consider?: readonly SandboxReport[];
  /** Document reports only; a `consider` without one gives `caution`. */
  sub_result?: DocumentSubResult;
}

/** The breakdown entry each document sub-result flags (what Onfido's sandbox flags for it, as Verigate shows it). */
const DOCUMENT_FLAGS: Record<Exclude<DocumentSubResult, 'clear'>, [string, string]> = {
  caution: ['data_validation', 'document_expiration'],
  rejected: ['image_integrity', 'image_quality'],
  suspected: ['visual_authenticity', 'original_document_present'],
};

const copy = <T>(value: T): T => structuredClone(value);

/** Sets `breakdown.<group>.breakdown.<leaf>` and its group to `consider`. */
function flag(report: Record<string, unknown>, group: string, leaf: string, properties: Record<string, unknown> = {}) {
  const breakdown = report.breakdown as Record<string, { result: string; breakdown: Record<string, unknown> }>;
  const entry = breakdown[group] ?? { result: 'clear', breakdown: {} };
  entry.result = 'consider';
  entry.breakdown[leaf] = { result: 'consider', properties };
  breakdown[group] = entry;
}

export function documentReport(controls: SandboxControls = {}): Record<string, unknown> {
  const report = copy(ONFIDO_SDK_DOCUMENT_REPORT);
  const sub = controls.sub_result ?? (controls.consider?.includes('document') ? 'caution' : 'clear');
  if (sub === 'clear') return report;
  report.result = 'consider';
  report.sub_result = sub;
  const [group, leaf] = DOCUMENT_FLAGS[sub];
  flag(report, group, leaf);
  return report;
}

export function facialSimilarityReport(controls: SandboxControls = {}): Record<string, unknown> {
  const report = copy(ONFIDO_SDK_FACIAL_SIMILARITY_REPORT);
  if (!controls.consider?.includes('facial_similarity_photo')) return report;
  report.result = 'consider';
  flag(report, 'face_comparison', 'face_match', { document_id: '0925205f-1af3-4874-8d14-f2d2a81fb75d', score: 0.2113 });
  flag(report, 'visual_authenticity', 'spoofing_detection', { score: 0.0841 });
  return report;
}

/** A standard watchlist report (watchlist_standard_breakdown.yaml); `consider` adds one politically exposed person. */
export function watchlistReport(controls: SandboxControls = {}): Record<string, unknown> {
  const consider = controls.consider?.includes('watchlist_standard') ?? false;
  const result = (hit: boolean) => ({ result: hit ? 'consider' : 'clear' });
  return {
    uuid: '3e1a8b52-6f0c-4a5e-9d41-7c2b9e0f1a63',
    name: 'watchlist_standard',
    status: 'complete',
    result: consider ? 'consider' : 'clear',
    sub_result: null,
    breakdown: {
      sanction: result(false),
      politically_exposed_person: result(consider),
      legal_and_regulatory_warnings: result(false),
    },
    properties: {
      records: consider
        ? [
            {
              full_name: 'Jane Doe',
              alias: [{ alias_name: 'J. Doe', alias_type: 'AKA' }],
              position: ['Member of the Regional Assembly (2019-2023)'],
              date_of_birth: ['1990-01-01'],
              source: [{ source_name: 'Regional Assembly Members Register', source_format: 'html' }],
              event: [{ category: 'PEP', event_date: '2019-05-01', event_description: 'Elected' }],
            },
          ]
        : [],
    },
  };
}

export const profileData = (): Record<string, unknown> => copy(ONFIDO_SDK_PROFILE_DATA);
