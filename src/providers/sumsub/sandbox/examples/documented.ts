/**
 * Sumsub's documented examples, as the docs print them (values are Sumsub's placeholders).
 */

/** docs.sumsub.com/docs/receive-and-interpret-results-via-api: "An example webhook payload with a GREEN response". */
export const DOCUMENTED_GREEN_WEBHOOK = {
  applicantId: '5cb56e8e0a975a35f333cb83',
  inspectionId: '5cb56e8e0a975a35f333cb84',
  correlationId: 'req-a260b669-4f14-4bb5-a4c5-ac0218acb9a4',
  externalUserId: 'externalUserId',
  levelName: 'id-and-liveness',
  type: 'applicantReviewed',
  reviewResult: { reviewAnswer: 'GREEN' },
  reviewStatus: 'completed',
  createdAtMs: '2020-02-21 13:23:19.321',
};

/** docs.sumsub.com/reference/simulate-review-response-in-sandbox: the RED request example of `testCompleted`. */
export const DOCUMENTED_TEST_COMPLETED_RED = {
  reviewAnswer: 'RED',
  rejectLabels: ['UNSATISFACTORY_PHOTOS', 'SCREENSHOTS'],
  reviewRejectType: 'RETRY',
  clientComment: 'Screenshots are not accepted.',
  moderationComment: 'We do not accept screenshots. Please upload an original photo.',
};

/** docs.sumsub.com/reference/generate-access-token-body: Sumsub's error body for a bad signature. */
export const DOCUMENTED_SIGNATURE_ERROR = {
  description: 'Request signature mismatch',
  code: 401,
  correlationId: 'f677f38a9998b13c572a2a0000000000',
  errorCode: 4003,
  errorName: 'app-token-signature mismatch',
};

/** The signing example of docs.sumsub.com/reference/authentication ("the string to be signed to get an access token"). */
export const DOCUMENTED_SIGNING_STRING =
  '1607551635POST/resources/accessTokens?userId=cfd20712-24a2-4c7d-9ab0-146f3c142335&levelName=basic-kyc-level&ttlInSecs=600';
