import { randomBytes } from 'node:crypto';
import { closeRedis, createRedis } from './cache/redisClient.ts';
import { RedisKeyNames } from './cache/redisKeys.ts';
import { type ApiKeyConfig, type Config, ConfigError, SCOPES } from './config/index.ts';
import { StoreHealth } from './events/health.ts';
import { openEventStore } from './events/open.ts';
import { RetentionPruner } from './events/retention.ts';
import type { EventStore } from './events/store.ts';
import { Timeline, type TimelineOptions } from './events/timeline.ts';
import { startApollo } from './graphql/apollo.ts';
import { Authenticator } from './graphql/auth.ts';
import { TrustedDocumentList } from './graphql/plugins/trustedDocuments.ts';
import { ResponseCache } from './graphql/responseCache.ts';
import { buildSchema } from './graphql/schema.ts';
import { corsRoute } from './http/cors.ts';
import { graphqlRoute } from './http/graphql.ts';
import { healthRoute } from './http/health.ts';
import { listen } from './http/listener.ts';
import { metricsRoute } from './http/metrics.ts';
import { playgroundRoute } from './http/playground.ts';
import type { Route } from './http/route.ts';
import { router } from './http/router.ts';
import { subscriptionStreams } from './http/subscriptions.ts';
import { webhooksRoute } from './http/webhooks.ts';
import { subscriptionSockets } from './http/websocket.ts';
import { InboxStore } from './inbox/store.ts';
import { InboxWorker, type InboxWorkerOptions } from './inbox/worker.ts';
import type { Provider } from './model/session.ts';
import { GatewayMetrics } from './observability/metrics.ts';
import { startTracing } from './observability/tracing.ts';
import { type DeliveryOutcome, Dispatcher, type DispatcherOptions } from './outbound/dispatcher.ts';
import { Outbox } from './outbound/outbox.ts';
import { OutboundSender } from './outbound/send.ts';
import { ProviderRegistry, providerModules, type RegistryOptions } from './providers/index.ts';
import { createSessionChanges, type SessionChanges } from './sessions/changes.ts';
import { SessionStore, type SessionStoreOptions } from './sessions/store.ts';
import { Shutdown } from './shutdown.ts';
import { RECORD_RETENTION_MS, StartRecords, type StartRecordsOptions } from './start/records.ts';
import { StartService } from './start/service.ts';
import { SubscriptionOperations } from './subscriptions/operation.ts';
import { SubscriptionService, type SubscriptionServiceDeps } from './subscriptions/service.ts';
import { createDeliveryLog } from './webhooks/replay.ts';

export { formatError } from './graphql/formatError.ts';

export interface GatewayOptions extends RegistryOptions {
  /** Session store tuning that is not public configuration (the benchmark turns in-flight dedup off). */
  store?: SessionStoreOptions;
  /** Pacing of the inbox worker's reloads of the sessions webhooks told of (tests shorten the backoff and the lease). */
  refresher?: InboxWorkerOptions;
  /** Wraps the timeline's opened store (tests make it fail on purpose). */
  eventStore?: (opened: EventStore) => EventStore;
  /** How long the inbox's commit may take before a webhook is answered 503, ms (tests shorten it). */
  inboxDeadlineMs?: number;
  /** How long a webhook delivery's claim in the replay log is leased, ms (tests shorten it). */
  webhookLeaseMs?: number;
  /** Batching of timeline appends (tests flush at once). */
  timeline?: Omit<TimelineOptions, 'onFailure' | 'onDropped' | 'onAppended' | 'onCommitted' | 'settle' | 'health'>;
  /** Pacing of outbound webhooks (tests shorten the poll, the lease and the retry schedule). */
  outbound?: DispatcherOptions;
  /** startVerification's idempotency leases and waits (tests shorten them). */
  starts?: StartRecordsOptions;
}

