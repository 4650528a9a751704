import type { Redis } from 'ioredis';
import type { Provider } from '../model/session.ts';
import { type BreakerOptions, CircuitBreaker } from './breaker.ts';
import { Bulkhead } from './bulkhead.ts';
import { GatewayError, parseRetryAfter, providerName, upstreamError } from './errors.ts';
import { emitUpstreamEvent, type UpstreamOutcome } from './events.ts';
import { currentCredential, currentPriority } from './priority.ts';
import { RateBudget } from './rateLimit.ts';
import { backoffMs, DEFAULT_RETRY, RetryBudget, type RetryOptions } from './retry.ts';
import { SharedRateBudget, type SharedRateBudgetOptions } from './sharedRateBudget.ts';

export interface ProviderPolicyOptions {
  /** Requests in any 60 s window Verigate allows itself towards this provider; null for no client-side budget. */
  ratePerMinute: number | null;
  /** Calls in flight at once, and callers allowed to wait for a slot. */
  maxConcurrent: number;
  maxQueued: number;
  breaker: BreakerOptions;
  retry: RetryOptions;
  /** Retries allowed as a share of requests over 10 s, plus a floor. */
  retryBudget: { ratio: number; minPerWindow: number };
}

export const DEFAULT_POLICY: ProviderPolicyOptions = {
  ratePerMinute: null,
  maxConcurrent: 64,
  maxQueued: 256,
  breaker: {},
  retry: DEFAULT_RETRY,
  retryBudget: { ratio: 0.1, minPerWindow: 10 },
};

