import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhooksConfig } from '../config/index.ts';
import type { StoreHealth } from '../events/health.ts';
import type { ResponseCache } from '../graphql/responseCache.ts';
import type { InboxStore } from '../inbox/store.ts';
import { logger } from '../logger.ts';
import type { GatewayMetrics, WebhookOutcome } from '../observability/metrics.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import { providerModules } from '../providers/registry.ts';
import type { SessionChanges } from '../sessions/changes.ts';
import type { SessionStore } from '../sessions/store.ts';
import { type ClaimResult, DELIVERY_LEASE_MS, type DeliveryLog, deliveryName, leaseToken } from '../webhooks/replay.ts';
import type { AnyProviderWebhook } from '../webhooks/types.ts';
import { readRawBody, writeJson } from './respond.ts';
import type { Route } from './route.ts';

/**
 * Vendors send small JSON documents; anything past this is refused unread, before any verification (so an
 * unauthenticated sender holds 64 KiB per connection at most). The largest documented event is Didit's v3
 * `status.updated` with the whole `decision`: its OpenAPI example is 19 KiB compact, 30 KiB indented.
 */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

export interface WebhooksDeps {
  config: WebhooksConfig;
  /** The adapters: a webhook's session id is checked and canonicalised by its provider's, as a query's is. */
  registry: Pick<ProviderRegistry, 'adapter' | 'canonicalId'>;
  store: SessionStore;
  changes: SessionChanges;
  /** Where a verified hint is committed before the vendor is answered 2xx (the inbox worker reloads from there). */
  inbox: InboxStore;
  /** Told of every row committed: this replica's inbox worker looks at once. */
  onAccepted: () => void;
  health: StoreHealth;
  deliveries: DeliveryLog;
  /** This process's whole-answer cache: cleared with every change, so no answer outlives the session it showed. */
  responses: ResponseCache;
  metrics: GatewayMetrics;
  maxBodyBytes?: number;
  /** How long a claim in the replay log is leased before it lapses, ms (default `DELIVERY_LEASE_MS`; tests shorten it). */
  leaseMs?: number;
  /** How long the inbox's commit may take before the vendor is answered 503, ms (default `INBOX_DEADLINE_MS`). */
  inboxDeadlineMs?: number;
}

/** The inbox's commit must answer within this, or the vendor gets 503 and retries (DESIGN §8). */
export const INBOX_DEADLINE_MS = 2_000;

/**
 * `POST /webhooks/<provider>` (every registered module with a webhook dialect), each on only when its provider's webhook credentials are configured
 * (otherwise the path is not found). A delivery is verified as its vendor specifies before anything in it is
 * read, then treated as a hint: the session's cached copies are dropped on every replica and the hint is committed
 * to the inbox (src/inbox/), whose workers reload the session from the vendor and record the change. 2xx only once
 * the inbox row is committed; 503 when it cannot be within `INBOX_DEADLINE_MS` (the vendor retries); 401/400 with
 * nothing written when verification or the body fails. The inbox's unique replay key decides what is a duplicate;
 * the replay log (webhooks/replay.ts) is a fast pre-check in front of it, marked done only once the row is committed.
 */
export function webhooksRoute(deps: WebhooksDeps): Route {
  const endpoints = new Map<string, AnyProviderWebhook>();
  for (const module of providerModules()) {
    const settings = deps.config[module.name];
    if (module.webhook && settings) endpoints.set(`/webhooks/${module.name}`, module.webhook(settings));
  }
  // Declines synchronously (no promise) for every other path.
  return (req, res, url) => {
    const webhook = endpoints.get(url.pathname);
    return webhook ? deliver(webhook, req, res, deps) : false;
  };
}

