import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { type DocumentNode, GraphQLError, type GraphQLSchema, Kind, type OperationDefinitionNode } from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { providerModules } from '../../providers/registry.ts';
import { type CallsPerSession, estimateUpstreamCalls } from './upstreamCalls.ts';

/** What one session fetch adds to an operation's cost: an upstream call is worth many resolved fields. */
export const SESSION_FETCH_COST = 20;

/**
 * Every field costs 1; each session fetched (`session`, `node`, each ref of `sessions`, each representation of
 * `_entities`) costs `SESSION_FETCH_COST` more, and `sessions(refs:)` and `_entities(representations:)` multiply
 * their selection by their number of items, as the timeline's connections do by their `first`. So the estimate
 * follows both vendor calls and response size, which a static analysis of the document alone (graphql-armor's
 * cost rule) cannot see: it knows nothing of how many refs the variables carry.
 */
const sessionFetchEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  // The timeline: a page of `first` entries, each of which may fetch its session.
  if (type.name === 'Session' && field.name === 'events') return 1 + pageOf(args, 20) * childComplexity;
  if (type.name === 'SessionEvent' && field.name === 'session') return SESSION_FETCH_COST + childComplexity;
  if (type.name !== 'Query') return undefined;
  if (field.name === 'sessionEvents') return 1 + pageOf(args, 50) * childComplexity;
  if (field.name === 'webhookDeliveries') return 1 + pageOf(args, 20) * childComplexity;
  if (field.name === 'session' || field.name === 'node') return SESSION_FETCH_COST + childComplexity;
  if (field.name === 'sessions') {
    const refs = Array.isArray(args.refs) ? args.refs.length : 1;
    return refs * (SESSION_FETCH_COST + childComplexity);
  }
  // A router's entity fetch: each representation can be a session fetch, exactly like a ref of `sessions`.
  if (field.name === '_entities') {
    const representations = Array.isArray(args.representations) ? args.representations.length : 1;
    return representations * (SESSION_FETCH_COST + childComplexity);
  }
  return undefined;
};

/** A connection's page size as asked (bounded by its resolver; here only an estimate). */
const pageOf = (args: Record<string, unknown>, fallback: number) =>
  typeof args.first === 'number' && args.first > 0 ? Math.min(args.first, 100) : fallback;

/**
 * The variables as a memo key. No string changes the cost (only list lengths and @include/@skip booleans do), so
 * strings are blanked and every `session(provider: $p, id: $id)` shares one entry. Null for variables too deep to
 * serialise (hostile input: it is estimated, and refused, without the memo).
 */
function memoKey(variables: Record<string, unknown> | undefined): string | null {
  try {
    return JSON.stringify(variables ?? {}, (_key, value: unknown) => (typeof value === 'string' ? '' : value));
  } catch {
    return null;
  }
}

const rejection = (message: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', ...extra, http: { status: 400 } } });

/** Each registered provider's `callsPerSession` (1 where unset). */
const registeredCallsPerSession = (): CallsPerSession => {
  const calls = new Map(providerModules().map((m) => [m.provider, m.callsPerSession ?? 1]));
  return (provider) => calls.get(provider) ?? 1;
};

/** The refusal of an operation that would make more vendor calls than one request may. */
function tooManyUpstreamCalls(calls: number, sessions: number, max: number): GraphQLError {
  return rejection(
    `This operation could make ${calls} vendor calls (${sessions} distinct sessions); one request may make at most ` +
      `${max} (GRAPHQL_MAX_UPSTREAM_CALLS). Ask for fewer sessions per request.`,
    { upstreamCalls: calls, maxUpstreamCalls: max },
  );
}

/**
 * Refuses an operation whose estimated cost is over `maxCost`, or whose vendor calls are over `maxUpstreamCalls`,
 * once its variables are known and before it executes (graphql-query-complexity, run when Apollo has resolved the
 * operation; upstreamCalls.ts for the calls).
 */
export function costLimitPlugin(
  schema: GraphQLSchema,
  maxCost: number,
  maxUpstreamCalls: number,
  callsPerSession: CallsPerSession = registeredCallsPerSession(),
): ApolloServerPlugin {
  const estimators = [sessionFetchEstimator, simpleEstimator({ defaultComplexity: 1 })];
  // The estimate is a pure function of the document, operation name and variables, and Apollo hands back the same
  // DocumentNode for the same query text: remember it (it was 5 % of CPU per request in the benchmark profile).
  const memo = new WeakMap<DocumentNode, Map<string, number>>();
  /** The operation's cost, remembered per document and variables; null when execution will refuse the variables. */
  const estimateCost = (request: GraphQLRequest, document: DocumentNode, operation: OperationDefinitionNode) => {
    const variables = operation.variableDefinitions?.length ? memoKey(request.variables) : '';
    const key =
      variables !== null && variables.length <= 4_096 ? `${request.operationName ?? ''}\u0000${variables}` : null;
    let known = memo.get(document);
    const remembered = key === null ? undefined : known?.get(key);
    if (remembered !== undefined) return remembered;
    let cost: number;
    try {
      cost = getComplexity({
        schema,
        estimators,
        query: document,
        variables: request.variables ?? {},
        operationName: request.operationName ?? undefined,
        maxQueryNodes: 10_000,
      });
    } catch (error) {
      // Variables that do not coerce are reported by execution itself, as BAD_USER_INPUT, before any resolver.
      if (error instanceof GraphQLError && error.nodes?.[0]?.kind === Kind.VARIABLE_DEFINITION) return null;
      throw rejection(`The operation's cost cannot be estimated: ${String((error as Error).message)}`);
    }
    if (key !== null) {
      if (!known) {
        known = new Map();
        memo.set(document, known);
      }
      if (known.size >= 256) known.clear();
      known.set(key, cost);
    }
    return cost;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!operation) return;
          const cost = estimateCost(request, document, operation);
          if (cost === null) return;
          if (cost > maxCost) throw rejection(`Cost limit of ${maxCost} exceeded, found ${cost}.`);
          // Not memoised: the ids decide it (the cost memo blanks strings).
          const upstream = estimateUpstreamCalls(document, operation, request.variables ?? {}, callsPerSession);
          if (upstream.calls > maxUpstreamCalls) {
            throw tooManyUpstreamCalls(upstream.calls, upstream.sessions, maxUpstreamCalls);
          }
        },
      };
    },
  };
}
