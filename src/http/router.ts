import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger } from '../logger.ts';
import { RequestBodyAborted, requestIdOf, writeErrors } from './respond.ts';
import type { Route } from './route.ts';

/**
 * The listener's one handler: a request id on every answer, `connection: close` while draining, then the first
 * route that takes the request; 404 when none does. A route that throws is answered 500 (or its socket destroyed
 * when the answer has begun), never left hanging; one whose request body stopped short is simply let go.
 */
export function router(routes: readonly Route[], draining: () => boolean) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (draining()) res.setHeader('connection', 'close');
    route(routes, req, res).catch((error: unknown) => {
      // Its connection is gone or going (the client left, or the listener cut off a too-slow body): nothing to answer.
      if (error instanceof RequestBodyAborted) return void res.destroy();
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'request handler failed');
      if (!res.headersSent) writeErrors(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      else res.destroy();
    });
  };
}

async function route(routes: readonly Route[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('x-request-id', requestIdOf(req));
  const url = new URL(req.url ?? '/', 'http://gateway.local');
  for (const r of routes) {
    // Most routes decline synchronously: only a promise is awaited (each await is a turn of the microtask queue).
    const answered = r(req, res, url);
    if (answered === true || (answered !== false && (await answered))) return;
  }
  writeErrors(res, 404, 'NOT_FOUND', 'Not found. GraphQL is served at /graphql.');
}
