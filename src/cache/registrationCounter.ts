import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RedisKeyNames } from './redisKeys.ts';

const WINDOW_MS = 60_000;
/** Credentials counted at once in memory; API keys are few, JWT clients are bounded by their issuer. */
const MEMORY_CREDENTIALS = 10_000;

/** One atomic step: count, start the window's expiry at the first registration, say when it ends. */
const COUNT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {n, left}
`;

const COMMAND = 'verigateApqRegistrations';

type WithCount = Redis & { [COMMAND](key: string, windowMs: number): Promise<[number, number]> };

/** Whether one more persisted-query registration fits this credential's minute, and when the minute ends. */
export interface RegistrationCount {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Counts persisted-query registrations per credential in windows of a minute that start at the credential's first
 * registration (a fixed window: a burst is at most twice the limit across a boundary, which is plenty to bound the
 * writes). Shared by replicas through Redis when there is one; this process's own count while Redis cannot answer.
 */
export class RegistrationCounter {
  readonly #perMinute: number;
  readonly #memory = new LRUCache<string, { count: number; endsAt: number }>({ max: MEMORY_CREDENTIALS });
  readonly #redis: WithCount | null;
  readonly #names: RedisKeyNames | null;

  constructor(perMinute: number, shared: { redis: Redis; encryptionKey: Buffer } | null) {
    this.#perMinute = perMinute;
    if (shared && !(COMMAND in shared.redis)) shared.redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: COUNT });
    this.#redis = shared ? (shared.redis as WithCount) : null;
    this.#names = shared ? new RedisKeyNames(shared.encryptionKey) : null;
  }

  /** Counts one registration by `credential` (a name safe to log, e.g. `api_key:mobile`). */
  async count(credential: string): Promise<RegistrationCount> {
    const counted = (this.#redis && (await this.#shared(credential))) ?? this.#local(credential);
    return {
      allowed: counted.count <= this.#perMinute,
      retryAfterSeconds: Math.max(1, Math.ceil(counted.endsInMs / 1000)),
    };
  }

  async #shared(credential: string): Promise<{ count: number; endsInMs: number } | null> {
    if (!this.#redis || !this.#names || this.#redis.status !== 'ready') return null;
    try {
      const [count, endsInMs] = await this.#redis[COMMAND](this.#names.apqRegistrations(credential), WINDOW_MS);
      return { count, endsInMs };
    } catch {
      return null;
    }
  }

  #local(credential: string): { count: number; endsInMs: number } {
    const now = Date.now();
    let window = this.#memory.get(credential);
    if (!window || window.endsAt <= now) {
      window = { count: 0, endsAt: now + WINDOW_MS };
      this.#memory.set(credential, window);
    }
    window.count += 1;
    return { count: window.count, endsInMs: window.endsAt - now };
  }
}
