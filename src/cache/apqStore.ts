import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Redis } from 'ioredis';
import { open, seal } from './crypto.ts';
import { APQ_DOCUMENT_PREFIX, APQ_INDEX_KEY, RedisKeyNames } from './redisKeys.ts';

/**
 * Stores one document and keeps the budget, in one atomic step on Redis's clock: index entries past their expiry
 * leave, the document is written and indexed by its expiry, and past `max` entries the ones expiring first (the
 * oldest registered) are deleted. The index expires with its last document.
 */
const REGISTER = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl, max = tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl)
redis.call('ZADD', KEYS[1], now + ttl, ARGV[2])
local over = redis.call('ZCARD', KEYS[1]) - max
if over > 0 then
  local dropped = redis.call('ZPOPMIN', KEYS[1], over)
  for i = 1, #dropped, 2 do redis.call('DEL', ARGV[5] .. dropped[i]) end
end
redis.call('PEXPIRE', KEYS[1], ttl)
return math.max(over, 0)
`;

/** The ioredis command the script is registered as, on the process's one connection. */
const COMMAND = 'verigateApqRegister';

type WithRegister = Redis & {
  [COMMAND](
    index: string,
    document: string,
    sealed: Buffer,
    member: string,
    ttlMs: number,
    max: number,
    prefix: string,
  ): Promise<number>;
};

export interface ApqStoreOptions {
  /** Documents kept at once; past it the oldest are dropped. */
  maxEntries: number;
  /** Used when Apollo passes no TTL. */
  ttlSeconds: number;
}

/**
 * Apollo's KeyValueCache for persisted-query documents in the gateway's Redis, so every replica knows a query any
 * replica registered. A document is sealed (AES-256-GCM, its key name as associated data) under a name that is an
 * HMAC of its hash, and their number is capped, so APQ takes at most `maxEntries` × the document cap of Redis's
 * memory and cannot push the session cache out. Fail-fast like the connection: a Redis that is down is a miss (the
 * client re-sends the text, as the protocol expects) and a lost write, never a failed request.
 */
export class RedisApqStore implements KeyValueCache<string> {
  readonly #redis: WithRegister;
  readonly #sealKey: Buffer;
  readonly #names: RedisKeyNames;
  readonly #options: ApqStoreOptions;

  constructor(redis: Redis, encryptionKey: Buffer, options: ApqStoreOptions) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 2, lua: REGISTER });
    this.#redis = redis as WithRegister;
    this.#sealKey = encryptionKey;
    this.#names = new RedisKeyNames(encryptionKey);
    this.#options = options;
  }

  async get(key: string): Promise<string | undefined> {
    const name = this.#names.apqDocument(key);
    try {
      const sealed = await this.#redis.getBuffer(name);
      // A value sealed with another key (or tampered with) is a miss: the client sends the text again.
      return (sealed && open(this.#sealKey, name, sealed)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const name = this.#names.apqDocument(key);
    const ttlMs = (options?.ttl ?? this.#options.ttlSeconds) * 1000;
    try {
      await this.#redis[COMMAND](
        APQ_INDEX_KEY,
        name,
        seal(this.#sealKey, name, value),
        this.#names.apqMember(key),
        ttlMs,
        this.#options.maxEntries,
        APQ_DOCUMENT_PREFIX,
      );
    } catch {
      // A lost registration costs one more round trip for the next client; nothing else.
    }
  }

  async delete(key: string): Promise<boolean> {
    try {
      const [deleted] = await Promise.all([
        this.#redis.del(this.#names.apqDocument(key)),
        this.#redis.zrem(APQ_INDEX_KEY, this.#names.apqMember(key)),
      ]);
      return deleted > 0;
    } catch {
      return false;
    }
  }
}
