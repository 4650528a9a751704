import type { ScenarioInfo } from '../../types.ts';
import { PLAID_IDENTITY_VERIFICATION_GET } from './examples/identityVerificationGet.ts';

/**
 * The Plaid simulator's catalogue: each status of `IdentityVerificationStatus`, failed steps of each kind, Plaid's
 * error answers and a timed verification that sends signed webhooks. Every verification is the spec's documented
 * example (`examples/identityVerificationGet.ts`) with values changed.
 */

export type Json = Record<string, unknown>;
export type PlaidWebhookCode = 'STATUS_UPDATED' | 'STEP_UPDATED' | 'RETRIED';

/** A `PlaidError` body (request_id is added by the simulator). */
export interface PlaidErrorBody {
  error_type: string;
  error_code: string;
  error_message: string;
  display_message: string | null;
}

export type PlaidStaticBehaviour =
  | { kind: 'verification'; body: Json }
  | { kind: 'error'; status: number; error: PlaidErrorBody; headers?: Record<string, string> }
  | { kind: 'raw'; status: number; body: string; contentType: string }
  | { kind: 'slow'; delayMs: number; body: Json };

export type PlaidBehaviour =
  | PlaidStaticBehaviour
  /** Moves a step every `stepMs` after its first read; each step's webhook is sent as it begins. */
  | { kind: 'timeline'; steps: { code: PlaidWebhookCode; behaviour: PlaidStaticBehaviour }[] };

export interface PlaidScenario extends ScenarioInfo {
  behaviour: PlaidBehaviour;
}

export const STEP_NAMES = [
  'accept_tos',
  'verify_sms',
  'kyc_check',
  'documentary_verification',
  'selfie_check',
  'watchlist_screening',
  'risk_check',
] as const;
export type Steps = Record<(typeof STEP_NAMES)[number], string>;

const ALL_SUCCESS: Steps = Object.fromEntries(STEP_NAMES.map((s) => [s, 'success'])) as Steps;

/** A verification just started: the terms are the person's step, everything else waits. */
export const STARTED_STEPS: Steps = {
  ...(Object.fromEntries(STEP_NAMES.map((s) => [s, 'waiting_for_prerequisite'])) as Steps),
  accept_tos: 'active',
};

const clone = <T>(v: T): T => structuredClone(v);
type Example = Json & {
  documentary_verification: Json & { documents: Json[] };
  selfie_check: Json & { selfies: Json[] };
  kyc_check: Json;
  risk_check: Json;
};

/**
 * The example as verification `id` in `status` with these step words; a step that has not finished has no details
 * (the spec: null "unless steps.X has reached a terminal state"). `change` edits the copy further.
 */
export function verification(
  id: string,
  status: string,
  steps: Partial<Steps> = {},
  change: (v: Example) => void = () => {},
): Json {
  const v = clone(PLAID_IDENTITY_VERIFICATION_GET) as Example;
  const words: Steps = { ...ALL_SUCCESS, ...steps };
  v.id = id;
  v.status = status;
  v.steps = words;
  v.redacted_at = null;
  v.completed_at = ['active', 'pending_review'].includes(status) ? null : v.completed_at;
  v.documentary_verification.documents = v.documentary_verification.documents.map((d) => ({ ...d, redacted_at: null }));
  const terminal = (w: string) => ['success', 'failed', 'manually_approved', 'manually_rejected'].includes(w);
  for (const step of ['documentary_verification', 'selfie_check', 'kyc_check', 'risk_check'] as const) {
    const word = words[step];
    if (!terminal(word)) (v as Json)[step] = null;
    else (v[step] as Json).status = word;
  }
  if (words.verify_sms !== 'success') v.verify_sms = null;
  if (!terminal(words.watchlist_screening) && words.watchlist_screening !== 'pending_review')
    v.watchlist_screening_id = null;
  change(v);
  return v;
}

const error = (status: number, type: string, code: string, message: string, headers?: Record<string, string>) =>
  ({
    kind: 'error',
    status,
    error: { error_type: type, error_code: code, error_message: message, display_message: null },
    headers,
  }) as const;

/** The answer for an id Plaid does not have (plaid.com/docs/errors/invalid-request/, NOT_FOUND). */
export const NOT_FOUND_ERROR = error(404, 'INVALID_REQUEST', 'NOT_FOUND', 'the requested resource was not found');

const failedDocument = (v: Example, analysis: Json) => {
  const doc = v.documentary_verification.documents[0] as Json;
  doc.status = 'failed';
  doc.analysis = { ...(doc.analysis as Json), ...analysis };
};

