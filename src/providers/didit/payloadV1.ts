import { z } from 'zod';
import {
  bool,
  diditAmlFields,
  diditDocumentFields,
  diditGeoPoint,
  diditNetworkFields,
  diditReview,
  diditWarning,
  list,
  num,
  str,
} from './payload.ts';

/**
 * Didit v1 decision, `GET /v1/session/{id}/decision/` (seeds/didit-v1-retrieve-session.md): one object per
 * feature (`kyc`, `aml`, `face`, `location`), each null when the feature has not run, and one flat list of
 * warnings. Fields Verigate does not map (`ocr_status`, `marital_status`, `extra_images`...) are dropped.
 */

export const diditV1Kyc = diditDocumentFields.extend({ is_nfc_verified: bool });
export type DiditV1Kyc = z.infer<typeof diditV1Kyc>;

export const diditV1Face = z.object({
  status: str,
  face_match_status: str,
  liveness_status: str,
  /** 0-100. */
  face_match_similarity: num,
  /** 0-100. */
  liveness_confidence: num,
  source_image: str,
  target_image: str,
  video_url: str,
  age_estimation: num,
  /** 0-100 each. */
  gender_estimation: z.object({ male: num, female: num }).nullish(),
});
export type DiditV1Face = z.infer<typeof diditV1Face>;

export const diditV1Location = diditNetworkFields.extend({
  document_location: diditGeoPoint.nullish(),
  ip_location: diditGeoPoint.nullish(),
  distance_from_document_to_ip_km: z.object({ distance: num, direction: str }).nullish(),
});
export type DiditV1Location = z.infer<typeof diditV1Location>;

export const diditV1Decision = z.object({
  session_id: z.string().min(1),
  status: z.string().min(1),
  vendor_data: str,
  kyc: diditV1Kyc.nullish(),
  aml: diditAmlFields.nullish(),
  face: diditV1Face.nullish(),
  location: diditV1Location.nullish(),
  warnings: list(diditWarning),
  reviews: list(diditReview),
  created_at: str,
});
export type DiditV1Decision = z.infer<typeof diditV1Decision>;
