import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The environment, validated once at start (DESIGN §4). Nothing else in Verigate reads `process.env`.
 * Every problem is collected and reported together.
 */

export const SCOPES = ['sessions:read', 'pii:read'] as const;
export type Scope = (typeof SCOPES)[number];

/** One API key: its plain value, or the hex SHA-256 of it (so the configuration does not hold the key itself). */
export type ApiKeyConfig = { name: string; scopes: Scope[] } & ({ key: string } | { sha256: string });

/** How one provider is reached: its real API, its embedded simulator, or not at all. */
export type ProviderMode<Live> = { mode: 'live'; live: Live } | { mode: 'sandbox' } | { mode: 'off' };

export interface VeratadLive {
  baseUrl: string;
  authUrl: string;
  clientId: string;
  clientSecret: string;
}
/**
 * Didit is reached through one of its two API generations: v3 with an API key (`x-api-key`; what a Didit
 * application gets today), or the legacy v1 with client credentials exchanged for a Bearer token at `authUrl`.
 */
export type DiditLive =
  | { version: 'v3'; baseUrl: string; apiKey: string }
  | { version: 'v1'; baseUrl: string; authUrl: string; clientId: string; clientSecret: string };
export interface VerifaLive {
  baseUrl: string;
  apiKey: string;
  version: string | null;
}

export interface UpstreamConfig {
  /** Whole upstream call (retries included), ms. */
  timeoutMs: number;
  /** Calls in flight per provider. */
  maxConcurrency: number;
  /** Client-side budget per provider, requests per minute; null: none. */
  ratePerMinute: { veratad: number | null; didit: number | null; verifa: number | null };
}

export interface CacheConfig {
  /** How long a session in a terminal status is served from cache, s (0: not cached). */
  terminalTtlSeconds: number;
  /** How long a session still in progress is served from cache, s (0: not cached). */
  activeTtlSeconds: number;
  /** Entries in the in-memory LRU. */
  maxEntries: number;
  /** How long past its TTL a terminal session may be served, marked stale, while its provider is down (0: never). */
  staleIfErrorSeconds: number;
  /** AES-256-GCM key for values in Redis; null outside production means a random per-process key. */
  encryptionKey: Buffer | null;
}

/**
 * Operation limits, checked before anything executes (so before any vendor call). Defaults fit the schema: it is
 * shallow and acyclic (its deepest selection is 6 levels) and a selection of every Session field is about 750
 * tokens. README "Operation limits" gives the reasoning for each value.
 */
export interface GraphQLLimits {
  /** Nesting, counted per field and inline fragment (graphql-armor). */
  maxDepth: number;
  maxAliases: number;
  /** Fields selected at the root of one operation (fragments expanded). */
  maxRootFields: number;
  /** Lexical tokens of the document, enforced by the parser itself so a huge document is never fully parsed. */
  maxTokens: number;
  maxDirectives: number;
  /** Estimated cost: 1 per field, `upstreamCost` more per session fetched, `sessions(refs:)` times its refs. */
  maxCost: number;
  /** Request body, bytes. */
  maxBodyBytes: number;
}

/** A trusted-documents manifest: the only operations this gateway runs, by id. */
export interface TrustedDocuments {
  /** Where the manifest was read from (for logs). */
  path: string;
  /** Operation id (the sha256 of its text, or the id the manifest gives) -> document text. */
  operations: ReadonlyMap<string, string>;
}

export interface GraphQLConfig {
  limits: GraphQLLimits;
  /** Introspection and "did you mean" suggestions; off in production unless GRAPHQL_INTROSPECTION=true. */
  introspection: boolean;
  /** Automatic persisted queries (in memory, or in Redis with REDIS_URL); null: off. */
  apq: { ttlSeconds: number } | null;
  trustedDocuments: TrustedDocuments | null;
}

