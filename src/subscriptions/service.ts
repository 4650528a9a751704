import type { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import type { SubscriptionsConfig } from '../config/index.ts';
import type { GatewayContext } from '../graphql/context.ts';
import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { SessionChanges } from '../sessions/changes.ts';
import type { SessionStore } from '../sessions/store.ts';
import { subscriptionError } from './errors.ts';
import { type FeedSource, SessionFeed } from './feed.ts';
import { SessionPollers } from './poller.ts';

export interface SubscriptionServiceDeps {
  config: SubscriptionsConfig;
  registry: ProviderRegistry;
  store: SessionStore;
  changes: SessionChanges;
  redis: Redis | null;
  /** True when the provider sends no webhooks (no secret configured), so its sessions are polled. */
  needsPolling(provider: Provider): boolean;
  /** The Redis key of a session's poll lock. */
  pollLockKey(provider: Provider, id: string): string;
  /** The store caches sessions: one load on a change warms it before the feeds reload (false: they reload at once). */
  primeOnChange: boolean;
}

/** A subscription admitted under the limits; `release` gives its place back (idempotent). */
export interface Admission {
  release(): void;
}

/**
 * Everything the transports share: the per-credential limit, one `sessionChanged` listener fanned out to the
 * feeds watching each session, the pollers, and shutdown (no new subscriptions once closing).
 */
export class SubscriptionService implements FeedSource {
  readonly config: SubscriptionsConfig;
  readonly registry: ProviderRegistry;
  readonly store: SessionStore;
  readonly #pollers: SessionPollers;
  readonly #watchers = new Map<string, Set<() => void>>();
  readonly #perCredential = new Map<string, number>();
  readonly #unsubscribe: () => void;
  #open = 0;
  #closing = false;

  constructor(deps: SubscriptionServiceDeps) {
    this.config = deps.config;
    this.registry = deps.registry;
    this.store = deps.store;
    this.#pollers = new SessionPollers(deps.store, deps.changes, deps.redis, {
      minMs: deps.config.pollMinMs,
      maxMs: deps.config.pollMaxMs,
      needsPolling: deps.needsPolling,
      lockKey: deps.pollLockKey,
    });
    // One listener for the process; a change wakes only the feeds of its session.
    this.#unsubscribe = deps.changes.subscribe(({ provider, id }) => {
      const watchers = this.#watchers.get(keyOf(provider, id));
      if (!watchers) return;
      const wakeAll = () => {
        for (const wake of watchers) wake();
      };
      if (!deps.primeOnChange) return wakeAll();
      // One load first, so the thousand reloads that follow find this process's memory warm (from Redis or the
      // vendor) instead of all asking Redis at once, where some would time out into vendor calls.
      this.store.session(provider, id).then(wakeAll, wakeAll);
    });
  }

  /**
   * Admits one more subscription for `credential`, or says why not (a coded GraphQL error). Its end is logged once,
   * with the caller's name and how long it lasted (never the session).
   */
  admit(credential: string, transport: 'sse' | 'ws'): Admission | GraphQLError {
    if (this.#closing) {
      return subscriptionError(
        'SHUTTING_DOWN',
        'This gateway is shutting down; subscribe again (another replica answers).',
      );
    }
    if (this.#open >= this.config.maxPerReplica) {
      const max = this.config.maxPerReplica;
      return subscriptionError(
        'SUBSCRIPTION_LIMIT_REACHED',
        'This gateway holds all the subscriptions it can; retry.',
        {
          limit: 'replica',
          max,
        },
      );
    }
    const held = this.#perCredential.get(credential) ?? 0;
    const max = this.config.maxPerCredential;
    if (held >= max) {
      return subscriptionError(
        'SUBSCRIPTION_LIMIT_REACHED',
        `This credential already holds ${max} subscriptions on this gateway; end one first.`,
        { limit: 'credential', max },
      );
    }
    this.#perCredential.set(credential, held + 1);
    this.#open += 1;
    const started = performance.now();
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const durationMs = Math.round(performance.now() - started);
        logger.info({ caller: credential, transport, durationMs, open: this.#open - 1 }, 'subscription ended');
        this.#open -= 1;
        const left = (this.#perCredential.get(credential) ?? 1) - 1;
        if (left > 0) this.#perCredential.set(credential, left);
        else this.#perCredential.delete(credential);
      },
    };
  }

  /**
   * `Subscription.sessionUpdated`: the feed, once its first load is done (a refusal is the operation's error; the
   * vendor's trouble is sent as an error and retried as fast as the poller would poll).
   */
  follow(ctx: GatewayContext, provider: Provider, id: string, untilTerminal = true): Promise<SessionFeed> {
    return new SessionFeed(
      this,
      ctx,
      // Watched under its canonical id, the one webhooks and pollers publish changes under.
      { provider, id: this.registry.canonicalId(provider, id) },
      {
        untilTerminal,
        lifetimeMs: this.config.maxLifetimeMs,
        retryMinMs: this.config.pollMinMs,
        retryMaxMs: this.config.pollMaxMs,
      },
    ).start();
  }

  watch(provider: Provider, id: string, wake: () => void): () => void {
    const key = keyOf(provider, id);
    const set = this.#watchers.get(key) ?? new Set();
    this.#watchers.set(key, set.add(wake));
    return () => {
      set.delete(wake);
      if (set.size === 0 && this.#watchers.get(key) === set) this.#watchers.delete(key);
    };
  }

  poll(provider: Provider, id: string): () => void {
    return this.#pollers.join(provider, id);
  }

  /** A webhook refresh of the session was given up: poll it once for its subscribers here, if it has any. */
  adopt(provider: Provider, id: string): void {
    const wanted = () => this.#watchers.has(keyOf(provider, id));
    if (wanted()) this.#pollers.adopt(provider, id, wanted);
  }

  /** Subscriptions open on this replica. */
  get open(): number {
    return this.#open;
  }

  /** Sessions this replica's subscribers have pollers for. */
  get polled(): number {
    return this.#pollers.size;
  }

  get closing(): boolean {
    return this.#closing;
  }

  /** Refuses new subscriptions; the transports end the open ones. */
  startClosing(): void {
    this.#closing = true;
  }

  close(): void {
    this.#closing = true;
    this.#pollers.close();
    this.#unsubscribe();
  }
}

const keyOf = (provider: Provider, id: string) => `${provider}\u0000${id}`;
