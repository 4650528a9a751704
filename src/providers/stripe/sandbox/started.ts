import { createHash, randomBytes } from 'node:crypto';
import type { HostedAction, HostedReason } from '../../../sandbox/hostedPage.ts';
import { stripeLastErrorCodes } from '../declines.ts';
import { documentCheck, report, type StripeObject, selfieCheck, session, verifiedOutputs } from './scenarios.ts';

/**
 * Sessions created through the simulator's `POST /v1/identity/verification_sessions`, and how the hosted page moves
 * them. Stripe has no "declined" status: a failed check sends the session back to `requires_input` with `last_error`
 * (the user may try again: the page's "ask to resubmit"), and an integration that will not let them cancels it, which
 * keeps the `last_error` (the page's "decline": `canceled` with that code). "Abandon" is a cancel without an error;
 * "approve" is `verified` with a passing report and verified outputs.
 */

/** What a create's form says (`VerificationSessionCreateParams`), or the Stripe error it is answered with. */
export type CreateParse =
  | { ok: true; params: Map<string, string> }
  | { ok: false; error: { type: string; code: string; param: string; message: string } };

const invalid = (code: string, param: string, message: string): CreateParse => ({
  ok: false,
  error: { type: 'invalid_request_error', code, param, message },
});

export function parseCreate(form: URLSearchParams): CreateParse {
  const params = new Map(form.entries());
  const type = params.get('type');
  const flow = params.get('verification_flow');
  if (type === undefined && flow === undefined)
    return invalid('parameter_missing', 'type', 'You must provide a `type` if not passing `verification_flow`.');
  if (type !== undefined && flow !== undefined)
    return invalid('parameter_invalid', 'verification_flow', 'You cannot pass both `type` and `verification_flow`.');
  if (type !== undefined && type !== 'document' && type !== 'id_number')
    return invalid('parameter_invalid_string', 'type', 'Invalid type: must be one of document or id_number.');
  if (flow !== undefined && !/^vf_[A-Za-z0-9]+$/.test(flow))
    return invalid('resource_missing', 'verification_flow', 'No such verification flow.');
  const returnUrl = params.get('return_url');
  if (returnUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(returnUrl))
    return invalid('url_invalid', 'return_url', 'Not a valid URL.');
  const reference = params.get('client_reference_id');
  if (reference !== undefined && reference.length > 5000)
    return invalid('parameter_invalid_string_too_long', 'client_reference_id', 'Invalid string: too long.');
  return { ok: true, params };
}

/** A new `requires_input` session whose `url` is the simulator's hosted page for it (`hostedUrl` mints its link). */
export function createdSession(params: Map<string, string>, hostedUrl: (id: string) => string): StripeObject {
  const id = `vs_${randomBytes(12)
    .toString('base64url')
    .replace(/[^A-Za-z0-9]/g, 'x')}`;
  const email = params.get('provided_details[email]');
  const phone = params.get('provided_details[phone]');
  const flow = params.get('verification_flow');
  return session(id, 'requires_input', {
    created: Math.floor(Date.now() / 1000),
    client_reference_id: params.get('client_reference_id') ?? null,
    client_secret: `${id}_secret_${randomBytes(16).toString('hex')}`,
    url: hostedUrl(id),
    type: flow ? 'verification_flow' : (params.get('type') ?? 'document'),
    ...(flow ? { verification_flow: flow } : {}),
    metadata: {},
    provided_details: email || phone ? { ...(email ? { email } : {}), ...(phone ? { phone } : {}) } : null,
  });
}

