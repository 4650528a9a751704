import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type GraphQLFormattedError, print } from 'graphql';
import { type Client, createClient } from 'graphql-sse';

/** A GraphQL response: data and errors can come together (one provider down costs only its own fields). */
export interface VerigateResult<TData> {
  data?: TData | null;
  errors?: ReadonlyArray<GraphQLFormattedError & { extensions?: { code?: string; provider?: string } }>;
}

/**
 * The few lines a frontend needs to call Verigate with generated documents: the document's type decides the
 * variables it accepts and the data it returns, so a renamed field or a missing variable fails to compile.
 */
export class VerigateClient {
  readonly #url: string;
  readonly #apiKey: string;
  readonly #printed = new WeakMap<object, string>();
  #streams: Client | null = null;

  constructor(url: string, apiKey: string) {
    this.#url = url;
    this.#apiKey = apiKey;
  }

  /**
   * A subscription's events, typed by its document, over GraphQL over SSE (plain `fetch`, as a mobile app has):
   * `for await` each event; the loop ends when Verigate completes the stream (after a final status), and leaving
   * it early ends the subscription.
   */
  subscribe<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
  ): AsyncIterableIterator<VerigateResult<TData>> {
    this.#streams ??= createClient({ url: this.#url, headers: { authorization: `Bearer ${this.#apiKey}` } });
    const query = this.#print(document);
    return this.#streams.iterate({ query, variables: variables as Record<string, unknown> | undefined });
  }

  /** Ends open subscriptions. */
  close(): void {
    this.#streams?.dispose();
    this.#streams = null;
  }

  #print(document: object): string {
    let query = this.#printed.get(document);
    if (query === undefined) {
      query = print(document as Parameters<typeof print>[0]);
      this.#printed.set(document, query);
    }
    return query;
  }

  async request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
  ): Promise<VerigateResult<TData>> {
    const query = this.#print(document);
    const response = await fetch(this.#url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.#apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    // Verigate answers JSON with coded errors even for 401 and 400; anything else is not Verigate.
    if (!response.headers.get('content-type')?.includes('json')) {
      throw new Error(`Verigate answered ${response.status} ${response.statusText} without JSON`);
    }
    return (await response.json()) as VerigateResult<TData>;
  }
}
