import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer, HTTPGraphQLResponse } from '@apollo/server';
import type { Authenticator, Caller } from '../graphql/auth.ts';
import type { GatewayContext } from '../graphql/context.ts';
import { SessionLoader } from '../graphql/loaders.ts';
import { TOO_DEEPLY_NESTED, tooDeeplyNested } from '../graphql/nesting.ts';
import {
  logOperation,
  type OperationRecord,
  operationRecord,
  recordCodesFromBody,
  summarizeOperation,
} from '../graphql/plugins/operationLog.ts';
import type { TrustedDocumentList } from '../graphql/plugins/trustedDocuments.ts';
import { ResponseCache } from '../graphql/responseCache.ts';
import { operationLogger } from '../logger.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { withOperationSpan } from '../observability/tracing.ts';
import type { Outbox } from '../outbound/outbox.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { SessionStore } from '../sessions/store.ts';
import type { StartService } from '../start/service.ts';
import type { GatewayError } from '../upstream/errors.ts';
import { newOperationScope, type OperationScope, runInOperationScope } from '../upstream/events.ts';
import { forbidStorage } from './cacheHeaders.ts';
import { sendCompressible } from './compression.ts';
import { readGraphQLRequest } from './graphqlRequest.ts';
import { requestIdOf, writeErrors } from './respond.ts';
import type { Route } from './route.ts';

export interface GraphQLRouteDeps {
  apollo: ApolloServer<GatewayContext>;
  authenticator: Authenticator;
  trusted: TrustedDocumentList | null;
  responses: ResponseCache;
  registry: ProviderRegistry;
  store: SessionStore;
  metrics: GatewayMetrics;
  /** Outbound webhook deliveries, for `webhookDeliveries` and the mutations. */
  outbox: Outbox;
  /** `startVerification`. */
  starts: StartService;
  maxBodyBytes: number;
}

type Reject = (status: number, code: string, message: string) => void;

/** POST and GET /graphql: authenticate, read, admit, answer; one log line, one span and one metric per request. */
export function graphqlRoute(deps: GraphQLRouteDeps): Route {
  return async (req, res, url) => {
    if (url.pathname !== '/graphql') return false;
    await serveOperation(deps, req, res, url);
    return true;
  };
}

async function serveOperation(deps: GraphQLRouteDeps, req: IncomingMessage, res: ServerResponse, url: URL) {
  const started = performance.now();
  const requestId = String(res.getHeader('x-request-id') ?? requestIdOf(req));
  // One scope per operation: upstream calls, cache hits and the Apollo side's findings, for its one log line.
  const scope = newOperationScope();
  const record = operationRecord(scope);
  const reject: Reject = (status, code, message) => {
    record.errorCodes.push(code);
    writeErrors(res, status, code, message);
  };
  // Before anything can answer, refusals included: no cache may keep any of it.
  forbidStorage(res);
  const finished = deps.metrics.requestStarted();
  let callerName: string | null = null;
  let failed = false;
  try {
    await withOperationSpan(req.headers, async () => {
      const caller = await authenticate(deps.authenticator, req, res, reject);
      if (caller) {
        callerName = caller.name;
        scope.credential = caller.name;
        await answer(deps, { req, res, url, requestId, caller, scope, record, reject });
      }
      return { status: res.statusCode, errorCodes: record.errorCodes };
    });
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    finished();
    const durationMs = performance.now() - started;
    const status = failed ? 500 : res.statusCode;
    const summary = summarizeOperation({ requestId, caller: callerName, status, durationMs, scope });
    logOperation(operationLogger, summary);
    deps.metrics.observeOperation(summary.operationType, summary.outcome, durationMs / 1000, summary.errorCodes);
  }
}

/** The caller, or null once the refusal is answered: 401, or 503 when a token cannot be verified right now. */
async function authenticate(
  authenticator: Authenticator,
  req: IncomingMessage,
  res: ServerResponse,
  reject: Reject,
): Promise<Caller | null> {
  try {
    return await authenticator.authenticate(req.headers.authorization);
  } catch (error) {
    const e = error as GatewayError;
    const status = (e.extensions.http as { status?: number } | undefined)?.status ?? 401;
    if (status === 401) res.setHeader('www-authenticate', 'Bearer');
    reject(status, e.code, e.message);
    return null;
  }
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  requestId: string;
  caller: Caller;
  scope: OperationScope;
  record: OperationRecord;
  reject: Reject;
}

