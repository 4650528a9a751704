import { FIXTURE_SESSION, FIXTURE_SESSION_ID } from './examples/fixtures3.ts';

/**
 * The Stripe Identity sandbox catalogue: one VerificationSession per status row, decline and failure the adapter
 * handles, stored as Stripe holds them — the last report and the verified outputs whole; the simulator applies
 * `expand[]` when it answers. Values are fake (Stripe's own test persona, Jenny Rosen). The README's scenario table is
 * checked against this list by a test.
 */

export type StripeObject = Record<string, unknown>;
export { FIXTURE_SESSION, FIXTURE_SESSION_ID };

export type StripeStaticBehaviour =
  | { kind: 'session'; session: StripeObject }
  | { kind: 'error'; status: number; error: StripeObject; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number; session: StripeObject }
  | { kind: 'raw'; status: number; body: string; contentType: string };

export type StripeBehaviour =
  | StripeStaticBehaviour
  /** A timed scenario: each step's session, and the `identity.verification_session.*` event sent as it begins. */
  | { kind: 'timeline'; steps: ReadonlyArray<{ event: string; behaviour: StripeStaticBehaviour }> };

export interface StripeScenario {
  id: string;
  description: string;
  behaviour: StripeBehaviour;
}

/** 2026-03-02T09:30:00Z. */
export const CREATED = 1_772_443_800;

const ADDRESS = {
  city: 'San Francisco',
  country: 'US',
  line1: '1234 Main St.',
  line2: 'Apt 5',
  postal_code: '94111',
  state: 'CA',
};

/** A report with the checks given (`VerificationReport`), `verified` unless a check says otherwise. */
export function report(id: string, sessionId: string, checks: StripeObject, type = 'document'): StripeObject {
  return {
    id: `vr_${id}`,
    object: 'identity.verification_report',
    client_reference_id: `crm-${sessionId}`,
    created: CREATED + 120,
    livemode: false,
    options: { document: {} },
    type,
    verification_session: sessionId,
    ...checks,
  };
}

/** The document check (`VerificationReport.Document`); `error` makes it `unverified`. */
export function documentCheck(error: StripeObject | null = null): StripeObject {
  return {
    address: ADDRESS,
    dob: { day: 15, month: 1, year: 1990 },
    error,
    expiration_date:
      error?.code === 'document_expired' ? { day: 1, month: 12, year: 2024 } : { day: 1, month: 12, year: 2030 },
    files: ['file_SimFront01', 'file_SimBack01'],
    first_name: 'Jenny',
    issued_date: { day: 1, month: 12, year: 2020 },
    issuing_country: 'US',
    last_name: 'Rosen',
    number: 'D1234567',
    sex: 'female',
    status: error ? 'unverified' : 'verified',
    type: 'driving_license',
    unparsed_place_of_birth: 'Portland, OR',
    unparsed_sex: 'F',
  };
}

export function selfieCheck(error: StripeObject | null = null): StripeObject {
  return { document: 'file_SimFront01', selfie: 'file_SimSelfie01', error, status: error ? 'unverified' : 'verified' };
}

/** `VerificationSession.VerifiedOutputs` of Jenny Rosen. */
export function verifiedOutputs(extra: StripeObject = {}): StripeObject {
  return {
    address: ADDRESS,
    dob: { day: 15, month: 1, year: 1990 },
    email: null,
    first_name: 'Jenny',
    id_number: null,
    id_number_type: null,
    last_name: 'Rosen',
    phone: null,
    sex: 'female',
    unparsed_place_of_birth: 'Portland, OR',
    unparsed_sex: 'F',
    ...extra,
  };
}

/** A VerificationSession as Stripe stores it (`identity.verification_session`), its last report whole. */
export function session(id: string, status: string, extra: StripeObject = {}): StripeObject {
  return {
    id,
    object: 'identity.verification_session',
    client_reference_id: `crm-${id}`,
    client_secret: null,
    created: CREATED,
    last_error: null,
    last_verification_report: null,
    livemode: false,
    metadata: { plan: 'premium' },
    options: { document: { require_matching_selfie: true } },
    provided_details: null,
    redaction: null,
    related_customer: null,
    related_customer_account: null,
    status,
    type: 'document',
    url: null,
    verified_outputs: null,
    ...extra,
  };
}

