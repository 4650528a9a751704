import { z } from 'zod';
import { type ApiKeyConfig, accessEnv, apiKeysConfig, type JwtConfig, jwtConfig } from './access.ts';
import { type BrowserConfig, browserConfig, browserEnv } from './browser.ts';
import { type CacheConfig, cacheConfig, cacheEnv } from './cache.ts';
import { type EventsConfig, eventsConfig, eventsEnv } from './events.ts';
import { type GraphQLConfig, graphqlConfig, graphqlEnv } from './graphql.ts';
import { type OutboundConfig, outboundConfig, outboundEnv } from './outbound.ts';
import {
  type ProvidersConfig,
  providersConfig,
  providersEnv,
  type UpstreamConfig,
  upstreamConfig,
  upstreamEnv,
  type WebhooksConfig,
  webhooksConfig,
} from './providers.ts';
import { type ServerConfig, serverConfig, serverEnv } from './server.ts';
import { type StartConfig, startConfig, startEnv } from './start.ts';
import { type SubscriptionsConfig, subscriptionsConfig, subscriptionsEnv } from './subscriptions.ts';
import { type TelemetryConfig, telemetryConfig, telemetryEnv } from './telemetry.ts';

/**
 * The environment, validated once at start (DESIGN §4). Nothing else in Verigate reads `process.env`.
 * Each concern (server, access, browsers, GraphQL, cache, upstream, subscriptions, telemetry) has its own file with its
 * variables and the part of the config built from them; each provider's (its API and its webhooks) is in its own
 * folder (`src/providers/<name>/config.ts`). Every problem of every concern is collected and reported together.
 */

export * from './access.ts';
export * from './browser.ts';
export * from './cache.ts';
export * from './events.ts';
export * from './graphql.ts';
export * from './outbound.ts';
export * from './providerMode.ts';
export * from './providers.ts';
export * from './server.ts';
export * from './start.ts';
export * from './subscriptions.ts';
export * from './telemetry.ts';

export interface Config {
  nodeEnv: 'production' | 'development' | 'test';
  port: number;
  /** The HTTP listener (address, connection cap, shutdown timing). */
  server: ServerConfig;
  /** Browsers on other origins (CORS). */
  browser: BrowserConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Null outside production when GATEWAY_API_KEYS is unset: a development key is generated at start. */
  apiKeys: ApiKeyConfig[] | null;
  /** JWT bearer tokens as a second way in; null: API keys only. */
  jwt: JwtConfig | null;
  graphql: GraphQLConfig;
  telemetry: TelemetryConfig;
  redisUrl: string | null;
  upstream: UpstreamConfig;
  cache: CacheConfig;
  /** GraphiQL at /playground and for browsers at GET /graphql; on by default outside production. */
  playground: { enabled: boolean };
  providers: ProvidersConfig;
  /** Inbound vendor webhooks: which endpoints are on and how each verifies deliveries. */
  webhooks: WebhooksConfig;
  /** `sessionUpdated` over SSE and WebSocket: limits, heartbeat, lifetime, poll fallback. */
  subscriptions: SubscriptionsConfig;
  /** Outbound events for backends: the endpoints told of every status change. */
  outbound: OutboundConfig;
  /** The session timeline: its database and retention. */
  events: EventsConfig;
  /** `startVerification`: each vendor's default flow and the routing of starts without a provider. */
  start: StartConfig;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const envSchema = z.object({
  ...serverEnv,
  ...browserEnv,
  ...accessEnv,
  ...graphqlEnv,
  ...cacheEnv,
  ...providersEnv(),
  ...upstreamEnv,
  ...subscriptionsEnv,
  ...telemetryEnv,
  ...outboundEnv,
  ...eventsEnv,
  ...startEnv(),
});

type Env = z.infer<typeof envSchema>;

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
  const jwt = jwtConfig(env, problems);
  const apiKeys = apiKeysConfig(env, problems);
  const graphql = graphqlConfig(env, problems);
  const providers = providersConfig(env, problems);
  const cache = cacheConfig(env, problems);
  const browser = browserConfig(env, problems);
  const webhooks = webhooksConfig(env, providers, problems);
  const subscriptions = subscriptionsConfig(env, problems);
  const outbound = outboundConfig(env, problems);
  const start = startConfig(env, providers, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    server: serverConfig(env),
    browser,
    logLevel: env.LOG_LEVEL,
    apiKeys,
    jwt,
    graphql,
    telemetry: telemetryConfig(env),
    redisUrl: env.REDIS_URL ?? null,
    upstream: upstreamConfig(env, providers),
    cache,
    playground: {
      enabled: env.PLAYGROUND_ENABLED === undefined ? env.NODE_ENV !== 'production' : env.PLAYGROUND_ENABLED === 'true',
    },
    providers,
    webhooks,
    subscriptions,
    outbound,
    events: eventsConfig(env),
    start,
  };
}