async function answer(deps: GraphQLRouteDeps, x: Exchange): Promise<void> {
  const read = await readGraphQLRequest(x.req, x.url, deps.maxBodyBytes);
  if (!read.ok) {
    if (read.closeConnection && !x.res.headersSent) x.res.setHeader('connection', 'close');
    return x.reject(read.status, read.code, read.message);
  }
  let request = read.request;
  // A document nested deeper than the parser's stack is refused before Apollo parses it.
  const text = queryText(request.body, x.url);
  if (text !== null && tooDeeplyNested(text)) return x.reject(400, 'GRAPHQL_PARSE_FAILED', TOO_DEEPLY_NESTED);
  if (deps.trusted) {
    // Trusted-documents mode: an operation not in the manifest is refused before Apollo parses anything (unless a
    // router's own credential sends it: see TrustedDocumentList.admit).
    const admission = deps.trusted.admit(request, x.caller);
    if (!admission.admitted) return x.reject(400, admission.code, admission.message);
    request = admission.request;
  }
  // An identical operation from the same credential, answered from fresh sessions only, is answered again as is.
  // Checked here: after authentication, the body checks and trusted-document admission.
  const cacheKey =
    deps.responses.enabled && x.req.method === 'POST' && typeof request.body === 'object'
      ? ResponseCache.keyOf(x.req.headers.authorization, x.req.headers.accept, read.rawBody)
      : null;
  if (cacheKey && (await replay(deps.responses, cacheKey, x))) return;
  // A session change during the operation (a webhook) makes its answer unfit for reuse: see ResponseCache.set.
  const generation = deps.responses.generation;
  // Everything the operation does upstream (calls, cache hits, stale copies) is tallied in its own scope.
  const result = await runInOperationScope(x.scope, () =>
    deps.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: request,
      context: async () => ({
        requestId: x.requestId,
        caller: x.caller,
        registry: deps.registry,
        sessions: new SessionLoader(deps.registry, deps.store, x.caller),
        outbox: deps.outbox,
        starts: deps.starts,
      }),
    }),
  );
  await writeResult(deps.responses, cacheKey, result, x, generation);
}

/** The document of a POST body or a GET query string, when there is one. */
function queryText(body: unknown, url: URL): string | null {
  const query = typeof body === 'object' && body !== null ? (body as { query?: unknown }).query : undefined;
  if (typeof query === 'string') return query;
  return url.searchParams.get('query');
}

/** Answers from the response cache; false when there is nothing fresh to answer with. */
async function replay(responses: ResponseCache, cacheKey: string, x: Exchange): Promise<boolean> {
  const reused = responses.get(cacheKey);
  if (!reused) return false;
  x.scope.responseCacheHit = true;
  x.record.operationName = reused.operationName;
  x.record.operationType = reused.operationType;
  x.res.statusCode = 200;
  x.res.setHeader('content-type', reused.contentType);
  await sendCompressible(x.req, x.res, reused.body);
  return true;
}

async function writeResult(
  responses: ResponseCache,
  cacheKey: string | null,
  result: HTTPGraphQLResponse,
  x: Exchange,
  generation: number,
): Promise<void> {
  const { res, record, scope } = x;
  // Apollo's own hint on persisted-query misses (`no-cache`) is not copied: the `no-store` set on arrival stands.
  for (const [key, value] of result.headers) if (key !== 'cache-control') res.setHeader(key, value);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'chunked') {
    for await (const chunk of result.body.asyncIterator) res.write(chunk);
    res.end();
    return;
  }
  // Responses Apollo refused before its plugins ran (batching, CSRF, unknown persisted ids) carry their codes here.
  if (res.statusCode >= 400) recordCodesFromBody(record, result.body.string);
  await sendCompressible(x.req, res, result.body.string);
  const reusable =
    cacheKey !== null &&
    res.statusCode === 200 &&
    record.errorCodes.length === 0 &&
    !scope.uncacheable &&
    scope.stale.length === 0 &&
    Number.isFinite(scope.freshUntil);
  if (!reusable) return;
  const contentType = String(res.getHeader('content-type') ?? 'application/json; charset=utf-8');
  const { operationName, operationType } = record;
  const response = { body: result.body.string, contentType, operationName, operationType };
  responses.set(cacheKey, response, scope.freshUntil, generation);
}
