import { AsyncLocalStorage } from 'node:async_hooks';
import type { CircuitState, Provider } from '../model/session.ts';

/**
 * What the upstream layer reports, for metrics, logs and traces. Emitters never include URLs, headers,
 * bodies or ids: only provider, outcome, status and timing.
 */
export type UpstreamOutcome =
  | 'ok' // 2xx, or a 4xx that is an answer (404 not found)
  | 'client_error' // other 4xx
  | 'server_error' // 5xx
  | 'rate_limited' // the vendor said 429
  | 'timeout'
  | 'network_error'
  | 'bad_response' // body too large or unreadable
  | 'slow_body'; // 2xx headers, then a body below the minimum rate

export type UpstreamEvent =
  | {
      type: 'upstream_request';
      provider: Provider;
      outcome: UpstreamOutcome;
      status: number | null;
      durationMs: number;
      attempt: number;
    }
  | { type: 'cache'; provider: Provider; result: 'hit' | 'miss' | 'stale'; tier: 'memory' | 'redis' }
  | { type: 'cache_error'; tier: 'redis'; operation: 'get' | 'set' }
  /** What an in-memory cache holds after a change: entries and their estimated bytes. */
  | { type: 'cache_size'; cache: 'sessions' | 'responses'; entries: number; bytes: number }
  | { type: 'dedup'; provider: Provider }
  | {
      type: 'rejected';
      provider: Provider;
      /** `credential_share`: the caller's credential had spent its fair share of the rate budget. */
      reason: 'rate_budget' | 'credential_share' | 'circuit_open' | 'bulkhead' | 'retry_budget';
    }
  | { type: 'circuit'; provider: Provider; state: CircuitState }
  /** Whether a provider's rate budget is shared through Redis right now; sent when that changes. */
  | { type: 'rate_budget_mode'; provider: Provider; shared: boolean }
  /** A call decided by this replica's own budget although Redis is configured. */
  | { type: 'rate_budget_fallback'; provider: Provider; reason: RateBudgetFallback };

/** Why a shared rate budget was not asked: Redis not connected (or recently failing), too slow, or an error. */
export type RateBudgetFallback = 'unavailable' | 'timeout' | 'error';

type Listener = (event: UpstreamEvent) => void;
const listeners = new Set<Listener>();

/** Subscribes to upstream events; returns the unsubscribe function. */
export function onUpstreamEvent(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Per-operation tallies, kept in AsyncLocalStorage so the one log line per operation can report them. */
export interface OperationScope {
  upstreamCalls: Partial<Record<Provider, number>>;
  cacheHits: number;
  stale: Array<{ provider: Provider; ageSeconds: number }>;
  /**
   * Until when every session this operation read stays fresh (the earliest expiry among them); Infinity when it
   * read none. With `uncacheable`, it decides whether and how long the whole response may be reused.
   */
  freshUntil: number;
  /** Set when the answer depends on something besides fresh sessions (provider health, an uncached session). */
  uncacheable: boolean;
  /** True when the response was served from the response cache. */
  responseCacheHit: boolean;
  /** The caller's credential (API key name, `jwt:<client>`), whose fair share of each vendor's budget its calls spend. */
  credential: string | null;
}

const scope = new AsyncLocalStorage<OperationScope>();

export function newOperationScope(): OperationScope {
  return {
    upstreamCalls: {},
    cacheHits: 0,
    stale: [],
    freshUntil: Number.POSITIVE_INFINITY,
    uncacheable: false,
    responseCacheHit: false,
    credential: null,
  };
}

/** Runs `fn` with `tally` as the current operation's scope. */
export function runInOperationScope<T>(tally: OperationScope, fn: () => T): T {
  return scope.run(tally, fn);
}

export function currentOperationScope(): OperationScope | undefined {
  return scope.getStore();
}

/** Records that the current operation read data fresh until `until` (null: data that may not be reused). */
export function noteFreshness(until: number | null): void {
  const tally = scope.getStore();
  if (!tally) return;
  if (until === null) tally.uncacheable = true;
  else tally.freshUntil = Math.min(tally.freshUntil, until);
}

export function emitUpstreamEvent(event: UpstreamEvent): void {
  const tally = scope.getStore();
  if (tally) {
    if (event.type === 'upstream_request')
      tally.upstreamCalls[event.provider] = (tally.upstreamCalls[event.provider] ?? 0) + 1;
    else if (event.type === 'cache' && event.result === 'hit') tally.cacheHits += 1;
  }
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // An observer must never break a request.
    }
  }
}
