import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import type { Provider } from '../../model/session.ts';
import type { OperationOutcome } from '../../observability/metrics.ts';
import { currentOperationScope, type OperationScope } from '../../upstream/events.ts';

/** What the Apollo side learns about one operation, kept beside its upstream tallies until the response is sent. */
export interface OperationRecord {
  operationName: string | null;
  operationType: string | null;
  /** `extensions.code` of every error in the response, in order, without repeats. */
  errorCodes: string[];
  /** Automatic persisted query: `hit` (sent by hash), `registered` (hash and text), or null. */
  apq: 'hit' | 'registered' | null;
}

const records = new WeakMap<OperationScope, OperationRecord>();
/** Letters, digits and underscores only, capped: safe to log whatever a client sent. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

/** The record of the operation `scope` belongs to (one per /graphql request). */
export function operationRecord(scope: OperationScope): OperationRecord {
  let record = records.get(scope);
  if (!record) {
    record = { operationName: null, operationType: null, errorCodes: [], apq: null };
    records.set(scope, record);
  }
  return record;
}

function addCodes(record: OperationRecord, errors: readonly GraphQLFormattedError[] | undefined): void {
  for (const error of errors ?? []) {
    const code = error.extensions?.code;
    if (typeof code === 'string' && !record.errorCodes.includes(code)) record.errorCodes.push(code);
  }
}

/** Fills the operation's record: its name and type once resolved, the codes of the errors it answers with. */
export const operationRecordPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    const scope = currentOperationScope();
    if (!scope) return;
    const record = operationRecord(scope);
    return {
      // The name the client sent, so a refused operation is named too; only a well-formed GraphQL name is kept.
      async didResolveSource({ request }) {
        const name = request.operationName;
        if (typeof name === 'string' && GRAPHQL_NAME.test(name)) record.operationName = name;
      },
      async didResolveOperation({ operation, operationName }) {
        if (operationName && GRAPHQL_NAME.test(operationName)) record.operationName = operationName;
        record.operationType = operation?.operation ?? null;
      },
      async willSendResponse({ response, metrics }) {
        record.apq = metrics.persistedQueryHit ? 'hit' : metrics.persistedQueryRegister ? 'registered' : null;
        if (response.body.kind === 'single') addCodes(record, response.body.singleResult.errors);
        else addCodes(record, response.body.initialResult.errors);
      },
    };
  },
};

/** Reads the error codes of a response Apollo (or the HTTP layer) answered without running the plugin hooks. */
export function recordCodesFromBody(record: OperationRecord, body: string): void {
  if (record.errorCodes.length > 0) return;
  try {
    const parsed = JSON.parse(body) as { errors?: GraphQLFormattedError[] };
    if (Array.isArray(parsed.errors)) addCodes(record, parsed.errors);
  } catch {
    // Not JSON: nothing to read.
  }
}

export interface OperationSummary {
  requestId: string;
  caller: string | null;
  status: number;
  durationMs: number;
  operationName: string | null;
  operationType: string | null;
  outcome: OperationOutcome;
  errorCodes: string[];
  upstreamCalls: Partial<Record<Provider, number>>;
  cacheHits: number;
  /** The whole answer was a reused one (ResponseCache). */
  responseCache: boolean;
  stale: number;
  apq: 'hit' | 'registered' | null;
}

/** Everything the log line and the metrics say about one finished /graphql request. */
export function summarizeOperation(input: {
  requestId: string;
  caller: string | null;
  status: number;
  durationMs: number;
  scope: OperationScope;
}): OperationSummary {
  const record = operationRecord(input.scope);
  const outcome: OperationOutcome =
    input.status >= 500 ? 'failed' : input.status >= 400 ? 'rejected' : record.errorCodes.length > 0 ? 'errors' : 'ok';
  return {
    requestId: input.requestId,
    caller: input.caller,
    status: input.status,
    durationMs: Math.round(input.durationMs * 10) / 10,
    operationName: record.operationName,
    operationType: record.operationType,
    outcome,
    errorCodes: record.errorCodes,
    upstreamCalls: { ...input.scope.upstreamCalls },
    cacheHits: input.scope.cacheHits,
    responseCache: input.scope.responseCacheHit,
    stale: input.scope.stale.length,
    apq: record.apq,
  };
}

/**
 * The one log line per operation. Ids of the request and names of the operation and the caller's key, counts,
 * codes and timing: never the document, the variables, a session id, a token or a response value.
 */
export function logOperation(log: Logger, summary: OperationSummary): void {
  const line = {
    requestId: summary.requestId,
    operation: summary.operationName,
    operationType: summary.operationType,
    caller: summary.caller,
    status: summary.status,
    outcome: summary.outcome,
    durationMs: summary.durationMs,
    upstreamCalls: summary.upstreamCalls,
    cacheHits: summary.cacheHits,
    responseCache: summary.responseCache,
    stale: summary.stale,
    errorCodes: summary.errorCodes,
    apq: summary.apq,
  };
  if (summary.outcome === 'failed') log.warn(line, 'graphql operation');
  else log.info(line, 'graphql operation');
}
