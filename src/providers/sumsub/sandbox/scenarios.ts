import { DOCUMENTED_GREEN_WEBHOOK, DOCUMENTED_TEST_COMPLETED_RED } from './examples/documented.ts';

/**
 * The Sumsub sandbox catalogue: one applicant per review status and verdict, the timed ones that send webhooks, and
 * the failures the adapter handles. Verdicts are built by `testCompleted`, the same function the simulator's
 * `POST /resources/applicants/{id}/status/testCompleted` applies (Sumsub's own sandbox control). Values are fake.
 */

export type SumsubBehaviour =
  | SumsubStaticBehaviour
  /** A timed scenario: each step's applicant, and the webhook event Sumsub sends as the step begins. */
  | { kind: 'timeline'; steps: ReadonlyArray<{ event: string; behaviour: SumsubApplicantBehaviour }> };

export interface SumsubApplicantBehaviour {
  kind: 'applicant';
  applicant: Record<string, unknown>;
  /** `requiredIdDocsStatus`; absent: answered 404. */
  steps?: Record<string, unknown>;
}

export type SumsubStaticBehaviour =
  | SumsubApplicantBehaviour
  | { kind: 'error'; status: number; description: string; headers?: Record<string, string> }
  | { kind: 'raw'; status: number; body: string; contentType: string };

export interface SumsubScenario {
  id: string;
  description: string;
  behaviour: SumsubBehaviour;
}

/** The body of `testCompleted` (docs.sumsub.com/reference/simulate-review-response-in-sandbox). */
export interface TestCompleted {
  reviewAnswer: 'GREEN' | 'RED';
  rejectLabels?: string[];
  reviewRejectType?: 'RETRY' | 'FINAL';
  moderationComment?: string;
  clientComment?: string;
}

/** A readable sandbox applicant id: Sumsub's ids are 24 lower-case letters or digits. */
export const sandboxId = (name: string): string => `sbx${name}`.padEnd(24, '0');

/** Written into every RED scenario's `clientComment`: a test proves it never leaves Verigate. */
export const PRIVATE_CLIENT_COMMENT = 'PRIVATE-NOTE: compliance suspects a forged passport, do not tell the applicant';

const CREATED = '2026-03-02 09:30:00';

function applicant(id: string, reviewStatus: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    createdAt: CREATED,
    key: 'SANDBOXKEY',
    clientId: 'verigate-sandbox',
    inspectionId: `${id.slice(0, 20)}aaaa`,
    externalUserId: `crm-${id.slice(3, 12).replace(/0+$/, '')}`,
    levelName: 'id-and-liveness',
    email: 'jane.sample@example.com',
    phone: '+447700900123',
    lang: 'en',
    type: 'individual',
    metadata: [
      { key: 'plan', value: 'premium' },
      { key: 'signupChannel', value: 'ios' },
    ],
    info: {
      firstName: 'Jane',
      firstNameEn: 'Jane',
      middleName: 'Alice',
      lastName: 'Sample',
      lastNameEn: 'Sample',
      dob: '1991-04-12',
      gender: 'F',
      country: 'GBR',
      nationality: 'GBR',
      placeOfBirth: 'London',
      addresses: [
        {
          street: '221 Harbour Street',
          subStreet: 'Flat 4B',
          town: 'London',
          postCode: 'SW1A 1AA',
          country: 'GBR',
          formattedAddress: '221 Harbour Street, Flat 4B, London SW1A 1AA',
        },
      ],
      idDocs: [
        {
          idDocType: 'PASSPORT',
          country: 'GBR',
          firstName: 'Jane',
          middleName: 'Alice',
          lastName: 'Sample',
          issuedDate: '2021-05-03',
          validUntil: '2031-05-02',
          number: '533401872',
          dob: '1991-04-12',
          placeOfBirth: 'London',
          gender: 'F',
          nationality: 'GBR',
        },
        { idDocType: 'SELFIE', country: 'GBR' },
      ],
    },
    requiredIdDocs: {
      docSets: [
        { idDocSetType: 'IDENTITY', types: ['PASSPORT', 'ID_CARD', 'DRIVERS', 'RESIDENCE_PERMIT'] },
        { idDocSetType: 'SELFIE', types: ['SELFIE'] },
      ],
    },
    review: {
      reviewId: 'sbxReview',
      attemptId: 'sbxAttempt',
      attemptCnt: 1,
      levelName: 'id-and-liveness',
      createDate: '2026-03-02 09:31:12+0000',
      reviewStatus,
      priority: 0,
    },
    ...extra,
  };
}

