import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { type CacheEntry, type CacheTier, MemoryTier, RedisTier } from '../cache/sessionCache.ts';
import type { CacheConfig, Config } from '../config/index.ts';
import type { EventStore, SessionEventSource } from '../events/store.ts';
import type { Timeline } from '../events/timeline.ts';
import { logger } from '../logger.ts';
import type { Provider, Session, SessionDetails } from '../model/session.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import { GatewayError, providerName } from '../upstream/errors.ts';
import { currentOperationScope, emitUpstreamEvent, noteFreshness } from '../upstream/events.ts';
import { InFlight } from '../upstream/inflight.ts';
import { measuringParsedBytes } from '../upstream/parse.ts';
import type { SessionChanges } from './changes.ts';

type Cached = Session | SessionDetails;

/** One load from a provider; `outdated` once the session changed at its vendor while the load was under way. */
interface Load {
  outdated: boolean;
}

/** The store's keys of one session: the session and its deferred details. */
const keysOf = (provider: Provider, id: string) => [`s\u0000${provider}\u0000${id}`, `d\u0000${provider}\u0000${id}`];

export interface SessionStoreOptions {
  /** Share one upstream call among concurrent requests for the same session (default true). */
  dedupInFlight?: boolean;
  /** The process's Redis connection (owned and closed by the caller); none: memory only. */
  redis?: Redis | null;
  /** Told of every session freshly fetched from a provider (fire-and-forget); none: nothing is recorded. */
  timeline?: Timeline | null;
}

/**
 * Where sessions come from, shared by every request of the process: the cache (memory, then Redis), a call
 * already in flight for the same session, or the provider. Terminal sessions are kept `terminalTtlSeconds`,
 * others `activeTtlSeconds`. With `staleIfErrorSeconds`, a terminal session past its TTL is served, marked
 * stale, when its provider is unavailable.
 */
export class SessionStore {
  readonly #registry: ProviderRegistry;
  readonly #config: CacheConfig;
  readonly #tiers: CacheTier<Cached>[];
  readonly #inFlight = new InFlight<{ value: Cached; freshUntil: number | null }>();
  readonly #dedup: boolean;
  readonly #timeline: Timeline | null;
  /** Loads under way, by key: a change marks them outdated, so what they bring back is answered but not cached. */
  readonly #loads = new Map<string, Set<Load>>();
  /**
   * Sessions a webhook has just said changed: the next fresh load of each is recorded on the timeline as learnt
   * from the WEBHOOK, whoever starts it (a subscriber reloading first; the inbox worker records its own reload). A minute at most.
   */
  readonly #toldByWebhook = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });

  private constructor(
    registry: ProviderRegistry,
    config: CacheConfig,
    tiers: CacheTier<Cached>[],
    options: SessionStoreOptions,
  ) {
    this.#dedup = options.dedupInFlight ?? true;
    this.#timeline = options.timeline ?? null;
    this.#registry = registry;
    this.#config = config;
    this.#tiers = tiers;
  }

  /** Where the timeline is stored; null when nothing is recorded. */
  get events(): EventStore | null {
    return this.#timeline?.store ?? null;
  }

  /** Whether sessions are kept at all (a TTL above 0). Without, no answer is ever fresh, so none is reused whole. */
  get caches(): boolean {
    return this.#tiers.length > 0;
  }

  static create(config: Config, registry: ProviderRegistry, options: SessionStoreOptions = {}): SessionStore {
    const cacheOn = config.cache.terminalTtlSeconds > 0 || config.cache.activeTtlSeconds > 0;
    const tiers: CacheTier<Cached>[] = [];
    if (cacheOn) {
      tiers.push(new MemoryTier<Cached>(config.cache.maxEntries, config.cache.maxBytes));
      if (options.redis) {
        let key = config.cache.encryptionKey;
        if (!key) {
          // Config refuses this in production; elsewhere a per-process key keeps values unreadable at rest.
          key = randomBytes(32);
          logger.warn(
            'CACHE_ENCRYPTION_KEY unset: Redis cache values use a random per-process key (not shared by replicas)',
          );
        }
        tiers.push(new RedisTier<Cached>(options.redis, key));
      }
    }
    return new SessionStore(registry, config.cache, tiers, options);
  }

