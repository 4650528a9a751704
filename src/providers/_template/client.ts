import type { Session } from '../../model/session.ts';
import { statusError, upstreamError } from '../../upstream/errors.ts';
import { DEFAULT_HTTP_OPTIONS, UpstreamHttp, type UpstreamHttpOptions } from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { ProviderAdapter } from '../types.ts';
import { TEMPLATE_PROVIDER, type TemplateLive } from './config.ts';
import { normalizeTemplateCheck } from './normalize.ts';
import { templateCheck } from './payload.ts';

/** The vendor's check ids: `chk_` and letters, digits or `_` (a strict pattern keeps path tricks out). */
const TEMPLATE_ID = /^chk_[A-Za-z0-9_]{1,64}$/;

/** The adapter: `Authorization: Bearer <key>`, one GET per session, the vendor's errors mapped to Verigate's codes. */
export class TemplateAdapter implements ProviderAdapter {
  readonly provider = TEMPLATE_PROVIDER;
  readonly sandbox: boolean;
  readonly #http: UpstreamHttp;
  readonly #headers: Record<string, string>;

  constructor(live: TemplateLive, options: { sandbox: boolean; http?: UpstreamHttpOptions }) {
    this.sandbox = options.sandbox;
    // `http` carries the provider's shared breaker, bulkhead and rate budget: every pool of the adapter gets it.
    this.#http = new UpstreamHttp(TEMPLATE_PROVIDER, live.baseUrl, options.http ?? DEFAULT_HTTP_OPTIONS);
    this.#headers = { accept: 'application/json', authorization: `Bearer ${live.apiKey}` };
  }

  checkId(id: string): string | null {
    return TEMPLATE_ID.test(id) ? null : 'Template vendor check ids are "chk_" and 1 to 64 letters, digits or "_".';
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    const res = await this.#http.request({
      path: `/v1/checks/${encodeURIComponent(id)}`,
      headers: this.#headers,
      signal,
    });
    if (res.status === 200)
      return normalizeTemplateCheck(parseUpstreamJson(TEMPLATE_PROVIDER, templateCheck, res, 'check'), this.sandbox);
    if (res.status === 404) throw upstreamError.notFound(TEMPLATE_PROVIDER);
    // 401/403 → UPSTREAM_AUTH_FAILED, 429 → UPSTREAM_RATE_LIMITED (Retry-After), 5xx → UPSTREAM_UNAVAILABLE.
    throw statusError(TEMPLATE_PROVIDER, res);
  }

  close(): Promise<void> {
    return this.#http.close();
  }
}
