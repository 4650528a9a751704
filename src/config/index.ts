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
export interface DiditLive {
  baseUrl: string;
  authUrl: string;
  clientId: string;
  clientSecret: string;
}
export interface VerifaLive {
  baseUrl: string;
  apiKey: string;
  version: string | null;
}

export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  port: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Null outside production when GATEWAY_API_KEYS is unset: a development key is generated at start. */
  apiKeys: ApiKeyConfig[] | null;
  redisUrl: string | null;
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
  VERIFA_BASE_URL: optionalText.pipe(httpUrl.optional()),
  VERIFA_API_KEY: optionalText,
  VERIFA_VERSION: optionalText.pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-01')
      .optional(),
  ),
});

type Env = z.infer<typeof envSchema>;

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
    didit: providerMode<DiditLive>(
      env,
      'DIDIT',
      ['DIDIT_AUTH_URL', 'DIDIT_CLIENT_ID', 'DIDIT_CLIENT_SECRET'],
      () => ({
        baseUrl: env.DIDIT_BASE_URL as string,
        authUrl: env.DIDIT_AUTH_URL as string,
        clientId: env.DIDIT_CLIENT_ID as string,
        clientSecret: env.DIDIT_CLIENT_SECRET as string,
      }),
      problems,
    ),
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

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    apiKeys,
    redisUrl: env.REDIS_URL ?? null,
    providers,
  };
}
