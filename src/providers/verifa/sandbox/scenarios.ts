/**
 * The Verifa sandbox catalogue: one session per status, edge case and failure the adapter handles.
 * Values are fake. The README's scenario table is checked against this list by a test.
 */

export type VerifaBehaviour =
  | VerifaStaticBehaviour
  /** A timed scenario: each step's answers, and the webhook event Verifa sends as the step begins. */
  | { kind: 'timeline'; steps: ReadonlyArray<{ event: string; behaviour: VerifaStaticBehaviour }> };

export type VerifaStaticBehaviour =
  | { kind: 'session'; session: Record<string, unknown>; result?: Record<string, unknown> }
  | { kind: 'error'; status: number; body: Record<string, unknown>; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number; session: Record<string, unknown>; result: Record<string, unknown> }
  | { kind: 'raw'; status: number; body: string; contentType: string };

export interface VerifaScenario {
  id: string;
  description: string;
  behaviour: VerifaBehaviour;
}

const CREATED = '2026-03-02T09:30:00Z';

export function session(id: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    status,
    is_sandbox: true,
    environment: 'sandbox',
    created_at: CREATED,
    updated_at: '2026-03-02T09:41:12Z',
    external_ref: `crm-${id}`,
    metadata: { plan: 'premium', signup_channel: 'ios' },
    country: 'US',
    workflow_id: 'workflow_custom_kyc',
    document_type: 'drivers_license',
    retention_status: 'active',
    processing_attempts: 1,
    capture_url: `https://verify.withverifa.test/c/${id}`,
    token_expires_at: '2026-03-02T09:50:00Z',
    case_id: null,
    case_status: null,
    tags: ['sandbox'],
    ...extra,
  };
}

const EXTRACTED = {
  first_name: 'Jane',
  last_name: 'Sample',
  date_of_birth: '1991-04-12',
  address: { line1: '221 Harbor Street', line2: 'Apt 4B', city: 'Portland', state: 'OR', zip: '97205' },
  document_number: 'D81234567',
  nationality: 'US',
  gender: 'F',
  ssn: '123-45-6789',
  document_type: 'drivers_license',
  document_expiration_date: '2031-04-12',
  document_issuing_state: 'OR',
};

export function result(id: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    session_id: id,
    status,
    is_sandbox: true,
    created_at: CREATED,
    face_match_passed: true,
    face_match_score: 0.962,
    age_check_passed: true,
    extracted_age: 34,
    extracted_data: EXTRACTED,
    rejection_reason: null,
    rejection_reason_code: null,
    processing_mode: 'auto',
    country_used: 'US',
    sensitive_data_expired: false,
    ...extra,
  };
}

const error = (
  status: number,
  code: string,
  detail: string,
  headers?: Record<string, string>,
): VerifaStaticBehaviour => ({
  kind: 'error',
  status,
  body: { error: code, detail, status_code: status },
  ...(headers ? { headers } : {}),
});

const withResult = (id: string, sessionStatus: string, resultStatus: string, extra: Record<string, unknown> = {}) => ({
  kind: 'session' as const,
  session: session(id, sessionStatus),
  result: result(id, resultStatus, extra),
});
const sessionOnly = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
  kind: 'session' as const,
  session: session(id, status, extra),
});

