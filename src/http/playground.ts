import { type PlaygroundOptions, servePlayground } from '../playground/index.ts';
import type { Route } from './route.ts';

/** GraphiQL at /playground, and at /graphql for a browser; before authentication, as the page carries no data. */
export function playgroundRoute(options: PlaygroundOptions): Route {
  return (req, res, url) => servePlayground(req, res, url, options);
}
