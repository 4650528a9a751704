import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { BodyRateGuard } from '../upstream/bodyRate.ts';
import { writeErrors } from './respond.ts';

/** Time after a request head before its body's rate is judged, ms: a small body simply has to be done by then. */
export const BODY_GRACE_MS = 5_000;

/** After a 408, how long the connection still reads (and drops) what arrives, so the client reads the answer. */
const LINGER_MS = 1_000;

/** True when the request announces a body (a length above 0, or chunks). */
export function announcesBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) !== 0);
}

/**
 * Request bodies must keep up `bytesPerSecond` on average once `BODY_GRACE_MS` has passed since their head: a body
 * that trickles in would otherwise hold its connection for the whole request timeout, and a few hundred of them
 * fill HTTP_MAX_CONNECTIONS. Counted from the socket's bytes, so it holds for a body nobody reads (a refused request
 * whose body Node discards after the answer) as well as for one a route is reading. 0 turns it off.
 */
export function enforceBodyRate(server: Server, bytesPerSecond: number): void {
  if (bytesPerSecond <= 0) return;
  const floor = { graceMs: BODY_GRACE_MS, bytesPerSecond };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.complete || !announcesBody(req)) return;
    const { socket } = req;
    const start = socket.bytesRead;
    const bytesSoFar = () => socket.bytesRead - start;
    const guard = new BodyRateGuard({ destroy: () => cutOff(req, res, bytesPerSecond) }, floor, undefined, bytesSoFar);
    req.once('close', () => guard.stop());
  });
}

/** Answers 408 when nothing was answered yet, then closes the connection; nothing when the body came whole. */
function cutOff(req: IncomingMessage, res: ServerResponse, bytesPerSecond: number): void {
  if (req.complete) return;
  const { socket } = req;
  if (res.headersSent) {
    socket.destroy();
    return;
  }
  res.setHeader('connection', 'close');
  const message = `The request body arrived slower than ${bytesPerSecond} bytes a second.`;
  writeErrors(res, 408, 'BAD_REQUEST', message);
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
