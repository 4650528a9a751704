import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/index.ts';

const BASE = { NODE_ENV: 'test', GATEWAY_API_KEYS: undefined };
const V1 = {
  DIDIT_AUTH_URL: 'https://apx.didit.me/auth/v2/token/',
  DIDIT_CLIENT_ID: 'client-id',
  DIDIT_CLIENT_SECRET: 'client-secret',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig({ ...BASE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Didit configuration', () => {
  it('selects the v3 API with DIDIT_API_KEY', () => {
    const config = loadConfig({ ...BASE, DIDIT_BASE_URL: 'https://verification.didit.me', DIDIT_API_KEY: 'key-1' });
    expect(config.providers.didit).toEqual({
      mode: 'live',
      live: { version: 'v3', baseUrl: 'https://verification.didit.me', apiKey: 'key-1' },
    });
  });

  it('keeps the v1 API with client credentials and the token URL', () => {
    const config = loadConfig({ ...BASE, DIDIT_BASE_URL: 'https://verification.didit.me', ...V1 });
    expect(config.providers.didit).toEqual({
      mode: 'live',
      live: {
        version: 'v1',
        baseUrl: 'https://verification.didit.me',
        authUrl: 'https://apx.didit.me/auth/v2/token/',
        clientId: 'client-id',
        clientSecret: 'client-secret',
      },
    });
  });

  it('runs on the sandbox without DIDIT_BASE_URL outside production, and is off in production', () => {
    expect(loadConfig(BASE).providers.didit).toEqual({ mode: 'sandbox' });
    expect(
      loadConfig({
        NODE_ENV: 'production',
        GATEWAY_API_KEYS: '[{"name":"a","key":"0123456789abcdef","scopes":["sessions:read"]}]',
      }).providers.didit,
    ).toEqual({ mode: 'off' });
  });

  it('refuses both an API key and client credentials, with every other problem in the same report', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      DIDIT_BASE_URL: 'https://verification.didit.me',
      DIDIT_API_KEY: 'key-1',
      ...V1,
    });
    expect(problems).toEqual([
      'PORT: must be a number',
      'DIDIT_API_KEY and DIDIT_AUTH_URL, DIDIT_CLIENT_ID, DIDIT_CLIENT_SECRET: set together; configure either the API key (v3 API) or the client credentials (v1 API), not both',
    ]);
  });

  it('refuses an API key with only part of the client credentials too', () => {
    expect(
      problemsOf({ DIDIT_BASE_URL: 'https://verification.didit.me', DIDIT_API_KEY: 'k', DIDIT_CLIENT_ID: 'c' }),
    ).toEqual([
      'DIDIT_API_KEY and DIDIT_CLIENT_ID: set together; configure either the API key (v3 API) or the client credentials (v1 API), not both',
    ]);
  });

  it('asks for a credential when DIDIT_BASE_URL is set alone', () => {
    expect(problemsOf({ DIDIT_BASE_URL: 'https://verification.didit.me' })).toEqual([
      'DIDIT_API_KEY: required when DIDIT_BASE_URL is set (or DIDIT_CLIENT_ID, DIDIT_CLIENT_SECRET and DIDIT_AUTH_URL for the legacy v1 API)',
    ]);
  });

  it('lists what a half-configured v1 lacks', () => {
    expect(problemsOf({ DIDIT_BASE_URL: 'https://verification.didit.me', DIDIT_CLIENT_ID: 'c' })).toEqual([
      'DIDIT_AUTH_URL: required when DIDIT_BASE_URL is set',
      'DIDIT_CLIENT_SECRET: required when DIDIT_BASE_URL is set',
    ]);
  });

  it('reports credentials without a base URL instead of silently sandboxing them', () => {
    expect(problemsOf({ DIDIT_API_KEY: 'k' })).toEqual([
      'DIDIT_API_KEY: set, but DIDIT_BASE_URL is not (set it too, or unset them)',
    ]);
    expect(problemsOf({ DIDIT_CLIENT_ID: 'c', DIDIT_CLIENT_SECRET: 's' })).toEqual([
      'DIDIT_CLIENT_ID, DIDIT_CLIENT_SECRET: set, but DIDIT_BASE_URL is not (set it too, or unset them)',
    ]);
  });

  it('never echoes the secrets it refuses', () => {
    const problems = problemsOf({
      DIDIT_BASE_URL: 'https://verification.didit.me',
      DIDIT_API_KEY: 'super-secret-key',
      ...V1,
    });
    expect(problems.join('\n')).not.toMatch(/super-secret-key|client-secret/);
  });
});
