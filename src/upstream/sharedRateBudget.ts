import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Provider } from '../model/session.ts';
import { emitUpstreamEvent, type RateBudgetFallback } from './events.ts';
import {
  COMPETITION_WINDOW_MS,
  type Priority,
  RATE_WINDOW_MS,
  type RateBudget,
  rateLimitFor,
  type Spend,
} from './rateLimit.ts';

/** A credential's name in Redis keys and sets: a hash, so no key or set names a caller. */
function credentialHash(credential: string): string {
  return createHash('sha256').update(credential, 'utf8').digest('base64url').slice(0, 22);
}

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
 *
 * Fair shares (rateLimit.ts) are kept in the same script: KEYS[3] holds the credentials that asked in the competition
 * window (scored by when), KEYS[2] the caller's own log; while several compete, a caller at `perMinute / n` is refused
 * (the third answer, 1, says so) before the shared log is touched. Credentials are named by a hash, never in clear.
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
local perMinute = tonumber(ARGV[5])
local credential = ARGV[6]
local competition = tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
for i = 8, #ARGV do
  local at = now - tonumber(ARGV[i])
  if at > now - window then redis.call('ZADD', KEYS[1], at, id .. ':' .. i) end
end
if #ARGV > 7 then redis.call('PEXPIRE', KEYS[1], math.ceil(window)) end
if credential ~= '' then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - competition)
  redis.call('ZADD', KEYS[3], now, credential)
  redis.call('PEXPIRE', KEYS[3], math.ceil(competition))
  local competing = redis.call('ZCARD', KEYS[3])
  if competing > 1 then
    local share = math.max(1, math.floor(perMinute / competing))
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
    local mine = redis.call('ZCARD', KEYS[2])
    if mine >= share then
      local edge = redis.call('ZRANGE', KEYS[2], mine - share, mine - share, 'WITHSCORES')
      return {0, math.ceil(tonumber(edge[2]) + window - now), 1}
    end
  end
end
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, id)
  redis.call('PEXPIRE', KEYS[1], math.ceil(window))
  if credential ~= '' then
    redis.call('ZADD', KEYS[2], now, id)
    redis.call('PEXPIRE', KEYS[2], math.ceil(window))
  end
  return {1, 0, 0}
end
local edge = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return {0, math.ceil(tonumber(edge[2]) + window - now), 0}
`;

/** The ioredis command the script is registered as, on the process's one connection. */
const COMMAND = 'verigateRateBudget';

type WithLog = Redis & {
  [COMMAND](
    log: string,
    credentialLog: string,
    competitors: string,
    ...args: Array<string | number>
  ): Promise<[number, number, number]>;
};

/**
 * Registers the script on the connection, and loads it into Redis on every (re)connect, so that the first call after
 * one is a single EVALSHA rather than a NOSCRIPT miss and a second round trip inside the timeout.
 */
function defineSlidingLog(redis: Redis): void {
  redis.defineCommand(COMMAND, { numberOfKeys: 3, lua: SLIDING_LOG });
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

  /**
   * Takes a token from the shared budget for `credential` (null: no caller's work), or from the local one when Redis
   * cannot say within the timeout.
   */
  async take(priority: Priority = 'user', credential: string | null = null): Promise<Spend> {
    if (this.#redis.status !== 'ready' || Date.now() < this.#askAgainAt) {
      return this.#fallBack('unavailable', priority, credential);
    }
    const unshared = this.#unshared;
    const asked = await this.#ask(priority, credential, unshared);
    if (typeof asked === 'string') {
      this.#askAgainAt = Date.now() + this.#localForMs;
      return this.#fallBack(asked, priority, credential);
    }
    // In the shared log now (a timed-out call may have added them too: counted twice, never missed).
    this.#unshared = this.#unshared.slice(unshared.length);
    this.#report(true);
    // Kept in step, so that if Redis goes away the local budget starts from what this replica already spent.
    if (asked.ok) this.#local.record(credential);
    return asked;
  }

  async #ask(
    priority: Priority,
    credential: string | null,
    unshared: readonly number[],
  ): Promise<Spend | RateBudgetFallback> {
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
    const named = credential === null ? '' : credentialHash(credential);
    const keys = [this.#key, `${this.#key}:credential:${named || '-'}`, `${this.#key}:competitors`] as const;
    const args = [now, RATE_WINDOW_MS, limit, id, this.#perMinute, named, COMPETITION_WINDOW_MS, ...ages];
    const answer = this.#redis[COMMAND](...keys, ...args).then(
      ([ok, waitMs, share]): Spend =>
        ok === 1
          ? { ok: true }
          : {
              ok: false,
              retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
              ...(share === 1 ? { share: true as const } : {}),
            },
      (): 'error' => 'error',
    );
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #fallBack(reason: RateBudgetFallback, priority: Priority, credential: string | null): Spend {
    this.#report(false);
    emitUpstreamEvent({ type: 'rate_budget_fallback', provider: this.#provider, reason });
    const spent = this.#local.take(priority, credential);
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
