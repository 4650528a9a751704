/**
 * What the playground page and the gateway say to each other (GET /playground/config.json). Types only, so the
 * browser bundle and the server share them without either importing the other's code.
 */

/** One prefilled GraphiQL tab: an operation and its variables (JSON text). */
export interface ExampleOperation {
  /** The operation's name; GraphiQL titles the tab with it. */
  name: string;
  query: string;
  variables: string | null;
}

/** The page's settings: it has no inline script, so they come as JSON. */
export interface PlaygroundConfig {
  /** Where operations are sent. */
  endpoint: string;
  /** JSON text of the request headers every tab starts with; null when the caller must paste a key. */
  headers: string | null;
  tabs: ExampleOperation[];
}
