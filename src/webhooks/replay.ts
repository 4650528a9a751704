import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Provider } from '../model/session.ts';

/**
 * Deliveries already recorded, remembered for the vendor's replay window: a replayed (or retried) delivery is
 * answered 200 and changes nothing. In Redis when configured, so every replica agrees; in memory otherwise. Names
 * are HMACs under the endpoint's secret: nothing in them tells a session id.
 *
 * Two phases, so that a delivery counts as done only once it has been recorded:
 * 1. `claim` takes a short lease (`pending:<token>`, `DELIVERY_LEASE_MS`) unless the name is done or leased;
 * 2. `complete`, called only after the session was invalidated and the change published, writes `done` for the
 *    replay window; on any failure the attempt `release`s its own lease (compare-and-delete on its token).
 * Why a late-landing write is harmless: a claim whose reply timed out may still reach Redis after the vendor was
 * answered 503. If the release sent after it gets through (same connection, so Redis runs it after the claim), the
 * lease is gone at once; if it does not (the connection dropped), the lease expires within `DELIVERY_LEASE_MS`,
 * long before the vendor's retry (Didit retries after about a minute). Either way the retry is processed. Only
 * `complete` writes `done`, and it runs after the delivery was recorded.
 */
export interface DeliveryLog {
  /**
   * `claimed` (this attempt holds the lease under `token`), `done` (a replay of a recorded delivery) or `pending`
   * (another attempt holds the lease right now). Rejects when it cannot tell (Redis down or slow).
   */
  claim(name: string, token: string, leaseMs: number): Promise<ClaimResult>;
  /** The delivery is recorded: its names are remembered as done for `ttlSeconds`. Rejects when Redis fails. */
  complete(names: readonly string[], ttlSeconds: number): Promise<void>;
  /** Drops the lease if `token` still holds it, so the vendor's retry is processed. Best effort, never rejects. */
  release(name: string, token: string): Promise<void>;
}

export type ClaimResult = 'claimed' | 'done' | 'pending';

/**
 * How long a claim stays leased before it lapses on its own: well past the few Redis round trips of recording a
 * delivery, well short of any vendor's first retry.
 */
export const DELIVERY_LEASE_MS = 10_000;

/** A fresh lease token: tells this attempt's lease from a later one's. */
export const leaseToken = (): string => randomBytes(12).toString('base64url');

/** The log's name of one delivery. */
export function deliveryName(provider: Provider, key: string, sessionId: string, deliveryId: string): string {
  const mac = createHmac('sha256', key).update(`${provider}\u0000${sessionId}\u0000${deliveryId}`).digest('base64url');
  return `verigate:webhook:v1:delivery:${mac}`;
}

const DONE = 'done';
const lease = (token: string) => `pending:${token}`;

export class MemoryDeliveryLog implements DeliveryLog {
  readonly #entries = new LRUCache<string, string>({ max: 100_000 });
  async claim(name: string, token: string, leaseMs: number): Promise<ClaimResult> {
    const current = this.#entries.get(name);
    if (current !== undefined) return current === DONE ? 'done' : 'pending';
    this.#entries.set(name, lease(token), { ttl: leaseMs });
    return 'claimed';
  }
  async complete(names: readonly string[], ttlSeconds: number): Promise<void> {
    for (const name of names) this.#entries.set(name, DONE, { ttl: ttlSeconds * 1000 });
  }
  async release(name: string, token: string): Promise<void> {
    if (this.#entries.get(name) === lease(token)) this.#entries.delete(name);
  }
}

/** Leases the name unless it is there already; returns what was there, or nil when this call took the lease. */
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;
/** Deletes the name only while it still holds this attempt's lease. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export class RedisDeliveryLog implements DeliveryLog {
  readonly #redis: Redis;
  constructor(redis: Redis) {
    this.#redis = redis;
  }
  async claim(name: string, token: string, leaseMs: number): Promise<ClaimResult> {
    // The shared connection's command timeout bounds the wait (createRedis); a reply that comes too late rejects.
    const current = await this.#redis.eval(CLAIM, 1, name, lease(token), String(leaseMs));
    if (current === null) return 'claimed';
    return current === DONE ? 'done' : 'pending';
  }
  async complete(names: readonly string[], ttlSeconds: number): Promise<void> {
    await Promise.all(names.map((name) => this.#redis.set(name, DONE, 'EX', ttlSeconds)));
  }
  async release(name: string, token: string): Promise<void> {
    await this.#redis.eval(RELEASE, 1, name, lease(token)).catch(() => undefined);
  }
}

export function createDeliveryLog(redis: Redis | null): DeliveryLog {
  return redis ? new RedisDeliveryLog(redis) : new MemoryDeliveryLog();
}