/** One delivery to a webhook endpoint: received, recorded, logged. */
async function deliver(
  webhook: AnyProviderWebhook,
  req: IncomingMessage,
  res: ServerResponse,
  deps: WebhooksDeps,
): Promise<true> {
  const started = performance.now();
  const outcome = await receive(webhook, req, res, deps);
  const name = webhook.provider.toLowerCase();
  deps.metrics.webhookDelivery(webhook.provider, outcome.outcome);
  // One line per delivery: no session id, no signature, no body value.
  logger.info(
    {
      webhook: name,
      event: outcome.event ?? null,
      verified: outcome.verified,
      reason: outcome.reason ?? null,
      outcome: outcome.outcome,
      status: res.statusCode,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
    'webhook delivery',
  );
  return true;
}

interface Received {
  outcome: WebhookOutcome;
  verified: boolean;
  event?: string;
  reason?: string;
}

async function receive(
  webhook: AnyProviderWebhook,
  req: IncomingMessage,
  res: ServerResponse,
  deps: WebhooksDeps,
): Promise<Received> {
  if (req.method !== 'POST') {
    req.resume();
    res.setHeader('allow', 'POST');
    writeJson(res, 405, { error: 'method_not_allowed' });
    return { outcome: 'invalid', verified: false, reason: 'method' };
  }
  const raw = await readRawBody(req, deps.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES);
  if (raw === null) {
    // The rest of the body was not read: this connection cannot carry another request.
    res.setHeader('connection', 'close');
    writeJson(res, 413, { error: 'payload_too_large' });
    return { outcome: 'too_large', verified: false, reason: 'body_too_large' };
  }
  const now = Math.floor(Date.now() / 1000);
  const verification = await webhook.verify(req.headers, raw, now);
  if (!verification.ok) {
    writeJson(res, 401, { error: 'unauthorized' });
    return { outcome: 'unauthorized', verified: false, reason: verification.reason };
  }

  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    writeJson(res, 400, { error: 'invalid_json' });
    return { outcome: 'invalid', verified: true, reason: 'invalid_json' };
  }
  const reading = webhook.read(body, now);
  if (reading.kind === 'invalid') {
    // A replayed old body (its own signed timestamp stale) is a verification failure; the rest is a bad request.
    const stale = reading.reason === 'stale_timestamp';
    writeJson(res, stale ? 401 : 400, { error: stale ? 'unauthorized' : reading.reason });
    return { outcome: stale ? 'unauthorized' : 'invalid', verified: !stale, reason: reading.reason };
  }
  if (reading.kind === 'ignored') {
    writeJson(res, 200, { received: true });
    return { outcome: 'ignored', verified: true, event: reading.event };
  }

  const { provider } = webhook;
  const { event } = reading;
  const adapter = deps.registry.adapter(provider);
  if (!adapter) {
    writeJson(res, 503, { error: 'unavailable' });
    return { outcome: 'unavailable', verified: true, event, reason: 'not_configured' };
  }
  // The same check as a query's id: nothing malformed reaches the vendor's path, the cache or the replay log.
  if (adapter.checkId(reading.sessionId) !== null) {
    writeJson(res, 400, { error: 'invalid_payload' });
    return { outcome: 'invalid', verified: true, event, reason: 'invalid_session_id' };
  }
  const sessionId = deps.registry.canonicalId(provider, reading.sessionId);
  const ids = [verification.deliveryId, ...(verification.aliases ?? [])];
  const names = ids.map((id) => deliveryName(provider, webhook.replayKey, sessionId, id));
  const name = names[0] as string;
  const token = leaseToken();
  let claim: ClaimResult;
  try {
    claim = await deps.deliveries.claim(name, token, deps.leaseMs ?? DELIVERY_LEASE_MS);
  } catch {
    // A claim that timed out may still land: this release, sent after it, drops it; if lost, its lease lapses.
    await deps.deliveries.release(name, token);
    writeJson(res, 503, { error: 'unavailable' });
    return { outcome: 'unavailable', verified: true, event, reason: 'replay_log' };
  }
  if (claim === 'done') {
    writeJson(res, 200, { received: true });
    return { outcome: 'duplicate', verified: true, event };
  }
  if (claim === 'pending') {
    // Another attempt of this delivery is being recorded right now: not done yet, so the vendor retries later.
    writeJson(res, 503, { error: 'unavailable' });
    return { outcome: 'unavailable', verified: true, event, reason: 'in_progress' };
  }
  try {
    await deps.store.invalidate(provider, sessionId);
    deps.responses.clear();
    // Every replica drops its memory copy and its answers; status null: a change is known, not its result.
    await deps.changes.publish({ provider, id: sessionId, status: null });
  } catch {
    await deps.deliveries.release(name, token);
    writeJson(res, 503, { error: 'unavailable' });
    return { outcome: 'unavailable', verified: true, event, reason: 'invalidation' };
  }
  let inbox: 'accepted' | 'duplicate';
  try {
    inbox = await withDeadline(
      deps.inbox.accept({
        replayKey: name,
        provider,
        providerSessionId: sessionId,
        event,
        vendorEventId: reading.eventId ?? null,
        receivedAt: new Date().toISOString(),
      }),
      deps.inboxDeadlineMs ?? INBOX_DEADLINE_MS,
    );
    deps.health.succeeded();
  } catch (error) {
    // A commit that lands after this 503 is harmless: the vendor's retry finds the row and is answered a duplicate.
    deps.health.failed(error);
    await deps.deliveries.release(name, token);
    writeJson(res, 503, { error: 'unavailable' });
    return { outcome: 'unavailable', verified: true, event, reason: 'inbox' };
  }
  // Committed: only now is a replay a duplicate. Should this fail, the inbox still answers the replay as one.
  const marked = await deps.deliveries.complete(names, webhook.replayWindowSeconds).then(
    () => true,
    () => false,
  );
  if (inbox === 'accepted') {
    deps.metrics.inboxAccepted(provider);
    deps.onAccepted();
  }
  writeJson(res, 200, { received: true });
  if (inbox === 'duplicate') return { outcome: 'duplicate', verified: true, event };
  const reason = marked ? undefined : 'replay_log_unmarked';
  return { outcome: 'accepted', verified: true, event, ...(reason ? { reason } : {}) };
}

/** `work`, or a rejection once `ms` passed first (the work itself goes on: its result is then ignored). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure after the deadline is not unhandled
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
