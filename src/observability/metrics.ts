import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CircuitState, Provider, ProviderInfo } from '../model/session.ts';
import { onUpstreamEvent, type UpstreamEvent } from '../upstream/events.ts';

/** How an operation ended, as the operation histogram labels it. */
export type OperationOutcome =
  | 'ok' // data, no errors
  | 'errors' // executed, with errors in the response (partial data, a field FORBIDDEN, a provider down)
  | 'rejected' // refused before execution: a 4xx (auth, limits, malformed request, unknown persisted query)
  | 'failed'; // a 5xx

/** How a webhook delivery ended, as `verigate_webhook_deliveries_total` labels it. */
export type WebhookOutcome =
  | 'accepted' // verified, recorded, refresh queued
  | 'duplicate' // verified, already accepted before: nothing done again
  | 'ignored' // verified, an event Verigate has no use for
  | 'unauthorized' // verification failed (401)
  | 'invalid' // verified, but not JSON, not the vendor's shape, or an unknown event (400)
  | 'too_large' // body over the cap (413)
  | 'unavailable'; // could not be recorded (503): the vendor retries

const CIRCUIT_STATES: readonly CircuitState[] = ['CLOSED', 'HALF_OPEN', 'OPEN'];

/**
 * The gateway's Prometheus metrics, in a registry of its own (so several gateways in one process, as in tests,
 * do not mix). Upstream, cache and circuit numbers come from the upstream events; operation numbers from the
 * server. Labels are bounded: provider, outcome, code, state; never an id, a name a client chose, or a URL.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #unsubscribe: () => void;

  readonly #operationDuration = new Histogram({
    name: 'verigate_graphql_operation_duration_seconds',
    help: 'Time from request to response of one /graphql request, by operation type and outcome.',
    labelNames: ['operation_type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly #errors = new Counter({
    name: 'verigate_graphql_errors_total',
    help: '/graphql responses carrying at least one error with this extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly #inFlight = new Gauge({
    name: 'verigate_http_requests_in_flight',
    help: '/graphql requests being served right now.',
    registers: [this.registry],
  });
  readonly #upstreamDuration = new Histogram({
    name: 'verigate_upstream_request_duration_seconds',
    help: 'Duration of one upstream attempt, by provider and outcome (ok, client_error, server_error, rate_limited, timeout, network_error, bad_response).',
    labelNames: ['provider', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly #rejections = new Counter({
    name: 'verigate_upstream_rejections_total',
    help: 'Calls Verigate did not send to a provider: rate_budget (its own rate limit), credential_share (a caller over its fair share of it), circuit_open, bulkhead, retry_budget.',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });
  readonly #rateBudgetShared = new Gauge({
    name: 'verigate_rate_budget_shared',
    help: 'With REDIS_URL: 1 while a provider rate budget is shared by all replicas through Redis, 0 while this replica falls back to its own.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly #rateBudgetFallbacks = new Counter({
    name: 'verigate_rate_budget_fallbacks_total',
    help: 'Upstream calls whose rate budget was decided by this replica alone although REDIS_URL is set, by reason (unavailable, timeout, error).',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });
  readonly #cache = new Counter({
    name: 'verigate_cache_lookups_total',
    help: 'Session cache lookups, by provider, result (hit, miss, stale) and tier (memory, redis).',
    labelNames: ['provider', 'result', 'tier'] as const,
    registers: [this.registry],
  });
  readonly #cacheBytes = new Gauge({
    name: 'verigate_cache_bytes',
    help: 'Estimated bytes held by an in-memory cache: sessions (bounded by CACHE_MAX_BYTES) or whole responses.',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });
  readonly #cacheEntries = new Gauge({
    name: 'verigate_cache_entries',
    help: 'Entries held by an in-memory cache: sessions or whole responses.',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });
  readonly #cacheErrors = new Counter({
    name: 'verigate_cache_errors_total',
    help: 'Shared cache operations that failed (and were treated as misses or skipped).',
    labelNames: ['tier', 'operation'] as const,
    registers: [this.registry],
  });
  readonly #dedup = new Counter({
    name: 'verigate_upstream_dedup_total',
    help: 'Session loads that joined a call already in flight instead of making their own.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  readonly #circuitTransitions = new Counter({
    name: 'verigate_circuit_transitions_total',
    help: 'Circuit breaker state changes, by provider and the state entered.',
    labelNames: ['provider', 'state'] as const,
    registers: [this.registry],
  });

  readonly #webhookDeliveries = new Counter({
    name: 'verigate_webhook_deliveries_total',
    help: 'Vendor webhook deliveries, by provider and outcome (accepted, duplicate, ignored, unauthorized, invalid, too_large, unavailable).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly #outboundDeliveries = new Counter({
    name: 'verigate_outbound_deliveries_total',
    help: 'Outbound webhook attempts, by endpoint and outcome (delivered, retry, failed: the last attempt failed, gone: 410, the endpoint is disabled; superseded: a redelivery or a re-claim took the lease first, so the outcome was not recorded).',
    labelNames: ['endpoint', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly #eventsAppendFailures = new Counter({
    name: 'verigate_events_append_failures_total',
    help: 'Observed session changes in a timeline batch that failed (they stay queued and are retried).',
    registers: [this.registry],
  });

  readonly #timelineDropped = new Counter({
    name: 'verigate_timeline_dropped_total',
    help: 'Observed session changes dropped unrecorded: more than maxPending waiting while the store was away, or still waiting at shutdown (the session is appended on its next load).',
    registers: [this.registry],
  });

  readonly #storeUp = new Gauge({
    name: 'verigate_store_up',
    help: "1 while the timeline's database answers (appends, the inbox), 0 from a failure until a call succeeds again.",
    registers: [this.registry],
  });

  readonly #inboxAccepted = new Counter({
    name: 'verigate_inbox_accepted_total',
    help: 'Verified vendor webhooks committed to the inbox (answered 2xx; duplicates not counted), by provider.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly #inboxProcessed = new Counter({
    name: 'verigate_inbox_processed_total',
    help: 'Inbox rows done, by provider and outcome (changed, unchanged, not_found: the vendor no longer knows the session, failed: given up).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly #inboxRetries = new Counter({
    name: 'verigate_inbox_retries_total',
    help: 'Inbox reloads sent back for a later attempt, by provider and code (UPSTREAM_UNAVAILABLE, UPSTREAM_RATE_LIMITED, STORE_UNAVAILABLE).',
    labelNames: ['provider', 'code'] as const,
    registers: [this.registry],
  });

  readonly #startAttempts = new Counter({
    name: 'verigate_start_attempts_total',
    help: 'startVerification attempts per provider, by outcome: started, replayed, or the error code that ended it (upstream_unavailable, bad_user_input…).',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });

  constructor(providers: () => readonly ProviderInfo[]) {
    collectDefaultMetrics({ register: this.registry });
    this.#storeUp.set(1);
    new Gauge({
      name: 'verigate_circuit_state',
      help: 'Circuit breaker state per configured provider: 1 for the current state, 0 for the others.',
      labelNames: ['provider', 'state'] as const,
      registers: [this.registry],
      collect() {
        for (const info of providers()) {
          if (!info.configured) continue;
          for (const state of CIRCUIT_STATES)
            this.set({ provider: info.provider, state }, info.circuit === state ? 1 : 0);
        }
      },
    });
    this.#unsubscribe = onUpstreamEvent((event) => this.#record(event));
  }

  #record(event: UpstreamEvent): void {
    switch (event.type) {
      case 'upstream_request':
        this.#upstreamDuration.observe({ provider: event.provider, outcome: event.outcome }, event.durationMs / 1000);
        return;
      case 'rejected':
        this.#rejections.inc({ provider: event.provider, reason: event.reason });
        return;
      case 'cache':
        this.#cache.inc({ provider: event.provider, result: event.result, tier: event.tier });
        return;
      case 'cache_size':
        this.#cacheBytes.set({ cache: event.cache }, event.bytes);
        this.#cacheEntries.set({ cache: event.cache }, event.entries);
        return;
      case 'cache_error':
        this.#cacheErrors.inc({ tier: event.tier, operation: event.operation });
        return;
      case 'dedup':
        this.#dedup.inc({ provider: event.provider });
        return;
      case 'circuit':
        this.#circuitTransitions.inc({ provider: event.provider, state: event.state });
        return;
      case 'rate_budget_mode':
        this.#rateBudgetShared.set({ provider: event.provider }, event.shared ? 1 : 0);
        return;
      case 'rate_budget_fallback':
        this.#rateBudgetFallbacks.inc({ provider: event.provider, reason: event.reason });
        return;
    }
  }

  /** Counts observed changes the timeline could not record. */
  eventsAppendFailed(count: number): void {
    this.#eventsAppendFailures.inc(count);
  }

  /** Counts observed changes dropped unrecorded. */
  timelineDropped(count: number): void {
    this.#timelineDropped.inc(count);
  }

  /** Sets `verigate_store_up`. */
  storeUp(up: boolean): void {
    this.#storeUp.set(up ? 1 : 0);
  }

  inboxAccepted(provider: Provider): void {
    this.#inboxAccepted.inc({ provider });
  }

  inboxProcessed(provider: Provider, outcome: string, rows: number): void {
    this.#inboxProcessed.inc({ provider, outcome }, rows);
  }

  inboxRetry(provider: Provider, code: string): void {
    this.#inboxRetries.inc({ provider, code });
  }

  /** `verigate_inbox_pending`: inbox rows not yet done, read from the shared inbox at each scrape. */
  observeInbox(inbox: { pending(): Promise<number> }): void {
    new Gauge({
      name: 'verigate_inbox_pending',
      help: 'Vendor webhook hints in the inbox not yet done (waiting for a reload, or for a retry).',
      registers: [this.registry],
      async collect() {
        const n = await inbox.pending().catch(() => null);
        if (n !== null) this.set(n);
      },
    });
  }

  /** Counts one `startVerification` attempt at a provider: `started`, `replayed` or its error code in lower case. */
  startAttempt(provider: Provider, outcome: string): void {
    this.#startAttempts.inc({ provider, outcome });
  }

  /** Counts one vendor webhook delivery by how it ended. */
  webhookDelivery(provider: Provider, outcome: WebhookOutcome): void {
    this.#webhookDeliveries.inc({ provider, outcome });
  }

  /** Counts one outbound webhook attempt by how it ended. */
  outboundDelivery(endpoint: string, outcome: 'delivered' | 'retry' | 'failed' | 'gone' | 'superseded'): void {
    this.#outboundDeliveries.inc({ endpoint, outcome });
  }

  /**
   * `verigate_outbound_queue_depth{endpoint}` (pending deliveries, a disabled endpoint's included) and
   * `verigate_outbound_endpoint_disabled{endpoint}` (1 while a 410 has it disabled), read from the outbox at each
   * scrape: the outbox is shared, so every replica reports the same numbers.
   */
  observeOutbound(outbox: { queueDepth(): Promise<Map<string, number>>; disabled(): Promise<Set<string>> }): void {
    new Gauge({
      name: 'verigate_outbound_queue_depth',
      help: 'Outbound webhook deliveries pending (waiting for an attempt or a retry), per configured endpoint.',
      labelNames: ['endpoint'] as const,
      registers: [this.registry],
      async collect() {
        const depth = await outbox.queueDepth().catch(() => new Map<string, number>());
        for (const [endpoint, n] of depth) this.set({ endpoint }, n);
      },
    });
    new Gauge({
      name: 'verigate_outbound_endpoint_disabled',
      help: 'Outbound endpoints a 410 Gone disabled (1); re-enabled by redeliverWebhook, sendTestWebhook or a new URL.',
      labelNames: ['endpoint'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const disabled = await outbox.disabled().catch(() => new Set<string>());
        for (const endpoint of disabled) this.set({ endpoint }, 1);
      },
    });
  }

  /** `verigate_subscriptions_open`: subscriptions (SSE and WebSocket) this replica holds, read at each scrape. */
  observeSubscriptions(open: () => number): void {
    new Gauge({
      name: 'verigate_subscriptions_open',
      help: 'GraphQL subscriptions (SSE and WebSocket) open on this replica.',
      registers: [this.registry],
      collect() {
        this.set(open());
      },
    });
  }

  /** Counts one request in flight until the returned function is called. */
  requestStarted(): () => void {
    this.#inFlight.inc();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.#inFlight.dec();
    };
  }

  observeOperation(operationType: string | null, outcome: OperationOutcome, seconds: number, codes: readonly string[]) {
    this.#operationDuration.observe({ operation_type: operationType ?? 'none', outcome }, seconds);
    for (const code of codes) this.#errors.inc({ code });
  }

  close(): void {
    this.#unsubscribe();
  }
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * GET /metrics in Prometheus' text format. With a token configured, only `Authorization: Bearer <token>` may read
 * it (compared in constant time); without one it is open, so keep it off the public load balancer.
 */
export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: GatewayMetrics,
  token: string | null,
): Promise<void> {
  if (token !== null) {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
    if (!timingSafeEqual(digest(given), digest(token))) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end('Send the metrics token as "Authorization: Bearer <token>".\n');
      return;
    }
  }
  const text = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(text) });
  res.end(req.method === 'HEAD' ? undefined : text);
}
