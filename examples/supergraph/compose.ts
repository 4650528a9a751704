import { composeServices, compositionHasErrors } from '@theguild/federation-composition';
import { parse } from 'graphql';

/** One subgraph as composition sees it: its name, where the router reaches it, its SDL (`_service { sdl }`). */
export interface SubgraphDefinition {
  name: string;
  url: string;
  sdl: string;
}

/** Thrown with every composition error, so a schema change that breaks the supergraph says exactly how. */
export class CompositionError extends Error {
  readonly errors: readonly string[];
  constructor(errors: readonly string[]) {
    super(`The supergraph does not compose:\n${errors.map((e) => `  - ${e}`).join('\n')}`);
    this.name = 'CompositionError';
    this.errors = errors;
  }
}

/** What composition yields: the supergraph a router serves, and the API its clients see. */
export interface Supergraph {
  supergraphSdl: string;
  publicSdl: string;
}

/** The subgraphs composed by The Guild's Federation composition (MIT); throws a CompositionError on any error. */
export function composeSupergraph(subgraphs: readonly SubgraphDefinition[]): Supergraph {
  const result = composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
  if (compositionHasErrors(result)) throw new CompositionError(result.errors.map((e) => e.message));
  return { supergraphSdl: result.supergraphSdl, publicSdl: result.publicSdl };
}

/** Verigate's subgraph SDL, read the way a router or `rover subgraph introspect` reads it (a `router` key). */
export async function fetchSubgraphSdl(url: string, routerKey: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${routerKey}` },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = (await response.json()) as { data?: { _service?: { sdl?: string } }; errors?: unknown[] };
  const sdl = body.data?._service?.sdl;
  if (!sdl) throw new Error(`No subgraph SDL from ${url}: ${JSON.stringify(body.errors ?? body)}`);
  return sdl;
}
