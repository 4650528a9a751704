import { z } from 'zod';
import { logger } from '../../logger.ts';
import { boundedJson } from '../../upstream/boundedJson.ts';

/**
 * Persona's JSON:API documents as sent with `Key-Inflection: kebab`, from github.com/persona-id/persona-openapi
 * (folders 2023-01-05, 2025-10-27, 2025-12-08): `paths/inquiries_{inquiry-id}.yaml` (GET), `components/schemas/
 * inquiry.yaml`, `inquiry-included-objects.yaml`, `verification-government-id.yaml`, `verification-selfie.yaml`,
 * `verification-shared-attributes.yaml`, `address-fields.yaml`, `report-watchlist.yaml`, `report-watchlist-entity.yaml`,
 * `report-shared-attributes.yaml`, `inquiry-session.yaml` and `responses/*.yaml` (errors). The spec lists most
 * attributes as required but nullable; Verigate reads each as optional and null alike, and drops what it does not read.
 */

const str = z.string().nullish();
const num = z.number().nullish();
const bool = z.boolean().nullish();
/** A list Persona may send as null, read as empty. */
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((items): Array<z.output<T>> => items ?? []);
/** Strings of a list; entries of another type are dropped. */
const words = z
  .array(z.unknown())
  .nullish()
  .transform((items) => (items ?? []).filter((w): w is string => typeof w === 'string'));
/** A to-one relationship: `{ data: { type, id } }`, `{ data: null }` or, as the examples show, `{ data: {} }`. */
const toOne = z.object({ data: z.object({ type: str, id: str }).nullish() }).nullish();

/** The personal attributes 2023-01-05 still copies to the top of an inquiry (inquiry.yaml of that folder). */
const topLevelPersonal = {
  'name-first': str,
  'name-middle': str,
  'name-last': str,
  birthdate: str,
  'phone-number': str,
  'email-address': str,
  'address-street-1': str,
  'address-street-2': str,
  'address-city': str,
  'address-subdivision': str,
  'address-postal-code': str,
  'identification-number': str,
};

const inquiryAttributes = z.object({
  status: z.string().min(1),
  'reference-id': str,
  note: str,
  behaviors: boundedJson('PERSONA', 'behaviors', z.record(z.string(), z.unknown()).nullish()),
  tags: words,
  'reviewer-comment': str,
  'created-at': str,
  'updated-at': str,
  'started-at': str,
  'expires-at': str,
  'completed-at': str,
  'failed-at': str,
  'marked-for-review-at': str,
  'decisioned-at': str,
  'expired-at': str,
  'redacted-at': str,
  'previous-step-name': str,
  'next-step-name': str,
  /** Template-defined `{ "<name>": { "type": …, "value": … } }`; keys are never inflected. Read field by field. */
  fields: z.record(z.string(), z.unknown()).nullish(),
});

const inquiryRelationships = z
  .object({
    reviewer: toOne,
    'inquiry-template': toOne,
    template: toOne,
    account: toOne,
  })
  .nullish();

const inquiryData = <A extends z.ZodType>(attributes: A) =>
  z.object({ type: str, id: z.string().min(1), attributes, relationships: inquiryRelationships });

/**
 * `included`: read item by item in `readIncluded`, so one object of an unexpected shape (or not an object at all)
 * never fails the inquiry it came with.
 */
const includedObject = z.unknown();

/** `GET /inquiries/{id}` in 2025-10-27 and 2025-12-08: personal data only under `attributes.fields`. */
export const personaInquiryDocument = z.object({
  data: inquiryData(inquiryAttributes),
  included: list(includedObject),
});

/** `GET /inquiries/{id}` in 2023-01-05: the same, plus the personal attributes copied to the top level. */
export const personaInquiryDocument20230105 = z.object({
  data: inquiryData(inquiryAttributes.extend(topLevelPersonal)),
  included: list(includedObject),
});

export type PersonaInquiryAttributes = z.infer<typeof inquiryAttributes> &
  Partial<Record<keyof typeof topLevelPersonal, string | null>>;
export interface PersonaInquiryDocument {
  data: {
    type?: string | null;
    id: string;
    attributes: PersonaInquiryAttributes;
    relationships?: z.infer<typeof inquiryRelationships>;
  };
  included: unknown[];
}

/** `checks[]` of every verification (verification-shared-attributes.yaml). */
const check = z.object({
  name: str,
  status: str,
  reasons: words,
  requirement: str,
  metadata: boundedJson('PERSONA', 'check metadata', z.record(z.string(), z.unknown()).nullish()),
});
export type PersonaCheck = z.infer<typeof check>;

const verificationShared = {
  id: z.string(),
  type: z.string(),
  attributes: z.object({
    status: str,
    'created-at': str,
    'submitted-at': str,
    'completed-at': str,
    'redacted-at': str,
    'country-code': str,
    checks: list(check),
  }),
};

