import type { IncomingMessage, ServerResponse } from 'node:http';
import { serveHostedPage } from '../../../sandbox/hostedPage.ts';
import {
  minuteWindow,
  pathSegments,
  type Simulator,
  sendJson,
  sendRaw,
  sleep,
  startSimulator,
  withTimelines,
} from '../../../sandbox/server.ts';
import type { TimelinePace } from '../../../sandbox/webhooks.ts';
import type { VerifaWebhookConfig } from '../config.ts';
import { VERIFA_SCENARIOS, type VerifaScenario, type VerifaStaticBehaviour } from './scenarios.ts';
import { VerifaStarts } from './starts.ts';
import { VerifaTimelines } from './webhookSender.ts';

/** The key the simulator accepts (a sandbox-style key, as Verifa issues `vk_sandbox_…`). */
export const VERIFA_SANDBOX_API_KEY = 'vk_sandbox_verigate_simulator_key';
const SUPPORTED_VERSIONS = new Set(['2025-06-01', '2026-01-01']);
const RATE_LIMIT = 300; // Verifa Free plan: 300 requests per minute.

/**
 * A Verifa API on loopback: checks `X-API-Key`, honours `Key-Inflection` (the org default here is kebab, as
 * Verifa's demo warns some are, so a client that forgets the header gets kebab keys), rejects unsupported
 * `Verifa-Version`s with 400, and sends `X-RateLimit-*` on every response. Creates sessions (`POST /api/v1/sessions`,
 * src/providers/verifa/sandbox/starts.ts) and serves their capture page under `/hosted/`.
 */
export async function startVerifaSimulator(
  options: {
    port?: number;
    apiKey?: string;
    /** Signs the timed scenarios' webhooks; null: none are sent. */
    webhook?: VerifaWebhookConfig | null;
    /** Time between two steps of a timed scenario, ms (default 3 500). */
    timelineStepMs?: TimelinePace;
  } = {},
): Promise<Simulator> {
  const apiKey = options.apiKey ?? VERIFA_SANDBOX_API_KEY;
  const scenarios = new Map<string, VerifaScenario>(VERIFA_SCENARIOS.map((s) => [s.id, s]));
  const timelines = new VerifaTimelines(scenarios, options.webhook ?? null, options.timelineStepMs ?? 3_500);
  const starts = new VerifaStarts(options.webhook ?? null, timelines.webhooks);
  const hosted = starts.hostedPage();
  const countRequest = minuteWindow();

  const simulator = await startSimulator(async (req, res, url) => {
    // The capture page a person opens (no API key: the link is the credential).
    if (await serveHostedPage(req, res, url, hosted)) return;
    const { used, resetAt } = countRequest(Date.now());
    const rate = {
      'x-ratelimit-limit': RATE_LIMIT,
      'x-ratelimit-remaining': Math.max(0, RATE_LIMIT - used),
      'x-ratelimit-reset': Math.ceil(resetAt / 1000),
    };
    const fail = (status: number, code: string, detail: string, extra: Record<string, string> = {}) =>
      sendJson(res, status, { error: code, detail, status_code: status }, { ...rate, ...extra });

    if (req.headers['x-api-key'] !== apiKey) return fail(401, 'unauthorized', 'Invalid or missing API key.');
    const version = req.headers['verifa-version'];
    if (typeof version === 'string' && !SUPPORTED_VERSIONS.has(version)) {
      return fail(400, 'unsupported_version', `API version ${version} is not supported.`);
    }
    if (req.method === 'POST' && url.pathname === '/api/v1/sessions') return starts.create(req, res, rate, fail);
    if (req.method !== 'GET') return fail(405, 'method_not_allowed', 'Method not allowed.');

    const segments = pathSegments(url.pathname);
    const match =
      segments && segments.length >= 4 && segments[0] === 'api' && segments[1] === 'v1' && segments[2] === 'sessions'
        ? { id: segments[3] as string, result: segments.length === 5 && segments[4] === 'result' }
        : null;
    if (!match || segments === null || segments.length > 5 || (segments.length === 5 && !match.result)) {
      return fail(404, 'not_found', 'Not found.');
    }
    const started = starts.current(match.id);
    if (started) return serve({ kind: 'session', ...started }, match.result, req, res, rate, fail);
    const scenario = scenarios.get(match.id);
    if (!scenario) return fail(404, 'not_found', 'Session not found.');
    return serve(timelines.current(scenario.id, scenario.behaviour), match.result, req, res, rate, fail);
  }, options.port);
  return { ...withTimelines(simulator, timelines), starts: starts.sessions };
}

async function serve(
  b: VerifaStaticBehaviour,
  wantsResult: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  rate: Record<string, number>,
  fail: (status: number, code: string, detail: string, extra?: Record<string, string>) => void,
): Promise<void> {
  const send = (body: Record<string, unknown>) =>
    sendJson(res, 200, inflect(body, req.headers['key-inflection']), rate);
  switch (b.kind) {
    case 'error':
      return fail(b.status, String(b.body.error), String(b.body.detail), b.headers);
    case 'raw':
      return sendRaw(res, b.status, b.body, b.contentType, rate);
    case 'slow':
      await sleep(b.delayMs);
      if (!res.destroyed) send(wantsResult ? b.result : b.session);
      return;
    case 'session':
      if (wantsResult) {
        if (!b.result) return fail(404, 'not_found', 'No result yet.');
        return send(b.result);
      }
      return send(b.session);
  }
}

/** Re-keys a snake_case body as Verifa would for `Key-Inflection` (default kebab for this simulated org). */
function inflect(value: unknown, header: string | string[] | undefined): unknown {
  const style = header === 'snake' || header === 'camel' || header === 'kebab' ? header : 'kebab';
  if (style === 'snake') return value;
  const rename = (key: string) =>
    style === 'camel' ? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : key.replaceAll('_', '-');
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [rename(k), walk(inner)]));
    }
    return v;
  };
  return walk(value);
}
