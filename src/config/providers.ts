import { z } from 'zod';
import { providerModules } from '../providers/registry.ts';
import type { ProviderModule } from '../providers/types.ts';
import type { EnvOf } from './parse.ts';
import type { ProviderMode } from './providerMode.ts';

/**
 * How each vendor is reached (its real API, its simulator, or not at all), its inbound webhook settings, and how
 * hard Verigate may call it. Each vendor's own variables live in its folder (`src/providers/<name>/config.ts`); this
 * file gathers the sections of every registered module, so a new vendor adds no line here.
 */

export type { ProviderMode } from './providerMode.ts';

/** Each provider's mode, by module name (`didit`). */
export type ProvidersConfig = Readonly<Record<string, ProviderMode<unknown>>>;
/**
 * Inbound vendor webhooks (DESIGN §6), by module name: each endpoint is on only when its credentials are configured
 * (null: off). A sandboxed provider gets credentials generated at start (random per process), which its simulator
 * signs with. Each value has its module's own shape (e.g. `VerifaWebhookConfig`).
 */
export type WebhooksConfig = Readonly<Record<string, unknown>>;

export interface UpstreamConfig {
  /** Whole upstream call (retries included), ms. */
  timeoutMs: number;
  /** Calls in flight per provider. */
  maxConcurrency: number;
  /** Client-side budget per provider, requests per minute, by module name; null: none. */
  ratePerMinute: Readonly<Record<string, number | null>>;
  /** With REDIS_URL: longest wait for the shared budget's answer before a call is budgeted locally, ms. */
  rateBudgetRedisTimeoutMs: number;
}

/** `<PROVIDER>_RATE_LIMIT_PER_MINUTE`: Verigate's own budget for one vendor. */
export const rateLimitName = (module: ProviderModule) => `${module.provider}_RATE_LIMIT_PER_MINUTE`;

/** Every provider module's variables, and each one's request budget. */
export function providersEnv(): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {};
  for (const module of providerModules()) {
    Object.assign(shape, module.config.env);
    shape[rateLimitName(module)] = z.coerce.number().int().min(0).optional();
  }
  return shape;
}

export const upstreamEnv = {
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
  UPSTREAM_MAX_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
  // Every upstream call waits for it: a few ms on a healthy Redis, so 50 leaves room without costing much.
  RATE_BUDGET_REDIS_TIMEOUT_MS: z.coerce.number().int().min(1).max(1_000).default(50),
};

type Env = Record<string, unknown> & { NODE_ENV: 'production' | 'development' | 'test' };

export function providersConfig(env: Env, problems: string[]): ProvidersConfig {
  const context = { production: env.NODE_ENV === 'production' };
  return Object.fromEntries(providerModules().map((m) => [m.name, m.config.mode(env, context, problems)] as const));
}

export function webhooksConfig(env: Env, providers: ProvidersConfig, problems: string[]): WebhooksConfig {
  return Object.fromEntries(
    providerModules().map((m) => [m.name, m.config.webhook?.(env, modeOf(providers, m), problems) ?? null] as const),
  );
}

export function upstreamConfig(env: EnvOf<typeof upstreamEnv> & Env, providers: ProvidersConfig): UpstreamConfig {
  return {
    timeoutMs: env.UPSTREAM_TIMEOUT_MS,
    maxConcurrency: env.UPSTREAM_MAX_CONCURRENCY,
    ratePerMinute: Object.fromEntries(
      providerModules().map((m) => [
        m.name,
        ratePerMinute(
          env[rateLimitName(m)] as number | undefined,
          m.config.documentedRatePerMinute ?? m.config.defaultRatePerMinute ?? null,
          modeOf(providers, m),
        ),
      ]),
    ),
    rateBudgetRedisTimeoutMs: env.RATE_BUDGET_REDIS_TIMEOUT_MS,
  };
}

export function modeOf(providers: ProvidersConfig, module: ProviderModule): ProviderMode<unknown> {
  return providers[module.name] ?? { mode: 'off' };
}

/**
 * A live provider gets its vendor's documented limit (each module's `documentedRatePerMinute`, else its
 * `defaultRatePerMinute`); simulators get no
 * budget unless one is set explicitly, so the sandbox can be load-tested. 0 turns a budget off.
 */
function ratePerMinute(
  explicit: number | undefined,
  documented: number | null,
  mode: ProviderMode<unknown>,
): number | null {
  if (explicit !== undefined) return explicit === 0 ? null : explicit;
  return mode.mode === 'live' ? documented : null;
}
