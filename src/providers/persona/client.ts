import { logger } from '../../logger.ts';
import type { Session } from '../../model/session.ts';
import { parseRetryAfter, statusError, upstreamError } from '../../upstream/errors.ts';
import {
  DEFAULT_HTTP_OPTIONS,
  UpstreamHttp,
  type UpstreamHttpOptions,
  type UpstreamResponse,
} from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartSessionRequest } from '../start.ts';
import type { ProviderAdapter } from '../types.ts';
import type { PersonaLive } from './config.ts';
import { normalizePersonaInquiry } from './normalize.ts';
import { personaInquiryDocument, personaInquiryDocument20230105 } from './payload.ts';
import { startPersonaInquiry } from './start.ts';

/** Inquiry ids are `inq_` and a base58-style token (`inq_zEx4jL84ShbUyuwX6AzPSqt6`; the spec's examples are shorter). */
const PERSONA_ID = /^inq_[A-Za-z0-9]{1,64}$/;

/**
 * The related objects a session is built from (`include`, components/parameters/include-query-parameter.yaml):
 * Persona serialises into `included` only the relationships named here.
 */
const INCLUDE = 'verifications,reports,sessions';

export interface PersonaAdapterOptions {
  sandbox: boolean;
  http?: UpstreamHttpOptions;
}

/** Persona REST adapter: Bearer key, `Persona-Version` pinned, `Key-Inflection: kebab` always (an org may default to camel). */
export class PersonaAdapter implements ProviderAdapter {
  readonly provider = 'PERSONA' as const;
  /** True when it talks to Verigate's embedded simulator. */
  readonly sandbox: boolean;
  readonly #sandboxData: boolean;
  readonly #http: UpstreamHttp;
  readonly #headers: Record<string, string>;
  readonly #live: PersonaLive;

  constructor(live: PersonaLive, options: PersonaAdapterOptions) {
    this.sandbox = options.sandbox;
    // Persona's sandbox keys say so (`persona_sandbox_…`): their inquiries are sandbox data even when reached live.
    this.#sandboxData = options.sandbox || live.apiKey.startsWith('persona_sandbox_');
    this.#live = live;
    this.#http = new UpstreamHttp('PERSONA', live.baseUrl, options.http ?? DEFAULT_HTTP_OPTIONS);
    this.#headers = {
      accept: 'application/json',
      authorization: `Bearer ${live.apiKey}`,
      'persona-version': live.version,
      'key-inflection': 'kebab',
    };
  }

  checkId(id: string): string | null {
    return PERSONA_ID.test(id) ? null : 'Persona inquiry ids are "inq_" followed by 1 to 64 letters or digits.';
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    const path = `/inquiries/${encodeURIComponent(id)}?include=${INCLUDE}`; // commas are literal in a query
    const res = await this.#http.request({ path, headers: this.#headers, signal });
    if (res.status === 200) {
      const schema = this.#live.version === '2023-01-05' ? personaInquiryDocument20230105 : personaInquiryDocument;
      return normalizePersonaInquiry(parseUpstreamJson('PERSONA', schema, res, 'inquiry'), this.#sandboxData);
    }
    if (res.status === 404) throw upstreamError.notFound('PERSONA');
    throw this.#errorFor(res);
  }

  /** An inquiry from the template `flow`, and a one-time link to its hosted flow (src/providers/persona/start.ts). */
  startSession(request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession> {
    return startPersonaInquiry(this.#http, this.#headers, request, signal);
  }

  /** A fresh one-time link for an inquiry started earlier (a replayed start): Persona mints one per call. */
  reissueLink(providerSessionId: string, request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession> {
    return startPersonaInquiry(this.#http, this.#headers, { ...request, resumeFrom: providerSessionId }, signal);
  }

  close(): Promise<void> {
    return this.#http.close();
  }

  #errorFor(res: UpstreamResponse): Error {
    if (res.status === 400) {
      // Persona answers 400 to a request it finds unacceptable, such as a retired Persona-Version.
      logger.warn({ provider: 'PERSONA', status: 400 }, 'provider rejected the request (check PERSONA_API_VERSION)');
      return upstreamError.badResponse('PERSONA', 'it rejected the request (HTTP 400); check PERSONA_API_VERSION');
    }
    // Persona's 429 carries `RateLimit-Reset` (seconds until the window resets, components/headers/rate-limit-reset.yaml).
    return statusError('PERSONA', res, parseRetryAfter(res.headers['ratelimit-reset'], 60));
  }
}
