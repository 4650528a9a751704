import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type GraphQLFormattedError, print } from 'graphql';

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

  constructor(url: string, apiKey: string) {
    this.#url = url;
    this.#apiKey = apiKey;
  }

  async request<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
  ): Promise<VerigateResult<TData>> {
    let query = this.#printed.get(document);
    if (query === undefined) {
      query = print(document);
      this.#printed.set(document, query);
    }
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
