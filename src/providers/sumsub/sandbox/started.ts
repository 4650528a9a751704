import { randomBytes } from 'node:crypto';
import type { HostedAction, HostedReason } from '../../../sandbox/hostedPage.ts';
import { PRIVATE_CLIENT_COMMENT, type TestCompleted, testCompleted } from './scenarios.ts';

/**
 * Applicants created through the simulator (`POST /resources/applicants`, what `startVerification` calls), their
 * WebSDK links and SDK tokens, and what the hosted page's buttons do: each runs Sumsub's own sandbox control,
 * `testCompleted`, with the verdict a moderator would give.
 */

/** The sandbox's level: `SUMSUB_DEFAULT_FLOW` on the sandbox (the catalogue's applicants are on it too). */
export const SUMSUB_SANDBOX_LEVEL = 'id-and-liveness';
const LEVEL = /^[A-Za-z0-9 ._-]{1,64}$/;

/** Rejection labels a decline or resubmission gives (Sumsub's FINAL and RETRY groups). */
export const SUMSUB_DECLINE_REASONS: readonly HostedReason[] = [
  { code: 'FORGERY', label: 'Forged document' },
  { code: 'SELFIE_MISMATCH', label: 'The selfie does not match the document' },
  { code: 'AGE_REQUIREMENT_MISMATCH', label: 'Under the required age' },
];
export const SUMSUB_RESUBMIT_REASONS: readonly HostedReason[] = [
  { code: 'EXPIRATION_DATE', label: 'The document has expired' },
  { code: 'UNSATISFACTORY_PHOTOS', label: 'The photos cannot be read' },
  { code: 'BAD_FACE_MATCHING', label: 'The face could not be matched' },
];
/** Text Sumsub documents as safe to show the applicant (`moderationComment`), by outcome. */
const MODERATION_COMMENT = {
  decline: 'We could not verify your identity with the documents provided.',
  resubmit: 'Please upload your documents again: the ones provided could not be accepted.',
};

/** A create request's applicant, or null when Sumsub would refuse it (400: `externalUserId` and a level are needed). */
export function createdApplicant(level: string | null, body: unknown, now: Date): Record<string, unknown> | null {
  const b = body as { externalUserId?: unknown; email?: unknown; phone?: unknown; lang?: unknown; fixedInfo?: unknown };
  if (!level || !LEVEL.test(level) || typeof b?.externalUserId !== 'string' || b.externalUserId === '') return null;
  const id = randomBytes(12).toString('hex');
  const stamp = now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '');
  const fixedInfo = b.fixedInfo && typeof b.fixedInfo === 'object' ? b.fixedInfo : {};
  return {
    id,
    createdAt: stamp,
    key: 'SANDBOXKEY',
    clientId: 'verigate-sandbox',
    inspectionId: randomBytes(12).toString('hex'),
    externalUserId: b.externalUserId,
    levelName: level,
    ...(typeof b.email === 'string' ? { email: b.email } : {}),
    ...(typeof b.phone === 'string' ? { phone: b.phone } : {}),
    lang: typeof b.lang === 'string' ? b.lang : 'en',
    type: 'individual',
    fixedInfo,
    info: fixedInfo,
    review: {
      reviewId: 'sbxReview',
      attemptId: 'sbxAttempt',
      attemptCnt: 0,
      levelName: level,
      reviewStatus: 'init',
      priority: 0,
    },
  };
}

/** The applicant after the person's choice, or null when the choice sends no review (abandon: nothing submitted). */
export function hostedMove(applicant: Record<string, unknown>, action: HostedAction): Record<string, unknown> | null {
  const red = (reviewRejectType: 'RETRY' | 'FINAL', comment: string): TestCompleted => ({
    reviewAnswer: 'RED',
    rejectLabels: action.reason ? [action.reason] : [],
    reviewRejectType,
    moderationComment: comment,
    clientComment: PRIVATE_CLIENT_COMMENT,
  });
  switch (action.outcome) {
    case 'approve':
      return testCompleted(applicant, { reviewAnswer: 'GREEN', rejectLabels: [] });
    case 'decline':
      return testCompleted(applicant, red('FINAL', MODERATION_COMMENT.decline));
    case 'resubmit':
      return testCompleted(applicant, red('RETRY', MODERATION_COMMENT.resubmit));
    case 'abandon':
      // Sumsub has no "abandoned" state: an applicant who leaves stays `init` until the level's link lapses.
      return null;
  }
}