export const VERIFA_SCENARIOS: readonly VerifaScenario[] = [
  {
    id: 'ses_abc123',
    description: 'Verifa’s documented example: result `needs_review` with face match and document data → IN_REVIEW',
    behaviour: withResult('ses_abc123', 'under_review', 'needs_review', { face_match_score: 0.91 }),
  },
  {
    id: 'ses_approved',
    description: 'result `approved`, full document data → APPROVED',
    behaviour: withResult('ses_approved', 'completed', 'approved'),
  },
  {
    id: 'ses_rejected',
    description:
      'result `rejected` with `rejection_reason_code: document_unreadable` → DECLINED, declineReasons DOCUMENT_UNREADABLE (retryable in a new session), userAction START_OVER',
    behaviour: withResult('ses_rejected', 'completed', 'rejected', {
      face_match_passed: false,
      face_match_score: 0.31,
      rejection_reason: 'The document image was too blurry to read.',
      rejection_reason_code: 'document_unreadable',
    }),
  },
  {
    id: 'ses_resubmission',
    description:
      'result `resubmission_required` with `document_unreadable` → RESUBMISSION_REQUESTED, userAction RETRY (same session), the reason’s userMessage from `rejection_reason`',
    behaviour: withResult('ses_resubmission', 'capturing', 'resubmission_required', {
      rejection_reason: 'Please retake the photo of your document in better light.',
      rejection_reason_code: 'document_unreadable',
    }),
  },
  {
    id: 'ses_rejected_unknown_code',
    description:
      'result `rejected` with a code Verifa has not published (`selfie_spoof_suspected`) → DECLINED, declineReasons OTHER with the code kept, userAction CONTACT_SUPPORT',
    behaviour: withResult('ses_rejected_unknown_code', 'completed', 'rejected', {
      rejection_reason: 'We could not verify your identity.',
      rejection_reason_code: 'selfie_spoof_suspected',
    }),
  },
  {
    id: 'ses_result_declined',
    description: 'undocumented result `declined` (accepted defensively) → DECLINED',
    behaviour: withResult('ses_result_declined', 'completed', 'declined'),
  },
  {
    id: 'ses_result_failed',
    description: 'undocumented result `failed` (accepted defensively) → DECLINED',
    behaviour: withResult('ses_result_failed', 'completed', 'failed'),
  },
  {
    id: 'ses_result_passed',
    description: 'undocumented result `passed` (accepted defensively) → APPROVED',
    behaviour: withResult('ses_result_passed', 'completed', 'passed'),
  },
  {
    id: 'ses_result_unknown',
    description: 'a result status Verigate does not know (`escalated`) → UNKNOWN, raw value kept',
    behaviour: withResult('ses_result_unknown', 'completed', 'escalated'),
  },
  {
    id: 'ses_sensitive_expired',
    description:
      '`approved`, but the sensitive-data window has passed: `extracted_data` empty, `sensitive_data_expired: true`',
    behaviour: withResult('ses_sensitive_expired', 'completed', 'approved', {
      extracted_data: {},
      extracted_age: null,
      sensitive_data_expired: true,
    }),
  },
  {
    id: 'ses_pending',
    description: 'no result yet; session `pending` → NOT_STARTED',
    behaviour: sessionOnly('ses_pending', 'pending'),
  },
  {
    id: 'ses_capturing',
    description: 'no result yet; session `capturing` → IN_PROGRESS',
    behaviour: sessionOnly('ses_capturing', 'capturing'),
  },
  {
    id: 'ses_processing',
    description: 'no result yet; session `processing` → IN_PROGRESS',
    behaviour: sessionOnly('ses_processing', 'processing'),
  },
  {
    id: 'ses_awaiting_external',
    description: 'no result yet; session `awaiting_external` → IN_PROGRESS',
    behaviour: sessionOnly('ses_awaiting_external', 'awaiting_external'),
  },
  {
    id: 'ses_sandbox_pending',
    description: 'no result yet; session `sandbox_pending` → IN_PROGRESS',
    behaviour: sessionOnly('ses_sandbox_pending', 'sandbox_pending'),
  },
  {
    id: 'ses_under_review',
    description: 'no result yet; session `under_review` → IN_REVIEW',
    behaviour: sessionOnly('ses_under_review', 'under_review'),
  },
  {
    id: 'ses_completed_no_result',
    description: 'session `completed` but the result is not written yet → IN_PROGRESS',
    behaviour: sessionOnly('ses_completed_no_result', 'completed'),
  },
  {
    id: 'ses_expired',
    description: 'no result; session `expired` → EXPIRED',
    behaviour: sessionOnly('ses_expired', 'expired'),
  },
  {
    id: 'ses_failed',
    description: 'no result; session `failed` → ERROR',
    behaviour: sessionOnly('ses_failed', 'failed'),
  },
  {
    id: 'ses_session_unknown',
    description: 'no result; a session status Verigate does not know (`archived`) → UNKNOWN',
    behaviour: sessionOnly('ses_session_unknown', 'archived'),
  },
  {
    id: 'ses_missing',
    description: '404 on the result and on the session (any id not in this table does the same) → NOT_FOUND',
    behaviour: error(404, 'not_found', 'Session not found.'),
  },
  {
    id: 'ses_error_401',
    description: 'Verifa answers 401 (as for a revoked key) → UPSTREAM_AUTH_FAILED',
    behaviour: error(401, 'unauthorized', 'Invalid or missing API key.'),
  },
  {
    id: 'ses_error_403',
    description: 'Verifa answers 403 (key lacks the scope) → UPSTREAM_AUTH_FAILED',
    behaviour: error(403, 'forbidden', 'This API key does not have access to this resource.'),
  },
  {
    id: 'ses_rate_limited',
    description: 'Verifa answers 429 with `Retry-After: 12` → UPSTREAM_RATE_LIMITED, retryAfterSeconds 12',
    behaviour: error(429, 'rate_limited', 'Rate limit exceeded. Retry after 12 seconds.', { 'retry-after': '12' }),
  },
  {
    id: 'ses_error_500',
    description: 'Verifa answers 500 → UPSTREAM_UNAVAILABLE',
    behaviour: error(500, 'internal_error', 'An unexpected error occurred.'),
  },
  {
    id: 'ses_slow',
    description: 'Verifa takes 30 s to answer → UPSTREAM_UNAVAILABLE once Verigate’s timeout passes',
    behaviour: {
      kind: 'slow',
      delayMs: 30_000,
      session: session('ses_slow', 'completed'),
      result: result('ses_slow', 'approved'),
    },
  },
  {
    id: 'ses_malformed',
    description: 'Verifa answers 200 with a body that is not JSON → UPSTREAM_BAD_RESPONSE',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: '{"session_id": "ses_malformed", "status": ',
      contentType: 'application/json',
    },
  },
  {
    id: 'ses_invalid_shape',
    description: 'Verifa answers 200 with JSON of the wrong shape (`status` is a number) → UPSTREAM_BAD_RESPONSE',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ session_id: 'ses_invalid_shape', status: 7, face_match_score: 'high' }),
      contentType: 'application/json',
    },
  },
  {
    id: 'ses_timeline',
    description:
      'timed, with webhooks: `processing` when first read → IN_PROGRESS; a few seconds later `session.requires-review` (result `needs_review`) → IN_REVIEW; then `session.approved` → APPROVED',
    behaviour: {
      kind: 'timeline',
      steps: [
        { event: 'session.started', behaviour: sessionOnly('ses_timeline', 'processing') },
        { event: 'session.requires-review', behaviour: withResult('ses_timeline', 'under_review', 'needs_review') },
        { event: 'session.approved', behaviour: withResult('ses_timeline', 'completed', 'approved') },
      ],
    },
  },
  {
    id: 'ses_overturned',
    description:
      'timed, with webhooks: `approved` when first read → APPROVED (terminal, cached); a few seconds later a reviewer overturns it, `session.declined` (result `rejected`) → DECLINED',
    behaviour: {
      kind: 'timeline',
      steps: [
        { event: 'session.approved', behaviour: withResult('ses_overturned', 'completed', 'approved') },
        {
          event: 'session.declined',
          behaviour: withResult('ses_overturned', 'completed', 'rejected', {
            rejection_reason: 'Overturned by a reviewer.',
            rejection_reason_code: 'document_unreadable',
          }),
        },
      ],
    },
  },
  {
    id: 'ses_redacted_later',
    description:
      'timed, with webhooks: `approved` when first read → APPROVED (terminal, cached); a few seconds later Verifa redacts it, `session.redacted` (`sensitive_data_expired: true`, `extracted_data` empty) → still APPROVED, personal fields null',
    behaviour: {
      kind: 'timeline',
      steps: [
        { event: 'session.approved', behaviour: withResult('ses_redacted_later', 'completed', 'approved') },
        {
          event: 'session.redacted',
          behaviour: withResult('ses_redacted_later', 'completed', 'approved', {
            extracted_data: {},
            extracted_age: null,
            sensitive_data_expired: true,
          }),
        },
      ],
    },
  },
];
