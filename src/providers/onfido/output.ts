import {
  type OnfidoDocumentReport,
  type OnfidoFacialSimilarityReport,
  type OnfidoProfileData,
  type OnfidoWatchlistReport,
  onfidoDocumentReport,
  onfidoFacialSimilarityReport,
  onfidoProfileData,
  onfidoWatchlistReport,
} from './payload.ts';

/**
 * A workflow run's `output` holds what its designer chose to expose, under keys the designer named (`doc` and
 * `selfie` in the SDK's tests, anything in yours). Reports are therefore recognised by their shape, as the spec
 * defines it, not by their key; what matches nothing is handed back untouched for `metadata`.
 */

/** Where a report sat in `output` (`doc`, `reports.document`, `checks[1]`): the check's `nodeId`. */
export interface Found<T> {
  nodeId: string;
  report: T;
}

export interface RunOutput {
  documents: Found<OnfidoDocumentReport>[];
  faces: Found<OnfidoFacialSimilarityReport>[];
  watchlists: Found<OnfidoWatchlistReport>[];
  profiles: Found<OnfidoProfileData>[];
  /** What no reader took, in the output's own structure; undefined when everything was read. */
  rest: unknown;
}

/** How deep below `output` a report is looked for (`output.key`, `output.key.key`, `output.key.key.key`). */
const MAX_DEPTH = 3;

/** Document report breakdown groups (document_breakdown.yaml) that no other report has. */
const DOCUMENT_GROUPS = [
  'data_validation',
  'data_comparison',
  'data_consistency',
  'compromised_document',
  'police_record',
  'age_validation',
  'issuing_authority',
];
/** watchlist_{standard,enhanced,aml}_breakdown.yaml. */
const WATCHLIST_GROUPS = [
  'sanction',
  'politically_exposed_person',
  'legal_and_regulatory_warnings',
  'adverse_media',
  'monitored_lists',
];
/** document_properties.yaml fields that only a document's data has. */
const DOCUMENT_FIELDS = ['document_type', 'document_numbers', 'document_number', 'date_of_expiry', 'issuing_country'];
const PROFILE_FIELDS = ['first_name', 'last_name', 'dob', 'email', 'phone_number'];

type Kind = 'document' | 'facial_similarity' | 'watchlist' | 'profile';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const hasAny = (o: Record<string, unknown>, keys: readonly string[]) => keys.some((k) => o[k] !== undefined);

/** A report's kind from its `name` (the reports API's discriminator) when it has one, else from its shape. */
function kindOf(value: Record<string, unknown>): Kind | null {
  const name = typeof value.name === 'string' ? value.name : '';
  if (name.startsWith('document')) return 'document';
  if (name.startsWith('facial_similarity')) return 'facial_similarity';
  if (name.startsWith('watchlist')) return 'watchlist';
  const breakdown = isObject(value.breakdown) ? value.breakdown : null;
  const properties = isObject(value.properties) ? value.properties : null;
  if (breakdown) {
    const authenticity = isObject(breakdown.visual_authenticity) ? breakdown.visual_authenticity.breakdown : null;
    const liveness = isObject(authenticity) && hasAny(authenticity, ['spoofing_detection', 'liveness_detected']);
    if (breakdown.face_comparison !== undefined || liveness) return 'facial_similarity';
    if (hasAny(breakdown, WATCHLIST_GROUPS)) return 'watchlist';
    if (hasAny(breakdown, DOCUMENT_GROUPS)) return 'document';
  }
  if (properties && hasAny(properties, DOCUMENT_FIELDS)) return 'document';
  if (properties && Array.isArray(properties.records)) return 'watchlist';
  if (!breakdown && !properties && hasAny(value, PROFILE_FIELDS)) return 'profile';
  return null;
}

/** Splits a run's output into the reports Verigate maps and the rest. */
export function readOutput(output: unknown): RunOutput {
  const found: RunOutput = { documents: [], faces: [], watchlists: [], profiles: [], rest: undefined };
  found.rest = walk(output, '', 0, found);
  return found;
}

/** Takes what it recognises from `value` into `found`; returns what is left (undefined: nothing). */
function walk(value: unknown, path: string, depth: number, found: RunOutput): unknown {
  if (Array.isArray(value)) {
    if (depth === 0 || depth > MAX_DEPTH) return value;
    const left = value.map((v, i) => walk(v, `${path}[${i}]`, depth + 1, found)).filter((v) => v !== undefined);
    return left.length === 0 && value.length > 0 ? undefined : left;
  }
  if (!isObject(value)) return value;
  if (depth > 0 && take(value, path, found)) return undefined;
  if (depth >= MAX_DEPTH) return value;
  const left: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const rest = walk(inner, path === '' ? key : `${path}.${key}`, depth + 1, found);
    if (rest !== undefined) left[key] = rest;
  }
  return Object.keys(left).length === 0 && Object.keys(value).length > 0 ? undefined : left;
}

/** Reads `value` as the report its shape says it is; false when it is none (or fails that report's schema). */
function take(value: Record<string, unknown>, nodeId: string, found: RunOutput): boolean {
  switch (kindOf(value)) {
    case 'document':
      return keep(onfidoDocumentReport.safeParse(value), nodeId, found.documents);
    case 'facial_similarity':
      return keep(onfidoFacialSimilarityReport.safeParse(value), nodeId, found.faces);
    case 'watchlist':
      return keep(onfidoWatchlistReport.safeParse(value), nodeId, found.watchlists);
    case 'profile':
      return keep(onfidoProfileData.safeParse(value), nodeId, found.profiles);
    default:
      return false;
  }
}

function keep<T>(parsed: { success: true; data: T } | { success: false }, nodeId: string, into: Found<T>[]): boolean {
  if (!parsed.success) return false;
  into.push({ nodeId, report: parsed.data });
  return true;
}
