import type { IncomingMessage } from 'node:http';
import {
  CloseCode,
  type ConnectionInitMessage,
  handleProtocols,
  MessageType,
  makeServer,
  type ServerOptions,
  stringifyMessage,
} from 'graphql-ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { logger } from '../logger.ts';

/** What graphql-ws's hooks find in `ctx.extra`, as with graphql-ws's own `use/ws` adapter. */
export interface SocketExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

export interface SocketBounds {
  /**
   * The largest message before `connection_ack`, bytes. 16 KiB: what an HTTP request may carry in its headers
   * (Node's limit), so a `connection_init` with any token the HTTP path accepts fits.
   */
  maxPayloadBeforeAck: number;
  /** The largest message once acknowledged, bytes: a `subscribe` is a request body (GRAPHQL_MAX_BODY_BYTES). */
  maxPayload: number;
  /** A socket with more than this waiting to be sent is terminated: its peer is not reading. 1 MiB. */
  maxBufferedBytes: number;
  /** Protocol ping interval; a peer that has not answered the previous ping by the next is terminated, ms. */
  keepAliveMs: number;
  /** On shutdown, how long a socket has to finish its close handshake before it is terminated. 1 s. */
  closeGraceMs: number;
}

export const DEFAULT_SOCKET_BOUNDS = {
  maxPayloadBeforeAck: 16 * 1024,
  maxBufferedBytes: 1024 * 1024,
  closeGraceMs: 1_000,
} satisfies Partial<SocketBounds>;

/** A pong never carries the ping's payload: echoing it let a peer make the gateway hold whatever it sent. */
const PONG = stringifyMessage({ type: MessageType.Pong });

export interface SocketTransport {
  readonly wss: WebSocketServer;
  /** Closes every socket with 1001, terminates those still open after `closeGraceMs`, resolves when all are gone. */
  dispose(): Promise<void>;
}

/**
 * graphql-ws's protocol (`makeServer`) on a `ws` server, in place of graphql-ws's `use/ws` adapter, which echoed
 * every ping's payload before `connection_init`, queued without bound for a peer that never reads, and on dispose
 * waited out ws's 30 s close handshake for a dead peer. Here a socket may send `maxPayloadBeforeAck` until its
 * `connection_ack`, pongs are empty, a socket whose unsent bytes pass `maxBufferedBytes` is terminated, and
 * dispose terminates what has not closed within `closeGraceMs`.
 */
export function serveGraphQLOverWebSocket<E extends Record<PropertyKey, unknown>>(
  options: ServerOptions<ConnectionInitMessage['payload'], SocketExtra & Partial<E>>,
  bounds: SocketBounds,
): SocketTransport {
  const wss = new WebSocketServer({ noServer: true, maxPayload: bounds.maxPayloadBeforeAck, handleProtocols });
  const server = makeServer<ConnectionInitMessage['payload'], SocketExtra & Partial<E>>({
    ...options,
    onConnect: async (ctx) => {
      const permitted = await options.onConnect?.(ctx);
      if (permitted !== false) allowPayload(ctx.extra.socket, bounds.maxPayload);
      return permitted;
    },
  });

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    // ws emits a socket's errors (a frame over maxPayload, invalid UTF-8) after closing it with the right code.
    socket.on('error', () => {});
    const send = (data: string) =>
      new Promise<void>((resolve, reject) => {
        if (socket.readyState !== socket.OPEN) return resolve();
        if (socket.bufferedAmount + Buffer.byteLength(data) > bounds.maxBufferedBytes) {
          // No close frame could reach a peer that does not read: the socket goes at once.
          logger.warn({ bufferedBytes: socket.bufferedAmount }, 'websocket: peer not reading; connection terminated');
          socket.terminate();
          return resolve();
        }
        socket.send(data, (error) => (error && socket.readyState === socket.OPEN ? reject(error) : resolve()));
      });
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send,
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', (data) => {
            handle(String(data)).catch((error: unknown) => {
              logger.error(
                { err: error instanceof Error ? error.message : String(error) },
                'websocket: message failed',
              );
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            });
          }),
        onPing: () => send(PONG),
      },
      { socket, request } as SocketExtra & Partial<E>,
    );
    const stopKeepAlive = keepAlive(socket, bounds.keepAliveMs);
    socket.once('close', (code, reason) => {
      stopKeepAlive();
      void closed(code, String(reason));
    });
  });

  return {
    wss,
    dispose: async () => {
      for (const socket of wss.clients) socket.close(1001, 'Going away');
      const gone = new Promise<void>((resolve) => wss.close(() => resolve()));
      // A peer that never answers the close handshake would hold shutdown for ws's 30 s.
      const grace = setTimeout(() => {
        for (const socket of wss.clients) socket.terminate();
      }, bounds.closeGraceMs);
      await gone;
      clearTimeout(grace);
    },
  };
}

/** Protocol pings; a peer that has not answered one by the next is terminated. */
function keepAlive(socket: WebSocket, intervalMs: number): () => void {
  let answered = true;
  socket.on('pong', () => {
    answered = true;
  });
  const timer = setInterval(() => {
    if (!answered) return socket.terminate();
    answered = false;
    socket.ping();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Raises the largest message `socket` accepts. ws fixes it per server, so this sets the field its receiver checks
 * (ws 8); `test/subscriptions.ws.e2e.test.ts` sends a subscribe larger than the first limit after the ack.
 */
function allowPayload(socket: WebSocket, bytes: number): void {
  const receiver = (socket as unknown as { _receiver?: { _maxPayload?: number } })._receiver;
  if (receiver && typeof receiver._maxPayload === 'number') receiver._maxPayload = bytes;
}
