import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import {
  createHandler,
  type OperationResult,
  type Request as SseRequest,
  TOKEN_HEADER_KEY,
  TOKEN_QUERY_KEY,
} from 'graphql-sse';
import type { Authenticator, Caller } from '../graphql/auth.ts';
import type { GatewayContext } from '../graphql/context.ts';
import { SessionLoader } from '../graphql/loaders.ts';
import { formatResult, type SubscriptionOperations } from '../subscriptions/operation.ts';
import type { Admission, SubscriptionService } from '../subscriptions/service.ts';
import { forbidStorage } from './cacheHeaders.ts';
import { readBody, requestIdOf, writeErrors } from './respond.ts';
import type { Route } from './route.ts';

export interface SubscriptionStreamDeps {
  service: SubscriptionService;
  operations: SubscriptionOperations;
  authenticator: Authenticator;
  maxBodyBytes: number;
}

/** The SSE route and what shutdown needs of it. */
export interface SubscriptionStreams {
  route: Route;
  /** Ends every open stream without `complete`, which graphql-sse clients take as a network error and retry. */
  endAll(): void;
  readonly open: number;
}

/** graphql-sse wants an open record as its context type. */
type StreamContext = GatewayContext & Record<PropertyKey, unknown>;

interface Raw {
  req: IncomingMessage;
  caller: Caller;
}

/**
 * GraphQL over SSE (graphql-sse, distinct-connections mode) on /graphql for `Accept: text/event-stream`: what Hive
 * Gateway uses towards subgraphs and what `fetch`-only clients can read. Authenticated like queries (the
 * `Authorization` header), the body capped like queries, every operation through `SubscriptionOperations`.
 * The single-connection mode (a PUT reserves a stream, then requests carry its token) is not offered: a reservation
 * lives in one replica's memory, and the requests that use it may reach another. It is refused with a coded error.
 */
export function subscriptionStreams(deps: SubscriptionStreamDeps): SubscriptionStreams {
  const { service, operations } = deps;
  const admissions = new WeakMap<GatewayContext, Admission>();
  const open = new Set<ServerResponse>();
  const handler = createHandler<Raw, undefined, StreamContext>({
    // Validated, with the gateway's own rules, in `onSubscribe`.
    validate: () => [],
    onSubscribe: (req, params) => {
      const { caller } = req.raw;
      const context: StreamContext = {
        requestId: requestIdOf(req.raw.req),
        caller,
        registry: service.registry,
        sessions: new SessionLoader(service.registry, service.store, caller),
        subscriptions: service,
      };
      // A refusal is sent as the stream's one event (graphql-sse recognises a result by its `data` key).
      const prepared = operations.prepare(params, context);
      if (Array.isArray(prepared)) return { data: undefined, errors: prepared };
      const admission = service.admit(caller.name, 'sse');
      if (admission instanceof GraphQLError) return { data: undefined, errors: [admission] };
      admissions.set(context, admission);
      return { ...prepared, contextValue: context };
    },
    subscribe: (args: ExecutionArgs): OperationResult => {
      const admission = admissions.get(args.contextValue as GatewayContext);
      if (!admission) throw new Error('subscription without an admission');
      return operations.run(args, admission) as OperationResult;
    },
    // Formatted errors are plain objects; graphql-sse serialises whatever it is given.
    onNext: (_ctx, _req, result) => formatResult(result as ExecutionResult) as ExecutionResult,
  });

  const stream = async (req: IncomingMessage, res: ServerResponse): Promise<true> => {
    forbidStorage(res);
    if (service.closing) {
      writeErrors(res, 503, 'SHUTTING_DOWN', 'This gateway is shutting down; subscribe again.');
      return true;
    }
    let caller: Caller;
    try {
      caller = await deps.authenticator.authenticate(req.headers.authorization);
    } catch (error) {
      const e = error as GraphQLError;
      const status = (e.extensions.http as { status?: number } | undefined)?.status ?? 401;
      if (status === 401) res.setHeader('www-authenticate', 'Bearer');
      writeErrors(res, status, String(e.extensions.code ?? 'UNAUTHENTICATED'), e.message);
      return true;
    }
    const body = req.method === 'POST' ? await readBody(req, deps.maxBodyBytes) : '';
    if (body === null) {
      res.setHeader('connection', 'close');
      writeErrors(res, 413, 'BAD_REQUEST', `The request body is larger than ${deps.maxBodyBytes} bytes.`);
      return true;
    }
    const [result, init] = await handler(sseRequest(req, { req, caller }, body));
    // graphql-sse says `no-cache`, which still lets a cache store the stream: session data is `no-store` everywhere.
    res.writeHead(init.status ?? 200, {
      ...(init.headers as Record<string, string>),
      'cache-control': 'private, no-store',
    });
    if (!result || typeof result === 'string') {
      res.end(result ?? undefined);
      return true;
    }
    await pipeEvents(result, res, open);
    return true;
  };
  // Declines synchronously (no promise) for every request that is not a stream.
  const route: Route = (req, res, url) => {
    if (url.pathname !== '/graphql') return false;
    if (usesSingleConnection(req, url)) return refuseSingleConnection(req, res);
    return wantsEventStream(req) ? stream(req, res) : false;
  };

  return {
    route,
    endAll: () => {
      for (const res of open) res.end();
    },
    get open() {
      return open.size;
    },
  };
}

