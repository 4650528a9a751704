import { z } from 'zod';
import { type EnvOf, httpUrl, optionalText } from './parse.ts';

/** How each vendor is reached (its real API, its simulator, or not at all) and how hard Verigate may call it. */

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

export interface ProvidersConfig {
  veratad: ProviderMode<VeratadLive>;
  didit: ProviderMode<DiditLive>;
  verifa: ProviderMode<VerifaLive>;
}

export interface UpstreamConfig {
  /** Whole upstream call (retries included), ms. */
  timeoutMs: number;
  /** Calls in flight per provider. */
  maxConcurrency: number;
  /** Client-side budget per provider, requests per minute; null: none. */
  ratePerMinute: { veratad: number | null; didit: number | null; verifa: number | null };
  /** With REDIS_URL: longest wait for the shared budget's answer before a call is budgeted locally, ms. */
  rateBudgetRedisTimeoutMs: number;
}

export const providersEnv = {
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
  VERIFA_VERSION: optionalText.pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-01')
      .optional(),
  ),
};

export const upstreamEnv = {
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
  UPSTREAM_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
  VERATAD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).optional(),
  DIDIT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).optional(),
  VERIFA_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).optional(),
  // Every upstream call waits for it: a few ms on a healthy Redis, so 50 leaves room without costing much.
  RATE_BUDGET_REDIS_TIMEOUT_MS: z.coerce.number().int().min(1).max(1_000).default(50),
};

type ProvidersEnv = EnvOf<typeof providersEnv> & { NODE_ENV: 'production' | 'development' | 'test' };

export function providersConfig(env: ProvidersEnv, problems: string[]): ProvidersConfig {
  return {
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
}

export function upstreamConfig(env: EnvOf<typeof upstreamEnv>, providers: ProvidersConfig): UpstreamConfig {
  return {
    timeoutMs: env.UPSTREAM_TIMEOUT_MS,
    maxConcurrency: env.UPSTREAM_MAX_CONCURRENCY,
    ratePerMinute: {
      veratad: ratePerMinute(env.VERATAD_RATE_LIMIT_PER_MINUTE, null, providers.veratad),
      didit: ratePerMinute(env.DIDIT_RATE_LIMIT_PER_MINUTE, 100, providers.didit),
      verifa: ratePerMinute(env.VERIFA_RATE_LIMIT_PER_MINUTE, 300, providers.verifa),
    },
    rateBudgetRedisTimeoutMs: env.RATE_BUDGET_REDIS_TIMEOUT_MS,
  };
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
  env: ProvidersEnv,
  prefix: string,
  names: Array<keyof ProvidersEnv>,
  build: () => Live,
  problems: string[],
): ProviderMode<Live> {
  const base = env[`${prefix}_BASE_URL` as keyof ProvidersEnv];
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
function diditMode(env: ProvidersEnv, problems: string[]): ProviderMode<DiditLive> {
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
