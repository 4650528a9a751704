import { z } from 'zod';

/**
 * The environment, validated once at start (DESIGN §4). Nothing else in Verigate reads `process.env`.
 * Every problem is collected and reported together.
 */

export const SCOPES = ['sessions:read', 'pii:read'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyConfig {
  name: string;
  key: string;
  scopes: Scope[];
}

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

export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Null outside production when GATEWAY_API_KEYS is unset: a development key is generated at start. */
  apiKeys: ApiKeyConfig[] | null;
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

const apiKeysSchema = z
  .array(
    z.object({
      name: z.string().trim().min(1, 'name must not be empty'),
      key: z.string().min(16, 'key must be at least 16 characters'),
      scopes: z.array(z.enum(SCOPES)).min(1, 'scopes must name at least one scope'),
    }),
  )
  .min(1, 'must list at least one key')
  .superRefine((keys, ctx) => {
    const seen = new Set<string>();
    for (const [i, k] of keys.entries()) {
      if (seen.has(k.key)) ctx.addIssue({ code: 'custom', message: 'duplicate key', path: [i, 'key'] });
      seen.add(k.key);
    }
  });

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
  let apiKeys: ApiKeyConfig[] | null = null;
  if (env.GATEWAY_API_KEYS !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(env.GATEWAY_API_KEYS);
    } catch {
      problems.push('GATEWAY_API_KEYS: must be a JSON array of { "name", "key", "scopes" }');
    }
    if (json !== undefined) {
      const keys = apiKeysSchema.safeParse(json);
      if (keys.success) apiKeys = keys.data;
      else problems.push(...keys.error.issues.map((i) => formatIssue(i, 'GATEWAY_API_KEYS.')));
    }
  } else if (env.NODE_ENV === 'production') {
    problems.push('GATEWAY_API_KEYS: required in production');
  }

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
    redisUrl: env.REDIS_URL ?? null,
    playground: {
      enabled: env.PLAYGROUND_ENABLED === undefined ? env.NODE_ENV !== 'production' : env.PLAYGROUND_ENABLED === 'true',
    },
    providers,
  };
}
