import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface Outcome {
  /** Every `next` payload, in order. */
  events: unknown[];
  /** How the stream ended: the server completed it, or an error (a GraphQL error list, a close event, a network error). */
  end: { kind: 'complete' } | { kind: 'error'; error: unknown };
}

/** `sessionUpdated` selection used by most tests. */
export const SESSION_UPDATED = `subscription Watch($provider: Provider!, $id: String!) {
  sessionUpdated(provider: $provider, id: $id) { provider providerSessionId status isTerminal }
}`;

/** `sessionUpdated` with its `untilTerminal` argument as a variable. */
export const SESSION_FOLLOWED = `subscription Follow($provider: Provider!, $id: String!, $untilTerminal: Boolean!) {
  sessionUpdated(provider: $provider, id: $id, untilTerminal: $untilTerminal) { provider providerSessionId status isTerminal }
}`;

/** Runs one subscription over GraphQL over SSE (graphql-sse client, distinct connections) to its end. */
export function overSse(
  url: string,
  key: string | null,
  query: string,
  variables?: Record<string, unknown>,
  onEvent?: (event: unknown) => void,
): Promise<Outcome> {
  const client = createSseClient({
    url,
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    retryAttempts: 0,
  });
  return collect((sink) => client.subscribe({ query, variables }, sink), onEvent).finally(() => client.dispose());
}

/** Runs one subscription over GraphQL over WebSocket (graphql-ws client) to its end. */
export function overWs(
  url: string,
  key: string | null,
  query: string,
  variables?: Record<string, unknown>,
  onEvent?: (event: unknown) => void,
): Promise<Outcome> {
  const client = createWsClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: key === null ? {} : { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: true,
  });
  return collect((sink) => client.subscribe({ query, variables }, sink), onEvent).finally(() => client.dispose());
}

interface Sink {
  next(value: unknown): void;
  error(error: unknown): void;
  complete(): void;
}

function collect(start: (sink: Sink) => () => void, onEvent?: (event: unknown) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const events: unknown[] = [];
    start({
      next: (value) => {
        events.push(value);
        onEvent?.(value);
      },
      error: (error) => resolve({ events, end: { kind: 'error', error } }),
      complete: () => resolve({ events, end: { kind: 'complete' } }),
    });
  });
}

/** Polls `condition` every 20 ms until it holds, failing after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