const lastError = (code: string, reason: string) => ({ code, reason });

const EXPIRED = lastError('document_expired', 'The document is expired.');
const MISMATCH = lastError('selfie_face_mismatch', 'The provided selfie did not match the face on the document.');
const UNDERAGE = lastError('under_supported_age', 'Stripe does not verify users under the age of majority.');

function verified(id: string, extra: StripeObject = {}): StripeObject {
  return session(id, 'verified', {
    last_verification_report: report(`${id.slice(3)}Report`, id, {
      document: documentCheck(),
      selfie: selfieCheck(),
    }),
    verified_outputs: verifiedOutputs(),
    ...extra,
  });
}

const stripeError = (status: number, error: StripeObject, headers?: Record<string, string>): StripeStaticBehaviour => ({
  kind: 'error',
  status,
  error,
  ...(headers ? { headers } : {}),
});

const timelineId = 'vs_Timeline';

export const STRIPE_SCENARIOS: readonly StripeScenario[] = [
  {
    id: 'vs_Verified',
    description:
      'verified: document and selfie checks passed, verified outputs (Jenny Rosen); `POST /v1/identity/verification_sessions/vs_Verified/redact` redacts it, firing `identity.verification_session.redacted`',
    behaviour: { kind: 'session', session: verified('vs_Verified') },
  },
  {
    id: FIXTURE_SESSION_ID,
    description: 'Stripe’s documented example session and report (fixtures3.json), verified',
    behaviour: { kind: 'session', session: FIXTURE_SESSION },
  },
  {
    id: 'vs_RequiresInput',
    description:
      'requires_input without last_error: created, the user has not submitted yet (NOT_STARTED); `…/vs_RequiresInput/cancel` cancels it, firing `identity.verification_session.canceled`',
    behaviour: { kind: 'session', session: session('vs_RequiresInput', 'requires_input') },
  },
  {
    id: 'vs_Processing',
    description: 'processing: Stripe is checking what the user submitted',
    behaviour: { kind: 'session', session: session('vs_Processing', 'processing') },
  },
  {
    id: 'vs_Canceled',
    description: 'canceled by the integration (ABANDONED)',
    behaviour: { kind: 'session', session: session('vs_Canceled', 'canceled') },
  },
  {
    id: 'vs_DocumentExpired',
    description: 'requires_input with last_error document_expired (RESUBMISSION_REQUESTED)',
    behaviour: {
      kind: 'session',
      session: session('vs_DocumentExpired', 'requires_input', {
        last_error: EXPIRED,
        last_verification_report: report('DocumentExpiredReport', 'vs_DocumentExpired', {
          document: documentCheck(EXPIRED),
        }),
      }),
    },
  },
  {
    id: 'vs_SelfieMismatch',
    description: 'requires_input with last_error selfie_face_mismatch (RESUBMISSION_REQUESTED)',
    behaviour: {
      kind: 'session',
      session: session('vs_SelfieMismatch', 'requires_input', {
        last_error: MISMATCH,
        last_verification_report: report('SelfieMismatchReport', 'vs_SelfieMismatch', {
          document: documentCheck(),
          selfie: selfieCheck(MISMATCH),
        }),
      }),
    },
  },
  {
    id: 'vs_CanceledUnderage',
    description: 'canceled after last_error under_supported_age (ABANDONED, a new session only)',
    behaviour: {
      kind: 'session',
      session: session('vs_CanceledUnderage', 'canceled', { last_error: UNDERAGE }),
    },
  },
  {
    id: 'vs_VerificationFlow',
    description: 'verified through a verification flow: document, selfie, id_number, email and phone checks',
    behaviour: {
      kind: 'session',
      session: session('vs_VerificationFlow', 'verified', {
        type: 'verification_flow',
        verification_flow: 'vf_1SimFlow',
        provided_details: { email: 'jenny.rosen@example.com', phone: '+14155550100' },
        last_verification_report: report(
          'VerificationFlowReport',
          'vs_VerificationFlow',
          {
            document: documentCheck(),
            selfie: selfieCheck(),
            id_number: {
              dob: { day: 15, month: 1, year: 1990 },
              error: null,
              first_name: 'Jenny',
              id_number: '6789',
              id_number_type: 'us_ssn',
              last_name: 'Rosen',
              status: 'verified',
            },
            email: { email: 'jenny.rosen@example.com', error: null, status: 'verified' },
            phone: { phone: '+14155550100', error: null, status: 'verified' },
          },
          'verification_flow',
        ),
        verified_outputs: verifiedOutputs({
          email: 'jenny.rosen@example.com',
          phone: '+14155550100',
          id_number: '6789',
          id_number_type: 'us_ssn',
        }),
      }),
    },
  },
  {
    id: 'vs_Redacted',
    description: 'verified, then redacted (redaction.status redacted): no personal data, sensitiveDataExpired',
    behaviour: {
      kind: 'session',
      session: verified('vs_Redacted', {
        redaction: { status: 'redacted' },
        client_reference_id: '[redacted]',
        verified_outputs: verifiedOutputs({
          first_name: '[redacted]',
          last_name: '[redacted]',
          dob: null,
          address: null,
          sex: '[redacted]',
        }),
      }),
    },
  },
  {
    id: 'vs_Unknown',
    description: 'a status Stripe may add later (UNKNOWN, the word kept)',
    behaviour: { kind: 'session', session: session('vs_Unknown', 'requires_review') },
  },
  {
    id: 'vs_Missing',
    description:
      '404 resource_missing (NOT_FOUND), as for any id not here; sessions created with POST /v1/identity/verification_sessions answer until the simulator stops, their `url` its hosted page (/hosted/<token>: a bearer link, not the id)',
    behaviour: stripeError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'id',
      message: "No such verification session: 'vs_Missing'",
    }),
  },
  {
    id: 'vs_Error401',
    description: '401: the secret key is refused (UPSTREAM_AUTH_FAILED)',
    behaviour: stripeError(401, {
      type: 'invalid_request_error',
      message: 'Invalid API Key provided: sk_test_****_key',
    }),
  },
  {
    id: 'vs_RateLimited',
    description: '429 rate_limit with Retry-After: 2 (UPSTREAM_RATE_LIMITED)',
    behaviour: stripeError(
      429,
      {
        type: 'invalid_request_error',
        code: 'rate_limit',
        message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
      },
      { 'retry-after': '2' },
    ),
  },
  {
    id: 'vs_Error500',
    description: '500 api_error (UPSTREAM_UNAVAILABLE)',
    behaviour: stripeError(500, { type: 'api_error', message: 'An unknown error occurred' }),
  },
  {
    id: 'vs_InvalidShape',
    description: 'a 200 whose session’s status is a number (UPSTREAM_BAD_RESPONSE)',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ id: 'vs_InvalidShape', object: 'identity.verification_session', status: 7 }),
      contentType: 'application/json',
    },
  },
  {
    id: 'vs_Slow',
    description: 'answers after 10 s (UPSTREAM_UNAVAILABLE once the deadline passes)',
    behaviour: { kind: 'slow', delayMs: 10_000, session: session('vs_Slow', 'processing') },
  },
  {
    id: timelineId,
    description:
      'timed: requires_input → processing → verified, a signed identity.verification_session.* event at each step',
    behaviour: {
      kind: 'timeline',
      steps: [
        {
          event: 'identity.verification_session.created',
          behaviour: { kind: 'session', session: session(timelineId, 'requires_input') },
        },
        {
          event: 'identity.verification_session.processing',
          behaviour: { kind: 'session', session: session(timelineId, 'processing') },
        },
        {
          event: 'identity.verification_session.verified',
          behaviour: { kind: 'session', session: verified(timelineId) },
        },
      ],
    },
  },
];
