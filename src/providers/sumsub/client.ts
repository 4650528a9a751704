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
import type { SumsubLive } from './config.ts';
import { normalizeSumsubApplicant, sumsubDetails } from './normalize.ts';
import { sumsubApplicant, sumsubError, sumsubStepsStatus } from './payload.ts';
import { sumsubAuthHeaders } from './signer.ts';
import { startSumsubApplicant } from './start.ts';

/** "A random combination of 24 digits and lowercase Latin characters" (docs.sumsub.com/reference/get-applicant-data). */
const SUMSUB_APPLICANT_ID = /^[0-9a-z]{24}$/;

export interface SumsubAdapterOptions {
  sandbox: boolean;
  http?: UpstreamHttpOptions;
}

/** Sumsub REST adapter: every request signed (`X-App-Token`, `X-App-Access-Ts`, `X-App-Access-Sig`, signer.ts). */
export class SumsubAdapter implements ProviderAdapter {
  readonly provider = 'SUMSUB' as const;
  /** True when it talks to Verigate's embedded simulator. */
  readonly sandbox: boolean;
  readonly #sandboxData: boolean;
  readonly #http: UpstreamHttp;
  readonly #live: SumsubLive;
  /** The base URL's own path (a proxy's prefix): part of the URI Sumsub sees, so part of what is signed. */
  readonly #prefix: string;

  constructor(live: SumsubLive, options: SumsubAdapterOptions) {
    this.sandbox = options.sandbox;
    // Sumsub's sandbox tokens start with `sbx:` (SUMSUB/agent-skills `sumsub_sign.py`): their applicants are test
    // data even when reached live.
    this.#sandboxData = options.sandbox || live.appToken.startsWith('sbx:');
    this.#live = live;
    this.#prefix = new URL(live.baseUrl).pathname.replace(/\/+$/, '');
    this.#http = new UpstreamHttp('SUMSUB', live.baseUrl, options.http ?? DEFAULT_HTTP_OPTIONS);
  }

  checkId(id: string): string | null {
    return SUMSUB_APPLICANT_ID.test(id) ? null : 'Sumsub applicant ids are 24 lower-case letters or digits.';
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    return normalizeSumsubApplicant(await this.#applicant(id, signal), this.#sandboxData);
  }

  /** The applicant again (its external id and metadata) and the per-step breakdown, side by side. */
  async fetchSessionDetails(id: string, signal?: AbortSignal): Promise<SessionDetails> {
    const [applicant, steps] = await Promise.all([this.#applicant(id, signal), this.#steps(id, signal)]);
    return sumsubDetails(applicant, steps);
  }

  /** An applicant for the level `flow`, then a WebSDK link and an SDK token (src/providers/sumsub/start.ts). */
  startSession(request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession> {
    return startSumsubApplicant((method, path, body, s) => this.#send(method, path, body, s), request, signal);
  }

  /** A fresh WebSDK link and SDK token for an applicant started earlier (a replayed start). */
  reissueLink(providerSessionId: string, request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession> {
    return this.startSession({ ...request, resumeFrom: providerSessionId }, signal);
  }

  close(): Promise<void> {
    return this.#http.close();
  }

  async #applicant(id: string, signal?: AbortSignal) {
    const res = await this.#get(`/resources/applicants/${encodeURIComponent(id)}/one`, signal);
    if (res.status === 200) return parseUpstreamJson('SUMSUB', sumsubApplicant, res, 'applicant payload');
    if (res.status === 404) throw upstreamError.notFound('SUMSUB');
    throw this.#errorFor(res);
  }

  async #steps(id: string, signal?: AbortSignal) {
    const res = await this.#get(`/resources/applicants/${encodeURIComponent(id)}/requiredIdDocsStatus`, signal);
    if (res.status === 200)
      return parseUpstreamJson('SUMSUB', sumsubStepsStatus, res, 'requiredIdDocsStatus payload') ?? null;
    // The applicant exists (its own call answers for that): a 404 here only means no breakdown to show.
    if (res.status === 404) return null;
    throw this.#errorFor(res);
  }

  #get(path: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    return this.#send('GET', path, null, signal);
  }

  /** One signed request: the body is signed exactly as sent. */
  #send(method: 'GET' | 'POST', path: string, body: string | null, signal?: AbortSignal): Promise<UpstreamResponse> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...sumsubAuthHeaders(this.#live, method, this.#prefix + path, body ?? ''),
    };
    if (body !== null) headers['content-type'] = 'application/json';
    return this.#http.request({ method, path, headers, signal, ...(body !== null ? { body } : {}) });
  }

  #errorFor(res: UpstreamResponse): Error {
    if (res.status === 401 || res.status === 403) {
      // Sumsub's error body names the refusal; it carries no secret. The usual cause is this host's clock.
      const body = readError(res);
      logger.warn(
        {
          provider: 'SUMSUB',
          status: res.status,
          errorCode: body?.errorCode ?? null,
          errorName: body?.errorName?.slice(0, 64) ?? null,
          correlationId: body?.correlationId?.slice(0, 64) ?? null,
        },
        'Sumsub refused the request signature: check SUMSUB_APP_TOKEN and SUMSUB_SECRET_KEY, and this host’s clock — X-App-Access-Ts must be within 1 minute of Sumsub’s (clock skew is the usual cause)',
      );
    }
    return statusError('SUMSUB', res);
  }
}

function readError(res: UpstreamResponse) {
  try {
    const parsed = sumsubError.safeParse(JSON.parse(res.body.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
