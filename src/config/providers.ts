import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type EnvOf, flag, httpUrl, optionalText } from './parse.ts';

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

/** Didit's three signature headers (docs.didit.me/integration/webhooks), by the name `DIDIT_WEBHOOK_SIGNATURES` uses. */
export const DIDIT_SIGNATURE_SCHEMES = ['raw', 'v2', 'simple'] as const;
export type DiditSignatureScheme = (typeof DIDIT_SIGNATURE_SCHEMES)[number];

/**
 * Inbound vendor webhooks (DESIGN §6): each endpoint is on only when its credentials are configured. A sandboxed
 * provider gets credentials generated at start (random per process), which its simulator signs with.
 */
export interface WebhooksConfig {
  veratad: VeratadWebhookConfig | null;
  didit: DiditWebhookConfig | null;
  verifa: VerifaWebhookConfig | null;
}
export interface VeratadWebhookConfig {
  /** HTTP Basic credentials VX sends; null: not checked. */
  basic: { username: string; password: string } | null;
  /** An HMAC-SHA256 of the raw body in the header named `header` (VX does not publish its name); null: not checked. */
  hmac: { header: string; secret: string } | null;
  /** Generated for the simulator. */
  sandbox: boolean;
}
export interface DiditWebhookConfig {
  secret: string;
  /** The signature headers a delivery may be verified by (any one suffices). */
  schemes: readonly DiditSignatureScheme[];
  sandbox: boolean;
}
export interface VerifaWebhookConfig {
  secret: string;
  /** Also accept the deprecated bare-hex HMAC of the raw body (endpoints created before 2026-04-17). */
  acceptLegacySignature: boolean;
  sandbox: boolean;
}

export const webhooksEnv = {
  VERATAD_WEBHOOK_USERNAME: optionalText,
  VERATAD_WEBHOOK_PASSWORD: optionalText,
  VERATAD_WEBHOOK_SECRET: optionalText,
  VERATAD_WEBHOOK_SIGNATURE_HEADER: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')
      .optional(),
  ),
  DIDIT_WEBHOOK_SECRET: optionalText,
  DIDIT_WEBHOOK_SIGNATURES: optionalText.pipe(
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()))
      .pipe(z.array(z.enum(DIDIT_SIGNATURE_SCHEMES, { message: 'must list raw, v2 and/or simple' })).min(1))
      .optional(),
  ),
  VERIFA_WEBHOOK_SECRET: optionalText,
  VERIFA_WEBHOOK_LEGACY_SIGNATURE: flag,
};

type WebhooksEnv = EnvOf<typeof webhooksEnv>;

const generated = (bytes: number) => randomBytes(bytes).toString('base64url');

export function webhooksConfig(env: WebhooksEnv, providers: ProvidersConfig, problems: string[]): WebhooksConfig {
  const off = (name: keyof ProvidersConfig, set: string[]) => {
    if (providers[name].mode !== 'off' || set.length === 0) return false;
    problems.push(
      `${set.join(', ')}: set, but ${name.toUpperCase()} is not configured (webhooks refresh its sessions)`,
    );
    return true;
  };
  const set = (names: Array<keyof WebhooksEnv>) => names.filter((n) => env[n] !== undefined);

  let veratad: VeratadWebhookConfig | null = null;
  const vxNames = set([
    'VERATAD_WEBHOOK_USERNAME',
    'VERATAD_WEBHOOK_PASSWORD',
    'VERATAD_WEBHOOK_SECRET',
    'VERATAD_WEBHOOK_SIGNATURE_HEADER',
  ]);
  if (!off('veratad', vxNames)) {
    const { VERATAD_WEBHOOK_USERNAME: user, VERATAD_WEBHOOK_PASSWORD: pass } = env;
    const { VERATAD_WEBHOOK_SECRET: secret, VERATAD_WEBHOOK_SIGNATURE_HEADER: header } = env;
    if ((user === undefined) !== (pass === undefined))
      problems.push('VERATAD_WEBHOOK_USERNAME and VERATAD_WEBHOOK_PASSWORD: set both, or neither');
    if ((secret === undefined) !== (header === undefined))
      problems.push('VERATAD_WEBHOOK_SECRET and VERATAD_WEBHOOK_SIGNATURE_HEADER: set both, or neither');
    const basic = user && pass ? { username: user, password: pass } : null;
    const hmac = secret && header ? { header: header.toLowerCase(), secret } : null;
    if (basic || hmac) veratad = { basic, hmac, sandbox: false };
    else if (vxNames.length === 0 && providers.veratad.mode === 'sandbox')
      veratad = { basic: { username: 'vx-sandbox', password: generated(24) }, hmac: null, sandbox: true };
  }

  let didit: DiditWebhookConfig | null = null;
  const schemes = env.DIDIT_WEBHOOK_SIGNATURES ?? DIDIT_SIGNATURE_SCHEMES;
  if (!off('didit', set(['DIDIT_WEBHOOK_SECRET']))) {
    if (env.DIDIT_WEBHOOK_SECRET) didit = { secret: env.DIDIT_WEBHOOK_SECRET, schemes, sandbox: false };
    else if (providers.didit.mode === 'sandbox') didit = { secret: generated(32), schemes, sandbox: true };
  }

  let verifa: VerifaWebhookConfig | null = null;
  const acceptLegacySignature = env.VERIFA_WEBHOOK_LEGACY_SIGNATURE ?? false;
  if (!off('verifa', set(['VERIFA_WEBHOOK_SECRET']))) {
    if (env.VERIFA_WEBHOOK_SECRET)
      verifa = { secret: env.VERIFA_WEBHOOK_SECRET, acceptLegacySignature, sandbox: false };
    else if (providers.verifa.mode === 'sandbox')
      verifa = { secret: `whsec_${generated(24)}`, acceptLegacySignature, sandbox: true };
  }
  return { veratad, didit, verifa };
}
