import { z } from 'zod';
import { decodeKey, type EnvOf, optionalText } from './parse.ts';

/** The session cache: TTLs, the in-memory LRU's bounds, stale-if-error, and the key sealing values in Redis. */

export interface CacheConfig {
  /** How long a session in a terminal status is served from cache, s (0: not cached). */
  terminalTtlSeconds: number;
  /** How long a session still in progress is served from cache, s (0: not cached). */
  activeTtlSeconds: number;
  /** Entries in the in-memory LRU. */
  maxEntries: number;
  /** Bytes the in-memory LRU may hold, estimated from the vendor bodies each entry was parsed from. */
  maxBytes: number;
  /** Bytes of answer bodies the response cache may hold (identical operations answered again). */
  responseMaxBytes: number;
  /** How long past its TTL a terminal session may be served, marked stale, while its provider is down (0: never). */
  staleIfErrorSeconds: number;
  /** AES-256-GCM key for values in Redis; null outside production means a random per-process key. */
  encryptionKey: Buffer | null;
}

export const cacheEnv = {
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  CACHE_TERMINAL_TTL_SECONDS: z.coerce.number().int().min(0).default(300),
  CACHE_ACTIVE_TTL_SECONDS: z.coerce.number().int().min(0).default(2),
  CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000),
  /**
   * 64 MiB: a third of the 192 MiB heap the container gives V8 (Dockerfile `--max-old-space-size`), beside ~35 MB
   * of live heap, the 16 MiB response and persisted-query caches and bodies in flight (up to 2 MiB each).
   */
  CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(64 * 1024 * 1024),
  /** 16 MiB: a few thousand answers of a few KiB; counted in the heap budget beside CACHE_MAX_BYTES. */
  RESPONSE_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(16 * 1024 * 1024),
  CACHE_STALE_IF_ERROR_SECONDS: z.coerce.number().int().min(0).default(0),
  CACHE_ENCRYPTION_KEY: optionalText.pipe(
    z
      .string()
      .refine((v) => decodeKey(v) !== null, 'must be 32 bytes, as 64 hex characters or base64')
      .optional(),
  ),
};
type CacheEnv = EnvOf<typeof cacheEnv> & { NODE_ENV: 'production' | 'development' | 'test' };

export function cacheConfig(env: CacheEnv, problems: string[]): CacheConfig {
  const encryptionKey = env.CACHE_ENCRYPTION_KEY ? decodeKey(env.CACHE_ENCRYPTION_KEY) : null;
  if (env.REDIS_URL && !encryptionKey && env.NODE_ENV === 'production') {
    problems.push(
      'CACHE_ENCRYPTION_KEY: required in production when REDIS_URL is set (session data in Redis is encrypted)',
    );
  }
  return {
    terminalTtlSeconds: env.CACHE_TERMINAL_TTL_SECONDS,
    activeTtlSeconds: env.CACHE_ACTIVE_TTL_SECONDS,
    maxEntries: env.CACHE_MAX_ENTRIES,
    maxBytes: env.CACHE_MAX_BYTES,
    responseMaxBytes: env.RESPONSE_CACHE_MAX_BYTES,
    staleIfErrorSeconds: env.CACHE_STALE_IF_ERROR_SECONDS,
    encryptionKey,
  };
}