/** Short-lived JWT bearer tokens, verified with a shared secret (HS*) or the issuer's JWKS (RS*, PS*, ES*, EdDSA). */
export interface JwtConfig {
  key: { kind: 'secret'; secret: Uint8Array } | { kind: 'jwks'; url: string };
  issuer: string;
  audience: string;
  /** Longest lifetime (`exp` - `iat`, or `exp` - now) a token may have, s. */
  maxTtlSeconds: number;
}

export interface TelemetryConfig {
  /** OTLP/HTTP endpoint for traces (`/v1/traces` is appended); null: tracing is a no-op. */
  otlpEndpoint: string | null;
  serviceName: string;
  /** Bearer token /metrics requires; null: /metrics is open (keep it off the public load balancer). */
  metricsToken: string | null;
}

export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Null outside production when GATEWAY_API_KEYS is unset: a development key is generated at start. */
  apiKeys: ApiKeyConfig[] | null;
  /** JWT bearer tokens as a second way in; null: API keys only. */
  jwt: JwtConfig | null;
  graphql: GraphQLConfig;
  telemetry: TelemetryConfig;
  redisUrl: string | null;
  upstream: UpstreamConfig;
  cache: CacheConfig;
  /** GraphiQL at /playground and for browsers at GET /graphql; on by default outside production. */
  playground: { enabled: boolean };
  providers: {
    veratad: ProviderMode<VeratadLive>;
    didit: ProviderMode<DiditLive>;
    verifa: ProviderMode<VerifaLive>;
  };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const httpUrl = z
  .string()
  .trim()
  .refine(
    (v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.search === '' && u.hash === '';
      } catch {
        return false;
      }
    },
    { message: 'must be an absolute http(s) URL without query or fragment' },
  );

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

/** An integer setting within [min, max], `fallback` when unset. */
function limit(min: number, max: number, fallback: number) {
  return z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(min, `must be between ${min} and ${max}`)
    .max(max, `must be between ${min} and ${max}`)
    .default(fallback);
}

const flag = optionalText.pipe(
  z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
);

const envSchema = z.object({
  NODE_ENV: z
    .enum(['production', 'development', 'test'], { message: 'must be production, development or test' })
    .optional()
    .default('development'),
  PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be an integer')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(4000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GATEWAY_API_KEYS: optionalText,
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  VERATAD_BASE_URL: optionalText.pipe(httpUrl.optional()),
  VERATAD_AUTH_URL: optionalText.pipe(httpUrl.optional()),
  VERATAD_CLIENT_ID: optionalText,
  VERATAD_CLIENT_SECRET: optionalText,
  DIDIT_BASE_URL: optionalText.pipe(httpUrl.optional()),
  DIDIT_AUTH_URL: optionalText.pipe(httpUrl.optional()),
  DIDIT_CLIENT_ID: optionalText,
  DIDIT_CLIENT_SECRET: optionalText,
  DIDIT_API_KEY: optionalText,
  VERIFA_BASE_URL: optionalText.pipe(httpUrl.optional()),
  VERIFA_API_KEY: optionalText,
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
  UPSTREAM_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
  VERATAD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).optional(),
  DIDIT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).optional(),
  VERIFA_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).optional(),
  CACHE_TERMINAL_TTL_SECONDS: z.coerce.number().int().min(0).default(300),
  CACHE_ACTIVE_TTL_SECONDS: z.coerce.number().int().min(0).default(2),
  CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000),
  CACHE_STALE_IF_ERROR_SECONDS: z.coerce.number().int().min(0).default(0),
  CACHE_ENCRYPTION_KEY: optionalText.pipe(
    z
      .string()
      .refine((v) => decodeKey(v) !== null, 'must be 32 bytes, as 64 hex characters or base64')
      .optional(),
  ),
  PLAYGROUND_ENABLED: optionalText.pipe(z.enum(['true', 'false'], { message: 'must be true or false' }).optional()),
  VERIFA_VERSION: optionalText.pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-01')
      .optional(),
  ),
  // Hardening: operation limits, persisted queries, JWT access, telemetry.
  GRAPHQL_MAX_DEPTH: limit(1, 100, 8),
  GRAPHQL_MAX_ALIASES: limit(0, 1_000, 15),
  GRAPHQL_MAX_ROOT_FIELDS: limit(1, 100, 10),
  GRAPHQL_MAX_TOKENS: limit(100, 100_000, 2_000),
  GRAPHQL_MAX_DIRECTIVES: limit(0, 1_000, 20),
  GRAPHQL_MAX_COST: limit(1, 10_000_000, 5_000),
  GRAPHQL_MAX_BODY_BYTES: limit(1_024, 10 * 1024 * 1024, 256 * 1024),
  GRAPHQL_INTROSPECTION: flag,
  APQ_ENABLED: flag,
  APQ_TTL_SECONDS: limit(1, 30 * 24 * 3600, 24 * 3600),
  TRUSTED_DOCUMENTS: optionalText,
  JWT_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_JWKS_URL: optionalText.pipe(httpUrl.optional()),
  JWT_ISSUER: optionalText,
  JWT_AUDIENCE: optionalText,
  JWT_MAX_TTL_SECONDS: limit(60, 24 * 3600, 3600),
  METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(httpUrl.optional()),
  OTEL_SERVICE_NAME: optionalText.pipe(z.string().default('verigate')),
});

