import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { closeRedis, createRedis } from './cache/redisClient.ts';
import type { ApiKeyConfig, Config } from './config/index.ts';
import { Authenticator, type Caller } from './graphql/auth.ts';
import type { GatewayContext } from './graphql/context.ts';
import { SessionLoader } from './graphql/loaders.ts';
import { operationLimits } from './graphql/plugins/limits.ts';
import {
  logOperation,
  operationRecord,
  operationRecordPlugin,
  recordCodesFromBody,
  summarizeOperation,
} from './graphql/plugins/operationLog.ts';
import { persistedQueries } from './graphql/plugins/persistedQueries.ts';
import { operationSpanPlugin } from './graphql/plugins/tracing.ts';
import { TrustedDocumentList } from './graphql/plugins/trustedDocuments.ts';
import { ResponseCache } from './graphql/responseCache.ts';
import { buildSchema } from './graphql/schema.ts';
import { staleExtensionPlugin } from './graphql/staleExtension.ts';
import { logger } from './logger.ts';
import { GatewayMetrics, serveMetrics } from './observability/metrics.ts';
import { startTracing, withOperationSpan } from './observability/tracing.ts';
import { servePlayground } from './playground/index.ts';
import { ProviderRegistry, type RegistryOptions } from './providers/index.ts';
import { SessionStore, type SessionStoreOptions } from './sessions/store.ts';
import type { GatewayError } from './upstream/errors.ts';
import { newOperationScope, runInOperationScope } from './upstream/events.ts';

/** Error codes whose messages are written for clients; anything else is reported as an internal error. */
const CLIENT_CODES = new Set([
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'UPSTREAM_AUTH_FAILED',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_IN_LIST',
]);

export interface GatewayOptions extends RegistryOptions {
  /** Session store tuning that is not public configuration (the benchmark turns in-flight dedup off). */
  store?: SessionStoreOptions;
}

export interface Gateway {
  readonly url: string;
  readonly port: number;
  readonly registry: ProviderRegistry;
  /** The generated development key, when no GATEWAY_API_KEYS were configured. */
  readonly devKey: string | null;
  /** Stops accepting, lets in-flight requests finish, then closes upstream pools and simulators. */
  close(): Promise<void>;
}

