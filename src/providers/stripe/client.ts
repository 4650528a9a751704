import { logger } from '../../logger.ts';
import type { Session } from '../../model/session.ts';
import { type GatewayError, parseRetryAfter, statusError, upstreamError } from '../../upstream/errors.ts';
import {
  DEFAULT_HTTP_OPTIONS,
  UpstreamHttp,
  type UpstreamHttpOptions,
  type UpstreamResponse,
} from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartSessionRequest } from '../start.ts';
import type { ProviderAdapter } from '../types.ts';
import { STRIPE_API_VERSION, type StripeLive } from './config.ts';
import { normalizeStripeSession } from './normalize.ts';
import { stripeCreatedSession, stripeErrorBody, stripeVerificationSession } from './payload.ts';

/** VerificationSession ids: `vs_` and Stripe's base62 token (`vs_1Pgc76B7WZ01zgkWBdQi8PTU`, 24 characters after it). */
const STRIPE_ID = /^vs_[A-Za-z0-9]{1,128}$/;

/**
 * What the session is built from. Stripe returns `last_verification_report` as an id and leaves `verified_outputs` out
 * unless they are expanded, and hides a report's document number, date of birth and expiry, and the verified date of
 * birth, unless each is expanded by name (docs.stripe.com/identity/access-verification-results).
 */
const EXPAND = [
  'last_verification_report',
  'verified_outputs',
  'last_verification_report.document.number',
  'last_verification_report.document.dob',
  'last_verification_report.document.expiration_date',
  'verified_outputs.dob',
];
const EXPAND_QUERY = EXPAND.map((e) => `expand[]=${encodeURIComponent(e)}`).join('&');

/** The flows `type` takes (`VerificationSessionCreateParams.Type`); anything else must be a verification flow id. */
const TYPE_FLOWS = new Set(['document', 'id_number']);
const VERIFICATION_FLOW = /^vf_[A-Za-z0-9]{1,128}$/;

export interface StripeAdapterOptions {
  sandbox: boolean;
  http?: UpstreamHttpOptions;
}

/** Stripe Identity adapter: Bearer secret key, `Stripe-Version` pinned on every call, form-encoded writes. */
export class StripeAdapter implements ProviderAdapter {
  readonly provider = 'STRIPE' as const;
  readonly sandbox: boolean;
  /** Test-mode keys (`sk_test_…`, restricted `rk_test_…`) only reach test-mode sessions: sandbox data even live. */
  readonly #sandboxData: boolean;
  readonly #http: UpstreamHttp;
  readonly #headers: Record<string, string>;

