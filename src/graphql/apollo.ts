import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import type { GraphQLConfig } from '../config/index.ts';
import type { GatewayContext } from './context.ts';
import { formatError } from './formatError.ts';
import { compiledExecutionGateway } from './jitExecutor.ts';
import { operationLimits } from './plugins/limits.ts';
import { operationRecordPlugin } from './plugins/operationLog.ts';
import { persistedQueries } from './plugins/persistedQueries.ts';
import { operationSpanPlugin } from './plugins/tracing.ts';
import { staleExtensionPlugin } from './staleExtension.ts';

/** Apollo Server over Verigate's schema, with its limits, persisted queries, logging and tracing plugins. */
export async function startApollo(
  schema: GraphQLSchema,
  graphql: GraphQLConfig,
  redis: Redis | null,
): Promise<ApolloServer<GatewayContext>> {
  const { limits, introspection, trustedDocuments, compileAfter } = graphql;
  const limitsPlugins = operationLimits(schema, limits);
  const apq = persistedQueries(graphql, trustedDocuments ? null : redis);
  const apollo = new ApolloServer<GatewayContext>({
    // Queries run compiled (graphql-jit) once their document is known; Apollo's pipeline around them is unchanged.
    ...(compileAfter > 0 ? { gateway: compiledExecutionGateway(schema, { compileAfter }) } : { schema }),
    includeStacktraceInErrorResponses: false,
    introspection,
    // "Did you mean …?" hints leak the schema as much as introspection does.
    hideSchemaDetailsFromClientErrors: !introspection,
    // Apollo's two headers plus Authorization: a browser preflights any request carrying it, and Verigate's
    // credentials are bearer keys, never cookies, so a GET with a key (urql's default) is not a CSRF vector.
    csrfPrevention: { requestHeaders: ['x-apollo-operation-name', 'apollo-require-preflight', 'authorization'] },
    allowBatchedHttpRequests: false,
    persistedQueries: apq.options,
    parseOptions: limitsPlugins.parseOptions,
    validationRules: limitsPlugins.validationRules,
    // main.ts owns SIGTERM/SIGINT: it drains HTTP first, then stops Apollo and the upstream pools.
    stopOnTerminationSignals: false,
    plugins: [
      // Apollo's cache-control plugin computes cache hints for every field of every response; Verigate caches
      // sessions itself and sends no HTTP cache headers, so it is pure cost (1.5 % of CPU in the profile).
      ApolloServerPluginCacheControlDisabled(),
      // The schema is a federation subgraph, on which Apollo would turn inline tracing (ftv1) on: per-field timings
      // and errors sent to whoever asks with `apollo-federation-include-trace`. Never.
      ApolloServerPluginInlineTraceDisabled(),
      ...limitsPlugins.plugins,
      ...apq.plugins,
      operationRecordPlugin,
      operationSpanPlugin,
      staleExtensionPlugin,
    ],
    formatError,
  });
  await apollo.start();
  return apollo;
}