/** What `testCompleted` does to an applicant: its review completed with the given verdict. */
export function testCompleted(applicantPayload: Record<string, unknown>, verdict: TestCompleted, at = new Date()) {
  const review = applicantPayload.review as Record<string, unknown>;
  return {
    ...applicantPayload,
    review: {
      ...review,
      reviewStatus: 'completed',
      reviewDate: at
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '+0000'),
      reviewResult: {
        reviewAnswer: verdict.reviewAnswer,
        ...(verdict.rejectLabels ? { rejectLabels: verdict.rejectLabels } : {}),
        ...(verdict.reviewRejectType ? { reviewRejectType: verdict.reviewRejectType } : {}),
        ...(verdict.moderationComment ? { moderationComment: verdict.moderationComment } : {}),
        ...(verdict.clientComment ? { clientComment: verdict.clientComment } : {}),
      },
    },
  };
}

/** `requiredIdDocsStatus` for an applicant whose two steps got `identity` and `selfie` verdicts. */
export function stepsStatus(
  identity: Record<string, unknown> | null,
  selfie: Record<string, unknown> | null,
): Record<string, unknown> {
  return {
    IDENTITY: identity && {
      reviewResult: { ...identity, clientComment: PRIVATE_CLIENT_COMMENT },
      country: 'GBR',
      idDocType: 'PASSPORT',
      imageIds: [1711234567],
      imageReviewResults: { '1711234567': identity },
      forbidden: false,
    },
    SELFIE: selfie && {
      reviewResult: selfie,
      country: 'GBR',
      idDocType: 'SELFIE',
      imageIds: [1711234568],
      imageReviewResults: { '1711234568': selfie },
      forbidden: false,
    },
  };
}

const REVIEW_DATE = new Date('2026-03-02T09:41:12Z');
const GREEN: TestCompleted = { reviewAnswer: 'GREEN', rejectLabels: [] };
const RED_RETRY: TestCompleted = {
  reviewAnswer: 'RED',
  rejectLabels: ['UNSATISFACTORY_PHOTOS', 'SCREENSHOTS'],
  reviewRejectType: 'RETRY',
  moderationComment: DOCUMENTED_TEST_COMPLETED_RED.moderationComment,
  clientComment: PRIVATE_CLIENT_COMMENT,
};
const RED_FINAL: TestCompleted = {
  reviewAnswer: 'RED',
  rejectLabels: ['FORGERY', 'BLACKLIST'],
  reviewRejectType: 'FINAL',
  moderationComment: 'We could not verify your identity.',
  clientComment: PRIVATE_CLIENT_COMMENT,
};

const completed = (id: string, verdict: TestCompleted, identity: Record<string, unknown>) => ({
  kind: 'applicant' as const,
  applicant: testCompleted(applicant(id, 'pending'), verdict, REVIEW_DATE),
  steps: stepsStatus(identity, { reviewAnswer: 'GREEN' }),
});
const inStatus = (id: string, reviewStatus: string, steps?: Record<string, unknown>) => ({
  kind: 'applicant' as const,
  applicant: applicant(id, reviewStatus),
  ...(steps ? { steps } : {}),
});
const greenIdentity = { reviewAnswer: 'GREEN' };
const redIdentity = (v: TestCompleted) => ({
  reviewAnswer: 'RED',
  rejectLabels: v.rejectLabels,
  reviewRejectType: v.reviewRejectType,
  moderationComment: v.moderationComment,
});

