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

/** Days in `month` (1-12) of `year`, Gregorian. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Whether `y-mo-d` is a real calendar date. Years 0-99 are refused: the rule was once checked through `Date.UTC`,
 * which reads them as 1900-1999, and a date's validity must not change under callers.
 */
function isCalendarDate(y: number, mo: number, d: number): boolean {
  return y >= 100 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** `YYYY-MM-DD` or `YYYYMMDD` (VX) to `YYYY-MM-DD`; null when absent or not a real calendar date. */
export function calendarDate(value: string | null | undefined): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const iso = ISO_DATE.exec(raw);
  // Checked with arithmetic rather than a Date: no object per date, and an ISO date is answered as the string it is.
  if (iso) return isCalendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) ? raw : null;
  const m = COMPACT_DATE.exec(raw);
  if (!m) return null;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  return isCalendarDate(Number(y), Number(mo), Number(d)) ? `${y}-${mo}-${d}` : null;
}

const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i;
/** UTC or zone-less `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z]`, what the vendors send: read without parsing a Date. */
const PLAIN_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z?$/;

/**
 * An instant to ISO-8601 UTC. Strings without a zone (VX `2024-08-19 20:56:25.223174`) are read as UTC.
 * Null when absent or unparseable.
 */
export function instant(value: string | null | undefined): string | null {
  const raw = text(value);
  if (raw === null) return null;
  return plainInstant(raw) ?? parsedInstant(raw);
}

/** The match of PLAIN_INSTANT: the whole, six fields and the fraction's digits when there are any. */
type InstantFields = [string, string, string, string, string, string, string, string?];

/**
 * The common shapes, plainly in range, as `Date.parse` and `toISOString` would write them (the same fields, the
 * fraction cut or padded to milliseconds); null for anything else (an offset, a 24:00, a 30 February that Date
 * rolls over), which `parsedInstant` reads.
 */
function plainInstant(raw: string): string | null {
  const m = PLAIN_INSTANT.exec(raw);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, fraction = ''] = m as unknown as InstantFields;
  const inRange =
    isCalendarDate(Number(y), Number(mo), Number(d)) && Number(h) <= 23 && Number(mi) <= 59 && Number(s) <= 59;
  if (!inRange) return null;
  if (raw.length === 24 && fraction.length === 3 && raw[10] === 'T') return raw; // already canonical
  const ms = fraction.length >= 3 ? fraction.slice(0, 3) : fraction.padEnd(3, '0');
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
}

function parsedInstant(raw: string): string | null {
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
  // A loop over the keys rather than Object.values(...).every(...): no array and no closure per call.
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const v = (record as Record<string, unknown>)[key];
    if (v !== null && !(Array.isArray(v) && v.length === 0)) return false;
  }
  return true;
}
