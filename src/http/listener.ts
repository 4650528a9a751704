import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerConfig } from '../config/index.ts';
import { guardConnections } from './connections.ts';
import { enforceBodyRate } from './requestBodies.ts';

/**
 * A client must send its headers within 10 s and its whole request within HTTP_REQUEST_TIMEOUT_SECONDS (slow-loris),
 * its body at HTTP_BODY_MIN_BYTES_PER_SECOND at least (see enforceBodyRate); responses may take as long as the
 * upstream deadline needs. Node enforces both timeouts only when it sweeps its connections, every
 * `connectionsCheckingInterval` (30 s by default), so the sweep runs every second to make the 10 s true.
 */
function timeouts(config: ServerConfig) {
  const requestTimeout = config.requestTimeoutMs;
  return { headersTimeout: Math.min(10_000, requestTimeout), requestTimeout, connectionsCheckingInterval: 1_000 };
}

export interface Listener {
  readonly server: Server;
  /** The address actually bound, e.g. `127.0.0.1:4000` or `[::]:4000`. */
  readonly address: string;
  readonly port: number;
  /** Stops accepting, closes connections as their responses finish, and all of them after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
}

export async function listen(
  config: ServerConfig,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<Listener> {
  const server = createServer(timeouts(config), handler);
  guardConnections(server, config.maxConnections);
  enforceBodyRate(server, config.bodyMinBytesPerSecond);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return { server, address: `${host}:${bound.port}`, port: bound.port, drain: (ms) => drain(server, ms) };
}

async function drain(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections go idle as their in-flight responses finish: close them as they do.
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearInterval(sweep);
  clearTimeout(force);
}