  /**
   * The session changed at its vendor (a verified webhook said so): drops every cached copy of it, in this process
   * and in Redis, and makes loads under way outdated. Rejects when Redis cannot confirm the deletion; other
   * replicas drop their memory copies when the change is published (`followChanges`).
   */
  async invalidate(provider: Provider, id: string): Promise<void> {
    this.#toldByWebhook.set(`${provider}\u0000${id}`, true);
    this.#forget(provider, id, true);
    for (const key of keysOf(provider, id)) {
      await Promise.all(this.#tiers.filter((t) => t.name !== 'memory').map((t) => t.delete(key)));
    }
  }

  /**
   * Follows `sessionChanged` from every replica. A change without a status (an invalidation) drops this process's
   * copies and outdates its loads; one with a status (a fresh copy was just stored in the shared tier) drops the
   * memory copies only when Redis is there to answer instead. This replica's own invalidation, coming back on the
   * channel, is skipped: `invalidate` acted on it before it was published, and a load begun since (the webhook's
   * refresh) reads the vendor after the change, so outdating it would only throw a fresh copy away.
   */
  followChanges(changes: SessionChanges): () => void {
    return changes.subscribe((change) => {
      if (change.status === null) {
        // Only the webhook route publishes a change without a status.
        this.#toldByWebhook.set(`${change.provider}\u0000${change.id}`, true);
        if (!change.local) this.#forget(change.provider, change.id, true);
      } else if (this.#tiers.some((t) => t.name === 'redis')) this.#forget(change.provider, change.id, false);
    });
  }

  #forget(provider: Provider, id: string, outdateLoads: boolean): void {
    for (const key of keysOf(provider, id)) {
      if (outdateLoads) {
        for (const load of this.#loads.get(key) ?? []) load.outdated = true;
        this.#inFlight.forget(key);
      }
      for (const tier of this.#tiers) if (tier.name === 'memory') void tier.delete(key);
    }
  }

  /**
   * The session, from the cache or its provider. A fresh fetch is recorded on the timeline as seen by `source`: who
   * asked (the poller, or a query), or WEBHOOK when a webhook has just said it changed; a load
   * joined by others is recorded once.
   */
  session(provider: Provider, id: string, source: SessionEventSource = 'QUERY'): Promise<Session> {
    const observe =
      this.#timeline &&
      ((value: Cached) => {
        const told = this.#toldByWebhook.delete(`${provider}\u0000${id}`);
        this.#timeline?.observe(value as Session, told ? 'WEBHOOK' : source);
      });
    return this.#get(
      `s\u0000${provider}\u0000${id}`,
      provider,
      (adapter) => adapter.fetchSession(id),
      observe ?? undefined,
    ) as Promise<Session>;
  }

  /**
   * The session as its vendor has it now, for the inbox worker: no cached copy and no load already under way is used
   * (either may date from before the change a webhook told of; both are outdated here, on this replica), the fresh
   * copy is cached for the reads that follow, and it is not recorded: the worker records it, durably, itself.
   */
  reload(provider: Provider, id: string): Promise<Session> {
    this.#toldByWebhook.delete(`${provider}\u0000${id}`);
    this.#forget(provider, id, true);
    return this.#get(`s\u0000${provider}\u0000${id}`, provider, (adapter) => adapter.fetchSession(id), undefined, {
      fresh: true,
    }) as Promise<Session>;
  }

