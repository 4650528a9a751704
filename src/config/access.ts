import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type EnvOf, formatIssue, httpUrl, limit, optionalText } from './parse.ts';

/** Who may call: API keys and JWT bearer tokens. */

/**
 * `router`: a federation router's own credential (`_service { sdl }`, admission past trusted documents);
 * `webhooks:admin`: outbound webhook deliveries (`webhookDeliveries`, `redeliverWebhook`, `sendTestWebhook`);
 * `sessions:start`: `startVerification` (it creates sessions at vendors and returns bearer links: not implied by
 * `sessions:read`).
 */
export const SCOPES = ['sessions:read', 'pii:read', 'router', 'webhooks:admin', 'sessions:start'] as const;
export type Scope = (typeof SCOPES)[number];

/** One API key: its plain value, or the hex SHA-256 of it (so the configuration does not hold the key itself). */
export type ApiKeyConfig = { name: string; scopes: Scope[] } & ({ key: string } | { sha256: string });

/** Short-lived JWT bearer tokens, verified with a shared secret (HS*) or the issuer's JWKS (RS*, PS*, ES*, EdDSA). */
export interface JwtConfig {
  key: { kind: 'secret'; secret: Uint8Array } | { kind: 'jwks'; url: string };
  issuer: string;
  audience: string;
  /** Longest lifetime (`exp` - `iat`, or `exp` - now) a token may have, s. */
  maxTtlSeconds: number;
}

export const accessEnv = {
  GATEWAY_API_KEYS: optionalText,
  JWT_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_JWKS_URL: optionalText.pipe(httpUrl.optional()),
  JWT_ISSUER: optionalText,
  JWT_AUDIENCE: optionalText,
  JWT_MAX_TTL_SECONDS: limit(60, 24 * 3600, 3600),
};
type AccessEnv = EnvOf<typeof accessEnv> & { NODE_ENV: 'production' | 'development' | 'test' };

/** The hex SHA-256 a key is compared by; a key may be configured as this digest instead of its plain value. */
const keyDigest = (k: { key?: unknown; sha256?: unknown }): string | null => {
  if (typeof k.key === 'string') return createHash('sha256').update(k.key, 'utf8').digest('hex');
  return typeof k.sha256 === 'string' ? k.sha256.toLowerCase() : null;
};

const apiKeysSchema = z
  .array(
    z
      .object({
        name: z.string().trim().min(1, 'name must not be empty'),
        key: z.string().min(16, 'key must be at least 16 characters').optional(),
        sha256: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex characters (the SHA-256 of the key)')
          .optional(),
        scopes: z.array(z.enum(SCOPES)).min(1, 'scopes must name at least one scope'),
      })
      .superRefine((k, ctx) => {
        if ((k.key === undefined) === (k.sha256 === undefined))
          ctx.addIssue({ code: 'custom', message: 'give exactly one of "key" and "sha256"' });
      })
      .transform(
        ({ name, key, sha256, scopes }): ApiKeyConfig =>
          key !== undefined ? { name, key, scopes } : { name, sha256: (sha256 ?? '').toLowerCase(), scopes },
      ),
  )
  .min(1, 'must list at least one key')
  .superRefine((keys, ctx) => {
    const seen = new Set<string>();
    for (const [i, k] of keys.entries()) {
      // An entry that failed its own checks is not transformed yet: it has neither, or both.
      const digest = keyDigest(k);
      if (digest === null) continue;
      if (seen.has(digest)) ctx.addIssue({ code: 'custom', message: 'duplicate key', path: [i] });
      seen.add(digest);
    }
  });

/** GATEWAY_API_KEYS, parsed; null outside production when unset (a development key is generated at start). */
export function apiKeysConfig(env: AccessEnv, problems: string[]): ApiKeyConfig[] | null {
  if (env.GATEWAY_API_KEYS === undefined) {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET && !env.JWT_JWKS_URL)
      problems.push('GATEWAY_API_KEYS: required in production (unless JWT bearer tokens are configured)');
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(env.GATEWAY_API_KEYS);
  } catch {
    problems.push('GATEWAY_API_KEYS: must be a JSON array of { "name", "key" or "sha256", "scopes" }');
    return null;
  }
  const keys = apiKeysSchema.safeParse(json);
  if (keys.success) return keys.data;
  problems.push(...keys.error.issues.map((i) => formatIssue(i, 'GATEWAY_API_KEYS.')));
  return null;
}

/** JWT bearer tokens: a shared secret or a JWKS URL (not both), with the issuer and audience every token must name. */
export function jwtConfig(env: AccessEnv, problems: string[]): JwtConfig | null {
  const { JWT_SECRET: secret, JWT_JWKS_URL: jwksUrl, JWT_ISSUER: issuer, JWT_AUDIENCE: audience } = env;
  if (secret === undefined && jwksUrl === undefined) {
    const stray = (['JWT_ISSUER', 'JWT_AUDIENCE'] as const).filter((n) => env[n] !== undefined);
    if (stray.length > 0) problems.push(`${stray.join(', ')}: set, but neither JWT_SECRET nor JWT_JWKS_URL is`);
    return null;
  }
  if (secret !== undefined && jwksUrl !== undefined) {
    problems.push('JWT_SECRET and JWT_JWKS_URL: set together; configure one way to verify tokens');
    return null;
  }
  if (issuer === undefined) problems.push('JWT_ISSUER: required when JWT_SECRET or JWT_JWKS_URL is set');
  if (audience === undefined) problems.push('JWT_AUDIENCE: required when JWT_SECRET or JWT_JWKS_URL is set');
  if (jwksUrl !== undefined && env.NODE_ENV === 'production' && !jwksUrl.startsWith('https:'))
    problems.push('JWT_JWKS_URL: must be https in production');
  if (issuer === undefined || audience === undefined) return null;
  return {
    key:
      secret !== undefined
        ? { kind: 'secret', secret: new TextEncoder().encode(secret) }
        : { kind: 'jwks', url: jwksUrl as string },
    issuer,
    audience,
    maxTtlSeconds: env.JWT_MAX_TTL_SECONDS,
  };
}
