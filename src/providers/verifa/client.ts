import { logger } from '../../logger.ts';
import type { Session, SessionDetails } from '../../model/session.ts';
import { statusError, upstreamError } from '../../upstream/errors.ts';
import {
  DEFAULT_HTTP_OPTIONS,
  UpstreamHttp,
  type UpstreamHttpOptions,
  type UpstreamResponse,
} from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartSessionRequest } from '../start.ts';
import type { ProviderAdapter } from '../types.ts';
import type { VerifaLive } from './config.ts';
import { normalizeVerifaResult, normalizeVerifaSession, verifaSessionDetails } from './normalize.ts';
import { verifaResult, verifaSession } from './payload.ts';
import { verifaCreateBody, verifaStarted } from './start.ts';

/** Verifa session ids are opaque (`ses_*` in the reference, `session_*` in guides): letters, digits, `_`, `-`. */
const VERIFA_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface VerifaAdapterOptions {
  sandbox: boolean;
  http?: UpstreamHttpOptions;
}

/** Verifa REST adapter: `X-API-Key`, `Verifa-Version` when configured, `Key-Inflection: snake` always. */
export class VerifaAdapter implements ProviderAdapter {
  readonly provider = 'VERIFA' as const;
  readonly sandbox: boolean;
  readonly #http: UpstreamHttp;
  readonly #headers: Record<string, string>;

  constructor(live: VerifaLive, options: VerifaAdapterOptions) {
    this.sandbox = options.sandbox;
    this.#http = new UpstreamHttp('VERIFA', live.baseUrl, options.http ?? DEFAULT_HTTP_OPTIONS);
    this.#headers = {
      accept: 'application/json',
      'x-api-key': live.apiKey,
      'key-inflection': 'snake',
      ...(live.version ? { 'verifa-version': live.version } : {}),
    };
  }

  checkId(id: string): string | null {
    return VERIFA_ID.test(id)
      ? null
      : 'Verifa session ids are 1 to 128 letters, digits, "_" or "-", starting with a letter or digit.';
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    const segment = encodeURIComponent(id);
    const result = await this.#get(`/api/v1/sessions/${segment}/result`, signal);
    if (result.status === 200)
      return normalizeVerifaResult(parseUpstreamJson('VERIFA', verifaResult, result, 'result payload'), this.sandbox);
    if (result.status !== 404) throw this.#errorFor(result);
    // 404 on the result means "no result yet" or "no such session": the session itself tells which.
    const session = await this.#get(`/api/v1/sessions/${segment}`, signal);
    if (session.status === 200)
      return normalizeVerifaSession(
        parseUpstreamJson('VERIFA', verifaSession, session, 'session payload'),
        this.sandbox,
      );
    if (session.status === 404) throw upstreamError.notFound('VERIFA');
    throw this.#errorFor(session);
  }

  async fetchSessionDetails(id: string, signal?: AbortSignal): Promise<SessionDetails> {
    const res = await this.#get(`/api/v1/sessions/${encodeURIComponent(id)}`, signal);
    if (res.status === 200)
      return verifaSessionDetails(parseUpstreamJson('VERIFA', verifaSession, res, 'session payload'));
    if (res.status === 404) throw upstreamError.notFound('VERIFA');
    throw this.#errorFor(res);
  }

  /** `POST /api/v1/sessions` with the derived `Idempotency-Key`: a retry answers the session it made (src/providers/verifa/start.ts). */
  async startSession(request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession> {
    const res = await this.#http.request({
      method: 'POST',
      path: '/api/v1/sessions',
      headers: { ...this.#headers, 'content-type': 'application/json', 'idempotency-key': request.idempotencyKey },
      body: verifaCreateBody(request),
      signal,
    });
    return verifaStarted(res);
  }

  close(): Promise<void> {
    return this.#http.close();
  }

  #get(path: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    return this.#http.request({ path, headers: this.#headers, signal });
  }

  #errorFor(res: UpstreamResponse): Error {
    if (res.status === 400) {
      // Verifa answers 400 to a retired or unknown Verifa-Version.
      logger.warn({ provider: 'VERIFA', status: 400 }, 'provider rejected the request (check VERIFA_VERSION)');
      return upstreamError.badResponse('VERIFA', 'it rejected the request (HTTP 400); check VERIFA_VERSION');
    }
    return statusError('VERIFA', res);
  }
}
