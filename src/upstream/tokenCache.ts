/** An access token and how long the issuer says it lives. */
export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
}

export interface TokenCacheOptions {
  /** Refresh this long before the token's stated expiry, so no request carries a token about to lapse. Default 60 s. */
  refreshMarginSeconds?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * OAuth client-credentials token cache shared by the providers that need one (VX, Didit v1).
 * One refresh is in flight at a time however many requests wait for it; a failed refresh is not cached.
 */
export class TokenCache {
  readonly #fetch: (signal?: AbortSignal) => Promise<TokenGrant>;
  readonly #marginMs: number;
  readonly #now: () => number;
  #token: { value: string; refreshAt: number } | null = null;
  #inFlight: Promise<string> | null = null;
  #fetches = 0;

  constructor(fetchToken: (signal?: AbortSignal) => Promise<TokenGrant>, options: TokenCacheOptions = {}) {
    this.#fetch = fetchToken;
    this.#marginMs = (options.refreshMarginSeconds ?? 60) * 1000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * A valid token: the cached one, or the result of the one refresh in flight. A caller's abort signal is not
   * passed on: the refresh is shared, so one caller going away must not fail the others waiting on it.
   */
  get(_callerSignal?: AbortSignal): Promise<string> {
    if (this.#token && this.#now() < this.#token.refreshAt) return Promise.resolve(this.#token.value);
    this.#inFlight ??= this.#refresh().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /** Drops `token` if it is still the cached one (the provider answered 401 to it). */
  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = null;
  }

  /** How many tokens have been requested from the issuer (for tests and metrics). */
  get fetchCount(): number {
    return this.#fetches;
  }

  async #refresh(): Promise<string> {
    this.#fetches += 1;
    const grant = await this.#fetch();
    const lifetimeMs = Math.max(0, grant.expiresInSeconds * 1000);
    // Tokens shorter-lived than twice the margin are refreshed at half their life instead.
    const margin = Math.min(this.#marginMs, lifetimeMs / 2);
    this.#token = { value: grant.accessToken, refreshAt: this.#now() + lifetimeMs - margin };
    return grant.accessToken;
  }
}
