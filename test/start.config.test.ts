import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.ts';
import { PROVIDERS } from '../src/model/session.ts';
import { DIDIT_SANDBOX_WORKFLOWS } from '../src/providers/didit/sandbox/starts.ts';
import { VERIFA_SANDBOX_WORKFLOWS } from '../src/providers/verifa/sandbox/starts.ts';
import { startTestGateway, TEST_API_KEYS } from './support/gateway.ts';

/** `VERIFICATION_ROUTING` and `<PROVIDER>_DEFAULT_FLOW`, validated at start-up (DESIGN §8). */

const problems = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ NODE_ENV: 'test', GATEWAY_API_KEYS: TEST_API_KEYS, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};
const production = {
  NODE_ENV: 'production',
  VERIFA_BASE_URL: 'https://api.withverifa.com',
  VERIFA_API_KEY: 'vk_live_x',
};

describe('startVerification configuration', () => {
  it('on the sandbox every provider has its simulator’s flow, and routing may stay unset', () => {
    const config = loadConfig({ NODE_ENV: 'test', GATEWAY_API_KEYS: TEST_API_KEYS });
    expect(config.start.routing).toBeNull();
    expect(config.start.defaultFlows).toMatchObject({
      DIDIT: DIDIT_SANDBOX_WORKFLOWS[0],
      VERIFA: VERIFA_SANDBOX_WORKFLOWS[0],
      VERATAD: null,
    });
  });

  it('<PROVIDER>_DEFAULT_FLOW wins over the sandbox flow', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      GATEWAY_API_KEYS: TEST_API_KEYS,
      VERIFA_DEFAULT_FLOW: 'workflow_custom_kyc',
    });
    expect(config.start.defaultFlows.VERIFA).toBe('workflow_custom_kyc');
  });

  it('parses the routing', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      GATEWAY_API_KEYS: TEST_API_KEYS,
      VERIFICATION_ROUTING: '{"default":["VERIFA"],"byCountry":{"DE":["DIDIT","VERIFA"]}}',
    });
    expect(config.start.routing).toEqual({ default: ['VERIFA'], byCountry: { DE: ['DIDIT', 'VERIFA'] } });
  });

  it.each<[string, Record<string, string>, string[]]>([
    [
      'not JSON',
      { VERIFICATION_ROUTING: '{' },
      [
        'VERIFICATION_ROUTING: must be JSON such as {"default":["STRIPE","PERSONA"],"byCountry":{"US":["PLAID","STRIPE"]}}',
      ],
    ],
    [
      'an unknown key',
      { VERIFICATION_ROUTING: '{"fallback":["VERIFA"]}' },
      [
        'VERIFICATION_ROUTING: must be JSON such as {"default":["STRIPE","PERSONA"],"byCountry":{"US":["PLAID","STRIPE"]}}',
      ],
    ],
    [
      'an unknown provider',
      { VERIFICATION_ROUTING: '{"default":["ACME"]}' },
      [`VERIFICATION_ROUTING.default: unknown provider "ACME" (known: ${PROVIDERS.join(', ')})`],
    ],
    [
      'a bad country',
      { VERIFICATION_ROUTING: '{"byCountry":{"XX":["VERIFA"]}}' },
      ['VERIFICATION_ROUTING.byCountry: "XX" is not an ISO 3166-1 alpha-2 code (upper case)'],
    ],
    [
      'a provider twice',
      { VERIFICATION_ROUTING: '{"default":["VERIFA","VERIFA"]}' },
      ['VERIFICATION_ROUTING.default: VERIFA is listed twice'],
    ],
    [
      'an unconfigured provider (production)',
      { ...production, VERIFA_DEFAULT_FLOW: 'wf_1', VERIFICATION_ROUTING: '{"default":["VERIFA","DIDIT"]}' },
      ['VERIFICATION_ROUTING.default: DIDIT is not configured (set its variables, or remove it from the routing)'],
    ],
    [
      'a routed provider without a default flow',
      { ...production, VERIFICATION_ROUTING: '{"byCountry":{"US":["VERIFA"]}}' },
      ['VERIFICATION_ROUTING.byCountry.US: VERIFA has no default flow: set VERIFA_DEFAULT_FLOW'],
    ],
  ])('%s is a start-up error naming it', (_name, env, expected) => {
    expect(
      problems({ GATEWAY_API_KEYS: TEST_API_KEYS, ...env }).filter((p) => p.startsWith('VERIFICATION_ROUTING')),
    ).toEqual(expected);
  });

  it('a routed provider that cannot start verifications (VX) stops the gateway at start-up', async () => {
    const error = await startTestGateway({
      VERIFICATION_ROUTING: '{"default":["VERATAD"]}',
      VERATAD_DEFAULT_FLOW: 'x',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'VERIFICATION_ROUTING.default: VERATAD cannot start verifications through Verigate',
    ]);
  });
});
