import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { logger } from '../logger.ts';
import { emitUpstreamEvent } from '../upstream/events.ts';
import { open, seal } from './crypto.ts';
import { RedisKeyNames } from './redisKeys.ts';

/** A cached value with its freshness. Past `freshUntil` it is only served stale, while its provider is down. */
export interface CacheEntry<T> {
  value: T;
  storedAt: number;
  freshUntil: number;
  /** Last instant the entry may be served at all (stale included). */
  keepUntil: number;
  /** About how much memory the value holds: the length of the vendor bodies it was built from. */
  bytes: number;
}

export interface CacheTier<T> {
  readonly name: 'memory' | 'redis';
  get(key: string): Promise<CacheEntry<T> | null>;
  set(key: string, entry: CacheEntry<T>): Promise<void>;
  /** Drops an entry (a webhook said the session changed); unlike `get` and `set`, rejects when it cannot. */
  delete(key: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Counted per entry besides its vendor bytes: the entry and the session's own objects. A small Didit session holds
 * its body's length plus up to ~2.2 KB of heap (bench/cache-memory.ts, docs/benchmarks.md).
 */
const ENTRY_OVERHEAD_BYTES = 2048;

/**
 * A bounded LRU in this process: at most `maxEntries`, and at most `maxBytes` by each entry's estimate (its
 * vendor bodies' length, recorded at parse time, so nothing is serialised to measure it). An entry larger than
 * the whole budget is not kept; the caller still answers with it.
 */
export class MemoryTier<T extends object> implements CacheTier<T> {
  readonly name = 'memory' as const;
  readonly #lru: LRUCache<string, CacheEntry<T>>;

  constructor(maxEntries: number, maxBytes: number) {
    this.#lru = new LRUCache<string, CacheEntry<T>>({ max: maxEntries, maxSize: maxBytes, sizeCalculation: entrySize });
  }

  async get(key: string): Promise<CacheEntry<T> | null> {
    const entry = this.#lru.get(key);
    if (!entry) return null;
    if (entry.keepUntil <= Date.now()) {
      this.#lru.delete(key);
      this.#report();
      return null;
    }
    return entry;
  }

  async set(key: string, entry: CacheEntry<T>): Promise<void> {
    this.#lru.set(key, entry, { ttl: Math.max(1, entry.keepUntil - Date.now()) });
    this.#report();
  }

  async delete(key: string): Promise<void> {
    if (this.#lru.delete(key)) this.#report();
  }

  async close(): Promise<void> {
    this.#lru.clear();
    this.#report();
  }

  #report(): void {
    emitUpstreamEvent({
      type: 'cache_size',
      cache: 'sessions',
      entries: this.#lru.size,
      bytes: this.#lru.calculatedSize,
    });
  }
}

function entrySize(entry: CacheEntry<object>, key: string): number {
  // An entry from Redis written before `bytes` existed is measured once, here.
  const bytes = Number.isSafeInteger(entry.bytes) && entry.bytes > 0 ? entry.bytes : JSON.stringify(entry.value).length;
  return bytes + key.length + ENTRY_OVERHEAD_BYTES;
}

/**
 * Shared cache in Redis for replicas. Keys are HMACs under a key derived from the encryption key (no session ids in
 * Redis, and no way to test a guessed one), values are sealed with AES-256-GCM. Every failure or slow answer counts
 * as a miss: Redis can make Verigate slower, never wrong.
 */
export class RedisTier<T> implements CacheTier<T> {
  readonly name = 'redis' as const;
  readonly #redis: Redis;
  readonly #key: Buffer;
  readonly #names: RedisKeyNames;
  readonly #timeoutMs: number;

  constructor(redis: Redis, encryptionKey: Buffer, timeoutMs = 50) {
    this.#redis = redis;
    this.#key = encryptionKey;
    this.#names = new RedisKeyNames(encryptionKey);
    this.#timeoutMs = timeoutMs;
  }

  async get(key: string): Promise<CacheEntry<T> | null> {
    const redisKey = this.#names.session(key);
    try {
      const raw = await withTimeout(this.#redis.getBuffer(redisKey), this.#timeoutMs);
      if (!raw) return null;
      const text = open(this.#key, redisKey, raw);
      if (text === null) {
        logger.warn({ cache: 'redis' }, 'cache value failed authentication; ignored');
        return null;
      }
      const entry = JSON.parse(text) as CacheEntry<T>;
      return entry.keepUntil > Date.now() ? entry : null;
    } catch {
      emitUpstreamEvent({ type: 'cache_error', tier: 'redis', operation: 'get' });
      return null;
    }
  }

  async set(key: string, entry: CacheEntry<T>): Promise<void> {
    const redisKey = this.#names.session(key);
    const ttlMs = Math.max(1, entry.keepUntil - Date.now());
    try {
      await withTimeout(
        this.#redis.set(redisKey, seal(this.#key, redisKey, JSON.stringify(entry)), 'PX', ttlMs),
        this.#timeoutMs,
      );
    } catch {
      emitUpstreamEvent({ type: 'cache_error', tier: 'redis', operation: 'set' });
    }
  }

  async delete(key: string): Promise<void> {
    await this.#redis.del(this.#names.session(key));
  }

  async close(): Promise<void> {}
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('cache timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
