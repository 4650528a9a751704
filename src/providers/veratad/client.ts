import { logger } from '../../logger.ts';
import type { Session } from '../../model/session.ts';
import { statusError, upstreamError } from '../../upstream/errors.ts';
import {
  DEFAULT_HTTP_OPTIONS,
  UpstreamHttp,
  type UpstreamHttpOptions,
  type UpstreamResponse,
} from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import { TokenCache, type TokenGrant } from '../../upstream/tokenCache.ts';
import type { ProviderAdapter } from '../types.ts';
import type { VeratadLive } from './config.ts';
import { normalizeVeratadInProgress, normalizeVeratadResult } from './normalize.ts';
import { veratadInProgress, veratadResult, veratadToken, veratadTokenError } from './payload.ts';

/** VX `request_id`s are UUIDs; any version, any case. */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The audience VX tokens are issued for (api.veratad.com, "Create Session"). */
export const VERATAD_AUDIENCE = 'dcams.app';

export interface VeratadAdapterOptions {
  sandbox: boolean;
  http?: UpstreamHttpOptions;
}

/**
 * Veratad VX adapter. An OAuth client-credentials token from `VERATAD_AUTH_URL` (its own origin, so its own pool)
 * is cached by `TokenCache`; a 401 from the VX API drops it and the call is retried once with a fresh one.
 */
export class VeratadAdapter implements ProviderAdapter {
  readonly provider = 'VERATAD' as const;
  readonly sandbox: boolean;
  readonly #api: UpstreamHttp;
  readonly #auth: UpstreamHttp;
  readonly #authPath: string;
  readonly #tokenBody: string;
  readonly #tokens: TokenCache;

  constructor(live: VeratadLive, options: VeratadAdapterOptions) {
    const http = options.http ?? DEFAULT_HTTP_OPTIONS;
    const authUrl = new URL(live.authUrl);
    this.sandbox = options.sandbox;
    this.#api = new UpstreamHttp('VERATAD', live.baseUrl, http);
    this.#auth = new UpstreamHttp('VERATAD', authUrl.origin, http);
    this.#authPath = authUrl.pathname;
    this.#tokenBody = JSON.stringify({
      client_id: live.clientId,
      client_secret: live.clientSecret,
      audience: VERATAD_AUDIENCE,
      grant_type: 'client_credentials',
    });
    this.#tokens = new TokenCache(() => this.#fetchToken());
  }

  checkId(id: string): string | null {
    return REQUEST_ID.test(id)
      ? null
      : 'Veratad VX request ids are UUIDs: 32 hexadecimal digits grouped 8-4-4-4-12 with "-".';
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    // UUIDs are case-insensitive; VX issues them in lower case.
    const requestId = id.toLowerCase();
    const path = `/api/session/result/${encodeURIComponent(requestId)}`;
    // The token fetch is shared by every waiting request, so one caller's cancellation must not abort it.
    let token = await this.#tokens.get();
    let res = await this.#get(path, token, signal);
    if (res.status === 401) {
      this.#tokens.invalidate(token);
      token = await this.#tokens.get();
      res = await this.#get(path, token, signal);
    }
    switch (res.status) {
      case 200:
        return normalizeVeratadResult(
          parseUpstreamJson('VERATAD', veratadResult, res, 'session result'),
          requestId,
          this.sandbox,
        );
      case 202:
        return normalizeVeratadInProgress(
          parseUpstreamJson('VERATAD', veratadInProgress, res, 'in-progress response'),
          requestId,
          this.sandbox,
        );
      case 404:
        throw upstreamError.notFound('VERATAD');
      default:
        throw statusError('VERATAD', res);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.#api.close(), this.#auth.close()]);
  }

  #get(path: string, token: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    return this.#api.request({
      path,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      signal,
    });
  }

  async #fetchToken(): Promise<TokenGrant> {
    const res = await this.#auth.request({
      method: 'POST',
      path: this.#authPath,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: this.#tokenBody,
    });
    if (res.status === 200) {
      const grant = parseUpstreamJson('VERATAD', veratadToken, res, 'token response');
      logger.debug({ provider: 'VERATAD', expiresInSeconds: grant.expires_in }, 'access token issued');
      return { accessToken: grant.access_token, expiresInSeconds: grant.expires_in };
    }
    // Log the Auth0 error code only: never the body, which may name the tenant, nor anything we sent.
    const body = veratadTokenError.safeParse(safeJson(res.body));
    logger.warn(
      { provider: 'VERATAD', status: res.status, error: body.success ? body.data.error.slice(0, 64) : null },
      'token request rejected',
    );
    // 400 (bad grant or audience), 401 (bad client) and 403 (service not enabled) all reject our credentials.
    if (res.status === 400 || res.status === 401 || res.status === 403)
      throw upstreamError.authFailed('VERATAD', res.status);
    throw statusError('VERATAD', res);
  }
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
