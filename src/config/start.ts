import { z } from 'zod';
import { PROVIDERS, type Provider } from '../model/session.ts';
import { providerModules } from '../providers/registry.ts';
import type { ProviderModule } from '../providers/types.ts';
import { isCountryCode } from '../start/countries.ts';
import { optionalText } from './parse.ts';
import type { ProvidersConfig } from './providers.ts';
import { modeOf } from './providers.ts';

/**
 * `startVerification`'s configuration (DESIGN §8 "Start a verification"): each vendor's default flow
 * (`<PROVIDER>_DEFAULT_FLOW`, added for every registered module like `<PROVIDER>_RATE_LIMIT_PER_MINUTE`) and the
 * routing of starts without an explicit provider (`VERIFICATION_ROUTING`).
 */

export interface Routing {
  /** Candidates, in order, for a country `byCountry` does not list (or no country). */
  default: readonly Provider[];
  byCountry: Readonly<Record<string, readonly Provider[]>>;
}

export interface StartConfig {
  /** `VERIFICATION_ROUTING`; null when unset: every provider that can start one, in registry order (see `routingFor`). */
  routing: Routing | null;
  /** Each provider's flow for a start that names none, by `Provider`; null: none (the start must name `flow`). */
  defaultFlows: Readonly<Record<Provider, string | null>>;
}

/** `<PROVIDER>_DEFAULT_FLOW`: the flow a start uses when it names none (and every routed start). */
export const defaultFlowName = (module: ProviderModule) => `${module.provider}_DEFAULT_FLOW`;

const flowValue = optionalText.pipe(
  z
    .string()
    .max(128, 'must be at most 128 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._:-]*$/, 'must be letters, digits, spaces, ".", "_", ":" or "-"')
    .optional(),
);

/** Every provider's `<PROVIDER>_DEFAULT_FLOW`, and `VERIFICATION_ROUTING`. */
export function startEnv(): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = { VERIFICATION_ROUTING: optionalText };
  for (const module of providerModules()) shape[defaultFlowName(module)] = flowValue;
  return shape;
}

const candidates = z.array(z.string()).max(PROVIDERS.length * 2);
const routingSchema = z.strictObject({
  default: candidates.default([]),
  byCountry: z.record(z.string(), candidates).default({}),
});

export function startConfig(env: Record<string, unknown>, providers: ProvidersConfig, problems: string[]): StartConfig {
  const defaultFlows = Object.fromEntries(
    providerModules().map((m) => [m.provider, defaultFlowOf(m, env, providers)] as const),
  ) as Record<Provider, string | null>;
  const raw = env.VERIFICATION_ROUTING as string | undefined;
  const routing = raw === undefined ? null : parseRouting(raw, providers, defaultFlows, problems);
  return { routing, defaultFlows };
}

/**
 * The explicit variable, else the vendor's own always-there flow (`ProviderModule.defaultFlow`, e.g. Stripe
 * `document`), else on the sandbox the flow its simulator knows (`ProviderModule.sandboxFlow`), so `npm start` needs
 * no configuration.
 */
function defaultFlowOf(
  module: ProviderModule,
  env: Record<string, unknown>,
  providers: ProvidersConfig,
): string | null {
  const explicit = env[defaultFlowName(module)] as string | undefined;
  if (explicit !== undefined) return explicit;
  if (module.defaultFlow !== undefined) return module.defaultFlow;
  return modeOf(providers, module).mode === 'sandbox' ? (module.sandboxFlow ?? null) : null;
}

function parseRouting(
  raw: string,
  providers: ProvidersConfig,
  defaultFlows: Record<Provider, string | null>,
  problems: string[],
): Routing | null {
  const shape = 'must be JSON such as {"default":["STRIPE","PERSONA"],"byCountry":{"US":["PLAID","STRIPE"]}}';
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    problems.push(`VERIFICATION_ROUTING: ${shape}`);
    return null;
  }
  const parsed = routingSchema.safeParse(json);
  if (!parsed.success) {
    problems.push(`VERIFICATION_ROUTING: ${shape}`);
    return null;
  }
  const before = problems.length;
  const list = (where: string, names: readonly string[]) =>
    checkCandidates(where, names, providers, defaultFlows, problems);
  const routing: Routing = { default: list('default', parsed.data.default), byCountry: {} };
  const byCountry: Record<string, readonly Provider[]> = {};
  for (const [country, names] of Object.entries(parsed.data.byCountry)) {
    if (!isCountryCode(country)) {
      problems.push(
        `VERIFICATION_ROUTING.byCountry: "${country.slice(0, 8)}" is not an ISO 3166-1 alpha-2 code (upper case)`,
      );
      continue;
    }
    byCountry[country] = list(`byCountry.${country}`, names);
  }
  return problems.length === before ? { ...routing, byCountry } : null;
}

/** Each name a registered provider, configured (live or sandbox), listed once, with a default flow. */
function checkCandidates(
  where: string,
  names: readonly string[],
  providers: ProvidersConfig,
  defaultFlows: Record<Provider, string | null>,
  problems: string[],
): Provider[] {
  const seen = new Set<string>();
  const out: Provider[] = [];
  for (const name of names) {
    const module = providerModules().find((m) => m.provider === name);
    const label = `VERIFICATION_ROUTING.${where}`;
    if (!module) {
      problems.push(`${label}: unknown provider "${name.slice(0, 32)}" (known: ${PROVIDERS.join(', ')})`);
      continue;
    }
    if (seen.has(name)) problems.push(`${label}: ${name} is listed twice`);
    seen.add(name);
    if (modeOf(providers, module).mode === 'off') {
      problems.push(`${label}: ${name} is not configured (set its variables, or remove it from the routing)`);
      continue;
    }
    if (defaultFlows[module.provider] === null)
      problems.push(`${label}: ${name} has no default flow: set ${defaultFlowName(module)}`);
    out.push(module.provider);
  }
  return out;
}

/** The candidates for a start without an explicit provider: its country's list, else the default one. */
export function routingFor(routing: Routing, country: string | null): readonly Provider[] {
  return (country !== null ? routing.byCountry[country] : undefined) ?? routing.default;
}
