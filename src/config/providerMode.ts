import { randomBytes } from 'node:crypto';

/** The pieces every provider's configuration section is built from (src/providers/<name>/config.ts). */

/** How one provider is reached: its real API, its embedded simulator, or not at all. */
export type ProviderMode<Live> = { mode: 'live'; live: Live } | { mode: 'sandbox' } | { mode: 'off' };

/** The parsed variables of a section, by name. */
export type SectionEnv = Record<string, unknown>;

/**
 * A provider is live when `switchName` (its base URL, usually) is set, in which case every name in `required` is
 * required. Without it, it runs on its simulator, or is off in production. Credentials without the switch are a
 * half-configured provider: reported, not silently sandboxed.
 */
export function providerMode<Live>(
  env: SectionEnv,
  production: boolean,
  switchName: string,
  required: readonly string[],
  build: () => Live,
  problems: string[],
): ProviderMode<Live> {
  if (env[switchName] === undefined) {
    const stray = required.filter((n) => env[n] !== undefined);
    if (stray.length > 0)
      problems.push(`${stray.join(', ')}: set, but ${switchName} is not (set it too, or unset them)`);
    return production ? { mode: 'off' } : { mode: 'sandbox' };
  }
  const missing = required.filter((n) => env[n] === undefined);
  for (const n of missing) problems.push(`${n}: required when ${switchName} is set`);
  return missing.length > 0 ? { mode: 'off' } : { mode: 'live', live: build() };
}

/**
 * The webhook variables of a provider that is off are a mistake (webhooks refresh its sessions): reported, and the
 * endpoint stays off. True when that is the case.
 */
export function webhookWhileOff(
  env: SectionEnv,
  names: readonly string[],
  mode: ProviderMode<unknown>,
  provider: string,
  problems: string[],
): boolean {
  const set = names.filter((n) => env[n] !== undefined);
  if (mode.mode !== 'off' || set.length === 0) return false;
  problems.push(`${set.join(', ')}: set, but ${provider} is not configured (webhooks refresh its sessions)`);
  return true;
}

/** A random credential for a sandbox's webhooks (new every process). */
export const generatedSecret = (bytes: number) => randomBytes(bytes).toString('base64url');
