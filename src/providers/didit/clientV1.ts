import type { Session } from '../../model/session.ts';
import { statusError, upstreamError } from '../../upstream/errors.ts';
import { DEFAULT_HTTP_OPTIONS, UpstreamHttp, type UpstreamResponse } from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import { TokenCache, type TokenGrant } from '../../upstream/tokenCache.ts';
import type { ProviderAdapter } from '../types.ts';
import type { DiditLive } from './config.ts';
import { normalizeDiditV1Decision } from './normalizeV1.ts';
import { diditToken } from './payload.ts';
import { diditV1Decision } from './payloadV1.ts';
import {
  canonicalDiditSessionId,
  checkDiditSessionId,
  type DiditAdapterOptions,
  decisionPath,
  diditError,
} from './upstream.ts';

export type DiditV1Live = Extract<DiditLive, { version: 'v1' }>;

/** Lifetime assumed when the token answer omits `expires_in` (Didit documents 86400 s; be conservative). */
const FALLBACK_TOKEN_SECONDS = 300;

/**
 * Didit v1 (legacy apps): a client-credentials token from `DIDIT_AUTH_URL` (Basic auth, form body), cached and
 * shared, then `Authorization: Bearer` on `GET /v1/session/{id}/decision/`. A 401 is retried once with a fresh
 * token, since Didit may revoke a token before its stated expiry.
 */
export class DiditV1Adapter implements ProviderAdapter {
  readonly provider = 'DIDIT' as const;
  readonly sandbox: boolean;
  readonly #api: UpstreamHttp;
  readonly #auth: UpstreamHttp;
  readonly #authPath: string;
  readonly #basic: string;
  readonly #tokens: TokenCache;

  constructor(live: DiditV1Live, options: DiditAdapterOptions) {
    this.sandbox = options.sandbox;
    const http = options.http ?? DEFAULT_HTTP_OPTIONS;
    this.#api = new UpstreamHttp('DIDIT', live.baseUrl, http);
    // The token endpoint lives on another origin (apx.didit.me), so it gets its own pool.
    const authUrl = new URL(live.authUrl);
    this.#auth = new UpstreamHttp('DIDIT', authUrl.origin, http);
    this.#authPath = authUrl.pathname;
    this.#basic = `Basic ${Buffer.from(`${live.clientId}:${live.clientSecret}`, 'utf8').toString('base64')}`;
    this.#tokens = new TokenCache((signal) => this.#fetchToken(signal));
  }

  checkId(id: string): string | null {
    return checkDiditSessionId(id);
  }

  canonicalId(id: string): string {
    return canonicalDiditSessionId(id);
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    const path = decisionPath('v1', id);
    let token = await this.#tokens.get(signal);
    let res = await this.#get(path, token, signal);
    if (res.status === 401) {
      this.#tokens.invalidate(token);
      token = await this.#tokens.get(signal);
      res = await this.#get(path, token, signal);
    }
    if (res.status !== 200) throw diditError(res);
    return normalizeDiditV1Decision(parseUpstreamJson('DIDIT', diditV1Decision, res, 'decision payload'), this.sandbox);
  }

  async close(): Promise<void> {
    await Promise.all([this.#api.close(), this.#auth.close()]);
  }

  #get(path: string, token: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    return this.#api.request({
      path,
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
      signal,
    });
  }

  async #fetchToken(signal?: AbortSignal): Promise<TokenGrant> {
    const res = await this.#auth.request({
      method: 'POST',
      path: this.#authPath,
      headers: {
        accept: 'application/json',
        authorization: this.#basic,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
      signal,
    });
    if (res.status === 200) {
      const grant = parseUpstreamJson('DIDIT', diditToken, res, 'token response');
      return { accessToken: grant.access_token, expiresInSeconds: grant.expires_in ?? FALLBACK_TOKEN_SECONDS };
    }
    // An OAuth token endpoint refuses bad client credentials with 400 (invalid_client) as well as 401/403.
    if (res.status === 400) throw upstreamError.authFailed('DIDIT', res.status);
    throw statusError('DIDIT', res);
  }
}
