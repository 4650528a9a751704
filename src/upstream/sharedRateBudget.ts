import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Provider } from '../model/session.ts';
import { emitUpstreamEvent, type RateBudgetFallback } from './events.ts';
import { type Priority, RATE_WINDOW_MS, type RateBudget, rateLimitFor, type Spend } from './rateLimit.ts';

/**
 * One provider's rate budget shared by every replica through Redis, with this replica's own budget as the
 * fallback while Redis cannot answer quickly.
 *
 * The same rule as the local budget, `perMinute` requests in any 60 s window, kept as a sorted set of the requests'
 * times (one atomic script, Redis's clock, so replicas' clocks need not agree). Why not a token bucket (GCRA): a
 * bucket whose burst is the per-minute figure lets a minute hold its burst plus a minute of refill, twice the
 * figure; and not rate-limiter-flexible's fixed windows, which allow a full burst again at every window boundary.
 * The local budget records every request this replica sends, and the requests it decided alone while Redis was
 * away are added to the shared log with the next answer: one replica never spends more than the figure, however
 * its Redis calls time out.
 */
const SLIDING_LOG = `
local now = tonumber(ARGV[1])
if now < 0 then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local id = ARGV[4]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
for i = 5, #ARGV do
  local at = now - tonumber(ARGV[i])
  if at > now - window then redis.call('ZADD', KEYS[1], at, id .. ':' .. i) end
end
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, id)
  redis.call('PEXPIRE', KEYS[1], math.ceil(window))
  return {1, 0}
end
if #ARGV > 4 then redis.call('PEXPIRE', KEYS[1], math.ceil(window)) end
local edge = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return {0, math.ceil(tonumber(edge[2]) + window - now)}
`;

/** The ioredis command the script is registered as, on the process's one connection. */
const COMMAND = 'verigateRateBudget';

type WithLog = Redis & {
  [COMMAND](key: string, ...args: Array<string | number>): Promise<[number, number]>;
};

/**
 * Registers the script on the connection, and loads it into Redis on every (re)connect, so that the first call after
 * one is a single EVALSHA rather than a NOSCRIPT miss and a second round trip inside the timeout.
 */
function defineSlidingLog(redis: Redis): void {
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: SLIDING_LOG });
  const load = () => {
    redis.script('LOAD', SLIDING_LOG).catch(() => {
      // Not loaded now: the first call loads it (ioredis falls back to EVAL).
    });
  };
  redis.on('ready', load);
  if (redis.status === 'ready') load();
}

export interface SharedRateBudgetOptions {
  /** Requests in any 60 s window at most, for all replicas together. */
  perMinute: number;
  /** Longest wait for Redis before this call is decided by the local budget: 50 ms. */
  timeoutMs?: number;
  /** After Redis failed or was slow, calls are decided locally without asking it for this long: 1 000 ms. */
  localForMs?: number;
  /** The clock, ms, for tests; by default Redis's own (TIME). The local budget must be given the same one. */
  now?: () => number;
}

export class SharedRateBudget {
  readonly #provider: Provider;
  readonly #local: RateBudget;
  readonly #redis: WithLog;
  readonly #key: string;
  readonly #perMinute: number;
  readonly #timeoutMs: number;
  readonly #localForMs: number;
  readonly #now: (() => number) | undefined;
  /** Distinguishes this replica's entries in the shared log. */
  readonly #replica = randomBytes(6).toString('base64url');
  #sequence = 0;
  /** Local times of the requests decided here while Redis was away, not yet added to the shared log. */
  #unshared: number[] = [];
  #askAgainAt = 0;
  #shared: boolean | null = null;

  constructor(provider: Provider, local: RateBudget, redis: Redis, options: SharedRateBudgetOptions) {
    this.#provider = provider;
    this.#local = local;
    if (!(COMMAND in redis)) defineSlidingLog(redis);
    this.#redis = redis as WithLog;
    // Namespaced by provider only: the key names no account, credential or caller. (`rate:` held the former
    // token bucket, a string: a replica of each version on one Redis must not read the other's key.)
    this.#key = `verigate:ratelog:${provider}`;
    this.#perMinute = Math.max(1, options.perMinute);
    this.#timeoutMs = options.timeoutMs ?? 50;
    this.#localForMs = options.localForMs ?? 1_000;
    this.#now = options.now;
  }

  /** Takes a token from the shared budget, or from the local one when Redis cannot say within the timeout. */
  async take(priority: Priority = 'user'): Promise<Spend> {
    if (this.#redis.status !== 'ready' || Date.now() < this.#askAgainAt) return this.#fallBack('unavailable', priority);
    const unshared = this.#unshared;
    const asked = await this.#ask(priority, unshared);
    if (typeof asked === 'string') {
      this.#askAgainAt = Date.now() + this.#localForMs;
      return this.#fallBack(asked, priority);
    }
    // In the shared log now (a timed-out call may have added them too: counted twice, never missed).
    this.#unshared = this.#unshared.slice(unshared.length);
    this.#report(true);
    // Kept in step, so that if Redis goes away the local budget starts from what this replica already spent.
    if (asked.ok) this.#local.record();
    return asked;
  }

  async #ask(priority: Priority, unshared: readonly number[]): Promise<Spend | RateBudgetFallback> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#timeoutMs);
    });
    const now = this.#now?.() ?? -1;
    const clock = this.#now?.() ?? Date.now();
    const ages = unshared.map((at) => Math.max(0, clock - at));
    this.#sequence += 1;
    const id = `${this.#replica}:${this.#sequence}`;
    const limit = rateLimitFor(this.#perMinute, priority);
    const answer = this.#redis[COMMAND](this.#key, now, RATE_WINDOW_MS, limit, id, ...ages).then(
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

  #fallBack(reason: RateBudgetFallback, priority: Priority): Spend {
    this.#report(false);
    emitUpstreamEvent({ type: 'rate_budget_fallback', provider: this.#provider, reason });
    const spent = this.#local.take(priority);
    if (spent.ok) {
      this.#unshared.push(this.#now?.() ?? Date.now());
      // At most a window's worth is owed: older ones no longer count anyway.
      if (this.#unshared.length > this.#perMinute) this.#unshared.shift();
    }
    return spent;
  }

  /** Reports whether the budget is shared when that changes (and on the first call). */
  #report(shared: boolean): void {
    if (this.#shared === shared) return;
    this.#shared = shared;
    emitUpstreamEvent({ type: 'rate_budget_mode', provider: this.#provider, shared });
  }
}
