import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Caps open connections without letting idle ones lock real clients out. Node's `maxConnections` alone drops
 * the *newest* connection once the cap is reached, so a few thousand sockets that never finish a request
 * (slow-loris) would refuse every real client until they time out. Here, at the cap, the *oldest* connection that
 * has not yet sent a complete request head is closed to make room; a socket proves itself with its first request.
 * Node's own `maxConnections` stays as the hard limit a little above, so file descriptors can never run out.
 */
export function guardConnections(server: Server, maxConnections: number): void {
  // Insertion-ordered: the first entry is the oldest socket still waiting for its first request.
  const unproven = new Set<Socket>();
  let open = 0;
  // Destroyed here but not yet closed: no longer counted against the cap.
  let evicted = 0;
  const evictedSockets = new WeakSet<Socket>();
  server.maxConnections = maxConnections + Math.max(16, Math.ceil(maxConnections / 100));
  server.on('connection', (socket: Socket) => {
    open += 1;
    unproven.add(socket);
    socket.once('close', () => {
      open -= 1;
      if (!unproven.delete(socket) && evictedSockets.delete(socket)) evicted -= 1;
    });
    while (open - evicted > maxConnections) {
      const oldest = unproven.values().next().value;
      if (oldest === undefined || oldest === socket) break;
      unproven.delete(oldest);
      evictedSockets.add(oldest);
      evicted += 1;
      oldest.destroy();
    }
  });
  server.on('request', (req) => unproven.delete(req.socket));
  // A WebSocket upgrade (subscriptions) is a complete request too.
  server.on('upgrade', (req) => unproven.delete(req.socket));
}