type Env = z.infer<typeof envSchema>;

/** A 32-byte key given as hex or base64. */
function decodeKey(value: string): Buffer | null {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  return key.length === 32 ? key : null;
}

/**
 * Vendors' documented limits (providers.md): Didit decision GETs 100/min per key; Verifa 300/min on its Free
 * plan (set VERIFA_RATE_LIMIT_PER_MINUTE for yours); VX documents none. Simulators get no budget unless one is
 * set explicitly, so the sandbox can be load-tested. 0 turns a budget off.
 */
function ratePerMinute(
  explicit: number | undefined,
  documented: number | null,
  mode: ProviderMode<unknown>,
): number | null {
  if (explicit !== undefined) return explicit === 0 ? null : explicit;
  return mode.mode === 'live' ? documented : null;
}

/**
 * A provider is live when its base URL is set, in which case every other variable it needs is required.
 * Without a base URL it runs on its simulator, or is off in production. Credentials without a base URL are
 * a half-configured provider: reported, not silently sandboxed.
 */
function providerMode<Live>(
  env: Env,
  prefix: string,
  names: Array<keyof Env>,
  build: () => Live,
  problems: string[],
): ProviderMode<Live> {
  const base = env[`${prefix}_BASE_URL` as keyof Env];
  if (base === undefined) {
    const stray = names.filter((n) => env[n] !== undefined);
    if (stray.length > 0)
      problems.push(`${stray.join(', ')}: set, but ${prefix}_BASE_URL is not (set it too, or unset them)`);
    return env.NODE_ENV === 'production' ? { mode: 'off' } : { mode: 'sandbox' };
  }
  const missing = names.filter((n) => env[n] === undefined);
  for (const n of missing) problems.push(`${String(n)}: required when ${prefix}_BASE_URL is set`);
  return missing.length > 0 ? { mode: 'off' } : { mode: 'live', live: build() };
}

const DIDIT_V1_NAMES = ['DIDIT_AUTH_URL', 'DIDIT_CLIENT_ID', 'DIDIT_CLIENT_SECRET'] as const;

/**
 * Didit: `DIDIT_API_KEY` selects the v3 API; `DIDIT_CLIENT_ID`, `DIDIT_CLIENT_SECRET` and `DIDIT_AUTH_URL` keep
 * the legacy v1 API. Both at once is ambiguous, so it is reported rather than guessed.
 */
