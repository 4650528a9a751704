import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { Provider } from '../model/session.ts';

/**
 * Deliveries already accepted, remembered for the vendor's replay window: a replayed (or retried) delivery is
 * answered 200 and changes nothing. In Redis (`SET NX` with a TTL) when configured, so every replica agrees; in
 * memory otherwise. Names are HMACs under the endpoint's secret: nothing in them tells a session id.
 */
export interface DeliveryLog {
  /** True when this delivery is new (and is now claimed); false for a replay. Rejects when it cannot tell. */
  claim(name: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets a claim whose delivery could not be recorded, so the vendor's retry is processed. Best effort. */
  release(name: string): Promise<void>;
}

/** The log's name of one delivery. */
export function deliveryName(provider: Provider, key: string, sessionId: string, deliveryId: string): string {
  const mac = createHmac('sha256', key).update(`${provider}\u0000${sessionId}\u0000${deliveryId}`).digest('base64url');
  return `verigate:webhook:v1:delivery:${mac}`;
}

export class MemoryDeliveryLog implements DeliveryLog {
  readonly #seen = new LRUCache<string, true>({ max: 100_000 });
  async claim(name: string, ttlSeconds: number): Promise<boolean> {
    if (this.#seen.has(name)) return false;
    this.#seen.set(name, true, { ttl: ttlSeconds * 1000 });
    return true;
  }
  async release(name: string): Promise<void> {
    this.#seen.delete(name);
  }
}

export class RedisDeliveryLog implements DeliveryLog {
  readonly #redis: Redis;
  constructor(redis: Redis) {
    this.#redis = redis;
  }
  async claim(name: string, ttlSeconds: number): Promise<boolean> {
    return (await this.#redis.set(name, '1', 'EX', ttlSeconds, 'NX')) === 'OK';
  }
  async release(name: string): Promise<void> {
    await this.#redis.del(name).catch(() => undefined);
  }
}

export function createDeliveryLog(redis: Redis | null): DeliveryLog {
  return redis ? new RedisDeliveryLog(redis) : new MemoryDeliveryLog();
}
