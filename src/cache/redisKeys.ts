import { deriveKey, keyedName } from './crypto.ts';

/** HKDF `info` of the key that names Redis keys (distinct from every other use of CACHE_ENCRYPTION_KEY). */
const NAMING_INFO = 'verigate/redis-key-names/v1';

/**
 * The names of every Redis key Verigate writes from a session id, a persisted-query hash or a credential. Each is an
 * HMAC under a key derived from CACHE_ENCRYPTION_KEY, so someone who can read Redis cannot test a guessed session id
 * (an unsalted hash could be), and replicas with the same key agree on every name. The purpose is part of the HMAC
 * input, so equal values of different kinds never share a name.
 */
export class RedisKeyNames {
  readonly #key: Buffer;

  constructor(encryptionKey: Buffer) {
    this.#key = deriveKey(encryptionKey, NAMING_INFO);
  }

  /** One cached session (or its details). */
  session(cacheKey: string): string {
    return `verigate:session:v2:${keyedName(this.#key, `session\u0000${cacheKey}`)}`;
  }

  /** The lock naming the one replica that polls a session for its subscribers (`PROVIDER:id`). */
  pollLock(sessionRef: string): string {
    return `verigate:poll:v1:${keyedName(this.#key, `poll\u0000${sessionRef}`)}`;
  }

  /** One persisted-query document, by Apollo's key for it (`apq:<sha256>`). */
  apqDocument(apolloKey: string): string {
    return `${APQ_DOCUMENT_PREFIX}${this.apqMember(apolloKey)}`;
  }

  /** The part of an APQ document's name that the budget index lists. */
  apqMember(apolloKey: string): string {
    return keyedName(this.#key, `apq\u0000${apolloKey}`);
  }

  /** The registrations one credential made in its current minute. */
  apqRegistrations(credential: string): string {
    return `verigate:apq:v2:registrations:${keyedName(this.#key, `credential\u0000${credential}`)}`;
  }
}

/** APQ documents are `<prefix><member>`; the budget script rebuilds a name from its index member. */
export const APQ_DOCUMENT_PREFIX = 'verigate:apq:v2:doc:';
/** Sorted set of the APQ documents in Redis, scored by expiry: the budget counts and trims it. */
export const APQ_INDEX_KEY = 'verigate:apq:v2:index';