function diditMode(env: Env, problems: string[]): ProviderMode<DiditLive> {
  const v1Set = DIDIT_V1_NAMES.filter((n) => env[n] !== undefined);
  if (env.DIDIT_API_KEY !== undefined && v1Set.length > 0) {
    problems.push(
      `DIDIT_API_KEY and ${v1Set.join(', ')}: set together; configure either the API key (v3 API) or the client credentials (v1 API), not both`,
    );
    return { mode: 'off' };
  }
  if (v1Set.length > 0) {
    return providerMode<DiditLive>(
      env,
      'DIDIT',
      [...DIDIT_V1_NAMES],
      () => ({
        version: 'v1',
        baseUrl: env.DIDIT_BASE_URL as string,
        authUrl: env.DIDIT_AUTH_URL as string,
        clientId: env.DIDIT_CLIENT_ID as string,
        clientSecret: env.DIDIT_CLIENT_SECRET as string,
      }),
      problems,
    );
  }
  if (env.DIDIT_BASE_URL !== undefined && env.DIDIT_API_KEY === undefined) {
    problems.push(
      'DIDIT_API_KEY: required when DIDIT_BASE_URL is set (or DIDIT_CLIENT_ID, DIDIT_CLIENT_SECRET and DIDIT_AUTH_URL for the legacy v1 API)',
    );
    return { mode: 'off' };
  }
  return providerMode<DiditLive>(
    env,
    'DIDIT',
    ['DIDIT_API_KEY'],
    () => ({ version: 'v3', baseUrl: env.DIDIT_BASE_URL as string, apiKey: env.DIDIT_API_KEY as string }),
    problems,
  );
}

/** JWT bearer tokens: a shared secret or a JWKS URL (not both), with the issuer and audience every token must name. */
function jwtConfig(env: Env, problems: string[]): JwtConfig | null {
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

/** Apollo's `persisted-query-manifest.json` (what `generate-persisted-query-manifest` writes). */
const apolloManifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string().min(1), body: z.string().min(1) })).min(1),
});
/** A flat `{ "<id>": "<document>" }` map (GraphQL Code Generator's client preset, Relay). */
const flatManifestSchema = z.record(z.string().min(1), z.string().min(1));

function trustedDocuments(path: string | undefined, problems: string[]): TrustedDocuments | null {
  if (path === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    problems.push(`TRUSTED_DOCUMENTS: ${path} ${why}`);
    return null;
  }
  const apollo = apolloManifestSchema.safeParse(json);
  const flat = apollo.success ? null : flatManifestSchema.safeParse(json);
  const entries = apollo.success
    ? apollo.data.operations.map((o) => [o.id, o.body] as const)
    : flat?.success
      ? Object.entries(flat.data)
      : null;
  if (!entries || entries.length === 0) {
    problems.push(
      `TRUSTED_DOCUMENTS: ${path} must be an Apollo persisted-query manifest or a { "<id>": "<document>" } map with at least one operation`,
    );
    return null;
  }
  return { path, operations: new Map(entries) };
}

function formatIssue(issue: z.core.$ZodIssue, prefix: string): string {
  return `${prefix}${issue.path.map(String).join('.')}: ${issue.message}`;
}

export function loadConfig(source: Record<string, string | undefined>): Config {
  const problems: string[] = [];
  // Each variable on its own, so that every problem is reported in the same run.
  const env: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(envSchema.shape)) {
    const one = schema.safeParse(source[key]);
    if (one.success) env[key] = one.data;
    else problems.push(...one.error.issues.map((i) => `${key}: ${i.message}`));
  }
  return buildConfig(env as Env, problems);
}

