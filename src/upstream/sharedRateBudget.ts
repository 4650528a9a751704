import type { Redis } from 'ioredis';
import type { Provider } from '../model/session.ts';
import { emitUpstreamEvent, type RateBudgetFallback } from './events.ts';
import type { RateBudget, Spend } from './rateLimit.ts';

/**
 * One provider's rate budget shared by every replica through Redis, with this replica's own budget as the
 * fallback while Redis cannot answer quickly.
 *
 * Why a GCRA script rather than rate-limiter-flexible: GCRA (the generic cell rate algorithm) is the local token
 * bucket written as one timestamp, so the shared budget keeps exactly the local semantics (a burst of the
 * per-minute figure, continuous refill, `retryAfterSeconds` = time until the next token), where
 * rate-limiter-flexible's Redis limiter counts fixed windows (a full burst again at every window boundary, and a
 * retry-after that is the window's end). The script is one atomic round trip, reads Redis's clock (replicas'
 * clocks need not agree), and adds no dependency.
 */
const GCRA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local interval = tonumber(ARGV[1])
local tolerance = interval * tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local next = tat + interval
local wait = next - tolerance - now
if wait > 0 then return {0, math.ceil(wait)} end
redis.call('SET', KEYS[1], string.format('%.3f', next), 'PX', math.max(1, math.ceil(next - now)))
return {1, 0}
`;

/** The ioredis command the script is registered as, on the process's one connection. */
const COMMAND = 'verigateRateBudget';

type WithGcra = Redis & {
  [COMMAND](key: string, intervalMs: number, burst: number): Promise<[number, number]>;
};

/**
 * Registers the script on the connection, and loads it into Redis on every (re)connect, so that the first call after
 * one is a single EVALSHA rather than a NOSCRIPT miss and a second round trip inside the timeout.
 */
function defineGcra(redis: Redis): void {
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: GCRA });
  const load = () => {
    redis.script('LOAD', GCRA).catch(() => {
      // Not loaded now: the first call loads it (ioredis falls back to EVAL).
    });
  };
  redis.on('ready', load);
  if (redis.status === 'ready') load();
}

export interface SharedRateBudgetOptions {
  /** Sustained requests per minute, for all replicas together. */
  perMinute: number;
  /** Largest burst; defaults to the per-minute figure, as the local budget's. */
  burst?: number;
  /** Longest wait for Redis before this call is decided by the local budget: 50 ms. */
  timeoutMs?: number;
  /** After Redis failed or was slow, calls are decided locally without asking it for this long: 1 000 ms. */
  localForMs?: number;
}

export class SharedRateBudget {
  readonly #provider: Provider;
  readonly #local: RateBudget;
  readonly #redis: WithGcra;
  readonly #key: string;
  readonly #intervalMs: number;
  readonly #burst: number;
  readonly #timeoutMs: number;
  readonly #localForMs: number;
  #askAgainAt = 0;
  #shared: boolean | null = null;

  constructor(provider: Provider, local: RateBudget, redis: Redis, options: SharedRateBudgetOptions) {
    this.#provider = provider;
    this.#local = local;
    if (!(COMMAND in redis)) defineGcra(redis);
    this.#redis = redis as WithGcra;
    // Namespaced by provider only: the key names no account, credential or caller.
    this.#key = `verigate:rate:${provider}`;
    this.#intervalMs = 60_000 / options.perMinute;
    this.#burst = Math.max(1, options.burst ?? options.perMinute);
    this.#timeoutMs = options.timeoutMs ?? 50;
    this.#localForMs = options.localForMs ?? 1_000;
  }

  /** Takes a token from the shared budget, or from the local one when Redis cannot say within the timeout. */
  async take(): Promise<Spend> {
    if (this.#redis.status !== 'ready' || Date.now() < this.#askAgainAt) return this.#fallBack('unavailable');
    const asked = await this.#ask();
    if (typeof asked === 'string') {
      this.#askAgainAt = Date.now() + this.#localForMs;
      return this.#fallBack(asked);
    }
    this.#report(true);
    // Kept in step, so that if Redis goes away the local budget starts from what this replica already spent.
    if (asked.ok) this.#local.take();
    return asked;
  }

  async #ask(): Promise<Spend | RateBudgetFallback> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#timeoutMs);
    });
    const answer = this.#redis[COMMAND](this.#key, this.#intervalMs, this.#burst).then(
      ([ok, waitMs]): Spend =>
        ok === 1 ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) },
      (): 'error' => 'error',
    );
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #fallBack(reason: RateBudgetFallback): Spend {
    this.#report(false);
    emitUpstreamEvent({ type: 'rate_budget_fallback', provider: this.#provider, reason });
    return this.#local.take();
  }

  /** Reports whether the budget is shared when that changes (and on the first call). */
  #report(shared: boolean): void {
    if (this.#shared === shared) return;
    this.#shared = shared;
    emitUpstreamEvent({ type: 'rate_budget_mode', provider: this.#provider, shared });
  }
}