  constructor(live: StripeLive, options: StripeAdapterOptions) {
    this.sandbox = options.sandbox;
    this.#sandboxData = options.sandbox || /^[sr]k_test_/.test(live.secretKey);
    this.#http = new UpstreamHttp('STRIPE', live.baseUrl, options.http ?? DEFAULT_HTTP_OPTIONS);
    this.#headers = {
      accept: 'application/json',
      authorization: `Bearer ${live.secretKey}`,
      'stripe-version': STRIPE_API_VERSION,
    };
  }

  checkId(id: string): string | null {
    return STRIPE_ID.test(id)
      ? null
      : 'Stripe VerificationSession ids are "vs_" followed by 1 to 128 letters or digits.';
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    const path = `/v1/identity/verification_sessions/${encodeURIComponent(id)}?${EXPAND_QUERY}`;
    const res = await this.#http.request({ path, headers: this.#headers, signal });
    if (res.status === 200)
      return normalizeStripeSession(
        parseUpstreamJson('STRIPE', stripeVerificationSession, res, 'verification session'),
        this.#sandboxData,
      );
    throw readError(res);
  }

  /**
   * `POST /v1/identity/verification_sessions` (form-encoded, as every Stripe write): `type` for `document` /
   * `id_number`, else `verification_flow`; the caller's id as `client_reference_id`; the prefill's email and phone as
   * `provided_details`. The idempotency key makes a repeated call return the same session.
   */
  async startSession(request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession> {
    const form = new URLSearchParams();
    if (TYPE_FLOWS.has(request.flow)) form.set('type', request.flow);
    else if (VERIFICATION_FLOW.test(request.flow)) form.set('verification_flow', request.flow);
    else
      throw upstreamError.badInput(
        'Stripe flows are "document", "id_number" or a verification flow id ("vf_" and letters or digits).',
        'STRIPE',
      );
    form.set('client_reference_id', request.subjectRef);
    if (request.returnUrl) form.set('return_url', request.returnUrl);
    if (request.prefill?.email) form.set('provided_details[email]', request.prefill.email);
    if (request.prefill?.phone) form.set('provided_details[phone]', request.prefill.phone);
    const res = await this.#http.request({
      method: 'POST',
      path: '/v1/identity/verification_sessions',
      headers: {
        ...this.#headers,
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': request.idempotencyKey,
      },
      body: form.toString(),
      signal,
    });
    if (res.status !== 200) throw startError(res);
    const created = parseUpstreamJson('STRIPE', stripeCreatedSession, res, 'created verification session');
    // Stripe documents the url's 48 h and the client secret's 24 h but sends no instant: expiresAt stays null.
    return {
      providerSessionId: created.id,
      hostedUrl: created.url ?? null,
      clientToken: created.client_secret ?? null,
      expiresAt: null,
    };
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}

/** Stripe answers 429 without `Retry-After` as a rule; its limits are per second, so a second is the wait. */
const rateLimited = (res: UpstreamResponse) =>
  upstreamError.rateLimited('STRIPE', parseRetryAfter(res.headers['retry-after'], 1));

/** A read's failure (Stripe's `{ error: { type, code, param, message } }`): 404 `resource_missing` is an unknown session. */
function readError(res: UpstreamResponse): GatewayError {
  if (res.status === 404) return upstreamError.notFound('STRIPE');
  if (res.status === 429) return rateLimited(res);
  if (res.status === 400) {
    // A 400 to a read is Verigate's request (an expand or a Stripe-Version Stripe no longer takes), not the caller's.
    const code = errorBody(res)?.code ?? null;
    logger.warn({ provider: 'STRIPE', status: 400, code }, 'provider rejected the request');
    return upstreamError.badResponse('STRIPE', `it rejected the request (HTTP 400${code ? `, ${code}` : ''})`);
  }
  return statusError('STRIPE', res);
}

/**
 * A create's failure: a 4xx `invalid_request_error` or `idempotency_error` (credentials and rate limits apart) is about
 * the caller's input, and is named by Stripe's code and parameter only — Stripe's message may quote the values sent.
 */
function startError(res: UpstreamResponse): GatewayError {
  const error = errorBody(res);
  if (res.status === 429) return rateLimited(res);
  const aboutInput = error?.type === 'invalid_request_error' || error?.type === 'idempotency_error';
  if (aboutInput && res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403) {
    const named = [error?.code, error?.param ? `parameter ${error.param}` : null].filter(Boolean).join(', ');
    return upstreamError.badInput(`Stripe refused the verification's input${named ? ` (${named})` : ''}.`, 'STRIPE');
  }
  return statusError('STRIPE', res);
}

/** The error body when there is one Verigate can read (codes and parameter names are Stripe's vocabulary, safe to log). */
function errorBody(res: UpstreamResponse): { type: string; code: string | null; param: string | null } | null {
  try {
    const parsed = stripeErrorBody.safeParse(JSON.parse(res.body.toString('utf8')));
    if (!parsed.success) return null;
    const safe = (v: string | null | undefined) => (v && /^[A-Za-z0-9_.[\]-]{1,100}$/.test(v) ? v : null);
    return { type: parsed.data.error.type, code: safe(parsed.data.error.code), param: safe(parsed.data.error.param) };
  } catch {
    return null;
  }
}
