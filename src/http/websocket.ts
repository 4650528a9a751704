import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ExecutionArgs, type ExecutionResult, GraphQLError } from 'graphql';
import type { OperationResult } from 'graphql-ws';
import { useServer as serveGraphQLWs } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Authenticator, Caller } from '../graphql/auth.ts';
import type { GatewayContext } from '../graphql/context.ts';
import { formatError } from '../graphql/formatError.ts';
import { SessionLoader } from '../graphql/loaders.ts';
import { subscriptionError } from '../subscriptions/errors.ts';
import { formatResult, type SubscriptionOperations } from '../subscriptions/operation.ts';
import type { Admission, SubscriptionService } from '../subscriptions/service.ts';
import { requestIdOf } from './respond.ts';

export interface SubscriptionSocketDeps {
  server: Server;
  service: SubscriptionService;
  operations: SubscriptionOperations;
  authenticator: Authenticator;
  /** The largest message a client may send, bytes (as a request body). */
  maxPayloadBytes: number;
}

export interface SubscriptionSockets {
  /** Closes every connection with 1001 (clients reconnect, to another replica) and stops accepting upgrades. */
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
 * per-credential limits; the server pings every heartbeat and drops a peer that missed the last one.
 */
export function subscriptionSockets(deps: SubscriptionSocketDeps): SubscriptionSockets {
  const { service, operations, config } = { ...deps, config: deps.service.config };
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayloadBytes });
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

  const disposable = serveGraphQLWs<Record<string, unknown>, { connection: Connection }>(
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
    wss,
    config.heartbeatMs,
  );

  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://gateway.local').pathname;
    if (path !== '/graphql' || service.closing) {
      const status = path !== '/graphql' ? '404 Not Found' : '503 Service Unavailable';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  deps.server.on('upgrade', upgrade);

  return {
    close: async () => {
      deps.server.off('upgrade', upgrade);
      await disposable.dispose();
    },
    get open() {
      return wss.clients.size;
    },
  };
}
