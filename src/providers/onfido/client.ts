import type { Session } from '../../model/session.ts';
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
import type { OnfidoLive } from './config.ts';
import { normalizeOnfidoWorkflowRun } from './normalize.ts';
import { onfidoWorkflowRun } from './payload.ts';
import { startOnfidoWorkflowRun } from './start.ts';

/** Workflow run ids are UUIDs (`format: uuid`, paths/workflow_runs.yaml); any hex 8-4-4-4-12, either case. */
const ONFIDO_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export interface OnfidoAdapterOptions {
  sandbox: boolean;
  http?: UpstreamHttpOptions;
}

/** Onfido API v3.6 adapter: `Authorization: Token token=<token>`, `GET /workflow_runs/{id}`. */
export class OnfidoAdapter implements ProviderAdapter {
  readonly provider = 'ONFIDO' as const;
  readonly sandbox: boolean;
  readonly #http: UpstreamHttp;
  readonly #headers: Record<string, string>;
  /** Onfido's sandbox tokens start `api_sandbox.`: their runs are test data even when reached live. */
  readonly #sandboxData: boolean;

  constructor(live: OnfidoLive, options: OnfidoAdapterOptions) {
    this.sandbox = options.sandbox;
    this.#sandboxData = options.sandbox || live.apiToken.startsWith('api_sandbox.');
    this.#http = new UpstreamHttp('ONFIDO', live.baseUrl, options.http ?? DEFAULT_HTTP_OPTIONS);
    this.#headers = { accept: 'application/json', authorization: `Token token=${live.apiToken}` };
  }

  checkId(id: string): string | null {
    return ONFIDO_ID.test(id) ? null : 'Onfido workflow run ids are UUIDs (8-4-4-4-12 hexadecimal digits).';
  }

  /** One spelling per run: UUIDs are compared in lower case (the spec's ids and every example are lower case). */
  canonicalId(id: string): string {
    return id.toLowerCase();
  }

  async fetchSession(id: string, signal?: AbortSignal): Promise<Session> {
    const res = await this.#get(`/workflow_runs/${encodeURIComponent(this.canonicalId(id))}`, signal);
    if (res.status === 200)
      return normalizeOnfidoWorkflowRun(
        parseUpstreamJson('ONFIDO', onfidoWorkflowRun, res, 'workflow run'),
        this.#sandboxData,
      );
    // 404 `resource_not_found`: no run with this id for this token (another region's runs included).
    if (res.status === 404) throw upstreamError.notFound('ONFIDO');
    throw statusError('ONFIDO', res);
  }

  /** An applicant, then a run of the workflow `flow` for it (src/providers/onfido/start.ts). */
  startSession(request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession> {
    return startOnfidoWorkflowRun(this.#http, this.#headers, request, signal);
  }

  close(): Promise<void> {
    return this.#http.close();
  }

  #get(path: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    return this.#http.request({ path, headers: this.#headers, signal });
  }
}