  details(provider: Provider, id: string): Promise<SessionDetails> {
    return this.#get(`d\u0000${provider}\u0000${id}`, provider, (adapter) => {
      if (!adapter.fetchSessionDetails) throw new Error(`${provider} has no deferred details`);
      return adapter.fetchSessionDetails(id);
    }) as Promise<SessionDetails>;
  }

  async #get(
    key: string,
    provider: Provider,
    fetch: (adapter: NonNullable<ReturnType<ProviderRegistry['adapter']>>) => Promise<Cached>,
    observe?: (value: Cached) => void,
    { fresh = false }: { fresh?: boolean } = {},
  ): Promise<Cached> {
    const adapter = this.#registry.adapter(provider);
    if (!adapter) {
      throw new GatewayError('UPSTREAM_UNAVAILABLE', `${providerName(provider)} is not configured on this gateway.`, {
        provider,
      });
    }
    let stale: CacheEntry<Cached> | null = null;
    const now = Date.now();
    for (const [i, tier] of fresh ? [] : this.#tiers.entries()) {
      const entry = await tier.get(key);
      if (!entry) continue;
      if (entry.freshUntil > now) {
        emitUpstreamEvent({ type: 'cache', provider, result: 'hit', tier: tier.name });
        noteFreshness(entry.freshUntil);
        // A Redis hit warms this process's memory for the next request.
        for (const earlier of this.#tiers.slice(0, i)) await earlier.set(key, entry);
        return entry.value;
      }
      if (!stale || entry.storedAt > stale.storedAt) stale = entry;
    }
    const first = this.#tiers[0];
    if (first) emitUpstreamEvent({ type: 'cache', provider, result: 'miss', tier: first.name });

    const load = async () => {
      // Nothing is kept without a tier (caching off): no load to outdate, no bytes to count.
      if (this.#tiers.length === 0) {
        const value = await fetch(adapter);
        observe?.(value);
        return { value, freshUntil: null };
      }
      const current: Load = { outdated: false };
      const loads = this.#loads.get(key) ?? new Set<Load>();
      this.#loads.set(key, loads.add(current));
      try {
        const { value, bytes } = await measuringParsedBytes(() => fetch(adapter));
        // An outdated load read the vendor before a change it has since heard of: not recorded as the latest state.
        if (!current.outdated) observe?.(value);
        return { value, freshUntil: await this.#store(key, value, bytes, current) };
      } finally {
        loads.delete(current);
        if (loads.size === 0 && this.#loads.get(key) === loads) this.#loads.delete(key);
      }
    };
    const { promise, joined } = this.#dedup ? this.#inFlight.run(key, load) : { promise: load(), joined: false };
    if (joined) emitUpstreamEvent({ type: 'dedup', provider });
    try {
      const { value, freshUntil } = await promise;
      noteFreshness(freshUntil);
      return value;
    } catch (error) {
      if (stale && error instanceof GatewayError && error.code === 'UPSTREAM_UNAVAILABLE') {
        const ageSeconds = Math.round((Date.now() - stale.storedAt) / 1000);
        emitUpstreamEvent({ type: 'cache', provider, result: 'stale', tier: 'memory' });
        currentOperationScope()?.stale.push({ provider, ageSeconds });
        noteFreshness(null);
        return stale.value;
      }
      throw error;
    }
  }

  /** Caches a fetched value built from `bytes` of vendor bodies; returns until when it is fresh, or null if not cached. */
  async #store(key: string, value: Cached, bytes: number, load: Load): Promise<number | null> {
    // Checked in the same tick as the writes below are issued, so an invalidation cannot fall between them.
    if (this.#tiers.length === 0 || load.outdated) return null;
    const terminal = 'isTerminal' in value ? value.isTerminal : true;
    const ttl = terminal ? this.#config.terminalTtlSeconds : this.#config.activeTtlSeconds;
    if (ttl <= 0) return null;
    const storedAt = Date.now();
    const freshUntil = storedAt + ttl * 1000;
    const keepUntil = freshUntil + (terminal ? this.#config.staleIfErrorSeconds * 1000 : 0);
    const entry: CacheEntry<Cached> = { value, storedAt, freshUntil, keepUntil, bytes };
    await Promise.all(this.#tiers.map((tier) => tier.set(key, entry)));
    return freshUntil;
  }

  async close(): Promise<void> {
    await Promise.all(this.#tiers.map((t) => t.close()));
  }
}