/** The request as graphql-sse's handler reads it; `accept` normalised, as it compares the header exactly. */
function sseRequest(req: IncomingMessage, raw: Raw, body: string): SseRequest<Raw, undefined> {
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/graphql',
    headers: {
      get: (key: string) => {
        if (key.toLowerCase() === 'accept') return 'text/event-stream';
        const value = req.headers[key.toLowerCase()];
        return Array.isArray(value) ? value.join('\n') : (value ?? null);
      },
    },
    body,
    raw,
    context: undefined,
  };
}

/** Writes the event stream until it ends or the client goes; the operation's iterator is returned either way. */
async function pipeEvents(events: AsyncIterableIterator<string>, res: ServerResponse, open: Set<ServerResponse>) {
  open.add(res);
  const stop = () => void events.return?.();
  res.once('close', stop);
  try {
    for await (const event of events) {
      if (!res.writable) break;
      await new Promise<void>((resolve) => res.write(event, () => resolve()));
    }
  } finally {
    res.off('close', stop);
    open.delete(res);
    if (!res.writableEnded) res.end();
  }
}

/** graphql-sse's single-connection mode: the PUT that reserves a stream, or a request naming a reserved stream. */
function usesSingleConnection(req: IncomingMessage, url: URL): boolean {
  if (req.method === 'PUT' || req.headers[TOKEN_HEADER_KEY] !== undefined) return true;
  return url.searchParams.has(TOKEN_QUERY_KEY) && wantsEventStream(req);
}

/** 405 for the reservation (only GET and POST are served), 400 for a request carrying a stream's token. */
function refuseSingleConnection(req: IncomingMessage, res: ServerResponse): true {
  forbidStorage(res);
  if (req.method === 'PUT') res.setHeader('allow', 'GET, POST');
  writeErrors(
    res,
    req.method === 'PUT' ? 405 : 400,
    'SSE_SINGLE_CONNECTION_NOT_SUPPORTED',
    'GraphQL over SSE is served in distinct connections mode only: subscribe with a POST (or GET) to /graphql and ' +
      '`Accept: text/event-stream`, one request per subscription (graphql-sse: `singleConnection: false`).',
  );
  return true;
}

function wantsEventStream(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'POST') return false;
  const accept = req.headers.accept;
  // Most requests name no event stream at all: no need to split their Accept.
  if (accept === undefined || !/text\/event-stream/i.test(accept)) return false;
  // urql lists text/event-stream after the JSON types for every query: only a client that prefers it gets a stream.
  const types = accept.split(',').map((t) => t.split(';')[0]?.trim().toLowerCase());
  const stream = types.indexOf('text/event-stream');
  const json = types.findIndex((t) => t === 'application/json' || t === 'application/graphql-response+json');
  return stream !== -1 && (json === -1 || stream < json);
}
