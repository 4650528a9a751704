import { randomBytes } from 'node:crypto';
import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';
import { RedisApqStore } from '../../cache/apqStore.ts';
import { RegistrationCounter } from '../../cache/registrationCounter.ts';
import type { GraphQLConfig } from '../../config/index.ts';
import type { GatewayContext } from '../context.ts';
import { apqAdmissionPlugin } from './apqAdmission.ts';

/** What Apollo Server needs for automatic persisted queries. */
export interface AutomaticPersistedQueries {
  /** Apollo's `persistedQueries` option. */
  options: PersistedQueryOptions | false;
  /** Admits registrations (document size, registrations per credential); none when APQ is off. */
  plugins: ApolloServerPlugin<GatewayContext>[];
}

/**
 * Automatic persisted queries in memory, or in Redis when the gateway has a connection (sealed with
 * CACHE_ENCRYPTION_KEY, which replicas must share; a per-process key without one, as the session cache). Off in
 * trusted-documents mode, where the manifest is the only source of documents. Apollo registers a document only
 * after it has parsed, validated and passed every operation limit, and the admission plugin.
 */
export function persistedQueries(config: GraphQLConfig, redis: Redis | null): AutomaticPersistedQueries {
  const apq = config.apq;
  if (!apq || config.trustedDocuments) return { options: false, plugins: [] };
  // Outside production only (config requires the key there with Redis): unreadable at rest, not shared.
  const key = apq.encryptionKey ?? randomBytes(32);
  const cache = redis
    ? new RedisApqStore(redis, key, apq)
    : new InMemoryLRUCache<string>({ maxSize: apq.maxEntries * apq.maxDocumentBytes, max: apq.maxEntries });
  const counter = new RegistrationCounter(apq.registrationsPerMinute, redis ? { redis, encryptionKey: key } : null);
  return {
    options: { cache, ttl: apq.ttlSeconds },
    plugins: [apqAdmissionPlugin({ ...apq, counter })],
  };
}
