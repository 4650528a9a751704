import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyResult, errors as joseErrors, jwtVerify } from 'jose';
import { z } from 'zod';
import { type ApiKeyConfig, type JwtConfig, SCOPES, type Scope } from '../config/index.ts';
import { PROVIDERS, type Provider } from '../model/session.ts';
import { GatewayError, providerName } from '../upstream/errors.ts';

/** Who is calling: a name safe to log, their scopes, and the sessions they may read. */
export interface Caller {
  name: string;
  /** How the caller authenticated. */
  via: 'api_key' | 'jwt';
  scopes: ReadonlySet<Scope>;
  /**
   * The sessions this caller may read, as `PROVIDER:id` (a JWT's `sessions` claim); null: any session.
   * A mobile app's token names its own user's session, so it can read nothing else.
   */
  sessions: ReadonlySet<string> | null;
}

interface StoredKey {
  name: string;
  digest: Buffer;
  scopes: ReadonlySet<Scope>;
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** A compact JWS: three base64url segments. Anything else is compared as an API key only. */
const JWS_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

const SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** Clock skew tolerated between the token's minter and this gateway. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** The most sessions one token may list; a token names its user's sessions, not a tenant's. */
export const MAX_TOKEN_SESSIONS = 100;

const sessionRef = z
  .string()
  .max(300)
  .regex(/^[A-Za-z]+:.+$/)
  .transform((ref) => {
    const at = ref.indexOf(':');
    return { provider: ref.slice(0, at).toUpperCase(), id: ref.slice(at + 1) };
  })
  .refine((ref) => PROVIDERS.includes(ref.provider as Provider))
  .transform((ref) => sessionKey(ref.provider as Provider, ref.id));

/** The claims Verigate reads; everything else in a token is ignored. */
const claimsSchema = z.object({
  /** OAuth 2.0 scopes, space-separated (RFC 8693, RFC 9068). */
  scope: z.string().max(1_000).optional(),
  /** The same as an array, as some issuers send it. */
  scp: z.array(z.string().max(100)).max(50).optional(),
  /** The sessions the bearer may read, as `PROVIDER:id`. */
  sessions: z.array(sessionRef).max(MAX_TOKEN_SESSIONS).optional(),
  /** The client the token was minted for: logged as the caller's name (never `sub`, which names a person). */
  client_id: z.string().optional(),
  azp: z.string().optional(),
});

function namesSession(
  sessions: ReadonlySet<string>,
  provider: Provider,
  id: string,
  canonical: (id: string) => string,
): boolean {
  if (sessions.has(sessionKey(provider, id))) return true;
  const wanted = canonical(id);
  const prefix = sessionKey(provider, '');
  // At most MAX_TOKEN_SESSIONS entries.
  for (const key of sessions) if (key.startsWith(prefix) && canonical(key.slice(prefix.length)) === wanted) return true;
  return false;
}

/** The allow-list key of one session. */
export function sessionKey(provider: Provider, id: string): string {
  return `${provider}:${id}`;
}

const unauthenticated = (message: string) => new GatewayError('UNAUTHENTICATED', message, { httpStatus: 401 });

/**
 * Checks `Authorization: Bearer <credential>`: an API key (compared as SHA-256 digests with `timingSafeEqual`
 * against every configured key, so neither timing nor length tells which matched or how close a guess was), or,
 * when configured, a short-lived JWT verified with jose (signature, `exp`, `iss`, `aud`, lifetime).
 */
export class Authenticator {
  readonly #keys: StoredKey[];
  readonly #jwt: { config: JwtConfig; verify: (token: string) => Promise<JWTVerifyResult> } | null;