function buildConfig(env: Env, problems: string[]): Config {
  const jwt = jwtConfig(env, problems);
  let apiKeys: ApiKeyConfig[] | null = null;
  if (env.GATEWAY_API_KEYS !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(env.GATEWAY_API_KEYS);
    } catch {
      problems.push('GATEWAY_API_KEYS: must be a JSON array of { "name", "key" or "sha256", "scopes" }');
    }
    if (json !== undefined) {
      const keys = apiKeysSchema.safeParse(json);
      if (keys.success) apiKeys = keys.data;
      else problems.push(...keys.error.issues.map((i) => formatIssue(i, 'GATEWAY_API_KEYS.')));
    }
  } else if (env.NODE_ENV === 'production' && !env.JWT_SECRET && !env.JWT_JWKS_URL) {
    problems.push('GATEWAY_API_KEYS: required in production (unless JWT bearer tokens are configured)');
  }
  const documents = trustedDocuments(env.TRUSTED_DOCUMENTS, problems);

  const providers: Config['providers'] = {
    veratad: providerMode<VeratadLive>(
      env,
      'VERATAD',
      ['VERATAD_AUTH_URL', 'VERATAD_CLIENT_ID', 'VERATAD_CLIENT_SECRET'],
      () => ({
        baseUrl: env.VERATAD_BASE_URL as string,
        authUrl: env.VERATAD_AUTH_URL as string,
        clientId: env.VERATAD_CLIENT_ID as string,
        clientSecret: env.VERATAD_CLIENT_SECRET as string,
      }),
      problems,
    ),
    didit: diditMode(env, problems),
    verifa: providerMode<VerifaLive>(
      env,
      'VERIFA',
      ['VERIFA_API_KEY'],
      () => ({
        baseUrl: env.VERIFA_BASE_URL as string,
        apiKey: env.VERIFA_API_KEY as string,
        version: env.VERIFA_VERSION ?? null,
      }),
      problems,
    ),
  };

  const encryptionKey = env.CACHE_ENCRYPTION_KEY ? decodeKey(env.CACHE_ENCRYPTION_KEY) : null;
  if (env.REDIS_URL && !encryptionKey && env.NODE_ENV === 'production') {
    problems.push(
      'CACHE_ENCRYPTION_KEY: required in production when REDIS_URL is set (session data in Redis is encrypted)',
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    upstream: {
      timeoutMs: env.UPSTREAM_TIMEOUT_MS,
      maxConcurrency: env.UPSTREAM_MAX_CONCURRENCY,
      ratePerMinute: {
        veratad: ratePerMinute(env.VERATAD_RATE_LIMIT_PER_MINUTE, null, providers.veratad),
        didit: ratePerMinute(env.DIDIT_RATE_LIMIT_PER_MINUTE, 100, providers.didit),
        verifa: ratePerMinute(env.VERIFA_RATE_LIMIT_PER_MINUTE, 300, providers.verifa),
      },
    },
    cache: {
      terminalTtlSeconds: env.CACHE_TERMINAL_TTL_SECONDS,
      activeTtlSeconds: env.CACHE_ACTIVE_TTL_SECONDS,
      maxEntries: env.CACHE_MAX_ENTRIES,
      staleIfErrorSeconds: env.CACHE_STALE_IF_ERROR_SECONDS,
      encryptionKey,
    },
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    apiKeys,
    jwt,
    graphql: {
      limits: {
        maxDepth: env.GRAPHQL_MAX_DEPTH,
        maxAliases: env.GRAPHQL_MAX_ALIASES,
        maxRootFields: env.GRAPHQL_MAX_ROOT_FIELDS,
        maxTokens: env.GRAPHQL_MAX_TOKENS,
        maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
        maxCost: env.GRAPHQL_MAX_COST,
        maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
      },
      introspection: env.GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== 'production',
      apq: env.APQ_ENABLED === false ? null : { ttlSeconds: env.APQ_TTL_SECONDS },
      trustedDocuments: documents,
    },
    telemetry: {
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
      serviceName: env.OTEL_SERVICE_NAME,
      metricsToken: env.METRICS_TOKEN ?? null,
    },
    redisUrl: env.REDIS_URL ?? null,
    playground: {
      enabled: env.PLAYGROUND_ENABLED === undefined ? env.NODE_ENV !== 'production' : env.PLAYGROUND_ENABLED === 'true',
    },
    providers,
  };
}