function ids<const T extends string>(...names: T[]): Record<T, string> {
  return Object.fromEntries(names.map((n) => [n, sandboxId(n)])) as Record<T, string>;
}
export const SUMSUB_IDS = {
  documented: DOCUMENTED_GREEN_WEBHOOK.applicantId,
  ...ids(
    'init',
    'pending',
    'prechecked',
    'queued',
    'awaitingservice',
    'awaitinguser',
    'onhold',
    'green',
    'redretry',
    'redfinal',
    'unknownstatus',
    'redwithouttype',
    'nosteps',
    'control',
    'timedgreen',
    'reversal',
    'unavailable',
    'ratelimited',
    'garbage',
    'badshape',
    'notfound',
  ),
};

const reversalPending = inStatus(SUMSUB_IDS.reversal, 'pending');

export const SUMSUB_SCENARIOS: readonly SumsubScenario[] = [
  {
    id: SUMSUB_IDS.documented,
    description:
      'The applicant of Sumsub’s documented `applicantReviewed` GREEN webhook: level `id-and-liveness`, passport and selfie approved (APPROVED).',
    behaviour: {
      kind: 'applicant',
      applicant: testCompleted(
        applicant(SUMSUB_IDS.documented, 'pending', {
          inspectionId: DOCUMENTED_GREEN_WEBHOOK.inspectionId,
          externalUserId: DOCUMENTED_GREEN_WEBHOOK.externalUserId,
        }),
        GREEN,
        REVIEW_DATE,
      ),
      steps: stepsStatus(greenIdentity, { reviewAnswer: 'GREEN' }),
    },
  },
  {
    id: SUMSUB_IDS.init,
    description: '`init`: created, nothing submitted (NOT_STARTED).',
    behaviour: inStatus(SUMSUB_IDS.init, 'init', stepsStatus(null, null)),
  },
  {
    id: SUMSUB_IDS.pending,
    description: '`pending`: documents submitted, checks running (IN_PROGRESS).',
    behaviour: inStatus(SUMSUB_IDS.pending, 'pending'),
  },
  {
    id: SUMSUB_IDS.prechecked,
    description: '`prechecked`: automatic pre-checks done (IN_PROGRESS).',
    behaviour: inStatus(SUMSUB_IDS.prechecked, 'prechecked'),
  },
  {
    id: SUMSUB_IDS.queued,
    description: '`queued`: waiting for a check (IN_PROGRESS).',
    behaviour: inStatus(SUMSUB_IDS.queued, 'queued'),
  },
  {
    id: SUMSUB_IDS.awaitingservice,
    description: '`awaitingService`: waiting for an external service (IN_PROGRESS).',
    behaviour: inStatus(SUMSUB_IDS.awaitingservice, 'awaitingService'),
  },
  {
    id: SUMSUB_IDS.awaitinguser,
    description: '`awaitingUser`: waiting for the applicant (IN_PROGRESS).',
    behaviour: inStatus(SUMSUB_IDS.awaitinguser, 'awaitingUser'),
  },
  {
    id: SUMSUB_IDS.onhold,
    description: '`onHold`: held for a manual check (IN_REVIEW).',
    behaviour: inStatus(SUMSUB_IDS.onhold, 'onHold'),
  },
  {
    id: SUMSUB_IDS.green,
    description: '`completed/GREEN`, as `testCompleted` GREEN sets it (APPROVED).',
    behaviour: completed(SUMSUB_IDS.green, GREEN, greenIdentity),
  },
  {
    id: SUMSUB_IDS.redretry,
    description:
      '`completed/RED/RETRY`, as Sumsub’s documented `testCompleted` RED example (`UNSATISFACTORY_PHOTOS`, `SCREENSHOTS`) sets it (RESUBMISSION_REQUESTED): userAction RETRY, declineReasons DOCUMENT_UNREADABLE and DOCUMENT_NOT_ORIGINAL, retryable in the same session (the vendor’s signal), `moderationComment` as the userMessage; its `clientComment` never leaves Verigate.',
    behaviour: completed(SUMSUB_IDS.redretry, RED_RETRY, redIdentity(RED_RETRY)),
  },
  {
    id: SUMSUB_IDS.redfinal,
    description:
      '`completed/RED/FINAL` (`FORGERY`, `BLACKLIST`), as `testCompleted` RED FINAL sets it (DECLINED): userAction CONTACT_SUPPORT, declineReasons DOCUMENT_TAMPERED and FRAUD_SUSPECTED, not retryable (the vendor’s signal).',
    behaviour: completed(SUMSUB_IDS.redfinal, RED_FINAL, redIdentity(RED_FINAL)),
  },
  {
    id: SUMSUB_IDS.unknownstatus,
    description: 'A review status in no table (`reinspection`): UNKNOWN, the raw word kept in `providerStatus`.',
    behaviour: inStatus(SUMSUB_IDS.unknownstatus, 'reinspection'),
  },
  {
    id: SUMSUB_IDS.redwithouttype,
    description: '`completed/RED` without a `reviewRejectType`: neither RETRY nor FINAL, so UNKNOWN.',
    behaviour: completed(SUMSUB_IDS.redwithouttype, { reviewAnswer: 'RED', rejectLabels: ['SPAM'] }, greenIdentity),
  },
  {
    id: SUMSUB_IDS.nosteps,
    description: '`completed/GREEN` whose `requiredIdDocsStatus` answers 404: details show no steps, nothing fails.',
    behaviour: {
      kind: 'applicant',
      applicant: testCompleted(applicant(SUMSUB_IDS.nosteps, 'pending'), GREEN, REVIEW_DATE),
    },
  },
  {
    id: SUMSUB_IDS.control,
    description:
      '`pending` until you `POST /resources/applicants/sbxcontrol…/status/testCompleted` to the simulator, as in Sumsub’s sandbox; then it sends `applicantReviewed`.',
    behaviour: inStatus(SUMSUB_IDS.control, 'pending'),
  },
  {
    id: SUMSUB_IDS.timedgreen,
    description: 'Timed: `pending`, then `completed/GREEN` one step later, with a signed `applicantReviewed` webhook.',
    behaviour: {
      kind: 'timeline',
      steps: [
        { event: 'applicantPending', behaviour: inStatus(SUMSUB_IDS.timedgreen, 'pending') },
        { event: 'applicantReviewed', behaviour: completed(SUMSUB_IDS.timedgreen, GREEN, greenIdentity) },
      ],
    },
  },
  {
    id: SUMSUB_IDS.reversal,
    description:
      'Timed late reversal: `pending`, then `completed/GREEN`, then `completed/RED/FINAL` — a second final verdict, each step with a signed `applicantReviewed` webhook.',
    behaviour: {
      kind: 'timeline',
      steps: [
        { event: 'applicantPending', behaviour: reversalPending },
        { event: 'applicantReviewed', behaviour: completed(SUMSUB_IDS.reversal, GREEN, greenIdentity) },
        { event: 'applicantReviewed', behaviour: completed(SUMSUB_IDS.reversal, RED_FINAL, redIdentity(RED_FINAL)) },
      ],
    },
  },
  {
    id: SUMSUB_IDS.unavailable,
    description: 'Sumsub answers 503 (UPSTREAM_UNAVAILABLE).',
    behaviour: { kind: 'error', status: 503, description: 'Service temporarily unavailable' },
  },
  {
    id: SUMSUB_IDS.ratelimited,
    description: 'Sumsub answers 429 with `Retry-After: 7` (UPSTREAM_RATE_LIMITED).',
    behaviour: { kind: 'error', status: 429, description: 'Too many requests', headers: { 'retry-after': '7' } },
  },
  {
    id: SUMSUB_IDS.garbage,
    description: 'Sumsub answers 200 with a body that is not JSON (UPSTREAM_BAD_RESPONSE).',
    behaviour: { kind: 'raw', status: 200, body: '<html>maintenance</html>', contentType: 'application/json' },
  },
  {
    id: SUMSUB_IDS.badshape,
    description: 'Sumsub answers 200 with an applicant that has no `review` (UPSTREAM_BAD_RESPONSE).',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ id: SUMSUB_IDS.badshape, createdAt: CREATED }),
      contentType: 'application/json',
    },
  },
];