  constructor(keys: readonly ApiKeyConfig[], jwt: JwtConfig | null = null) {
    this.#keys = keys.map((k) => ({
      name: k.name,
      digest: 'key' in k ? sha256(k.key) : Buffer.from(k.sha256, 'hex'),
      scopes: new Set(k.scopes),
    }));
    this.#jwt = jwt && { config: jwt, verify: jwtVerifier(jwt) };
  }

  async authenticate(authorization: string | undefined): Promise<Caller> {
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    const credential = match?.[1];
    if (!credential) {
      throw unauthenticated(
        this.#jwt
          ? 'Send an API key or a token as "Authorization: Bearer <credential>".'
          : 'Send an API key as "Authorization: Bearer <key>".',
      );
    }
    const key = this.#matchKey(credential);
    if (key) return { name: key.name, via: 'api_key', scopes: key.scopes, sessions: null };
    if (this.#jwt && JWS_SHAPE.test(credential)) return this.#verifyJwt(credential, this.#jwt);
    throw unauthenticated(this.#jwt ? 'The API key or token is not valid.' : 'The API key is not valid.');
  }

  #matchKey(credential: string): StoredKey | undefined {
    const digest = sha256(credential);
    let found: StoredKey | undefined;
    for (const key of this.#keys) {
      // Compare against every key so the time taken does not tell which one matched.
      if (timingSafeEqual(key.digest, digest) && !found) found = key;
    }
    return found;
  }

  async #verifyJwt(
    token: string,
    jwt: { config: JwtConfig; verify: (token: string) => Promise<JWTVerifyResult> },
  ): Promise<Caller> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwt.verify(token));
    } catch (error) {
      throw jwtFailure(error);
    }
    if (lifetimeSeconds(payload) > jwt.config.maxTtlSeconds) {
      throw unauthenticated(
        `The token lives longer than ${jwt.config.maxTtlSeconds} s; mint short-lived tokens for Verigate.`,
      );
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw unauthenticated('The token carries malformed Verigate claims (scope, sessions).');
    const { scope, scp, sessions, client_id: clientId, azp } = claims.data;
    const granted = [...(scope?.split(/\s+/) ?? []), ...(scp ?? [])];
    const client = clientId ?? azp;
    return {
      name: client && /^[A-Za-z0-9._:-]{1,64}$/.test(client) ? `jwt:${client}` : 'jwt',
      via: 'jwt',
      scopes: new Set(granted.filter((s): s is Scope => (SCOPES as readonly string[]).includes(s))),
      sessions: sessions ? new Set(sessions) : null,
    };
  }
}

/**
 * How long the token can still be used here: from its `iat`, or from now if `iat` is ahead of our clock (jose has
 * already refused an `iat` more than the clock tolerance ahead), so a forged-forward `iat` cannot stretch it.
 */
function lifetimeSeconds(payload: JWTPayload): number {
  const now = Math.floor(Date.now() / 1000);
  return (payload.exp as number) - Math.min(payload.iat as number, now);
}

/**
 * Signature (with the algorithms the key kind allows), `exp` and `iat` (both required), `nbf`, `iss` and `aud`, by
 * jose; `maxTokenAge` refuses an `iat` older than the lifetime limit or ahead of our clock beyond the tolerance.
 */
function jwtVerifier(jwt: JwtConfig): (token: string) => Promise<JWTVerifyResult> {
  const options = {
    issuer: jwt.issuer,
    audience: jwt.audience,
    requiredClaims: ['exp', 'iat'],
    maxTokenAge: jwt.maxTtlSeconds,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };
  if (jwt.key.kind === 'secret') {
    const secret = jwt.key.secret;
    return (token) => jwtVerify(token, secret, { ...options, algorithms: SECRET_ALGORITHMS });
  }
  // Fetched on first use and on an unknown `kid`, at most every 30 s; a slow JWKS fails after 2 s.
  const jwks = createRemoteJWKSet(new URL(jwt.key.url), { timeoutDuration: 2_000, cooldownDuration: 30_000 });
  return (token) => jwtVerify(token, jwks, { ...options, algorithms: JWKS_ALGORITHMS });
}

/** Why a token failed, in words a client can act on; nothing about the key or the expected claims. */
function jwtFailure(error: unknown): GatewayError {
  if (error instanceof joseErrors.JWTExpired) return unauthenticated('The token has expired.');
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'iat' && error.reason === 'check_failed')
    return unauthenticated('The token was issued in the future ("iat"); check the issuer’s clock.');
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return unauthenticated(`The token is not valid for this gateway (claim "${error.claim}").`);
  if (
    error instanceof joseErrors.JWKSTimeout ||
    error instanceof joseErrors.JWKSInvalid ||
    !(error instanceof joseErrors.JOSEError)
  ) {
    // The issuer's JWKS could not be fetched: our dependency failed, not the caller.
    return new GatewayError('UPSTREAM_UNAVAILABLE', 'The token cannot be verified right now; retry shortly.', {
      httpStatus: 503,
      cause: error,
    });
  }
  return unauthenticated('The token is not valid.');
}

export function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.has(scope)) {
    throw new GatewayError(
      'FORBIDDEN',
      caller.via === 'jwt' ? `This token lacks the "${scope}" scope.` : `This API key lacks the "${scope}" scope.`,
    );
  }
}

/**
 * Refuses a session the caller's token does not name; checked with the id, before any upstream call. `canonical`
 * spells an id of this provider the one way Verigate does (`ProviderAdapter.canonicalId`): a token naming `ABC…`
 * reads `abc…` of a vendor whose ids are case-insensitive.
 */
export function requireSessionAccess(
  caller: Caller,
  provider: Provider,
  id: string,
  canonical: (id: string) => string = (v) => v,
): void {
  if (caller.sessions && !namesSession(caller.sessions, provider, id, canonical)) {
    throw new GatewayError('FORBIDDEN', `This token does not grant access to that ${providerName(provider)} session.`, {
      provider,
    });
  }
}