const active = (id: string) =>
  verification(id, 'active', {
    documentary_verification: 'active',
    selfie_check: 'waiting_for_prerequisite',
    watchlist_screening: 'waiting_for_prerequisite',
    risk_check: 'waiting_for_prerequisite',
  });

export const PLAID_SCENARIOS: readonly PlaidScenario[] = [
  {
    id: 'idv_52xR9LKo77r1Np',
    description:
      'the spec’s documented example: `success`, every step passed (document, selfie, data sources, screening, risk) → APPROVED',
    behaviour: { kind: 'verification', body: verification('idv_52xR9LKo77r1Np', 'success') },
  },
  {
    id: 'idv_Active',
    description: '`active`: data sources passed, the document is the person’s current step → IN_PROGRESS (their turn)',
    behaviour: { kind: 'verification', body: active('idv_Active') },
  },
  {
    id: 'idv_Processing',
    description:
      '`active` with every step run and none of them the person’s: Plaid is finishing it → IN_PROGRESS (Plaid’s turn)',
    behaviour: {
      kind: 'verification',
      body: verification('idv_Processing', 'active', { watchlist_screening: 'not_applicable', risk_check: 'success' }),
    },
  },
  {
    id: 'idv_FailedDocument',
    description:
      '`failed`: `documentary_verification` failed, low image quality and an expired document → DECLINED (DOCUMENT_EXPIRED, DOCUMENT_UNREADABLE)',
    behaviour: {
      kind: 'verification',
      body: verification(
        'idv_FailedDocument',
        'failed',
        {
          documentary_verification: 'failed',
          selfie_check: 'not_applicable',
          watchlist_screening: 'not_applicable',
          risk_check: 'not_applicable',
        },
        (v) =>
          failedDocument(v, {
            image_quality: 'low',
            extracted_data: {
              name: 'match',
              date_of_birth: 'match',
              expiration_date: 'expired',
              issuing_country: 'match',
            },
          }),
      ),
    },
  },
  {
    id: 'idv_FailedSelfie',
    description: '`failed`: `selfie_check` failed, the face does not match the document → DECLINED (FACE_MISMATCH)',
    behaviour: {
      kind: 'verification',
      body: verification(
        'idv_FailedSelfie',
        'failed',
        { selfie_check: 'failed', watchlist_screening: 'not_applicable', risk_check: 'not_applicable' },
        (v) => {
          const selfie = v.selfie_check.selfies[0] as Json;
          selfie.status = 'failed';
          selfie.analysis = { document_comparison: 'no_match', liveness_check: 'success' };
        },
      ),
    },
  },
  {
    id: 'idv_FailedKyc',
    description: '`failed`: `kyc_check` failed, no record of the name and date of birth → DECLINED (DATA_MISMATCH)',
    behaviour: {
      kind: 'verification',
      body: verification(
        'idv_FailedKyc',
        'failed',
        {
          kyc_check: 'failed',
          documentary_verification: 'not_applicable',
          selfie_check: 'not_applicable',
          watchlist_screening: 'not_applicable',
          risk_check: 'not_applicable',
        },
        (v) => {
          v.kyc_check.name = { summary: 'no_match' };
          v.kyc_check.date_of_birth = { summary: 'no_data' };
        },
      ),
    },
  },
  {
    id: 'idv_FailedScreening',
    description: '`failed`: `watchlist_screening` failed (a confirmed hit) → DECLINED (SANCTIONS_MATCH, not retryable)',
    behaviour: {
      kind: 'verification',
      body: verification('idv_FailedScreening', 'failed', {
        watchlist_screening: 'failed',
        risk_check: 'not_applicable',
      }),
    },
  },
  {
    id: 'idv_FailedRisk',
    description: '`failed`: `risk_check` failed, a bot was detected → DECLINED (FRAUD_SUSPECTED, not retryable)',
    behaviour: {
      kind: 'verification',
      body: verification('idv_FailedRisk', 'failed', { risk_check: 'failed' }, (v) => {
        v.risk_check.behavior = { user_interactions: 'risky', fraud_ring_detected: 'no', bot_detected: 'yes' };
        v.risk_check.facial_duplicates = [];
      }),
    },
  },
  {
    id: 'idv_PendingReview',
    description: '`pending_review`: the watchlist screening has hits to review → IN_REVIEW',
    behaviour: {
      kind: 'verification',
      body: verification('idv_PendingReview', 'pending_review', {
        watchlist_screening: 'pending_review',
        risk_check: 'success',
      }),
    },
  },
  {
    id: 'idv_Expired',
    description: '`expired`: left unfinished on the document step → EXPIRED',
    behaviour: {
      kind: 'verification',
      body: verification('idv_Expired', 'expired', {
        documentary_verification: 'expired',
        selfie_check: 'expired',
        watchlist_screening: 'expired',
        risk_check: 'expired',
      }),
    },
  },
  {
    id: 'idv_Canceled',
    description: '`canceled` in the dashboard before the selfie → ABANDONED',
    behaviour: {
      kind: 'verification',
      body: verification('idv_Canceled', 'canceled', {
        selfie_check: 'canceled',
        watchlist_screening: 'canceled',
        risk_check: 'canceled',
      }),
    },
  },
  {
    id: 'idv_Archived',
    description: 'a status word not in Plaid’s list (`archived`) → UNKNOWN, the word kept',
    behaviour: { kind: 'verification', body: verification('idv_Archived', 'archived') },
  },
  {
    id: 'idv_Missing',
    description: 'HTTP 404 `NOT_FOUND`: no such verification → NOT_FOUND',
    behaviour: NOT_FOUND_ERROR,
  },
  {
    id: 'idv_UnknownId',
    description: 'HTTP 400 `INVALID_REQUEST` / `NOT_FOUND` (the code decides, not the status) → NOT_FOUND',
    behaviour: error(400, 'INVALID_REQUEST', 'NOT_FOUND', 'identity verification not found'),
  },
  {
    id: 'idv_InvalidKeys',
    description: 'HTTP 400 `INVALID_INPUT` / `INVALID_API_KEYS`, as Plaid answers bad keys → UPSTREAM_AUTH_FAILED',
    behaviour: error(400, 'INVALID_INPUT', 'INVALID_API_KEYS', 'invalid client_id or secret provided'),
  },
  {
    id: 'idv_RateLimited',
    description: 'HTTP 429 `RATE_LIMIT_EXCEEDED` with `Retry-After: 30` → UPSTREAM_RATE_LIMITED (retry in 30 s)',
    behaviour: error(429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT', 'rate limit exceeded for this endpoint', {
      'retry-after': '30',
    }),
  },
  {
    id: 'idv_RateLimitedNoHeader',
    description: 'HTTP 429 `RATE_LIMIT_EXCEEDED` without `Retry-After` → UPSTREAM_RATE_LIMITED (retry in 60 s)',
    behaviour: error(429, 'RATE_LIMIT_EXCEEDED', 'RATE_LIMIT', 'rate limit exceeded for this endpoint'),
  },
  {
    id: 'idv_Error500',
    description: 'HTTP 500 `API_ERROR` / `INTERNAL_SERVER_ERROR` → UPSTREAM_UNAVAILABLE',
    behaviour: error(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', 'an unexpected error occurred'),
  },
  {
    id: 'idv_NotJson',
    description: 'HTTP 200 with an HTML page → UPSTREAM_BAD_RESPONSE',
    behaviour: { kind: 'raw', status: 200, body: '<html><body>maintenance</body></html>', contentType: 'text/html' },
  },
  {
    id: 'idv_WrongShape',
    description: 'HTTP 200 with JSON that is not a verification → UPSTREAM_BAD_RESPONSE',
    behaviour: { kind: 'raw', status: 200, body: '{"identity_verifications":[]}', contentType: 'application/json' },
  },
  {
    id: 'idv_Slow',
    description: 'answers after 10 s (past the upstream deadline) → UPSTREAM_UNAVAILABLE',
    behaviour: { kind: 'slow', delayMs: 10_000, body: verification('idv_Slow', 'success') },
  },
  {
    id: 'idv_Timed',
    description:
      'timed, with webhooks: `active` on the document when first read; `STEP_UPDATED` as the selfie begins; `STATUS_UPDATED` at `success` → APPROVED',
    behaviour: {
      kind: 'timeline',
      steps: [
        { code: 'STATUS_UPDATED', behaviour: { kind: 'verification', body: active('idv_Timed') } },
        {
          code: 'STEP_UPDATED',
          behaviour: {
            kind: 'verification',
            body: verification('idv_Timed', 'active', {
              selfie_check: 'active',
              watchlist_screening: 'waiting_for_prerequisite',
              risk_check: 'waiting_for_prerequisite',
            }),
          },
        },
        { code: 'STATUS_UPDATED', behaviour: { kind: 'verification', body: verification('idv_Timed', 'success') } },
      ],
    },
  },
];
