import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import type { BrowserConfig } from '../config/index.ts';
import type { Authenticator, Caller } from '../graphql/auth.ts';
import type { GatewayContext } from '../graphql/context.ts';
import { formatError } from '../graphql/formatError.ts';
import { SessionLoader } from '../graphql/loaders.ts';
import { logger } from '../logger.ts';
import { subscriptionError } from '../subscriptions/errors.ts';
import { formatResult, type SubscriptionOperations } from '../subscriptions/operation.ts';
import type { Admission, SubscriptionService } from '../subscriptions/service.ts';
import { mayOpenWebSocket } from './cors.ts';
import { requestIdOf } from './respond.ts';
import { DEFAULT_SOCKET_BOUNDS, serveGraphQLOverWebSocket } from './websocketTransport.ts';

export interface SubscriptionSocketDeps {
  server: Server;
  service: SubscriptionService;
  operations: SubscriptionOperations;
  authenticator: Authenticator;
  /** The origins whose pages may connect (CORS_ORIGINS): browsers apply no CORS to WebSockets. */
  browser: BrowserConfig;
  /** The largest message an acknowledged client may send, bytes (as a request body). */
  maxPayloadBytes: number;
}

export interface SubscriptionSockets {
  /**
   * Closes every connection with 1001 (clients reconnect, to another replica) and stops accepting upgrades; a peer
   * that has not finished its close handshake a second later is terminated.
   */
  close(): Promise<void>;
  readonly open: number;
}

/** What one connection keeps between messages. */
interface Connection {
  caller?: Caller;
  active: number;
  idle?: NodeJS.Timeout;
}

/** The context graphql-ws hands to every hook: ours is in `extra.connection`. */
interface HookContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { socket: { close(code: number, reason: string): void }; request: IncomingMessage; connection?: Connection };
}

/**
 * GraphQL over WebSocket (graphql-ws, `graphql-transport-ws`) on /graphql: what Apollo Client's GraphQLWsLink,
 * urql's subscriptionExchange and GraphiQL speak. The credential is `connectionParams.authorization`
 * ("Bearer <key or token>"), checked at `connection_init`: closed 4401 without a valid one, 4403 without the
 * `sessions:read` scope. Each `subscribe` goes through `SubscriptionOperations`, under the per-connection and
 * per-credential limits; the server pings every heartbeat and drops a peer that missed the last one. An upgrade
 * from a page on an origin CORS would refuse is refused (403); `websocketTransport.ts` bounds what a peer may send
 * before and after its `connection_ack` and what may wait to be sent to it.
 */
export function subscriptionSockets(deps: SubscriptionSocketDeps): SubscriptionSockets {
  const { service, operations, config } = { ...deps, config: deps.service.config };
  const admissions = new WeakMap<object, Admission>();
  const connectionOf = (ctx: HookContext): Connection => {
    ctx.extra.connection ??= { active: 0 };
    return ctx.extra.connection;
  };
  const idleTimer = (ctx: HookContext, connection: Connection) => {
    clearTimeout(connection.idle);
    if (connection.active > 0) return;
    connection.idle = setTimeout(() => ctx.extra.socket.close(1000, 'Idle'), config.idleMs);
    connection.idle.unref();
  };

  const transport = serveGraphQLOverWebSocket<{ connection: Connection }>(
    {
      // A client has 3 s to say who it is once connected.
      connectionInitWaitTimeout: 3_000,
      onConnect: async (ctx) => {
        const hook = ctx as unknown as HookContext;
        const connection = connectionOf(hook);
        // GraphiQL's fetcher sends its headers as the params (`Authorization`): the name is matched in any case.
        const params = ctx.connectionParams ?? {};
        const authorization = Object.entries(params).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
        try {
          connection.caller = await deps.authenticator.authenticate(
            typeof authorization === 'string' ? authorization : undefined,
          );
        } catch (error) {
          const status = ((error as GraphQLError).extensions?.http as { status?: number } | undefined)?.status;
          // A token that cannot be verified right now (JWKS down) is worth a retry: 1013 Try Again Later.
          if (status === 503) hook.extra.socket.close(1013, 'Try again later');
          else hook.extra.socket.close(4401, 'Unauthorized');
          return false;
        }
        if (!connection.caller.scopes.has('sessions:read')) return false; // graphql-ws closes 4403 Forbidden
        idleTimer(hook, connection);
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        const hook = ctx as unknown as HookContext;
        const connection = connectionOf(hook);
        const caller = connection.caller as Caller;
        if (connection.active >= config.maxPerConnection) {
          return [
            subscriptionError(
              'SUBSCRIPTION_LIMIT_REACHED',
              `This connection already runs ${config.maxPerConnection} subscriptions; end one first.`,
              { limit: 'connection', max: config.maxPerConnection },
            ),
          ];
        }
        const contextValue: GatewayContext = {
          requestId: requestIdOf(hook.extra.request),
          caller,
          registry: service.registry,
          sessions: new SessionLoader(service.registry, service.store, caller),
          subscriptions: service,
        };
        const prepared = operations.prepare(payload, contextValue);
        if (Array.isArray(prepared)) return prepared;
        const admitted = service.admit(caller.name, 'ws');
        if (admitted instanceof GraphQLError) return [admitted];
        connection.active += 1;
        clearTimeout(connection.idle);
        let released = false;
        admissions.set(contextValue, {
          release: () => {
            admitted.release();
            if (released) return;
            released = true;
            connection.active -= 1;
            idleTimer(hook, connection);
          },
        });
        return prepared;
      },
      subscribe: (args: ExecutionArgs) => {
        const admission = admissions.get(args.contextValue as object);
        if (!admission) throw new Error('subscription without an admission');
        return operations.run(args, admission) as OperationResult;
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result as ExecutionResult),
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
      onClose: (ctx) => clearTimeout(connectionOf(ctx as unknown as HookContext).idle),
    },
    { ...DEFAULT_SOCKET_BOUNDS, maxPayload: deps.maxPayloadBytes, keepAliveMs: config.heartbeatMs },
  );
  const { wss } = transport;

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://gateway.local').pathname;
    if (path !== '/graphql')
      return refuseUpgrade(socket, '404 Not Found', 'NOT_FOUND', 'Not found. GraphQL is served at /graphql.');
    if (!mayOpenWebSocket(deps.browser, req.headers.origin, req.headers.host)) {
      logger.warn({ status: 403 }, 'websocket: upgrade from an origin not in CORS_ORIGINS refused');
      return refuseUpgrade(
        socket,
        '403 Forbidden',
        'FORBIDDEN',
        'Pages on this origin may not connect (CORS_ORIGINS).',
      );
    }
    if (service.closing) {
      return refuseUpgrade(socket, '503 Service Unavailable', 'SHUTTING_DOWN', 'This gateway is shutting down.');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  deps.server.on('upgrade', upgrade);

  return {
    close: async () => {
      deps.server.off('upgrade', upgrade);
      await transport.dispose();
    },
    get open() {
      return wss.clients.size;
    },
  };
}

/** Answers an upgrade that is not accepted with a plain HTTP refusal, coded like the other routes' (respond.ts). */
function refuseUpgrade(socket: Duplex, status: string, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  const head = [
    `HTTP/1.1 ${status}`,
    'connection: close',
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
