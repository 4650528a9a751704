import type { ServerResponse } from 'node:http';
import { type HostedAction, serveHostedPage } from '../../../sandbox/hostedPage.ts';
import {
  pathSegments,
  readJsonBody,
  type Simulator,
  sendJson,
  sendRaw,
  sleep,
  startSimulator,
  withTimelines,
} from '../../../sandbox/server.ts';
import { originOf, StartedSessions } from '../../../sandbox/starts.ts';
import type { TimelinePace } from '../../../sandbox/webhooks.ts';
import type { OnfidoWebhookConfig } from '../config.ts';
import { ONFIDO_SCENARIOS, type OnfidoScenario, type OnfidoStaticBehaviour } from './scenarios.ts';
import { createdApplicant, createdRun, hostedMove, ONFIDO_HOSTED_REASONS } from './started.ts';
import { OnfidoTimelines } from './webhookSender.ts';

/** The token the simulator accepts (Onfido's sandbox tokens start `api_sandbox.`). */
export const ONFIDO_SANDBOX_API_TOKEN = 'api_sandbox.verigate_simulator_token';
/** The path prefix of Onfido's base (`https://api.<region>.onfido.com/v3.6`). */
export const ONFIDO_API_VERSION_PATH = '/v3.6';

/**
 * Onfido's error body (responses/default_error.yaml): `{ "error": { "type", "message", "fields" } }`.
 */
function sendError(res: ServerResponse, status: number, type: string, message: string, headers = {}): void {
  sendJson(res, status, { error: { type, message, fields: {} } }, headers);
}

/**
 * An Onfido API on loopback: checks `Authorization: Token token=<token>` (401 `authorization_error` otherwise) and
 * serves `GET /v3.6/workflow_runs/{id}` from the scenario catalogue, ids in either case.
 */
export async function startOnfidoSimulator(
  options: {
    port?: number;
    apiToken?: string;
    /** Signs the timed scenarios' webhooks; null: none are sent. */
    webhook?: OnfidoWebhookConfig | null;
    /** Time between two steps of a timed scenario, ms (default 3 500). */
    timelineStepMs?: TimelinePace;
  } = {},
): Promise<Simulator> {
  const token = options.apiToken ?? ONFIDO_SANDBOX_API_TOKEN;
  const scenarios = new Map<string, OnfidoScenario>(ONFIDO_SCENARIOS.map((s) => [s.id, s]));
  const timelines = new OnfidoTimelines(scenarios, options.webhook ?? null, options.timelineStepMs ?? 3_500);
  /** Applicants and runs made by the create calls (`startVerification`): runs answer before the catalogue. */
  const applicants = new Set<string>();
  const runs = new StartedSessions<Record<string, unknown>>();
  const hosted = {
    label: 'Onfido',
    prefix: '/l',
    declineReasons: ONFIDO_HOSTED_REASONS,
    state: (token: string) => {
      const run = runs.get(runs.byLink(token) ?? '');
      return run ? String(run.status) : null;
    },
    move: (token: string, action: HostedAction) => {
      const id = runs.byLink(token) ?? '';
      const current = runs.get(id);
      if (!current) return;
      const next = hostedMove(current, action, new Date());
      runs.set(id, next.run);
      timelines.send(next.event, id, String(next.run.status));
    },
  };

  const simulator = await startSimulator(async (req, res, url) => {
    // Onfido's hosted link (`https://eu.onfido.app/l/<run>`) is opened by the applicant, without the API token.
    if (await serveHostedPage(req, res, url, hosted)) return;
    if (req.headers.authorization !== `Token token=${token}`)
      return sendError(res, 401, 'authorization_error', 'Authorization error: please re-check your credentials');
    const segments = pathSegments(url.pathname);
    const [version, collection, id, ...more] = segments ?? [];
    if (`/${version}` === ONFIDO_API_VERSION_PATH && !id && req.method === 'POST') {
      const body = await readJsonBody(req);
      const now = new Date();
      if (collection === 'applicants') {
        const applicant = createdApplicant(body, now);
        if (!applicant) return sendError(res, 422, 'validation_error', 'There was a validation error on this request');
        applicants.add(String(applicant.id));
        return sendJson(res, 201, applicant);
      }
      if (collection === 'workflow_runs') {
        const run = createdRun(body, applicants, (id) => `${originOf(req)}${hosted.prefix}/${runs.link(id)}`, now);
        if (!run) return sendError(res, 422, 'validation_error', 'There was a validation error on this request');
        runs.add(String(run.id), run);
        return sendJson(res, 201, run);
      }
    }
    if (`/${version}` !== ONFIDO_API_VERSION_PATH || collection !== 'workflow_runs' || !id || more.length > 0)
      return sendError(res, 404, 'resource_not_found', 'The resource could not be found');
    if (req.method !== 'GET') return sendError(res, 405, 'method_not_allowed', 'Method not allowed');
    const started = runs.get(id.toLowerCase());
    if (started) return sendJson(res, 200, started);
    const scenario = scenarios.get(id.toLowerCase());
    if (!scenario) return sendError(res, 404, 'resource_not_found', 'The resource could not be found');
    return serve(timelines.current(scenario.id, scenario.behaviour), res);
  }, options.port);
  return { ...withTimelines(simulator, timelines), starts: runs };
}

async function serve(b: OnfidoStaticBehaviour, res: ServerResponse): Promise<void> {
  switch (b.kind) {
    case 'run':
      return sendJson(res, 200, b.run);
    case 'error':
      return sendError(res, b.status, b.type, b.message, b.headers);
    case 'raw':
      return sendRaw(res, b.status, b.body, b.contentType);
    case 'slow':
      await sleep(b.delayMs);
      if (!res.destroyed) sendJson(res, 200, b.run);
      return;
  }
}
