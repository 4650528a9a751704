import { HeaderMap } from '@apollo/server';
import {
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  subscribe,
  validate,
} from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import { z } from 'zod';
import type { GraphQLLimits } from '../config/index.ts';
import type { GatewayContext } from '../graphql/context.ts';
import { formatError } from '../graphql/formatError.ts';
import { TOO_DEEPLY_NESTED, tooDeeplyNested } from '../graphql/nesting.ts';
import { SESSION_FETCH_COST } from '../graphql/plugins/cost.ts';
import { operationLimits } from '../graphql/plugins/limits.ts';
import type { TrustedDocumentList } from '../graphql/plugins/trustedDocuments.ts';
import type { Admission } from './service.ts';

/** The operation a client sends over SSE or WebSocket (GraphQL over HTTP request parameters). */
const payloadSchema = z.object({
  query: z.string().optional(),
  operationName: z.string().nullish(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
});

const coded = (code: string, message: string) => new GraphQLError(message, { extensions: { code } });

/** `sessionUpdated` is priced like `Query.session`: a session fetch plus its selection. */
const sessionUpdatedEstimator: ComplexityEstimator = ({ type, field, childComplexity }) =>
  type.name === 'Subscription' && field.name === 'sessionUpdated' ? SESSION_FETCH_COST + childComplexity : undefined;

/**
 * Prepares and runs subscriptions with the limits queries get over HTTP: trusted documents, the token limit at
 * parse time, depth, aliases, directives and root fields at validation, the cost estimate, then graphql-js
 * `subscribe` (Apollo Server does not execute subscriptions). Every error carries a code.
 */
export class SubscriptionOperations {
  readonly #schema: GraphQLSchema;
  readonly #limits: GraphQLLimits;
  readonly #trusted: TrustedDocumentList | null;
  readonly #rules: ReturnType<typeof operationLimits>;
  readonly #documents = new Map<string, DocumentNode>();

  constructor(schema: GraphQLSchema, limits: GraphQLLimits, trusted: TrustedDocumentList | null) {
    this.#schema = schema;
    this.#limits = limits;
    this.#trusted = trusted;
    this.#rules = operationLimits(schema, limits);
  }

  /** The execution arguments, or the coded errors that refuse the operation before anything runs. */
  prepare(raw: unknown, contextValue: GatewayContext): ExecutionArgs | GraphQLError[] {
    const payload = payloadSchema.safeParse(raw);
    if (!payload.success) return [coded('BAD_REQUEST', 'The operation must be { query, operationName?, variables? }.')];
    const { operationName, variables } = payload.data;
    const query = this.#admit(payload.data, contextValue);
    if (query instanceof GraphQLError) return [query];
    const document = this.#parse(query);
    if (document instanceof GraphQLError) return [document];
    const cost = this.#cost(document, variables ?? {}, operationName ?? undefined);
    if (cost instanceof GraphQLError) return [cost];
    return {
      schema: this.#schema,
      document,
      operationName: operationName ?? undefined,
      variableValues: variables ?? undefined,
      contextValue,
    };
  }

  /** graphql-js `subscribe`, with the admission given back however the stream ends. */
  async run(
    args: ExecutionArgs,
    admission: Admission,
  ): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
    let result: Awaited<ReturnType<typeof subscribe>>;
    try {
      result = await subscribe(args);
    } catch (error) {
      admission.release();
      throw error;
    }
    if (!(Symbol.asyncIterator in result)) {
      admission.release();
      return codeInputErrors(result);
    }
    return releasing(result, admission);
  }

  #admit(payload: z.infer<typeof payloadSchema>, ctx: GatewayContext): string | GraphQLError {
    if (this.#trusted) {
      const body = { ...payload, extensions: payload.extensions ?? undefined };
      const admission = this.#trusted.admit({ method: 'POST', headers: new HeaderMap(), search: '', body }, ctx.caller);
      if (!admission.admitted) return coded(admission.code, admission.message);
      const admitted = admission.request.body as { query?: string };
      return admitted.query ?? '';
    }
    if (payload.query === undefined) {
      return coded(
        'PERSISTED_QUERY_NOT_SUPPORTED',
        'Send the subscription text: persisted queries are served over HTTP only, or from the trusted-documents list.',
      );
    }
    return payload.query;
  }

  #parse(query: string): DocumentNode | GraphQLError {
    const known = this.#documents.get(query);
    if (known) return known;
    if (tooDeeplyNested(query)) return coded('GRAPHQL_PARSE_FAILED', TOO_DEEPLY_NESTED);
    let document: DocumentNode;
    try {
      document = parse(query, this.#rules.parseOptions);
    } catch (error) {
      return coded('GRAPHQL_PARSE_FAILED', (error as Error).message.replace(/^Syntax Error: /, ''));
    }
    const errors = validate(this.#schema, document, [...specifiedRules, ...this.#rules.subscriptionValidationRules]);
    const first = errors[0];
    if (first)
      return new GraphQLError(first.message, { nodes: first.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    // Clients send the same few subscriptions again and again: keep a bounded set of parsed, valid documents.
    if (this.#documents.size >= 256) this.#documents.clear();
    this.#documents.set(query, document);
    return document;
  }

  #cost(document: DocumentNode, variables: Record<string, unknown>, operationName?: string): GraphQLError | null {
    const max = this.#limits.maxCost;
    let cost: number;
    try {
      cost = getComplexity({
        schema: this.#schema,
        estimators: [sessionUpdatedEstimator, simpleEstimator({ defaultComplexity: 1 })],
        query: document,
        variables,
        operationName,
        maxQueryNodes: 10_000,
      });
    } catch {
      // Variables that do not coerce are reported by `subscribe` itself, as BAD_USER_INPUT.
      return null;
    }
    return cost > max ? coded('GRAPHQL_VALIDATION_FAILED', `Cost limit of ${max} exceeded, found ${cost}.`) : null;
  }
}

/**
 * Errors graphql-js raises before any resolver (variables that do not coerce, an unknown operation name) carry no
 * code and no path: they are the input's. Resolver errors have a path and keep their own code.
 */
function codeInputErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors || result.data !== undefined) return result;
  const errors = result.errors.map((e) =>
    e.extensions.code || e.path
      ? e
      : new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT' } }),
  );
  return { ...result, errors };
}

/** A result as sent: each error through the gateway's `formatError` (codes kept, internals hidden). */
export function formatResult(result: ExecutionResult): FormattedExecutionResult {
  if (!result.errors) return result as FormattedExecutionResult;
  return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } as FormattedExecutionResult;
}

function releasing<T>(source: AsyncIterableIterator<T>, admission: Admission): AsyncIterableIterator<T> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      try {
        const step = await source.next();
        if (step.done) admission.release();
        return step;
      } catch (error) {
        admission.release();
        throw error;
      }
    },
    async return() {
      admission.release();
      return source.return ? source.return() : { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      admission.release();
      if (source.throw) return source.throw(error);
      throw error;
    },
  };
}
