import type { StripeObject } from './scenarios.ts';

/**
 * A stored session as Stripe answers it for a set of `expand[]` paths (docs.stripe.com/expand): an expandable field is
 * its id unless expanded (`last_verification_report`), `verified_outputs` is left out unless expanded, and the
 * sensitive fields Stripe names (docs.stripe.com/identity/access-verification-results) are left out unless expanded
 * by their full path.
 */
const SENSITIVE: ReadonlyArray<[parent: string, field: string]> = [
  ['last_verification_report.document', 'number'],
  ['last_verification_report.document', 'dob'],
  ['last_verification_report.document', 'expiration_date'],
  ['last_verification_report.id_number', 'id_number'],
  ['last_verification_report.id_number', 'dob'],
  ['verified_outputs', 'dob'],
  ['verified_outputs', 'id_number'],
];

export function expandedSession(stored: StripeObject, expand: readonly string[]): StripeObject {
  const wanted = new Set(expand);
  const out: StripeObject = { ...stored };
  const report = stored.last_verification_report as StripeObject | string | null | undefined;
  if (report && typeof report === 'object') {
    out.last_verification_report = wanted.has('last_verification_report')
      ? withoutHidden(report, 'last_verification_report', wanted)
      : report.id;
  }
  if (wanted.has('verified_outputs')) {
    const outputs = stored.verified_outputs as StripeObject | null | undefined;
    out.verified_outputs = outputs ? withoutHidden(outputs, 'verified_outputs', wanted) : null;
  } else delete out.verified_outputs;
  return out;
}

/** `path`'s object without the sensitive fields under it that were not expanded by name. */
function withoutHidden(object: StripeObject, path: string, wanted: ReadonlySet<string>): StripeObject {
  const copy = structuredClone(object);
  for (const [parent, field] of SENSITIVE) {
    if (!parent.startsWith(path) || wanted.has(`${parent}.${field}`)) continue;
    const rest = parent.slice(path.length).split('.').filter(Boolean);
    let target: unknown = copy;
    for (const key of rest) target = (target as StripeObject | null)?.[key];
    if (target && typeof target === 'object') delete (target as StripeObject)[field];
  }
  return copy;
}

/** The paths a request asks to expand: `expand[]=a&expand[]=b` (also `expand[0]=a`, as Stripe's clients send). */
export function expandParams(params: URLSearchParams): string[] {
  return [...params.entries()].filter(([k]) => /^expand\[\d*\]$/.test(k)).map(([, v]) => v);
}
