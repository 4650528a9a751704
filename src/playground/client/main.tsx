/**
 * The playground page: GraphiQL from npm, bundled by scripts/build-playground.ts. It reads its settings (example
 * tabs, development key) from /playground/config.json, because the page's CSP allows no inline script.
 */
import './workers.ts';
import 'graphiql/style.css';
import './playground.css';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { type DocumentNode, parse } from 'graphql';
import { createClient } from 'graphql-ws';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { PlaygroundConfig } from '../protocol.ts';

/** The names of the operations `query` defines (operation names are plain identifiers). */
function operationNames(query: string): string[] {
  return [...query.matchAll(/\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/g)].map((m) => m[1] ?? '');
}

/**
 * The operation to run: the one GraphiQL names when the document defines it, else the document's only one. The
 * toolkit's fetcher sends an operation over WebSocket only when it finds a subscription by that name, so a missing
 * name would send a subscription over HTTP.
 */
function operationToRun(query: string, given: string | undefined | null): string | undefined {
  const names = operationNames(query);
  if (given && names.includes(given)) return given;
  return names.length === 1 ? names[0] : undefined;
}

/** The document being sent, parsed; undefined when it does not parse (the server will say why). */
function parsed(query: string): DocumentNode | undefined {
  try {
    return parse(query);
  } catch {
    return undefined;
  }
}

/**
 * Sends the starting headers (the development key) under whatever the headers editor says, matching names
 * without regard to case, so tabs restored from storage, which keep no headers, still authenticate.
 * GraphiQL learns a tab's operation name a moment after the tab is opened; a run in between would send the
 * previous tab's name, which the document does not define, so the document's own operation is named instead.
 */
function fetcherWithDefaults(config: PlaygroundConfig): Fetcher {
  const defaults: Record<string, string> = config.headers ? JSON.parse(config.headers) : {};
  const fetcherFor = fetchersByHeaders(config.endpoint);
  return (params, opts) => {
    const given: Record<string, string> = opts?.headers ?? {};
    const names = new Set(Object.keys(given).map((name) => name.toLowerCase()));
    const headers = { ...given };
    for (const [name, value] of Object.entries(defaults)) if (!names.has(name.toLowerCase())) headers[name] = value;
    const operationName = operationToRun(params.query, params.operationName);
    // The toolkit picks WebSocket from `documentAST`, which GraphiQL parses from the editor after a debounce: on a
    // busy machine a run can come before it, and a subscription would go over HTTP. Parse what is being sent.
    const documentAST = parsed(params.query) ?? opts?.documentAST;
    return fetcherFor(headers)({ ...params, operationName }, { ...opts, headers, documentAST });
  };
}

/**
 * One GraphiQL fetcher per set of headers: queries by HTTP, subscriptions over GraphQL over WebSocket to the same
 * endpoint with the headers as connection params (checked at connection_init), so a key pasted into the headers
 * editor opens a connection of its own. The graphql-ws client is made here, bundled, rather than by the toolkit,
 * whose dynamic import of graphql-ws a browser cannot resolve.
 */
function fetchersByHeaders(endpoint: string): (headers: Record<string, string>) => Fetcher {
  const url = new URL(endpoint, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const fetchers = new Map<string, Fetcher>();
  return (headers) => {
    const key = JSON.stringify(headers);
    let fetcher = fetchers.get(key);
    if (!fetcher) {
      const wsClient = createClient({ url: url.href, connectionParams: headers, lazy: true });
      fetcher = createGraphiQLFetcher({ url: endpoint, wsClient });
      fetchers.set(key, fetcher);
    }
    return fetcher;
  };
}

async function start(root: HTMLElement): Promise<void> {
  const response = await fetch('/playground/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET /playground/config.json answered ${response.status}`);
  const config = (await response.json()) as PlaygroundConfig;
  const headers = config.headers ?? '{\n  "Authorization": "Bearer <your Verigate API key>"\n}';
  createRoot(root).render(
    <StrictMode>
      <GraphiQL
        fetcher={fetcherWithDefaults(config)}
        defaultTabs={config.tabs.map((tab) => ({
          query: tab.query,
          variables: tab.variables ?? undefined,
          headers,
        }))}
        defaultHeaders={headers}
        defaultEditorToolsVisibility="variables"
      >
        <GraphiQL.Logo>Verigate</GraphiQL.Logo>
      </GraphiQL>
    </StrictMode>,
  );
}

const root = document.getElementById('playground');
if (root) {
  start(root).catch((error: unknown) => {
    const message = document.createElement('p');
    message.className = 'failed';
    message.textContent = `The playground could not start: ${error instanceof Error ? error.message : String(error)}`;
    root.replaceChildren(message);
  });
}
