import type { Session } from '../../model/session.ts';
import { upstreamError } from '../../upstream/errors.ts';
import { DEFAULT_HTTP_OPTIONS, UpstreamHttp, type UpstreamHttpOptions } from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartPrefill, StartSessionRequest } from '../start.ts';
import type { ProviderAdapter } from '../types.ts';
import { PLAID_API_VERSION, type PlaidLive } from './config.ts';
import { plaidCreateError, plaidGetError } from './errors.ts';
import { normalizePlaidVerification } from './normalize.ts';
import { plaidIdentityVerification } from './payload.ts';

/** Identity verification ids: `idv_` and Plaid's alphanumeric token (`idv_52xR9LKo77r1Np`). */
export const PLAID_ID = /^idv_[A-Za-z0-9]{1,64}$/;
/** Template ids (`idvtmp_4FrXJvfQU3zGUR`): what `flow` names. */
const PLAID_TEMPLATE_ID = /^idvtmp_[A-Za-z0-9]{1,64}$/;

export interface PlaidAdapterOptions {
  sandbox: boolean;
  http?: UpstreamHttpOptions;
}

/**
 * Plaid Identity Verification: JSON POSTs with `PLAID-CLIENT-ID` / `PLAID-SECRET` (the spec's security schemes) and
 * `Plaid-Version` pinned. Plaid's own sandbox (`PLAID_ENV=sandbox`) holds test data, so its sessions are `sandbox: true`.
 */
export class PlaidAdapter implements ProviderAdapter {
  readonly provider = 'PLAID' as const;
  readonly sandbox: boolean;
  readonly #sandboxData: boolean;
  readonly #http: UpstreamHttp;
  readonly #headers: Record<string, string>;

  constructor(live: PlaidLive, options: PlaidAdapterOptions) {
    this.sandbox = options.sandbox;
    this.#sandboxData = options.sandbox || live.environment === 'sandbox';
    this.#http = new UpstreamHttp('PLAID', live.baseUrl, options.http ?? DEFAULT_HTTP_OPTIONS);
    this.#headers = {
      accept: 'application/json',
      'content-type': 'application/json',
      'plaid-client-id': live.clientId,
      'plaid-secret': live.secret,
      'plaid-version': PLAID_API_VERSION,
    };
  }

  checkId(id: string): string | null {
    return PLAID_ID.test(id)
      ? null
      : 'Plaid identity verification ids are "idv_" followed by 1 to 64 letters or digits.';
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    const body = JSON.stringify({ identity_verification_id: id });
    const res = await this.#post('/identity_verification/get', body, signal, true);
    if (res.status !== 200) throw plaidGetError(res);
    const verification = parseUpstreamJson('PLAID', plaidIdentityVerification, res, 'identity verification');
    return normalizePlaidVerification(verification, this.#sandboxData);
  }

  /**
   * `POST /identity_verification/create` (IdentityVerificationCreateRequest): a shareable link Plaid hosts, consent
   * left to the person (`gave_consent: false`), and `is_idempotent` so a retried start returns the same verification.
   */
  async startSession(request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession> {
    if (!PLAID_TEMPLATE_ID.test(request.flow))
      throw upstreamError.badInput('Plaid flows are identity verification template ids ("idvtmp_…").', 'PLAID');
    const user = userOf(request.prefill);
    const body = JSON.stringify({
      client_user_id: request.subjectRef,
      template_id: request.flow,
      is_shareable: true,
      gave_consent: false,
      is_idempotent: true,
      ...(user ? { user } : {}),
    });
    const res = await this.#post('/identity_verification/create', body, signal);
    if (res.status !== 200) throw plaidCreateError(res);
    const created = parseUpstreamJson('PLAID', plaidIdentityVerification, res, 'new identity verification');
    if (!PLAID_ID.test(created.id)) throw upstreamError.badResponse('PLAID', 'the new verification has no usable id');
    return {
      providerSessionId: created.id,
      hostedUrl: created.shareable_url ?? null,
      clientToken: null,
      expiresAt: null,
    };
  }

  close(): Promise<void> {
    return this.#http.close();
  }

  /** `readOnly`: a POST that changes nothing at Plaid, so a 5xx or 429 is retried as a GET would be. */
  #post(path: string, body: string, signal?: AbortSignal, readOnly = false) {
    return this.#http.request({ method: 'POST', path, headers: this.#headers, body, signal, readOnly });
  }
}

/**
 * The prefill as `IdentityVerificationCreateRequestUser`: each field whole or not at all (a name needs both parts),
 * null when nothing is known, so Plaid asks the person for everything.
 */
function userOf(prefill: StartPrefill | null): Record<string, unknown> | null {
  if (!prefill) return null;
  const user: Record<string, unknown> = {};
  if (prefill.email) user.email_address = prefill.email;
  if (prefill.phone) user.phone_number = prefill.phone;
  if (prefill.dateOfBirth) user.date_of_birth = prefill.dateOfBirth;
  if (prefill.givenName && prefill.familyName)
    user.name = { given_name: prefill.givenName, family_name: prefill.familyName };
  return Object.keys(user).length > 0 ? user : null;
}
