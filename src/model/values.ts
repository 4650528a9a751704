/**
 * Value rules shared by every normaliser (DESIGN §3): empty strings become null, scores are 0..1,
 * dates are YYYY-MM-DD, instants are ISO-8601 UTC. Invalid values become null rather than failing a query.
 */

/** Trimmed string, or null for null/undefined/empty/whitespace-only. */
export function text(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Joins the non-empty parts with a space; null when none is left. */
export function joinName(...parts: Array<string | null | undefined>): string | null {
  const kept = parts.map(text).filter((p): p is string => p !== null);
  return kept.length === 0 ? null : kept.join(' ');
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** `YYYY-MM-DD` or `YYYYMMDD` (VX) to `YYYY-MM-DD`; null when absent or not a real calendar date. */
export function calendarDate(value: string | null | undefined): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const m = ISO_DATE.exec(raw) ?? COMPACT_DATE.exec(raw);
  if (!m) return null;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  const valid =
    date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d);
  return valid ? `${y}-${mo}-${d}` : null;
}

const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An instant to ISO-8601 UTC. Strings without a zone (VX `2024-08-19 20:56:25.223174`) are read as UTC.
 * Null when absent or unparseable.
 */
export function instant(value: string | null | undefined): string | null {
  const raw = text(value);
  if (raw === null) return null;
  let iso = raw.replace(' ', 'T');
  // JavaScript dates keep milliseconds; drop extra fractional digits rather than misparse them.
  iso = iso.replace(/(\.\d{3})\d+/, '$1');
  if (!HAS_ZONE.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** A 0..100 percentage to 0..1, rounded to 6 decimals to undo float noise (97.99 -> 0.9799). */
export function percentToUnit(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return Math.round((value / 100) * 1e6) / 1e6;
}

/** A score already on 0..1, kept when finite. */
export function unit(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  return value;
}

/** `true` when every value of the object is null (a part with nothing in it is reported as null). */
export function allNull(record: object): boolean {
  return Object.values(record).every((v) => v === null || (Array.isArray(v) && v.length === 0));
}