/** Strips everything but message, locations, path and the public extensions. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  // Apollo's own request errors without a code (a persisted-query hash that does not match its text, an unknown
  // persisted-query version) carry a 4xx status: the client's mistake, said as it is.
  const status = error instanceof GraphQLError ? (error.extensions.http as { status?: number } | undefined)?.status : 0;
  if (code === 'INTERNAL_SERVER_ERROR' && status !== undefined && status >= 400 && status < 500) {
    return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
  }
  if (typeof code === 'string' && CLIENT_CODES.has(code)) {
    const { http: _http, stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  logger.error(
    { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
    'internal error',
  );
  return {
    message: 'Internal server error.',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function devKeys(config: Config): { keys: ApiKeyConfig[]; devKey: string | null } {
  if (config.apiKeys) return { keys: config.apiKeys, devKey: null };
  const devKey = `vg_dev_${randomBytes(18).toString('base64url')}`;
  return { keys: [{ name: 'development', key: devKey, scopes: ['sessions:read', 'pii:read'] }], devKey };
}

export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  // The schema and everything checked against it first: a bad trusted-documents manifest stops the start here.
  const schema = buildSchema();
  const { limits, introspection, trustedDocuments } = config.graphql;
  const limitsPlugins = operationLimits(schema, limits);
  const trusted = trustedDocuments ? new TrustedDocumentList(schema, trustedDocuments) : null;
  const registry = await ProviderRegistry.start(config, options);
  // The gateway's one Redis connection, shared by the session cache and persisted queries.
  const redis = config.redisUrl ? createRedis(config.redisUrl) : null;
  const store = SessionStore.create(config, registry, { ...options.store, redis });
  const responses = new ResponseCache();
  const { keys, devKey } = devKeys(config);
  const authenticator = new Authenticator(keys, config.jwt);
  const metrics = new GatewayMetrics(() => registry.info());
  const tracing = startTracing(config.telemetry);
  const apollo = new ApolloServer<GatewayContext>({
    schema,
    includeStacktraceInErrorResponses: false,
    introspection,
    // "Did you mean …?" hints leak the schema as much as introspection does.
    hideSchemaDetailsFromClientErrors: !introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    persistedQueries: persistedQueries(config.graphql, trustedDocuments ? null : redis),
    parseOptions: limitsPlugins.parseOptions,
    validationRules: limitsPlugins.validationRules,
    // main.ts owns SIGTERM/SIGINT: it drains HTTP first, then stops Apollo and the upstream pools.
    stopOnTerminationSignals: false,
    plugins: [
      // Apollo's cache-control plugin computes cache hints for every field of every response; Verigate caches
      // sessions itself and sends no HTTP cache headers, so it is pure cost (1.5 % of CPU in the profile).
      ApolloServerPluginCacheControlDisabled(),
      ...limitsPlugins.plugins,
      operationRecordPlugin,
      operationSpanPlugin,
      staleExtensionPlugin,
    ],
    formatError,
  });
  await apollo.start();

  let draining = false;
  // A client must send its headers within 10 s and its whole request within 30 s (slow-loris); responses may take
  // as long as the upstream deadline needs.
  const server: Server = createServer({ headersTimeout: 10_000, requestTimeout: 30_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'request handler failed');
      if (!res.headersSent) writeErrors(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    if (draining) res.setHeader('connection', 'close');
    const url = new URL(req.url ?? '/', 'http://gateway.local');

    if (url.pathname === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      return writeJson(res, 200, { status: 'ok' });
    }
    if (url.pathname === '/readyz' && (req.method === 'GET' || req.method === 'HEAD')) {
      return draining
        ? writeJson(res, 503, { status: 'draining' })
        : writeJson(res, 200, { status: 'ready', providers: registry.info() });
    }
    if (url.pathname === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      return serveMetrics(req, res, metrics, config.telemetry.metricsToken);
    }
    // GraphiQL: /playground, and /graphql for a browser; before authentication, as the page carries no data.
    if (config.playground.enabled && servePlayground(req, res, url, { devKey, sandboxed: registry.sandboxed() }))
      return;
    if (url.pathname !== '/graphql')
      return writeErrors(res, 404, 'NOT_FOUND', 'Not found. GraphQL is served at /graphql.');

    // One scope per operation: upstream calls, cache hits and the Apollo side's findings, for its one log line.
    const scope = newOperationScope();
    const record = operationRecord(scope);
    const reject = (status: number, code: string, message: string) => {
      record.errorCodes.push(code);
      writeErrors(res, status, code, message);
    };
    const finished = metrics.requestStarted();
    let callerName: string | null = null;
    let failed = false;
    try {
      await withOperationSpan(req.headers, async () => {
        const caller = await authenticate(req, res, reject);
        if (caller) {
          callerName = caller.name;
          await serveGraphQL(req, res, url, requestId, caller, scope, reject);
        }
        return { status: res.statusCode, errorCodes: record.errorCodes };
      });
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      finished();
      const summary = summarizeOperation({
        requestId,
        caller: callerName,
        status: failed ? 500 : res.statusCode,
        durationMs: performance.now() - started,
        scope,
      });
      logOperation(logger, summary);
      metrics.observeOperation(summary.operationType, summary.outcome, summary.durationMs / 1000, summary.errorCodes);
    }
  }

  /** The caller, or null once the refusal is answered: 401, or 503 when a token cannot be verified right now. */
  async function authenticate(
    req: IncomingMessage,
    res: ServerResponse,
    reject: (status: number, code: string, message: string) => void,
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

  async function serveGraphQL(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestId: string,
    caller: Caller,
    scope: ReturnType<typeof newOperationScope>,
    reject: (status: number, code: string, message: string) => void,
  ): Promise<void> {
    const body = await readBody(req, limits.maxBodyBytes);
    if (body === null) {
      // The rest of the body is not read: this connection cannot carry another request.
      res.setHeader('connection', 'close');
      return reject(413, 'BAD_REQUEST', `The request body is larger than ${limits.maxBodyBytes} bytes.`);
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let parsedBody: unknown = body;
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
      // Bodies are read as UTF-8 (GraphQL over HTTP): one labelled otherwise would be misread.
      return reject(415, 'BAD_REQUEST', 'Send the request body as UTF-8.');
    }
    if (req.method === 'POST' && isJson(req.headers['content-type'])) {
      try {
        parsedBody = body.length === 0 ? undefined : JSON.parse(body);
      } catch {
        return reject(400, 'BAD_REQUEST', 'The request body is not valid JSON.');
      }
    }
    let httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: url.search,
      body: parsedBody,
    };
    if (trusted) {
      // Trusted-documents mode: an operation not in the manifest is refused before Apollo parses anything.
      const admission = trusted.admit(httpGraphQLRequest);
      if (!admission.admitted) return reject(400, admission.code, admission.message);
      httpGraphQLRequest = admission.request;
    }
    // An identical operation from the same credential, answered from fresh sessions only, is answered again as is.
    // Checked here: after authentication, the body checks and trusted-document admission.
    const cacheKey =
      req.method === 'POST' && typeof parsedBody === 'object'
        ? ResponseCache.keyOf(req.headers.authorization, req.headers.accept, body)
        : null;
    const record = operationRecord(scope);
    const reused = cacheKey ? responses.get(cacheKey) : undefined;
    if (reused) {
      scope.responseCacheHit = true;
      record.operationName = reused.operationName;
      record.operationType = reused.operationType;
      res.writeHead(200, { 'content-type': reused.contentType, 'content-length': Buffer.byteLength(reused.body) });
      res.end(reused.body);
      return;
    }
    // Everything the operation does upstream (calls, cache hits, stale copies) is tallied in its own scope.
    const result = await runInOperationScope(scope, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: async () => ({
          requestId,
          caller,
          registry,
          sessions: new SessionLoader(registry, store, caller),
        }),
      }),
    );
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      // Responses Apollo refused before its plugins ran (batching, CSRF, unknown persisted ids) carry their codes here.
      if (res.statusCode >= 400) recordCodesFromBody(record, result.body.string);
      res.end(result.body.string);
      const reusable =
        cacheKey !== null &&
        res.statusCode === 200 &&
        record.errorCodes.length === 0 &&
        !scope.uncacheable &&
        scope.stale.length === 0 &&
        Number.isFinite(scope.freshUntil);
      if (reusable) {
        const contentType = String(res.getHeader('content-type') ?? 'application/json; charset=utf-8');
        responses.set(
          cacheKey,
          {
            body: result.body.string,
            contentType,
            operationName: record.operationName,
            operationType: record.operationType,
          },
          scope.freshUntil,
        );
      }
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections go idle as their in-flight responses finish: close them as they do.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      const force = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearInterval(sweep);
      clearTimeout(force);
      await apollo.stop();
      await store.close();
      if (redis) await closeRedis(redis);
      await registry.close();
      metrics.close();
      await tracing?.close();
    })();
    return closing;
  };

  return { url: `http://127.0.0.1:${port}/graphql`, port, registry, devKey, close };
}

function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(.+\+)?json\b/i.test(contentType.trim());
}

/** Reads the body up to `max` bytes; null when it is larger (the rest is not read). */
async function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      req.resume();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
}

function writeErrors(res: ServerResponse, status: number, code: string, message: string): void {
  writeJson(res, status, { errors: [{ message, extensions: { code } }] });
}
