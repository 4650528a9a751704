import type { Session } from '../../model/session.ts';
import { DEFAULT_HTTP_OPTIONS, UpstreamHttp } from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartSessionRequest } from '../start.ts';
import type { ProviderAdapter } from '../types.ts';
import type { DiditLive } from './config.ts';
import { normalizeDiditV3Decision } from './normalizeV3.ts';
import { diditV3Decision } from './payloadV3.ts';
import { diditCreateBody, diditStarted } from './start.ts';
import {
  canonicalDiditSessionId,
  checkDiditSessionId,
  type DiditAdapterOptions,
  decisionPath,
  diditError,
} from './upstream.ts';

export type DiditV3Live = Extract<DiditLive, { version: 'v3' }>;

/**
 * Didit v3 (current): `x-api-key` on `GET /v3/session/{id}/decision/`. Didit answers bad or missing keys with
 * 403 (401 is mapped the same way should it come).
 */
export class DiditV3Adapter implements ProviderAdapter {
  readonly provider = 'DIDIT' as const;
  readonly sandbox: boolean;
  readonly #api: UpstreamHttp;
  readonly #headers: Record<string, string>;

  constructor(live: DiditV3Live, options: DiditAdapterOptions) {
    this.sandbox = options.sandbox;
    this.#api = new UpstreamHttp('DIDIT', live.baseUrl, options.http ?? DEFAULT_HTTP_OPTIONS);
    this.#headers = { accept: 'application/json', 'x-api-key': live.apiKey };
  }

  checkId(id: string): string | null {
    return checkDiditSessionId(id);
  }

  canonicalId(id: string): string {
    return canonicalDiditSessionId(id);
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    const res = await this.#api.request({ path: decisionPath('v3', id), headers: this.#headers, signal });
    if (res.status !== 200) throw diditError(res);
    return normalizeDiditV3Decision(parseUpstreamJson('DIDIT', diditV3Decision, res, 'decision payload'), this.sandbox);
  }

  /** `POST /v3/session/` (src/providers/didit/start.ts); the legacy v1 adapter cannot start sessions. */
  async startSession(request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession> {
    const res = await this.#api.request({
      method: 'POST',
      path: '/v3/session/',
      headers: { ...this.#headers, 'content-type': 'application/json' },
      body: diditCreateBody(request),
      signal,
    });
    return diditStarted(res);
  }

  close(): Promise<void> {
    return this.#api.close();
  }
}
