import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { announcesBody } from './requestBodies.ts';

/**
 * Caps open connections without letting unproven ones lock real clients out. Node's `maxConnections` alone drops
 * the *newest* connection once the cap is reached, so a few thousand sockets that never finish a request
 * (slow-loris, or a body trickled in) would refuse every real client until they time out. Here, at the cap, the
 * *oldest* unproven connection is closed to make room: one that has not sent a whole request head yet, or whose
 * request body is still incomplete (whether or not it was answered already). A connection is proven while a request
 * it sent whole is served, and while it idles after one. Node's own `maxConnections` stays as the hard limit a little
 * above, so file descriptors can never run out.
 */
export function guardConnections(server: Server, maxConnections: number): void {
  // Insertion-ordered, oldest first: sockets without a whole request head, and sockets whose body was incomplete.
  const unproven = new Set<Socket>();
  // The request whose body a socket in `unproven` owes: once it is complete, the socket is proven (checked lazily).
  const owing = new WeakMap<Socket, IncomingMessage>();
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
      // Its body arrived whole since: proven, not a candidate.
      if (owing.get(oldest)?.complete) continue;
      evictedSockets.add(oldest);
      evicted += 1;
      oldest.destroy();
    }
  });
  server.on('request', (req: IncomingMessage) => {
    const { socket } = req;
    unproven.delete(socket);
    if (req.complete || !announcesBody(req)) return;
    // A body still to come: a candidate again, as the newest, until it is complete.
    owing.set(socket, req);
    unproven.add(socket);
  });
  // A WebSocket upgrade (subscriptions) is a complete request too.
  server.on('upgrade', (req) => unproven.delete(req.socket));
}
