import { z } from 'zod';
import { boundedJson } from '../../upstream/boundedJson.ts';

/**
 * Sumsub's JSON (docs.sumsub.com/reference/get-applicant-data, /reference/get-applicant-verification-steps-status,
 * /docs/receive-and-interpret-results-via-api; field types as in SumSubstance/AppTokenUsageExamples
 * `GoLang/GoLangAppTokensHmacSha256.go` `ApplicantsResponse`). Only the fields read are declared; zod drops the rest.
 * `clientComment` is deliberately never declared: Sumsub says it "should not be shown to your applicants" and may hold
 * private information, so it is dropped at parse and cannot reach a response, the cache or a log.
 */

const str = z.string().nullish();

/** `reviewResult`: the verdict of a completed review. */
export const sumsubReviewResult = z.object({
  reviewAnswer: str,
  rejectLabels: z.array(z.string()).max(100).nullish(),
  reviewRejectType: str,
  moderationComment: str,
});
export type SumsubReviewResult = z.infer<typeof sumsubReviewResult>;

export const sumsubIdDoc = z.object({
  idDocType: str,
  country: str,
  number: str,
  firstName: str,
  middleName: str,
  lastName: str,
  dob: str,
  placeOfBirth: str,
  issuedDate: str,
  validUntil: str,
  gender: str,
  nationality: str,
});
export type SumsubIdDoc = z.infer<typeof sumsubIdDoc>;

export const sumsubAddress = z.object({
  street: str,
  subStreet: str,
  town: str,
  state: str,
  postCode: str,
  country: str,
  formattedAddress: str,
});

/** `info` (data recognised or provided) and `fixedInfo` (data you set) share this shape. */
export const sumsubInfo = z.object({
  firstName: str,
  middleName: str,
  lastName: str,
  dob: str,
  gender: str,
  country: str,
  nationality: str,
  placeOfBirth: str,
  phone: str,
  addresses: z.array(sumsubAddress).max(20).nullish(),
  idDocs: z.array(sumsubIdDoc).max(50).nullish(),
});
export type SumsubInfo = z.infer<typeof sumsubInfo>;

export const sumsubApplicant = z.object({
  id: z.string().min(1),
  createdAt: str,
  externalUserId: str,
  levelName: str,
  email: str,
  phone: str,
  info: sumsubInfo.nullish(),
  fixedInfo: sumsubInfo.nullish(),
  /** Your key/value pairs set on the applicant: passed through, bounded. */
  metadata: boundedJson('SUMSUB', 'metadata', z.array(z.object({ key: z.string(), value: z.unknown() })).nullish()),
  review: z.object({
    reviewStatus: z.string().min(1),
    levelName: str,
    attemptCnt: z.number().int().nullish(),
    createDate: str,
    reviewDate: str,
    reviewResult: sumsubReviewResult.nullish(),
  }),
});
export type SumsubApplicant = z.infer<typeof sumsubApplicant>;

/**
 * `GET /resources/applicants/{id}/requiredIdDocsStatus`: one entry per verification step (`IDENTITY`, `SELFIE`,
 * `PROOF_OF_RESIDENCE`…), null for a step not submitted yet.
 */
export const sumsubStepsStatus = boundedJson(
  'SUMSUB',
  'requiredIdDocsStatus',
  z
    .record(
      z.string().max(64),
      z.object({ reviewResult: sumsubReviewResult.nullish(), idDocType: str, country: str }).nullable(),
    )
    .nullable(),
);

/** Sumsub's error body (docs.sumsub.com/reference/generate-access-token-body, "If the request fails"). */
export const sumsubError = z.object({
  description: str,
  code: z.number().nullish(),
  correlationId: str,
  errorCode: z.number().nullish(),
  errorName: str,
});
export type SumsubError = z.infer<typeof sumsubError>;
