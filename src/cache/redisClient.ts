import { Redis } from 'ioredis';
import { logger } from '../logger.ts';

/**
 * The one Redis connection of a gateway process (shared by the session cache and the persisted-query store).
 * Built to fail fast: no offline queue and no per-command retries, so a Redis that is down or slow costs a
 * request a few milliseconds, never a failure; the connection reconnects in the background.
 */
export function createRedis(url: string, options: { commandTimeoutMs?: number } = {}): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 100,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    reconnectOnError: () => false,
  });
  logConnectionState(redis);
  return redis;
}

/**
 * Logs a connection's state once per change (ready, error, end), never on every failed reconnect. Every connection
 * needs this 'error' listener: without one, ioredis prints "[ioredis] Unhandled error event" to stderr, outside the
 * JSON logs. `connection` names any connection but the shared one.
 */
export function logConnectionState(redis: Redis, connection?: string): void {
  let lastState = '';
  const report = (state: string) => {
    if (state === lastState) return;
    lastState = state;
    // The URL may carry a password: log the state only.
    logger[state === 'ready' ? 'info' : 'warn'](
      { redis: state, ...(connection ? { connection } : {}) },
      `redis ${state}`,
    );
  };
  redis.on('ready', () => report('ready'));
  redis.on('error', () => report('error'));
  redis.on('end', () => report('end'));
}

/** Closes the connection without waiting for a Redis that may not answer. */
export async function closeRedis(redis: Redis): Promise<void> {
  try {
    await Promise.race([redis.quit(), new Promise((resolve) => setTimeout(resolve, 500))]);
  } catch {
    // already closed
  }
  redis.disconnect();
}
