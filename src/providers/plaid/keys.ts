import { type CryptoKey, importJWK } from 'jose';
import { request } from 'undici';
import { logger } from '../../logger.ts';
import { PLAID_API_VERSION, type PlaidKeyServer } from './config.ts';
import { plaidVerificationKey } from './payload.ts';

/**
 * The keys Plaid signs webhooks with, fetched by `kid` from `POST /webhook_verification_key/get` (body `{ client_id,
 * secret, key_id }`, WebhookVerificationKeyGetRequest) and cached. A kid not in the cache is fetched at most once per
 * `intervalMs` on this replica, whatever the kid: a sender making up kids costs Plaid one call per interval, and
 * every other unknown kid meanwhile is refused (Plaid retries a refused delivery). The credentials go in the body, as
 * the request schema has them, and in the headers, as every other call sends them. A cached key is fetched again
 * after `REFRESH_MS`, so a key Plaid has since expired is seen as such.
 */
export interface PlaidKey {
  kid: string;
  key: CryptoKey;
  /** Unix seconds after which the key no longer verifies, or null. */
  expiredAt: number | null;
}

interface Cached extends PlaidKey {
  fetchedAt: number;
}

const REFRESH_MS = 10 * 60_000;
const MAX_KEYS = 32;
const MAX_KEY_BODY_BYTES = 16 * 1024;
const FETCH_TIMEOUT_MS = 5_000;
/** The longest a delivery waits for the next fetch slot. */
const MAX_WAIT_MS = 5_000;

const delay = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

export class PlaidKeyCache {
  readonly #server: PlaidKeyServer;
  readonly #intervalMs: () => number;
  readonly #keys = new Map<string, Cached>();
  readonly #inflight = new Map<string, Promise<PlaidKey | null>>();
  #lastFetchAt = Number.NEGATIVE_INFINITY;

  constructor(server: PlaidKeyServer, intervalMs: () => number) {
    this.#server = server;
    this.#intervalMs = intervalMs;
  }

  /**
   * The key for `kid`, or null: unknown to Plaid, unreachable, or not fetched because this replica's fetch slot is
   * taken. The next slot (one `intervalMs` after the last fetch) may be reserved by one caller that waits for it, up to
   * `MAX_WAIT_MS`: a genuine new key right after a made-up one is verified a few seconds late, not refused, while every
   * other caller meanwhile is refused at once, so fetches stay at one per interval.
   */
  async get(kid: string, now = Date.now()): Promise<PlaidKey | null> {
    const hit = this.#keys.get(kid);
    if (hit && now - hit.fetchedAt < REFRESH_MS) return hit;
    const pending = this.#inflight.get(kid);
    if (pending) return pending;
    const interval = this.#intervalMs();
    const slot = Math.max(now, this.#lastFetchAt + interval);
    if (slot - now > Math.min(MAX_WAIT_MS, interval)) return hit ?? null;
    this.#lastFetchAt = slot;
    const fetching = delay(slot - now)
      .then(() => this.#fetch(kid))
      .then((key) => {
        if (key === 'unreachable') return hit ?? null;
        if (key === null) {
          this.#keys.delete(kid);
          return null;
        }
        this.#remember({ ...key, fetchedAt: slot });
        return key;
      })
      .finally(() => this.#inflight.delete(kid));
    this.#inflight.set(kid, fetching);
    return fetching;
  }

  #remember(entry: Cached): void {
    this.#keys.delete(entry.kid);
    this.#keys.set(entry.kid, entry);
    while (this.#keys.size > MAX_KEYS) this.#keys.delete(this.#keys.keys().next().value as string);
  }

  /** Null: Plaid has no such key (or sent one Verigate will not use); 'unreachable': it could not be asked. */
  async #fetch(kid: string): Promise<PlaidKey | null | 'unreachable'> {
    const { baseUrl, clientId, secret } = this.#server;
    if (baseUrl === null) return 'unreachable';
    try {
      const res = await request(`${baseUrl.replace(/\/$/, '')}/webhook_verification_key/get`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'plaid-client-id': clientId,
          'plaid-secret': secret,
          'plaid-version': PLAID_API_VERSION,
        },
        body: JSON.stringify({ client_id: clientId, secret, key_id: kid }),
        headersTimeout: FETCH_TIMEOUT_MS,
        bodyTimeout: FETCH_TIMEOUT_MS,
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
      const body = await readCapped(res.body);
      if (res.statusCode >= 500 || res.statusCode === 429) {
        logger.warn({ provider: 'PLAID', status: res.statusCode }, 'webhook key fetch failed');
        return 'unreachable';
      }
      if (res.statusCode !== 200 || body === null) {
        logger.warn({ provider: 'PLAID', status: res.statusCode }, 'webhook key refused by Plaid');
        return null;
      }
      const parsed = plaidVerificationKey.safeParse(JSON.parse(body));
      if (!parsed.success) return null;
      const jwk = parsed.data.key;
      // Only an ES256 key on P-256, for the kid asked: anything else never verifies a Plaid webhook.
      if (jwk.kid !== kid || jwk.alg !== 'ES256' || jwk.kty !== 'EC' || jwk.crv !== 'P-256') return null;
      const key = (await importJWK({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, 'ES256')) as CryptoKey;
      return { kid, key, expiredAt: jwk.expired_at ?? null };
    } catch (error) {
      logger.warn(
        { provider: 'PLAID', err: error instanceof Error ? error.name : 'error' },
        'webhook key fetch failed',
      );
      return 'unreachable';
    }
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_KEY_BODY_BYTES) {
      body.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
