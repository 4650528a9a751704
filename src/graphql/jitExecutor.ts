import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { type DocumentNode, type ExecutionResult, execute, GraphQLError, type GraphQLSchema } from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
import { LRUCache } from 'lru-cache';
import { jitSerializers, schemaForJit } from './jitSchema.ts';

/** Apollo's documented hook for running operations itself: a `gateway` whose `load()` hands back an executor. */
type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type ExecutorRequest = Parameters<Executor>[0];

export interface CompiledExecutionOptions {
  /** The sighting of a document (per operation name) at which it is compiled: 1 compiles on first sight. */
  compileAfter: number;
  /** Compiled operations kept, least recently used dropped first. Default 500. */
  maxEntries?: number;
}

/** A document's state: how often it was seen, then its compiled form (null: jit cannot compile it). */
interface Entry {
  sightings: number;
  compiled?: CompiledQuery | null;
}

/**
 * Apollo Server over a fixed schema, with queries run by graphql-jit once their document has been seen
 * `compileAfter` times. Apollo still parses, validates, runs every plugin and formats errors; only execution
 * changes. graphql-js runs what jit would answer differently: subscriptions and mutations (none over HTTP
 * anyway), a request whose operation Apollo did not resolve (an unknown or missing operation name), a document
 * jit cannot compile, and variables that do not coerce (graphql-js's errors carry the variable node that Apollo
 * reads to answer BAD_USER_INPUT with HTTP 400). jit runs on `schemaForJit`'s view of the schema, which hands it
 * failures in the one form it answers as graphql-js does (see there).
 */
export function compiledExecutionGateway(schema: GraphQLSchema, options: CompiledExecutionOptions): Gateway {
  const executor = compiledExecutor(schema, options);
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    load: async () => ({ executor }),
    stop: async () => {},
  };
}

function compiledExecutor(schema: GraphQLSchema, options: CompiledExecutionOptions): Executor {
  const jitSchema = schemaForJit(schema);
  const customSerializers = jitSerializers(jitSchema);
  const entries = new LRUCache<string, Entry>({ max: options.maxEntries ?? 500 });

  function compiledFor({ queryHash, document, operation, operationName }: ExecutorRequest): CompiledQuery | null {
    if (operation?.operation !== 'query') return null;
    const key = `${queryHash}\n${operationName ?? ''}`;
    let entry = entries.get(key);
    if (!entry) {
      entry = { sightings: 0 };
      entries.set(key, entry);
    }
    entry.sightings += 1;
    if (entry.compiled === undefined && entry.sightings >= options.compileAfter) {
      entry.compiled = compile(document, operationName ?? undefined);
    }
    return entry.compiled ?? null;
  }

  function compile(document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
    try {
      const compiled = compileQuery(jitSchema, document, operationName, {
        customSerializers,
        disablingCapturingStackErrors: true,
      });
      return isCompiledQuery(compiled) ? compiled : null;
    } catch {
      return null; // something jit does not support: graphql-js runs this document
    }
  }

  return async (request) => {
    const compiled = compiledFor(request);
    if (compiled) {
      const result = await compiled.query(undefined, request.context, request.request.variables ?? {});
      // No data at all: jit refused the variables. graphql-js says why the way Apollo reads it.
      if (result.data !== undefined) return withGraphQLJsErrors(result);
    }
    return execute({
      schema,
      document: request.document,
      contextValue: request.context,
      variableValues: request.request.variables,
      operationName: request.request.operationName,
    });
  };
}

/**
 * jit's errors are its own objects, without `extensions` when the cause had none (Apollo then fails to format
 * them and answers a bare internal error with no path). Rebuilt the way graphql-js locates a resolver's error:
 * message, path and original error, extensions taken from the original.
 */
function withGraphQLJsErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((error) => {
    const located = new GraphQLError(error.message, { path: error.path, originalError: error.originalError });
    // graphql-js computes locations from AST nodes; jit already computed the same {line, column} pairs.
    (located as { locations: GraphQLError['locations'] }).locations = error.locations;
    return located;
  });
  return { ...result, errors };
}
