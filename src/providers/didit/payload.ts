import { z } from 'zod';
import { boundedJson } from '../../upstream/boundedJson.ts';

/**
 * The pieces of Didit's JSON that v1 and v3 share (docs.didit.me; providers.md §2, providers-didit-v3.md §3):
 * leaves, warnings, reviews, AML hits, parsed addresses, the `{"detail": ...}` error body and the v1 token.
 * Every leaf may be missing or null (a v3 workflow can withhold attributes); status words and other vendor
 * vocabularies are plain strings, so a value Verigate does not know yet never fails a payload.
 */

export const str = z.string().nullish();
export const num = z.number().nullish();
export const bool = z.boolean().nullish();

/** A list Didit may send as null (a feature that has produced no data yet), read as empty. */
export const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((items): Array<z.output<T>> => items ?? []);

/** A list of words (names, datasets, topics); entries that are not strings are dropped. */
export const words = z
  .array(z.unknown())
  .nullish()
  .transform((items) => (items ?? []).filter((w): w is string => typeof w === 'string'));

export const diditGeoPoint = z.object({ latitude: num, longitude: num });

/** `parsed_address` of a document (v1 `kyc`, v3 `id_verifications[]`): the geocoded address. */
export const diditParsedAddress = z.object({
  street_1: str,
  street_2: str,
  city: str,
  region: str,
  postal_code: str,
  country: str,
  formatted_address: str,
  document_location: diditGeoPoint.nullish(),
});
export type DiditParsedAddress = z.infer<typeof diditParsedAddress>;

/** One risk signal. v1 sends them in one flat list; v3 inside each feature item, with the `node_id` that raised it. */
export const diditWarning = z.object({
  feature: str,
  risk: str,
  additional_data: boundedJson('DIDIT', 'additional_data', z.unknown().optional()),
  log_type: str,
  short_description: str,
  long_description: str,
  node_id: str,
});
export type DiditWarningPayload = z.infer<typeof diditWarning>;

/** One manual review (same four fields in v1 and v3). */
export const diditReview = z.object({ user: str, new_status: str, comment: str, created_at: str });
export type DiditReviewPayload = z.infer<typeof diditReview>;

/** One AML hit. `score` is 0..1 (deprecated in v3, still sent); dates are naive `YYYY-MM-DDTHH:MM:SS`, read as UTC. */
export const diditAmlHit = z.object({
  id: str,
  caption: str,
  match: bool,
  score: num,
  target: bool,
  datasets: words,
  first_seen: str,
  last_seen: str,
  last_change: str,
  properties: z.object({ name: words, alias: words, notes: words, topics: words, position: words }).nullish(),
});
export type DiditAmlHitPayload = z.infer<typeof diditAmlHit>;

/**
 * The document fields of v1 `kyc` and of v3 `id_verifications[]`: the same names in both generations
 * (providers-didit-v3.md §8).
 */
export const diditDocumentFields = z.object({
  status: str,
  document_type: str,
  document_number: str,
  personal_number: str,
  portrait_image: str,
  front_image: str,
  front_video: str,
  back_image: str,
  back_video: str,
  full_front_image: str,
  full_back_image: str,
  date_of_birth: str,
  expiration_date: str,
  date_of_issue: str,
  /** ISO 3166 alpha-3 of the issuing country (not a state). */
  issuing_state: str,
  issuing_state_name: str,
  first_name: str,
  last_name: str,
  full_name: str,
  gender: str,
  address: str,
  formatted_address: str,
  parsed_address: diditParsedAddress.nullish(),
  place_of_birth: str,
  nationality: str,
});
export type DiditDocumentFields = z.infer<typeof diditDocumentFields>;

/** The screening fields of v1 `aml` and of v3 `aml_screenings[]`. */
export const diditAmlFields = z.object({
  status: str,
  total_hits: z.number().int().nullish(),
  /** 0-100: the strongest hit's (v3: highest risk score among hits not marked false positive). */
  score: num,
  hits: list(diditAmlHit),
});
export type DiditAmlFields = z.infer<typeof diditAmlFields>;

/** The IP and device fields of v1 `location` and of v3 `ip_analyses[]`. */
export const diditNetworkFields = z.object({
  status: str,
  device_brand: str,
  device_model: str,
  browser_family: str,
  os_family: str,
  platform: str,
  ip_country: str,
  ip_country_code: str,
  ip_state: str,
  ip_city: str,
  latitude: num,
  longitude: num,
  ip_address: str,
  isp: str,
  organization: str,
  is_vpn_or_tor: bool,
  is_data_center: bool,
  time_zone: str,
  time_zone_offset: str,
});
export type DiditNetworkFields = z.infer<typeof diditNetworkFields>;

/** Didit's error body, Django REST Framework style: `{"detail": "..."}`. */
export const diditErrorBody = z.object({ detail: z.string() });

/** The v1 token endpoint's answer (`POST /auth/v2/token/`). */
export const diditToken = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive().nullish(),
});
