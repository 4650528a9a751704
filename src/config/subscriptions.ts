import { type EnvOf, limit } from './parse.ts';

/** Subscriptions (`sessionUpdated` over SSE and WebSocket): how many, how long, and how un-webhooked sessions are polled. */

export interface SubscriptionsConfig {
  /** Subscriptions one replica holds at once: each idle one costs ~19 KiB of V8 heap (docs/benchmarks.md). */
  maxPerReplica: number;
  /** Operations one WebSocket connection may run at once (an SSE connection carries one). */
  maxPerConnection: number;
  /** Open subscriptions one credential (API key name or token client) may hold on one replica. */
  maxPerCredential: number;
  /** WebSocket ping interval; a peer that has not answered the previous ping by the next is dropped, ms. */
  heartbeatMs: number;
  /** A WebSocket connection with no subscription for this long is closed (1000), ms. */
  idleMs: number;
  /** A subscription ends with `SUBSCRIPTION_EXPIRED` after this long; the client subscribes again, ms. */
  maxLifetimeMs: number;
  /** First wait of the poller of a session whose provider sends no webhooks, ms. */
  pollMinMs: number;
  /** Longest wait between two polls while nothing changes, ms. */
  pollMaxMs: number;
}

export const subscriptionsEnv = {
  SUBSCRIPTIONS_MAX: limit(1, 1_000_000, 2_000),
  SUBSCRIPTIONS_PER_CONNECTION: limit(1, 1_000, 10),
  SUBSCRIPTIONS_PER_CREDENTIAL: limit(1, 1_000_000, 1_000),
  SUBSCRIPTION_HEARTBEAT_SECONDS: limit(1, 300, 15),
  SUBSCRIPTION_IDLE_SECONDS: limit(1, 3_600, 60),
  SUBSCRIPTION_MAX_LIFETIME_SECONDS: limit(1, 86_400, 3_600),
  SUBSCRIPTION_POLL_MIN_MS: limit(100, 60_000, 2_000),
  SUBSCRIPTION_POLL_MAX_MS: limit(100, 600_000, 30_000),
};

export function subscriptionsConfig(env: EnvOf<typeof subscriptionsEnv>, problems: string[]): SubscriptionsConfig {
  if (env.SUBSCRIPTION_POLL_MAX_MS < env.SUBSCRIPTION_POLL_MIN_MS)
    problems.push('SUBSCRIPTION_POLL_MAX_MS: must be at least SUBSCRIPTION_POLL_MIN_MS');
  return {
    maxPerReplica: env.SUBSCRIPTIONS_MAX,
    maxPerConnection: env.SUBSCRIPTIONS_PER_CONNECTION,
    maxPerCredential: env.SUBSCRIPTIONS_PER_CREDENTIAL,
    heartbeatMs: env.SUBSCRIPTION_HEARTBEAT_SECONDS * 1000,
    idleMs: env.SUBSCRIPTION_IDLE_SECONDS * 1000,
    maxLifetimeMs: env.SUBSCRIPTION_MAX_LIFETIME_SECONDS * 1000,
    pollMinMs: env.SUBSCRIPTION_POLL_MIN_MS,
    pollMaxMs: env.SUBSCRIPTION_POLL_MAX_MS,
  };
}
