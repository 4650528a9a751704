import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { emitUpstreamEvent } from '../upstream/events.ts';

/** A whole /graphql answer that may be sent again, with what the operation log needs to describe it. */
export interface CachedResponse {
  body: string;
  contentType: string;
  operationName: string | null;
  operationType: string | null;
}

/**
 * Reuses whole answers to identical operations from the same credential (a mobile app polling its session, a
 * dashboard refreshing), for as long as every session in the answer is fresh in the session cache, and never
 * longer. Only answers without errors, without stale data and without provider health are kept. Keys are hashes
 * of the credential and of the request, so one caller's view (masking, token-bound sessions) never reaches another.
 */
export class ResponseCache {
  readonly #lru: LRUCache<string, CachedResponse>;
  #generation = 0;
  /**
   * False when the session cache keeps nothing: no answer can then be fresh, so requests are not even keyed (a
   * SHA-256 of the body per operation saved).
   */
  readonly enabled: boolean;

  /** At most `maxBytes` of response bodies in memory (default 16 MiB); a larger body is answered, not kept. */
  constructor({ maxBytes = 16 * 1024 * 1024, enabled = true }: { maxBytes?: number; enabled?: boolean } = {}) {
    this.enabled = enabled;
    this.#lru = new LRUCache<string, CachedResponse>({
      maxSize: maxBytes,
      sizeCalculation: (entry) => Math.max(1, entry.body.length),
      ttlAutopurge: false,
    });
  }

  /** The key of a request: credential, accepted media types and body; null for requests that are never reused. */
  static keyOf(authorization: string | undefined, accept: string | undefined, body: string): string | null {
    if (!authorization || body.length === 0) return null;
    const hash = createHash('sha256');
    hash
      .update(authorization)
      .update('\u0000')
      .update(accept ?? '')
      .update('\u0000')
      .update(body);
    return hash.digest('base64url');
  }

  get(key: string): CachedResponse | undefined {
    return this.#lru.get(key);
  }

  /** Counts `clear()`s: an answer computed across one (a session changed meanwhile) is not kept. */
  get generation(): number {
    return this.#generation;
  }

  /** Keeps `response` until `freshUntil` (epoch ms), unless the cache was cleared since `generation` was read. */
  set(key: string, response: CachedResponse, freshUntil: number, generation = this.#generation): void {
    if (generation !== this.#generation) return;
    const ttl = freshUntil - Date.now();
    if (ttl <= 0 || !Number.isFinite(ttl)) return;
    this.#lru.set(key, response, { ttl });
    this.#report();
  }

  clear(): void {
    this.#generation += 1;
    this.#lru.clear();
    this.#report();
  }

  #report(): void {
    emitUpstreamEvent({
      type: 'cache_size',
      cache: 'responses',
      entries: this.#lru.size,
      bytes: this.#lru.calculatedSize,
    });
  }
}