/** What one attempt produced: a response with a status, or an error that already is a GatewayError. */
export interface AttemptResult<R> {
  status: number | null;
  response?: R;
  error?: GatewayError;
  /** Why the attempt produced no usable response. */
  failure?: 'timeout' | 'network_error' | 'bad_response' | 'slow_body';
  headers?: Record<string, string | string[] | undefined>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The resilience policy of one provider, shared by every pool of that provider: client-side rate budget (with a
 * reserve only user reads may spend), circuit breaker, bulkhead, and retries (idempotent GETs only, on connection
 * failures, 5xx and 429, with exponential backoff and jitter, `Retry-After` honoured up to a cap, inside a retry
 * budget and the call's deadline).
 */
export class ProviderPolicy {
  readonly provider: Provider;
  readonly breaker: CircuitBreaker;
  readonly #options: ProviderPolicyOptions;
  readonly #budget: RateBudget | null;
  #sharedBudget: SharedRateBudget | null = null;
  readonly #bulkhead: Bulkhead;
  readonly #retryBudget: RetryBudget;

  constructor(provider: Provider, options: ProviderPolicyOptions = DEFAULT_POLICY) {
    this.provider = provider;
    this.#options = options;
    this.#budget = options.ratePerMinute ? new RateBudget({ perMinute: options.ratePerMinute }) : null;
    this.#bulkhead = new Bulkhead(options.maxConcurrent, options.maxQueued);
    this.#retryBudget = new RetryBudget(options.retryBudget);
    this.breaker = new CircuitBreaker(options.breaker, (state) =>
      emitUpstreamEvent({ type: 'circuit', provider, state }),
    );
  }

  /** Shares this provider's rate budget with every replica on the same Redis (the local one stays as fallback). */
  shareRateBudget(redis: Redis, options: Pick<SharedRateBudgetOptions, 'timeoutMs' | 'localForMs'> = {}): void {
    const perMinute = this.#options.ratePerMinute;
    if (!this.#budget || !perMinute) return;
    this.#sharedBudget = new SharedRateBudget(this.provider, this.#budget, redis, { ...options, perMinute });
  }

  /**
   * Runs `attempt` under the policy. `deadline` is the whole call's deadline (all attempts and waits included).
   * Returns the response of the last attempt (any status); throws the GatewayError of a failed one.
   */
  async execute<R>(method: string, deadline: number, attempt: () => Promise<AttemptResult<R>>): Promise<R> {
    const { provider } = this;
    const idempotent = method === 'GET' || method === 'HEAD';
    this.#retryBudget.recordRequest();
    // Background work (webhook refreshes, pollers) leaves the budget's reserve to user reads.
    const priority = currentPriority();
    // Each caller spends its own fair share of the budget while several compete (rateLimit.ts).
    const credential = currentCredential();
    for (let n = 1; ; n += 1) {
      const spent = this.#sharedBudget
        ? await this.#sharedBudget.take(priority, credential)
        : this.#budget?.take(priority, credential);
      if (spent && !spent.ok) {
        emitUpstreamEvent({ type: 'rejected', provider, reason: spent.share ? 'credential_share' : 'rate_budget' });
        if (spent.share) throw upstreamError.shareSpent(provider, spent.retryAfterSeconds);
        throw upstreamError.rateLimited(provider, spent.retryAfterSeconds, true);
      }
      if (!this.breaker.tryAcquire()) {
        emitUpstreamEvent({ type: 'rejected', provider, reason: 'circuit_open' });
        throw new GatewayError(
          'UPSTREAM_UNAVAILABLE',
          `${providerName(provider)} is unavailable: too many recent calls failed, so Verigate is not calling it for now.`,
          { provider, retryAfterSeconds: this.breaker.secondsUntilProbe() },
        );
      }
      const started = performance.now();
      const ran = await this.#bulkhead.run(attempt);
      if (ran === null) {
        this.breaker.release(); // says nothing about the vendor; frees a half-open probe slot
        emitUpstreamEvent({ type: 'rejected', provider, reason: 'bulkhead' });
        throw upstreamError.unavailable(provider, 'too many calls to it are already in flight');
      }
      const result = ran.value;
      const outcome = classify(result);
      const health = vendorHealth(outcome, result.status);
      if (health === 'neither') this.breaker.release();
      else this.breaker.record(health === 'up');
      emitUpstreamEvent({
        type: 'upstream_request',
        provider,
        outcome,
        status: result.status,
        durationMs: performance.now() - started,
        attempt: n,
      });

      const retryable =
        outcome === 'server_error' ||
        outcome === 'timeout' ||
        outcome === 'network_error' ||
        outcome === 'rate_limited';
      let delay = retryable ? backoffMs(n, this.#options.retry) : 0;
      if (outcome === 'rate_limited') {
        const after = parseRetryAfter(result.headers?.['retry-after'], 0);
        if (after > this.#options.retry.maxRetryAfterSeconds) delay = Number.POSITIVE_INFINITY;
        else delay = Math.max(delay, after * 1000);
      }
      const canRetry =
        retryable &&
        idempotent &&
        n < this.#options.retry.maxAttempts &&
        Date.now() + delay + 50 < deadline &&
        // A timeout already used the call's time: do not spend the rest of the deadline on another one.
        outcome !== 'timeout';
      if (canRetry && this.#retryBudget.tryRetry()) {
        await sleep(delay);
        continue;
      }
      if (canRetry) emitUpstreamEvent({ type: 'rejected', provider, reason: 'retry_budget' });
      if (result.error) throw result.error;
      return result.response as R;
    }
  }
}

/**
 * What an attempt says about the vendor as a whole, for its circuit: transport failures, timeouts and 5xx say it is
 * down; a body too large or too slow is one session's problem and says neither, or a few bad sessions would open
 * the circuit for every healthy one. (Unreadable or invalid JSON is found after the policy and never counts.)
 */
function vendorHealth(outcome: UpstreamOutcome, status: number | null): 'up' | 'down' | 'neither' {
  if (status !== null && status >= 500) return 'down';
  switch (outcome) {
    case 'server_error':
    case 'timeout':
    case 'network_error':
      return 'down';
    case 'bad_response':
    case 'slow_body':
      return 'neither';
    default:
      return 'up';
  }
}

function classify(result: AttemptResult<unknown>): UpstreamOutcome {
  if (result.failure) return result.failure;
  const status = result.status ?? 0;
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  if (status >= 400 && status !== 404) return 'client_error';
  return 'ok';
}
