import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rateLimitName } from '../../src/config/providers.ts';
import { providerModules } from '../../src/providers/registry.ts';

/**
 * The one rule of live / sandbox / off that the README and deploy/.env.example state (scripts/providerList.ts,
 * MODE_RULE), checked on every registered provider's config section, and the example file's coverage.
 */

const dev = { production: false };
const prod = { production: true };
const isWebhook = (name: string) => name.includes('_WEBHOOK_');
const isBaseUrl = (name: string) => name.endsWith('_BASE_URL');
const isCredential = (name: string) =>
  !isWebhook(name) && /_(API_KEY|API_TOKEN|APP_TOKEN|SECRET_KEY|CLIENT_ID|CLIENT_SECRET)$/.test(name);

describe.each(providerModules().map((m) => [m.provider, m] as const))('the mode rule: %s', (_provider, module) => {
  const mode = (env: Record<string, unknown>, context = dev) => {
    const problems: string[] = [];
    return { mode: module.config.mode(env, context, problems).mode, problems };
  };

  it('runs on its simulator with nothing set, and is off in production', () => {
    expect(mode({})).toEqual({ mode: 'sandbox', problems: [] });
    expect(mode({}, prod)).toEqual({ mode: 'off', problems: [] });
  });

  it('is never silently sandboxed once its base URL or one credential is set: live, or the start stops', () => {
    const names = Object.keys(module.config.env).filter((n) => isBaseUrl(n) || isCredential(n));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const value = isBaseUrl(name) ? 'https://vendor.example' : 'credential-0123456789';
      for (const context of [dev, prod]) {
        const { mode: m, problems } = mode({ [name]: value }, context);
        expect(m === 'live' || problems.length > 0, `${name} alone: ${m} ${problems}`).toBe(true);
      }
    }
  });

  it('documents every variable it reads (the README rows and deploy/.env.example are built from the docs)', () => {
    const documented = module.config.docs.flatMap((d) => d.names);
    expect([...documented].sort()).toEqual(Object.keys(module.config.env).sort());
  });
});

describe('deploy/.env.example', () => {
  const example = readFileSync(new URL('../../deploy/.env.example', import.meta.url), 'utf8');

  it("lists every provider's variables and request budget", () => {
    for (const m of providerModules()) {
      expect(example).toContain(`# ${m.label} (provider ${m.provider})`);
      for (const name of [...Object.keys(m.config.env), rateLimitName(m)]) expect(example).toContain(`\n# ${name}=`);
    }
  });

  it('says the mode rule, not "a provider without its base URL is reported as not configured"', () => {
    expect(example).not.toContain('without its base URL');
    expect(example).toContain('A provider is live once its base URL or any of its credentials is set');
  });
});