export const personaGovernmentId = z.object({
  ...verificationShared,
  attributes: verificationShared.attributes.extend({
    'id-class': str,
    'name-first': str,
    'name-middle': str,
    'name-last': str,
    birthdate: str,
    'issuing-subdivision': str,
    nationality: str,
    'document-number': str,
    'identification-number': str,
    'issue-date': str,
    'expiration-date': str,
    birthplace: str,
    sex: str,
    'front-photo-url': str,
    'back-photo-url': str,
    'selfie-photo-url': str,
    'selfie-photo': z.object({ url: str }).nullish(),
    'video-url': str,
    'address-street-1': str,
    'address-street-2': str,
    'address-city': str,
    'address-subdivision': str,
    'address-postal-code': str,
  }),
});
export type PersonaGovernmentId = z.infer<typeof personaGovernmentId>;

export const personaSelfie = z.object({
  ...verificationShared,
  attributes: verificationShared.attributes.extend({
    'capture-method': str,
    'document-similarity-score': num,
    'center-photo-url': str,
    'video-url': str,
  }),
});
export type PersonaSelfie = z.infer<typeof personaSelfie>;

const watchlistEntity = z.object({ name: str, 'alias-type': str });
export const personaWatchlist = z.object({
  id: z.string(),
  type: z.string(),
  attributes: z.object({
    status: str,
    'created-at': str,
    'completed-at': str,
    'has-match': bool,
    'matched-lists': list(
      z.object({ name: str, slug: str, 'list-type': str, 'list-types': words, entities: list(watchlistEntity) }),
    ),
  }),
});
export type PersonaWatchlist = z.infer<typeof personaWatchlist>;

export const personaInquirySession = z.object({
  id: z.string(),
  type: z.string(),
  attributes: z.object({
    status: str,
    'created-at': str,
    'ip-address': str,
    'os-name': str,
    'device-type': str,
    'device-name': str,
    'browser-name': str,
    'is-proxy': bool,
    'is-tor': bool,
    'is-datacenter': bool,
    'is-vpn': bool,
    'threat-level': str,
    'country-code': str,
    'country-name': str,
    'region-name': str,
    latitude: num,
    longitude: num,
    'ip-isp': str,
    'network-organization': str,
  }),
});
export type PersonaInquirySession = z.infer<typeof personaInquirySession>;

/** An included object Verigate does not map (or could not read): named in `metadata`, its attributes left out. */
export interface PersonaUnmapped {
  type: string;
  id: string | null;
  status: string | null;
}

export interface PersonaIncluded {
  governmentIds: PersonaGovernmentId[];
  selfies: PersonaSelfie[];
  watchlists: PersonaWatchlist[];
  sessions: PersonaInquirySession[];
  unmapped: PersonaUnmapped[];
}

const KINDS = {
  'verification/government-id': ['governmentIds', personaGovernmentId],
  'verification/selfie': ['selfies', personaSelfie],
  'report/watchlist': ['watchlists', personaWatchlist],
  'inquiry-session': ['sessions', personaInquirySession],
} as const;

/**
 * Sorts `included` by kind. An object of a kind Verigate maps that does not match its schema is kept as unmapped
 * (and logged by path, never by value) rather than failing the session: the inquiry's status is still good.
 */
export function readIncluded(items: readonly unknown[]): PersonaIncluded {
  const out: PersonaIncluded = { governmentIds: [], selfies: [], watchlists: [], sessions: [], unmapped: [] };
  for (const raw of items) {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const item = raw as Record<string, unknown>;
    const type = typeof item.type === 'string' ? item.type : 'unknown';
    const kind = Object.hasOwn(KINDS, type) ? KINDS[type as keyof typeof KINDS] : undefined;
    if (kind) {
      const parsed = kind[1].safeParse(item);
      if (parsed.success) {
        (out[kind[0]] as unknown[]).push(parsed.data);
        continue;
      }
      const issues = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), code: i.code }));
      logger.warn(
        { provider: 'PERSONA', type: type.slice(0, 128), issues },
        'included object of an unexpected shape kept unmapped',
      );
    }
    const id = typeof item.id === 'string' ? item.id.slice(0, 128) : null;
    out.unmapped.push({ type: type.slice(0, 128), id, status: statusOf(item) });
  }
  return out;
}

function statusOf(item: Record<string, unknown>): string | null {
  const attributes = item.attributes;
  if (attributes === null || typeof attributes !== 'object') return null;
  const status = (attributes as Record<string, unknown>).status;
  return typeof status === 'string' ? status.slice(0, 64) : null;
}

/** `{ "errors": [{ "title": …, "details": … }] }` (components/responses/*.yaml). */
export const personaErrors = z.object({
  errors: z.array(z.object({ title: str, details: str })),
});
