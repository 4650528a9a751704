import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Provider } from '../model/session.ts';
import type { StartPrefill } from '../providers/start.ts';
import { GatewayError } from '../upstream/errors.ts';
import { isCountryCode } from './countries.ts';

/**
 * `StartVerificationInput`, checked before anything else happens (DESIGN §8 "Start a verification"): every rule
 * here is one the caller can fix, so each failure is BAD_USER_INPUT naming the field (`extensions.field`), and no
 * vendor is called. The result is the canonical input the idempotency record hashes.
 */

export interface StartInput {
  provider: Provider | null;
  flow: string | null;
  subjectRef: string;
  country: string | null;
  prefill: StartPrefill | null;
  returnUrl: string | null;
  locale: string | null;
  idempotencyKey: string;
}

/** What GraphQL hands the resolver (every optional field may be null or absent). */
export interface RawStartInput {
  provider?: Provider | null;
  flow?: string | null;
  subjectRef: string;
  country?: string | null;
  prefill?: {
    givenName?: string | null;
    familyName?: string | null;
    dateOfBirth?: string | null;
    email?: string | null;
    phone?: string | null;
  } | null;
  returnUrl?: string | null;
  locale?: string | null;
  idempotencyKey: string;
}

export const MAX_RETURN_URL_BYTES = 2_048;
const SUBJECT_REF = /^[A-Za-z0-9._:@-]{1,128}$/;
/** Visible ASCII: a key is echoed into logs of nobody, but hashed and compared byte for byte. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;
/** Vendors' flow ids: workflow UUIDs, `itmpl_…`, `vf_…`, Sumsub level names (which may hold spaces). */
const FLOW = /^[A-Za-z0-9][A-Za-z0-9 ._:-]{0,127}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;
const EMAIL =
  /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$/;
const NAME_MAX = 100;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse them
const CONTROL = /[\u0000-\u001f\u007f]/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** BAD_USER_INPUT for one field, named in the message and in `extensions.field`. */
export function badField(field: string, message: string, provider?: Provider): GatewayError {
  const error = new GatewayError('BAD_USER_INPUT', `input.${field}: ${message}`, provider ? { provider } : {});
  error.extensions.field = field;
  return error;
}

const text = (v: string | null | undefined): string | null => (v == null ? null : v);

/** Checks and canonicalises the input; throws the first problem found, field by field in schema order. */
export function validateStartInput(raw: RawStartInput, options: { production: boolean; now?: Date }): StartInput {
  const provider = raw.provider ?? null;
  const flow = text(raw.flow);
  if (flow !== null) {
    if (provider === null)
      throw badField('flow', 'applies only with an explicit provider (a routed start uses each default flow).');
    if (!FLOW.test(flow)) throw badField('flow', 'must be 1 to 128 letters, digits, spaces, ".", "_", ":" or "-".');
  }
  if (!SUBJECT_REF.test(raw.subjectRef))
    throw badField('subjectRef', 'must be 1 to 128 of A-Z, a-z, 0-9, ".", "_", ":", "@" or "-".');
  const country = checkCountry(text(raw.country));
  const prefill = checkPrefill(raw.prefill ?? null, options.now ?? new Date());
  const returnUrl = checkReturnUrl(text(raw.returnUrl), options.production);
  const locale = checkLocale(text(raw.locale));
  if (!IDEMPOTENCY_KEY.test(raw.idempotencyKey))
    throw badField('idempotencyKey', 'must be 8 to 128 visible ASCII characters (a UUID is a good choice).');
  return {
    provider,
    flow,
    subjectRef: raw.subjectRef,
    country,
    prefill,
    returnUrl,
    locale,
    idempotencyKey: raw.idempotencyKey,
  };
}

function checkCountry(country: string | null): string | null {
  if (country === null) return null;
  const upper = country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper) || !isCountryCode(upper))
    throw badField('country', 'must be an ISO 3166-1 alpha-2 code such as "US" or "DE".');
  return upper;
}

function checkReturnUrl(value: string | null, production: boolean): string | null {
  if (value === null) return null;
  if (Buffer.byteLength(value, 'utf8') > MAX_RETURN_URL_BYTES)
    throw badField('returnUrl', `must be at most ${MAX_RETURN_URL_BYTES} bytes.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badField('returnUrl', 'must be an absolute https URL.');
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(loopbackHttp && !production)) {
    throw badField(
      'returnUrl',
      production
        ? 'must be an https URL.'
        : 'must be an https URL (or http://localhost, http://127.0.0.1 outside production).',
    );
  }
  if (url.username !== '' || url.password !== '') throw badField('returnUrl', 'must not carry credentials.');
  return value;
}

function checkLocale(locale: string | null): string | null {
  if (locale === null) return null;
  try {
    if (locale.length <= 35 && /^[A-Za-z0-9-]+$/.test(locale)) return Intl.getCanonicalLocales(locale)[0] as string;
  } catch {
    // not a well-formed BCP 47 tag: said below
  }
  throw badField('locale', 'must be a BCP 47 language tag such as "en" or "pt-BR".');
}

function checkPrefill(prefill: RawStartInput['prefill'], now: Date): StartPrefill | null {
  if (prefill == null) return null;
  const name = (field: 'givenName' | 'familyName') => {
    const v = text(prefill[field]);
    if (v === null) return null;
    if (v.trim() === '' || v.length > NAME_MAX || CONTROL.test(v))
      throw badField(`prefill.${field}`, `must be 1 to ${NAME_MAX} characters without control characters.`);
    return v;
  };
  const email = text(prefill.email);
  if (email !== null && (email.length > 254 || !EMAIL.test(email)))
    throw badField('prefill.email', 'must be an e-mail address such as "ana@example.com".');
  const phone = text(prefill.phone);
  if (phone !== null && !E164.test(phone))
    throw badField('prefill.phone', 'must be in E.164 form: "+", the country code and the number, digits only.');
  return {
    givenName: name('givenName'),
    familyName: name('familyName'),
    dateOfBirth: checkBirthDate(dateText(prefill.dateOfBirth), now),
    email,
    phone,
  };
}

const dateSchema = z.iso.date();

/** The `Date` scalar (graphql-scalars) hands resolvers a JS Date at UTC midnight; tests and callers may pass text. */
function dateText(value: unknown): string | null {
  if (value == null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return String(value);
}

function checkBirthDate(value: string | null, now: Date): string | null {
  if (value === null) return null;
  if (!dateSchema.safeParse(value).success) throw badField('prefill.dateOfBirth', 'must be a date, YYYY-MM-DD.');
  if (value > now.toISOString().slice(0, 10)) throw badField('prefill.dateOfBirth', 'must not be in the future.');
  if (value < '1900-01-01') throw badField('prefill.dateOfBirth', 'must be 1900-01-01 or later.');
  return value;
}

/**
 * SHA-256 of the canonical input (the idempotency key itself left out): what makes "the same call again" tell apart
 * from "another call under the same key". Keys in a fixed order, absent and null alike.
 */
export function inputHash(input: StartInput): string {
  const canonical = JSON.stringify([
    input.provider,
    input.flow,
    input.subjectRef,
    input.country,
    input.prefill && [
      input.prefill.givenName,
      input.prefill.familyName,
      input.prefill.dateOfBirth,
      input.prefill.email,
      input.prefill.phone,
    ],
    input.returnUrl,
    input.locale,
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
