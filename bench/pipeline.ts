/**
 * The per-operation work of the distinct-ids benchmark, stage by stage, in one process (no sockets): what each
 * stage costs in µs of CPU per operation, graphql-js and graphql-jit side by side (see docs/benchmarks.md).
 * Usage: node bench/pipeline.ts [iterations per stage, default 20000]
 */
import { HeaderMap } from '@apollo/server';
import { execute, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { loadConfig } from '../src/config/index.ts';
import { startApollo } from '../src/graphql/apollo.ts';
import type { GatewayContext } from '../src/graphql/context.ts';
import { jitSerializers, schemaForJit } from '../src/graphql/jitSchema.ts';
import { buildSchema } from '../src/graphql/schema.ts';
import { normalizeDiditV1Decision } from '../src/providers/didit/normalizeV1.ts';
import { diditV1Decision } from '../src/providers/didit/payloadV1.ts';
import { DIDIT_V1_DOCUMENTED_DECISION } from '../src/providers/didit/sandbox/examples/v1Documented.ts';
import { parseUpstreamJson } from '../src/upstream/parse.ts';
import { VARIABLES_QUERY } from './query.ts';

const N = Number(process.argv[2] ?? 20_000);
const body = Buffer.from(JSON.stringify(DIDIT_V1_DOCUMENTED_DECISION));
const res = { status: 200, headers: { 'content-type': 'application/json' }, body };
const payload = () => parseUpstreamJson('DIDIT', diditV1Decision, res, 'decision payload');
const session = normalizeDiditV1Decision(payload(), false);

const schema = buildSchema();
const document = parse(VARIABLES_QUERY);
const caller = { name: 'bench', via: 'api_key', scopes: new Set(['sessions:read', 'pii:read']), sessions: null };
// Only what the query's resolvers read: the caller's scopes and a loader that has the session.
const context = () =>
  ({ requestId: 'r', caller, sessions: { load: async () => session } }) as unknown as GatewayContext;
const variableValues = { id: '11111111-2222-3333-4444-555555555555' };

async function time(name: string, op: () => unknown) {
  for (let i = 0; i < N / 10; i += 1) await op(); // warm-up
  const started = process.cpuUsage();
  for (let i = 0; i < N; i += 1) await op();
  const used = process.cpuUsage(started);
  process.stdout.write(`${name.padEnd(44)} ${((used.user + used.system) / N).toFixed(1).padStart(7)} µs CPU/op\n`);
}

const result = await execute({ schema, document, contextValue: context(), variableValues });
if (result.errors) throw new Error(JSON.stringify(result.errors));
const jitSchema = schemaForJit(schema);
const compiled = compileQuery(jitSchema, document, 'Bench', {
  customSerializers: jitSerializers(jitSchema),
  disablingCapturingStackErrors: true,
});
if (!isCompiledQuery(compiled)) throw new Error(JSON.stringify(compiled.errors));
if (JSON.stringify(await compiled.query(undefined, context(), variableValues)) !== JSON.stringify(result)) {
  throw new Error('graphql-jit and graphql-js disagree on the benchmark query');
}
// Apollo Server as the gateway configures it (limits, cost, plugins), given the session: its whole pipeline.
const config = loadConfig({
  NODE_ENV: 'production',
  GATEWAY_API_KEYS: JSON.stringify([{ name: 'bench', key: 'bench-key-0123456789abcdef', scopes: ['sessions:read'] }]),
  LOG_LEVEL: 'silent',
});
const apollo = await startApollo(schema, config.graphql, null);
const interpreted = await startApollo(schema, { ...config.graphql, compileAfter: 0 }, null);
const httpGraphQLRequest = () => ({
  method: 'POST',
  headers: new HeaderMap([['content-type', 'application/json']]),
  search: '',
  body: { query: VARIABLES_QUERY, operationName: 'Bench', variables: variableValues },
});

await time('JSON.parse of the 3.5 KB body', () => JSON.parse(body.toString('utf8')));
await time('JSON.parse + zod (parseUpstreamJson)', payload);
const parsed = payload();
await time('normalizeDiditV1Decision', () => normalizeDiditV1Decision(parsed, false));
await time('graphql-js execute (39 fields)', () =>
  execute({ schema, document, contextValue: context(), variableValues }),
);
await time('graphql-jit compiled query (39 fields)', () => compiled.query(undefined, context(), variableValues));
await time('JSON.stringify of the result', () => JSON.stringify(result));
// Runs compiled from the second request on (GRAPHQL_COMPILE_AFTER's default), like the gateway.
await time('Apollo executeHTTPGraphQLRequest (all but HTTP)', () =>
  apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: httpGraphQLRequest(), context: async () => context() }),
);
await time('the same on graphql-js (GRAPHQL_COMPILE_AFTER=0)', () =>
  interpreted.executeHTTPGraphQLRequest({ httpGraphQLRequest: httpGraphQLRequest(), context: async () => context() }),
);
await apollo.stop();
await interpreted.stop();
