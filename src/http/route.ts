import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One HTTP route: answers the request and returns true, or returns false so the next route is tried.
 * `url` is the parsed request URL (path and query only).
 */
export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => boolean | Promise<boolean>;