/** A digest of the create's parameters: the same Idempotency-Key with other parameters is an `idempotency_error`. */
export function paramsDigest(form: URLSearchParams): string {
  const sorted = [...form.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}

/** The codes the hosted page offers, with the reason Stripe would show the user. */
export const HOSTED_REASONS: readonly HostedReason[] = stripeLastErrorCodes.rows.map((r) => ({
  code: r.code,
  label: r.code.replaceAll('_', ' '),
}));

/** The check a code belongs to, for the report the failed attempt leaves. */
function failedChecks(code: string, reason: string): StripeObject {
  const error = { code, reason };
  if (code.startsWith('selfie_')) return { document: documentCheck(), selfie: selfieCheck(error) };
  if (code.startsWith('document_') || code === 'country_not_supported') return { document: documentCheck(error) };
  return {};
}

/** The session after the person's choice on the hosted page, and the event Stripe sends for it. */
export function moved(current: StripeObject, action: HostedAction): { session: StripeObject; event: string } {
  const id = String(current.id);
  const reportId = `${id.slice(3)}R${randomBytes(4).toString('hex')}`;
  const base = { ...current, client_secret: null, url: null };
  const reason = action.reason ? `The verification failed: ${action.reason.replaceAll('_', ' ')}.` : '';
  switch (action.outcome) {
    case 'approve': {
      const provided = (current.provided_details ?? {}) as StripeObject;
      return {
        event: 'identity.verification_session.verified',
        session: {
          ...base,
          status: 'verified',
          last_error: null,
          last_verification_report: report(reportId, id, { document: documentCheck(), selfie: selfieCheck() }),
          verified_outputs: verifiedOutputs({ email: provided.email ?? null, phone: provided.phone ?? null }),
        },
      };
    }
    case 'resubmit':
    case 'decline': {
      const code = action.reason ?? 'document_unverified_other';
      const checks = failedChecks(code, reason);
      return {
        event:
          action.outcome === 'resubmit'
            ? 'identity.verification_session.requires_input'
            : 'identity.verification_session.canceled',
        session: {
          ...base,
          status: action.outcome === 'resubmit' ? 'requires_input' : 'canceled',
          // Back in requires_input, the session takes input again: Stripe serves it a fresh link, the sandbox its page.
          ...(action.outcome === 'resubmit' ? { url: current.url, client_secret: current.client_secret } : {}),
          last_error: { code, reason },
          last_verification_report: Object.keys(checks).length > 0 ? report(reportId, id, checks) : null,
        },
      };
    }
    case 'abandon':
      return { event: 'identity.verification_session.canceled', session: { ...base, status: 'canceled' } };
  }
}

/** A Stripe error for an action the session's status does not allow. */
type ActionResult = { session: StripeObject; event: string } | { error: { type: string; message: string } };

/** `POST …/{id}/cancel`: only a session in `requires_input` can be canceled (docs.stripe.com/api/identity/verification_sessions/cancel). */
export function canceledSession(current: StripeObject): ActionResult {
  if (current.status !== 'requires_input')
    return {
      error: {
        type: 'invalid_request_error',
        message: 'Only a VerificationSession in requires_input status can be canceled.',
      },
    };
  return {
    event: 'identity.verification_session.canceled',
    session: { ...current, status: 'canceled', client_secret: null, url: null },
  };
}

const REDACTED = '[redacted]';

/**
 * `POST …/{id}/redact`: a `requires_input` or `verified` session's personal data is replaced and `redaction.status`
 * becomes `redacted` (Stripe goes through `processing` first; the sandbox redacts at once).
 */
export function redactedSession(current: StripeObject): ActionResult {
  if (current.status !== 'requires_input' && current.status !== 'verified')
    return {
      error: {
        type: 'invalid_request_error',
        message: 'Only a VerificationSession in requires_input or verified status can be redacted.',
      },
    };
  const outputs = current.verified_outputs as StripeObject | null | undefined;
  const report = current.last_verification_report as StripeObject | string | null | undefined;
  const document = typeof report === 'object' && report ? (report.document as StripeObject | undefined) : undefined;
  const redactedDocument = document && {
    ...document,
    first_name: REDACTED,
    last_name: REDACTED,
    number: REDACTED,
    dob: null,
    address: null,
    sex: REDACTED,
    unparsed_place_of_birth: REDACTED,
  };
  return {
    event: 'identity.verification_session.redacted',
    session: {
      ...current,
      client_reference_id: REDACTED,
      client_secret: null,
      url: null,
      redaction: { status: 'redacted' },
      provided_details: null,
      verified_outputs: outputs && {
        ...outputs,
        first_name: REDACTED,
        last_name: REDACTED,
        dob: null,
        address: null,
        email: outputs.email === null ? null : REDACTED,
        phone: outputs.phone === null ? null : REDACTED,
        sex: REDACTED,
        unparsed_place_of_birth: REDACTED,
      },
      last_verification_report:
        typeof report === 'object' && report
          ? { ...report, ...(redactedDocument ? { document: redactedDocument } : {}) }
          : report,
    },
  };
}
