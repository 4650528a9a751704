import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { serveHostedPage } from '../../../sandbox/hostedPage.ts';
import {
  minuteWindow,
  pathSegments,
  readJsonBody,
  type Simulator,
  sendJson,
  sendRaw,
  sleep,
  startSimulator,
  withTimelines,
} from '../../../sandbox/server.ts';
import { originOf, parseJsonObject, readBodyText, StartedSessions } from '../../../sandbox/starts.ts';
import type { TimelinePace } from '../../../sandbox/webhooks.ts';
import type { SandboxOptions } from '../../types.ts';
import { PERSONA_DEFAULT_VERSION, type PersonaLive, type PersonaWebhookConfig } from '../config.ts';
import {
  type InquiryDocument,
  PERSONA_SCENARIOS,
  type PersonaScenario,
  type PersonaStaticBehaviour,
} from './scenarios.ts';
import { kebabRequest, simulate, simulateRequest } from './simulate.ts';
import { createdInquiry, createRequest, hostedMove, PERSONA_HOSTED_REASONS } from './started.ts';
import { documentOf, PersonaTimelines } from './webhookSender.ts';

/** The key the simulator accepts (Persona's sandbox keys start `persona_sandbox_`). */
export const PERSONA_SANDBOX_API_KEY = 'persona_sandbox_verigate_simulator_key';
/** Every version of components/schemas/api-version.yaml; those up to 2023-01-05 copy personal data to the top level. */
const KNOWN_VERSIONS = [
  '2020-05-18',
  '2021-02-21',
  '2021-07-05',
  '2021-08-18',
  '2022-09-01',
  '2023-01-05',
  '2025-10-27',
  '2025-12-08',
];
const RATE_LIMIT = 300; // components/responses/too-many-requests.yaml: "300 requests / min"
/** The relationship each included type is serialised under, for `?include=` (persona-openapi schemas/inquiry.yaml). */
const RELATIONSHIP_OF: Array<[RegExp, string]> = [
  [/^verification\//, 'verifications'],
  [/^report\//, 'reports'],
  [/^inquiry-session$/, 'sessions'],
  [/^selfie\//, 'selfies'],
  [/^document\//, 'documents'],
  [/^inquiry-template$/, 'inquiry-template'],
  [/^inquiry-template-version$/, 'inquiry-template-version'],
  [/^account$/, 'account'],
];

type Fail = (status: number, errors: Array<Record<string, unknown>>, headers?: Record<string, string>) => void;

/**
 * A Persona API on loopback: checks `Authorization: Bearer`, validates `Persona-Version` (400 for one not in the
 * spec's list) and serves the shape it asks for, honours `Key-Inflection` (this simulated org defaults to camel, so
 * a client that forgets the header cannot read it), filters `included` by `?include=`, answers errors as JSON:API
 * `errors`, sends `RateLimit-*` and `Request-Id` on every response, and runs `perform-simulate-actions`.
 */
export async function startPersonaSimulator(
  options: {
    port?: number;
    apiKey?: string;
    webhook?: PersonaWebhookConfig | null;
    timelineStepMs?: TimelinePace;
  } = {},
): Promise<Simulator> {
  const apiKey = options.apiKey ?? PERSONA_SANDBOX_API_KEY;
  const scenarios = new Map<string, PersonaScenario>(PERSONA_SCENARIOS.map((s) => [s.id, s]));
  const timelines = new PersonaTimelines(scenarios, options.webhook ?? null, options.timelineStepMs ?? 3_500);
  /** Inquiries moved by `perform-simulate-actions` or the hosted page, which then answer instead of their scenario. */
  const simulated = new Map<string, InquiryDocument>();
  /** Inquiries created by `POST /inquiries` (`startVerification`), their one-time links and Idempotency-Keys. */
  const started = new StartedSessions<InquiryDocument>();
  const current = (id: string) => started.get(id) ?? simulated.get(id);
  const save = (id: string, doc: InquiryDocument) => (started.get(id) ? started.set(id, doc) : simulated.set(id, doc));
  const countRequest = minuteWindow();
  const hosted = {
    label: 'Persona',
    prefix: '/verify',
    declineReasons: PERSONA_HOSTED_REASONS,
    state: (token: string) => {
      const doc = current(started.byLink(token) ?? '');
      return doc ? String(doc.data.attributes.status) : null;
    },
    move: (token: string, action: Parameters<typeof hostedMove>[1]) => {
      const id = started.byLink(token) ?? '';
      const doc = current(id);
      if (!doc) return;
      const next = hostedMove(doc, action, new Date());
      save(id, next.document);
      for (const event of next.events) timelines.send(event, id, next.document);
    },
  };

  const simulator = await startSimulator(async (req, res, url) => {
    // The hosted flow is opened by the person's browser, without the API key.
    if (await serveHostedPage(req, res, url, hosted)) return;
    const now = Date.now();
    const { used, resetAt } = countRequest(now);
    const headers = {
      'ratelimit-limit': String(RATE_LIMIT),
      'ratelimit-remaining': String(Math.max(0, RATE_LIMIT - used)),
      'ratelimit-reset': String(Math.ceil((resetAt - now) / 1000)),
      'request-id': `req_${randomBytes(12).toString('hex')}`,
    };
    const fail: Fail = (status, errors, extra = {}) => sendJson(res, status, { errors }, { ...headers, ...extra });

    if (req.headers.authorization !== `Bearer ${apiKey}`)
      return fail(401, [{ title: 'Must be authenticated to access this endpoint' }]);
    const version = req.headers['persona-version'] ?? PERSONA_DEFAULT_VERSION;
    if (typeof version !== 'string' || !KNOWN_VERSIONS.includes(version))
      return fail(400, [{ title: 'Bad Request', details: 'Persona-Version is not a valid API version' }]);

    const segments = pathSegments(url.pathname);
    const send = (doc: InquiryDocument, status = 200, meta?: Record<string, string>) =>
      sendJson(
        res,
        status,
        { ...(shaped(doc, url.searchParams.get('include'), version, req.headers['key-inflection']) as object), meta },
        headers,
      );
    if (segments?.join('/') === 'api/v1/inquiries' && req.method === 'POST') {
      const key = req.headers['idempotency-key'];
      const text = await readBodyText(req);
      const replayed = started.replay(typeof key === 'string' ? key : undefined, text ?? '');
      if (replayed === 'mismatch')
        return fail(409, [{ title: 'Conflict', details: 'Idempotency-Key was already used with another request' }]);
      const earlier = replayed ? started.get(replayed.id) : undefined;
      if (earlier) return send(earlier, 201);
      const create = createRequest(kebabRequest(parseJsonObject(text)));
      if (!create)
        return fail(422, [{ title: 'Unprocessable entity', details: 'A valid inquiry template is required' }]);
      const doc = createdInquiry(create.referenceId, new Date(now));
      started.add(doc.data.id, doc);
      started.remember(typeof key === 'string' ? key : undefined, text ?? '', doc.data.id);
      return send(doc, 201);
    }
    const route = segments ? routeOf(segments) : null;
    if (!route || (route.action === null && req.method !== 'GET') || (route.action !== null && req.method !== 'POST'))
      return fail(404, [{ title: 'Record not found' }]);
    const scenario = scenarios.get(route.id);
    const stored = current(route.id);
    if (!scenario && !stored) return fail(404, [{ title: 'Record not found' }]);

    const behaviour: PersonaStaticBehaviour = stored
      ? { kind: 'inquiry', document: stored }
      : timelines.current(route.id, (scenario as PersonaScenario).behaviour);
    if (route.action === 'generate-one-time-link') {
      const doc = documentOf(behaviour);
      if (!doc) return serve(behaviour, res, headers, fail, send);
      const link = `${originOf(req)}${hosted.prefix}/${started.link(doc.data.id)}`;
      return send(doc, 200, { 'one-time-link': link, 'one-time-link-short': link });
    }

    if (route.action === 'perform-simulate-actions') {
      const current = documentOf(behaviour);
      if (!current) return serve(behaviour, res, headers, fail, send);
      const body = simulateRequest.safeParse(kebabRequest(await readJsonBody(req)));
      if (!body.success)
        return fail(400, [{ title: 'Bad Request', details: body.error.issues[0]?.path.join('.') ?? 'invalid body' }]);
      const next = simulate(current, body.data.meta['simulate-actions'], new Date());
      save(route.id, next.document);
      for (const event of next.events) timelines.send(event, route.id, next.document);
      return send(next.document);
    }
    return serve(behaviour, res, headers, fail, send);
  }, options.port);

  return { ...withTimelines(simulator, timelines), starts: started };
}

/** The module's `startSandbox`: the simulator, and the live settings that reach it. */
export async function startPersonaSandbox(
  options: SandboxOptions<PersonaWebhookConfig>,
): Promise<{ live: PersonaLive; simulator: Simulator }> {
  const simulator = await startPersonaSimulator({ webhook: options.webhook, timelineStepMs: options.timelineStepMs });
  return {
    simulator,
    live: { baseUrl: `${simulator.url}/api/v1`, apiKey: PERSONA_SANDBOX_API_KEY, version: PERSONA_DEFAULT_VERSION },
  };
}

/** `/api/v1/inquiries/{id}`, and `/perform-simulate-actions` or `/generate-one-time-link` under it. */
function routeOf(segments: string[]): { id: string; action: string | null } | null {
  const [api, v1, inquiries, id, action, ...rest] = segments;
  if (api !== 'api' || v1 !== 'v1' || inquiries !== 'inquiries' || !id || rest.length > 0) return null;
  if (action !== undefined && action !== 'perform-simulate-actions' && action !== 'generate-one-time-link') return null;
  return { id, action: action ?? null };
}

async function serve(
  b: PersonaStaticBehaviour,
  res: ServerResponse,
  headers: Record<string, string>,
  fail: Fail,
  send: (doc: InquiryDocument) => void,
): Promise<void> {
  switch (b.kind) {
    case 'error':
      return fail(b.status, b.errors, b.headers);
    case 'raw':
      return sendRaw(res, b.status, b.body, b.contentType, headers);
    case 'slow':
      await sleep(b.delayMs);
      if (!res.destroyed) send(b.document);
      return;
    case 'inquiry':
      return send(b.document);
  }
}

/** The document as `Persona-Version`, `include` and `Key-Inflection` ask for it. */
function shaped(
  doc: InquiryDocument,
  include: string | null,
  version: string,
  inflection: string | string[] | undefined,
): unknown {
  const wanted = include === null ? null : new Set(include.split(',').map((s) => s.trim()));
  const included = doc.included.filter((o) => {
    if (wanted === null) return true;
    const relationship = RELATIONSHIP_OF.find(([re]) => re.test(String(o.type)))?.[1];
    return relationship !== undefined && wanted.has(relationship);
  });
  let data = doc.data;
  if (version <= '2023-01-05') data = { ...data, attributes: { ...topLevelCopy(data.attributes), ...data.attributes } };
  return inflect({ data, included }, inflection);
}

/** 2023-01-05 and earlier: each standard field's value again at the top of `attributes`. */
function topLevelCopy(attributes: Record<string, unknown>): Record<string, unknown> {
  const fields = (attributes.fields ?? {}) as Record<string, { value?: unknown }>;
  const names = [
    'name-first',
    'name-middle',
    'name-last',
    'birthdate',
    'phone-number',
    'email-address',
    'address-street-1',
    'address-street-2',
    'address-city',
    'address-subdivision',
    'address-postal-code',
    'identification-number',
  ];
  return { ...Object.fromEntries(names.map((n) => [n, fields[n]?.value ?? null])), 'social-security-number': null };
}

/** Re-keys a kebab-case document as Persona does for `Key-Inflection` (camel for this simulated org by default). */
function inflect(value: unknown, header: string | string[] | undefined): unknown {
  const style = header === 'snake' || header === 'camel' || header === 'kebab' ? header : 'camel';
  if (style === 'kebab') return value;
  const rename = (key: string) =>
    style === 'camel' ? key.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : key.replaceAll('-', '_');
  const walk = (v: unknown, parentKey: string): unknown => {
    if (Array.isArray(v)) return v.map((item) => walk(item, parentKey));
    if (v && typeof v === 'object') {
      // Keys in `fields` are not inflected (inquiry.yaml).
      if (parentKey === 'fields') return v;
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [rename(k), walk(inner, k)]));
    }
    return v;
  };
  return walk(value, '');
}
