import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import type { SessionChanges } from '../sessions/changes.ts';
import type { SessionStore } from '../sessions/store.ts';
import { GatewayError } from '../upstream/errors.ts';

export interface PollerOptions {
  /** First wait, and the wait after a change, ms. */
  minMs: number;
  /** Longest wait while nothing changes, ms. */
  maxMs: number;
  /** True when the provider sends no webhooks, so its sessions must be polled. */
  needsPolling(provider: Provider): boolean;
  /** The Redis key of a session's poll lock (a keyed HMAC: no session id in Redis). */
  lockKey(provider: Provider, id: string): string;
}

/** Takes the lock, or extends it when this replica already holds it; 1 when this replica polls. */
const ACQUIRE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0`;
/** Lets go of the lock only if this replica still holds it. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

interface Poller {
  provider: Provider;
  id: string;
  subscribers: number;
  waitMs: number;
  /** What the last poll read, to publish only a change. */
  last: string | null;
  timer: NodeJS.Timeout | null;
  stopped: boolean;
}

/**
 * The poll fallback: one poller per session with subscribers whose provider sends no webhooks, across every replica
 * (a Redis lock with a TTL; per replica without Redis), so ten thousand subscribers cost the vendor calls of one.
 * Each round reloads the session through the store (the adapter's own rate budget pays), waits `minMs` doubling to
 * `maxMs` while nothing changes, publishes a change on `sessionChanged` for every replica's subscribers, and stops at
 * a terminal status or when the last subscriber leaves.
 */
export class SessionPollers {
  readonly #store: SessionStore;
  readonly #changes: SessionChanges;
  readonly #redis: Redis | null;
  readonly #options: PollerOptions;
  readonly #owner = randomBytes(12).toString('base64url');
  readonly #pollers = new Map<string, Poller>();

  constructor(store: SessionStore, changes: SessionChanges, redis: Redis | null, options: PollerOptions) {
    this.#store = store;
    this.#changes = changes;
    this.#redis = redis;
    this.#options = options;
  }

  /** A subscriber follows the session; returns its leave. No-op for providers with webhooks. */
  join(provider: Provider, id: string): () => void {
    if (!this.#options.needsPolling(provider)) return () => {};
    const key = `${provider}\u0000${id}`;
    let poller = this.#pollers.get(key);
    if (!poller) {
      const fresh: Poller = {
        provider,
        id,
        subscribers: 0,
        waitMs: this.#options.minMs,
        last: null,
        timer: null,
        stopped: false,
      };
      poller = fresh;
      this.#pollers.set(key, fresh);
      this.#schedule(fresh);
    }
    const joined = poller;
    joined.subscribers += 1;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      joined.subscribers -= 1;
      if (joined.subscribers === 0) this.#stop(key, joined);
    };
  }

  /** Sessions being polled by this replica's subscribers (for tests and metrics). */
  get size(): number {
    return this.#pollers.size;
  }

  close(): void {
    for (const [key, poller] of this.#pollers) this.#stop(key, poller);
  }

  #schedule(poller: Poller): void {
    poller.timer = setTimeout(() => {
      poller.timer = null;
      void this.#round(poller);
    }, poller.waitMs);
    poller.timer.unref();
  }

  async #round(poller: Poller): Promise<void> {
    if (poller.stopped) return;
    let terminal = false;
    if (await this.#holdLock(poller)) {
      terminal = await this.#poll(poller);
    } else {
      // Another replica polls; keep backing off so a takeover after its lock lapses is not a burst.
      poller.waitMs = Math.min(poller.waitMs * 2, this.#options.maxMs);
    }
    if (terminal) {
      await this.#releaseLock(poller);
      return;
    }
    if (!poller.stopped) this.#schedule(poller);
  }

  /** One vendor read; true once the session is terminal (nothing more to poll for). */
  async #poll(poller: Poller): Promise<boolean> {
    const { provider, id } = poller;
    try {
      // Through the store, so the fresh copy is what every subscriber's reload finds in the cache.
      await this.#store.invalidate(provider, id);
      const session = await this.#store.session(provider, id, 'POLL');
      const seen = JSON.stringify(session);
      if (seen !== poller.last) {
        poller.last = seen;
        poller.waitMs = this.#options.minMs;
        await this.#changes.publish({ provider, id, status: session.status });
      } else {
        poller.waitMs = Math.min(poller.waitMs * 2, this.#options.maxMs);
      }
      return session.isTerminal;
    } catch (error) {
      const code = error instanceof GatewayError ? error.code : 'INTERNAL';
      logger.warn({ provider, code }, 'subscription poller: poll failed; backing off');
      poller.waitMs = Math.min(poller.waitMs * 2, this.#options.maxMs);
      return false;
    }
  }

  /** True when this replica is the session's poller; without Redis (or when it fails) every replica polls its own. */
  async #holdLock(poller: Poller): Promise<boolean> {
    if (!this.#redis) return true;
    // Outlives the next wait with room to spare, so a live poller never loses it and a dead one frees it soon.
    const ttlMs = Math.min(poller.waitMs * 2, this.#options.maxMs) + 5_000;
    try {
      const key = this.#options.lockKey(poller.provider, poller.id);
      return (await this.#redis.eval(ACQUIRE, 1, key, this.#owner, String(ttlMs))) === 1;
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'subscription poller: lock failed');
      return true;
    }
  }

  async #releaseLock(poller: Poller): Promise<void> {
    if (!this.#redis) return;
    try {
      await this.#redis.eval(RELEASE, 1, this.#options.lockKey(poller.provider, poller.id), this.#owner);
    } catch {
      // The lock lapses on its own TTL.
    }
  }

  #stop(key: string, poller: Poller): void {
    poller.stopped = true;
    if (poller.timer) clearTimeout(poller.timer);
    poller.timer = null;
    if (this.#pollers.get(key) === poller) this.#pollers.delete(key);
    void this.#releaseLock(poller);
  }
}