export interface CloseOptions {
  /** Keep serving, with /readyz answering 503, this long before the listener closes (SHUTDOWN_DELAY_SECONDS), ms. */
  announceMs?: number;
}

export interface Gateway {
  readonly url: string;
  readonly port: number;
  /** The address the listener actually bound, e.g. `127.0.0.1:4000`. */
  readonly address: string;
  readonly registry: ProviderRegistry;
  /** `sessionChanged` hints, across replicas over Redis pub/sub when REDIS_URL is set (webhooks publish them). */
  readonly changes: SessionChanges;
  /** The generated development key, when no GATEWAY_API_KEYS were configured. */
  readonly devKey: string | null;
  /** Records observed session changes; `flush()` waits until what was observed is in the store (tests). */
  readonly timeline: Timeline;
  /** Outbound webhook deliveries (the outbox); sent by this replica's dispatcher when endpoints are configured. */
  readonly outbox: Outbox;
  /** Vendor webhook hints, committed before they are answered 2xx; worked by this replica's inbox worker. */
  readonly inbox: InboxStore;
  /**
   * Says "draining" on /readyz (for `announceMs`, while still serving), stops accepting, lets in-flight requests
   * finish (SHUTDOWN_TIMEOUT_SECONDS at most), then closes Apollo, the cache, Redis and the upstream pools.
   */
  close(options?: CloseOptions): Promise<void>;
  /** What shutdown is waiting for right now (null before it starts): for the log line of a hard stop. */
  shutdownStep(): string | null;
}

function devKeys(config: Config): { keys: ApiKeyConfig[]; devKey: string | null } {
  if (config.apiKeys) return { keys: config.apiKeys, devKey: null };
  const devKey = `vg_dev_${randomBytes(18).toString('base64url')}`;
  return { keys: [{ name: 'development', key: devKey, scopes: [...SCOPES] }], devKey };
}

