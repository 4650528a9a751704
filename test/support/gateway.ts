import { request } from 'undici';
import { type Config, loadConfig } from '../../src/config/index.ts';
import type { Provider } from '../../src/model/session.ts';
import type { RunningSimulator } from '../../src/providers/types.ts';
import { type Gateway, type GatewayOptions, startGateway } from '../../src/server.ts';
import { DEFAULT_HTTP_OPTIONS, type UpstreamHttpOptions } from '../../src/upstream/http.ts';

export const FULL_KEY = 'test-key-full-access-0001';
export const READ_ONLY_KEY = 'test-key-sessions-only-0002';
export const NO_SCOPE_KEY = 'test-key-pii-only-00000003';

/** Test API keys: one with every scope, one without `pii:read`, one without `sessions:read`. */
export const TEST_API_KEYS = JSON.stringify([
  { name: 'full', key: FULL_KEY, scopes: ['sessions:read', 'pii:read'] },
  { name: 'read-only', key: READ_ONLY_KEY, scopes: ['sessions:read'] },
  { name: 'pii-only', key: NO_SCOPE_KEY, scopes: ['pii:read'] },
]);

/** Short timeouts so the slow scenarios fail fast in tests. */
export const TEST_HTTP_OPTIONS: UpstreamHttpOptions = {
  ...DEFAULT_HTTP_OPTIONS,
  timeouts: { connectMs: 500, headersMs: 700, bodyMs: 700, totalMs: 1_000 },
};

export interface TestGateway {
  gateway: Gateway;
  config: Config;
  /** POST /graphql with the full-access key unless `key` says otherwise (null: no Authorization header). */
  query(
    query: string,
    variables?: Record<string, unknown>,
    key?: string | null,
  ): Promise<{ status: number; body: GraphQLBody; headers: Record<string, string | string[] | undefined> }>;
  simulator(provider: Provider): RunningSimulator;
  close(): Promise<void>;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  extensions?: Record<string, unknown>;
}

/**
 * Starts a real gateway on a free loopback port, with every unconfigured provider on its simulator
 * (also on loopback). Tests drive it over HTTP like any client. Session caching is off unless `env` turns it on.
 */
export async function startTestGateway(
  env: Record<string, string | undefined> = {},
  options: GatewayOptions = {},
): Promise<TestGateway> {
  // The cache is off unless a test turns it on, so simulator request counts mean one thing: upstream calls.
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    GATEWAY_API_KEYS: TEST_API_KEYS,
    CACHE_TERMINAL_TTL_SECONDS: '0',
    CACHE_ACTIVE_TTL_SECONDS: '0',
    // A throwaway timeline per gateway, so no test writes to data/ (test/events/ passes its own DATABASE_URL).
    DATABASE_URL: 'sqlite::memory:',
    ...env,
  });
  const gateway = await startGateway(config, { http: TEST_HTTP_OPTIONS, ...options });
  return {
    gateway,
    config,
    async query(query, variables, key = FULL_KEY) {
      const res = await request(gateway.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.body.json()) as GraphQLBody;
      return { status: res.statusCode, body, headers: res.headers };
    },
    simulator(provider) {
      const sim = gateway.registry.simulator(provider);
      if (!sim) throw new Error(`${provider} is not sandboxed in this test gateway`);
      return sim;
    },
    close: () => gateway.close(),
  };
}
