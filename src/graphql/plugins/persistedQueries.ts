import type { PersistedQueryOptions } from '@apollo/server';
import { InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';
import type { GraphQLConfig } from '../../config/index.ts';

/** Memory the in-process APQ store may use (document text, measured by Apollo's size calculation). */
const MEMORY_APQ_BYTES = 16 * 1024 * 1024;
/** Redis keys are `verigate:apq:<sha256>` (Apollo adds its own `apq:` prefix inside). */
const REDIS_PREFIX = 'verigate:';

/**
 * Apollo's KeyValueCache over the gateway's Redis connection, so every replica knows a query any replica has
 * registered. Fail-fast like the connection itself: a Redis that is down is a miss (the client re-sends the full
 * query, as the APQ protocol expects) and a lost write, never a failed request.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  readonly #redis: Redis;

  constructor(redis: Redis) {
    this.#redis = redis;
  }

  async get(key: string): Promise<string | undefined> {
    try {
      return (await this.#redis.get(REDIS_PREFIX + key)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    try {
      if (options?.ttl) await this.#redis.set(REDIS_PREFIX + key, value, 'EX', options.ttl);
      else await this.#redis.set(REDIS_PREFIX + key, value);
    } catch {
      // A lost registration costs one more round trip for the next client; nothing else.
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      return (await this.#redis.del(REDIS_PREFIX + key)) > 0;
    } catch {
      return false;
    }
  }
}

/**
 * Apollo Server's `persistedQueries` option: automatic persisted queries in memory, or in Redis when the gateway
 * has a connection. Off in trusted-documents mode, where the manifest is the only source of documents.
 * Apollo registers a query only after it has parsed, validated and passed every operation limit.
 */
export function persistedQueries(config: GraphQLConfig, redis: Redis | null): PersistedQueryOptions | false {
  if (!config.apq || config.trustedDocuments) return false;
  const cache = redis ? new RedisKeyValueCache(redis) : new InMemoryLRUCache<string>({ maxSize: MEMORY_APQ_BYTES });
  return { cache, ttl: config.apq.ttlSeconds };
}