/** Starts the gateway: the schema, providers, cache, Apollo, then the HTTP routes on the configured address. */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  // The schema and everything checked against it first: a bad trusted-documents manifest stops the start here.
  const schema = buildSchema();
  const { trustedDocuments } = config.graphql;
  const trusted = trustedDocuments ? new TrustedDocumentList(schema, trustedDocuments) : null;
  // The timeline's store, migrated before anything starts: a database that cannot be reached stops the start here.
  const opened = await openEventStore(config.events.database);
  const events = options.eventStore ? options.eventStore(opened) : opened;
  const registry = await ProviderRegistry.start(config, options);
  const startRecords = new StartRecords(events, options.starts);
  const starts = new StartService({
    registry,
    events,
    records: startRecords,
    config: config.start,
    production: config.nodeEnv === 'production',
    onAttempt: (provider, outcome) => metrics.startAttempt(provider, outcome),
  });
  // A routed provider whose adapter cannot start verifications is known only now that the adapters exist.
  const routingProblems = starts.routingProblems();
  if (routingProblems.length > 0) {
    await registry.close();
    await events.close();
    throw new ConfigError(routingProblems);
  }
  // The gateway's one Redis connection, shared by the session cache, persisted queries and the rate budgets.
  const redis = config.redisUrl ? createRedis(config.redisUrl) : null;
  if (redis) registry.shareRateBudgets(redis);
  const metrics = new GatewayMetrics(() => registry.info());
  const { outbox, dispatcher, sender } = outbound(config, events, metrics, options.outbound);
  const health = new StoreHealth(events.engine);
  health.watch((up) => metrics.storeUp(up));
  const inbox = new InboxStore(events);
  metrics.observeInbox(inbox);
  const timeline = new Timeline(events, {
    ...options.timeline,
    health,
    onFailure: (n) => metrics.eventsAppendFailed(n),
    onDropped: (n) => metrics.timelineDropped(n),
    // The outbox rows of each change are written in the append's own transaction (src/outbound/outbox.ts), and so is
    // the settling of the inbox rows that asked for it.
    settle: inbox.settle,
    ...(dispatcher ? { onAppended: outbox.enqueueStatusChanges, onCommitted: () => dispatcher.wake() } : {}),
  });
  const pruner = new RetentionPruner(events, {
    retentionDays: config.events.retentionDays,
    alsoPrune: [(before, limit) => outbox.prune(before, limit), (before, limit) => inbox.prune(before, limit)],
    alsoPruneAfter: [{ maxAgeMs: RECORD_RETENTION_MS, prune: (before, limit) => startRecords.prune(before, limit) }],
  });
  pruner.start();
  const store = SessionStore.create(config, registry, { ...options.store, redis, timeline });
  const changes = createSessionChanges(redis, config.cache.encryptionKey);
  // Every replica drops its memory copy of a session, and its whole answers, when any replica hears it changed.
  const unfollow = store.followChanges(changes);
  const responses = new ResponseCache({ maxBytes: config.cache.responseMaxBytes, enabled: store.caches });
  const unclear = changes.subscribe(() => responses.clear());
  const worker = new InboxWorker(
    {
      inbox,
      store,
      timeline,
      changes,
      health,
      onProcessed: (provider, outcome, rows) => metrics.inboxProcessed(provider, outcome, rows),
      onRetry: (provider, code) => metrics.inboxRetry(provider, code),
    },
    options.refresher,
  );
  const { keys, devKey } = devKeys(config);
  const tracing = startTracing(config.telemetry);
  const apollo = await startApollo(schema, config.graphql, redis);
  const authenticator = new Authenticator(keys, config.jwt);
  const subscriptions = subscriptionService(config, { registry, store, changes, redis });
  // A webhook reload given up (the vendor failing) still reaches this replica's subscribers: by a poll.
  worker.handGivenUpTo((provider, id) => subscriptions.adopt(provider, id));
  metrics.observeSubscriptions(() => subscriptions.open);
  const operations = new SubscriptionOperations(schema, config.graphql.limits, trusted);
  const maxBodyBytes = config.graphql.limits.maxBodyBytes;
  const streams = subscriptionStreams({ service: subscriptions, operations, authenticator, maxBodyBytes });

  let draining = false;
  const routes: Route[] = [
    healthRoute({ draining: () => draining, providers: () => registry.info() }),
    metricsRoute(metrics, config.telemetry.metricsToken),
    // Vendor webhooks carry their own verification: before CORS and authentication.
    webhooksRoute({
      config: config.webhooks,
      registry,
      store,
      changes,
      inbox,
      onAccepted: () => worker.wake(),
      health,
      deliveries: createDeliveryLog(redis),
      responses,
      metrics,
      leaseMs: options.webhookLeaseMs,
      inboxDeadlineMs: options.inboxDeadlineMs,
    }),
    // CORS headers for /graphql, and its preflights answered before authentication.
    corsRoute(config.browser),
    ...(config.playground.enabled ? [playgroundRoute({ devKey, sandboxed: registry.sandboxed() })] : []),
    // GraphQL over SSE: /graphql with `Accept: text/event-stream`.
    streams.route,
    graphqlRoute({
      apollo,
      authenticator,
      trusted,
      responses,
      registry,
      store,
      metrics,
      outbox,
      starts,
      maxBodyBytes: config.graphql.limits.maxBodyBytes,
    }),
  ];
  const listener = await listen(
    config.server,
    router(routes, () => draining),
  );

  // GraphQL over WebSocket: upgrades of /graphql.
  const sockets = subscriptionSockets({
    server: listener.server,
    service: subscriptions,
    operations,
    authenticator,
    browser: config.browser,
    maxPayloadBytes: maxBodyBytes,
  });

  const shutdown = new Shutdown(() => {
    draining = true;
    // Nothing new starts while draining: no sandbox webhook (a vendor's is still committed, for any replica to work).
    registry.deliverWebhooksTo(null);
  }, [
    // Before the HTTP drain, which would otherwise wait its whole timeout for streams that never finish.
    [
      'subscriptions',
      () => {
        subscriptions.startClosing();
        streams.endAll();
        return sockets.close();
      },
    ],
    ['http connections', () => listener.drain(config.server.drainTimeoutMs)],
    // After the HTTP drain (a webhook answered 2xx may still wake it), before what its reloads use and record through.
    ['inbox worker', () => worker.stop()],
    ['apollo', () => apollo.stop()],
    [
      'session changes',
      () => {
        subscriptions.close();
        unfollow();
        unclear();
        return changes.close();
      },
    ],
    ['session store', () => store.close()],
    [
      'session timeline',
      async () => {
        await pruner.stop();
        await timeline.close();
      },
    ],
    [
      // After the timeline's last append (its rows are queued, and stay for the next start or another replica).
      'outbound webhooks',
      async () => {
        await dispatcher?.stop();
        await sender?.close();
        await events.close();
      },
    ],
    ['redis', () => (redis ? closeRedis(redis) : undefined)],
    ['upstream pools and simulators', () => registry.close()],
    ['metrics', () => metrics.close()],
    ['tracing exporter', () => tracing?.close()],
  ]);

  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  // A wildcard bind is reachable on loopback too; the URL printed is one a local client can open.
  const local = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
  // The simulators send their timed scenarios' webhooks here, as the vendors would to a public endpoint.
  registry.deliverWebhooksTo(`http://${local}:${listener.port}`);
  dispatcher?.start();
  worker.start();
  return {
    url: `http://${local}:${listener.port}/graphql`,
    port: listener.port,
    address: listener.address,
    registry,
    changes,
    devKey,
    timeline,
    outbox,
    inbox,
    close: (options: CloseOptions = {}) => shutdown.run(options.announceMs),
    shutdownStep: () => shutdown.step,
  };
}

/**
 * The outbox (always: deliveries recorded under an earlier configuration stay readable) and, when endpoints are
 * configured, this replica's dispatcher and its sender.
 */
function outbound(config: Config, events: EventStore, metrics: GatewayMetrics, options: DispatcherOptions = {}) {
  const outbox = new Outbox(events, config.outbound.endpoints);
  if (config.outbound.endpoints.length === 0) return { outbox, dispatcher: null, sender: null };
  metrics.observeOutbound(outbox);
  const sender = new OutboundSender({ allowPrivate: config.outbound.allowPrivate });
  const onOutcome = (endpoint: string, outcome: DeliveryOutcome) => metrics.outboundDelivery(endpoint, outcome);
  const dispatcher = new Dispatcher({ outbox, sender, onOutcome }, options);
  outbox.onQueued = () => dispatcher.wake();
  return { outbox, dispatcher, sender };
}

/** Subscriptions poll a session only where its provider sends no webhooks (no secret configured). */
function subscriptionService(
  config: Config,
  deps: Pick<SubscriptionServiceDeps, 'registry' | 'store' | 'changes' | 'redis'>,
): SubscriptionService {
  // Replicas agree on a lock's name only with a shared CACHE_ENCRYPTION_KEY; without one each polls for itself.
  const names = new RedisKeyNames(config.cache.encryptionKey ?? randomBytes(32));
  return new SubscriptionService({
    ...deps,
    config: config.subscriptions,
    needsPolling: (provider) => !config.webhooks[moduleName(provider)],
    pollLockKey: (provider, id) => names.pollLock(`${provider}:${id}`),
    primeOnChange: config.cache.activeTtlSeconds > 0 || config.cache.terminalTtlSeconds > 0,
  });
}

/** The registry's name of a provider (`DIDIT` → `didit`): its config section and webhook route. */
const moduleName = (provider: Provider) => providerModules().find((m) => m.provider === provider)?.name ?? '';
