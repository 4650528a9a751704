import { createHash } from 'node:crypto';
import type { HTTPGraphQLRequest } from '@apollo/server';
import { type GraphQLSchema, parse, validate } from 'graphql';
import type { TrustedDocuments } from '../../config/index.ts';
import type { Caller } from '../auth.ts';
import { ROUTER_SCOPE } from '../federation.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

type Refusal = { admitted: false; code: 'PERSISTED_QUERY_NOT_FOUND' | 'PERSISTED_QUERY_NOT_IN_LIST'; message: string };
export type Admission = { admitted: true; request: HTTPGraphQLRequest } | Refusal;

const notInList: Refusal = {
  admitted: false,
  code: 'PERSISTED_QUERY_NOT_IN_LIST',
  message: 'This gateway runs trusted operations only; send the id of one from its manifest.',
};
const unknownId: Refusal = {
  admitted: false,
  code: 'PERSISTED_QUERY_NOT_FOUND',
  message: 'No trusted operation has this id.',
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Trusted documents: with a manifest configured, the gateway runs the manifest's operations and nothing else,
 * which is how a mobile app locks the API down to the queries it ships with. A client sends an operation's id the
 * way Apollo Client's persisted-query link does (`extensions.persistedQuery.sha256Hash`, by POST or GET), or the
 * full text of a listed operation. An unknown id is `PERSISTED_QUERY_NOT_FOUND`, anything else
 * `PERSISTED_QUERY_NOT_IN_LIST`, both answered before Apollo parses a byte. Every document of the manifest is
 * validated against the schema when the gateway starts.
 */
export class TrustedDocumentList {
  readonly #byId: ReadonlyMap<string, string>;
  readonly #byText: ReadonlySet<string>;

  constructor(schema: GraphQLSchema, manifest: TrustedDocuments) {
    this.#byId = manifest.operations;
    this.#byText = new Set([...manifest.operations.values()].map(sha256));
    for (const [id, body] of manifest.operations) {
      const errors = validate(schema, parse(body));
      if (errors.length > 0) {
        throw new Error(`Trusted document ${id} in ${manifest.path} does not validate: ${errors[0]?.message}`);
      }
    }
  }

  /**
   * The request to run (with the manifest's text for an id), or why it is refused. A caller with the `router` scope
   * (a federation router's own credential) may also send operations outside the manifest: a router plans its own
   * (`_entities`, `_service`, root fields), which no app's manifest lists; the allow-list then belongs at the router.
   * They still pass every validation rule and limit (queries only, depth, aliases, root fields, cost).
   */
  admit(request: HTTPGraphQLRequest, caller?: Caller): Admission {
    const admission = this.#admitListed(request);
    if (!admission.admitted && admission.code === 'PERSISTED_QUERY_NOT_IN_LIST' && caller?.scopes.has(ROUTER_SCOPE)) {
      return { admitted: true, request };
    }
    return admission;
  }

  #admitListed(request: HTTPGraphQLRequest): Admission {
    if (request.method === 'GET') return this.#admitGet(request);
    if (!isObject(request.body)) return notInList;
    const { query, extensions } = request.body;
    const resolved = this.#resolve(query, extensions);
    if (!resolved.admitted) return resolved;
    const { extensions: _given, ...body } = request.body;
    const { query: text, extensions: kept } = resolved.fields;
    return {
      admitted: true,
      request: { ...request, body: { ...body, query: text, ...(kept === undefined ? {} : { extensions: kept }) } },
    };
  }

  #admitGet(request: HTTPGraphQLRequest): Admission {
    const params = new URLSearchParams(request.search);
    let extensions: unknown;
    try {
      extensions = params.has('extensions') ? JSON.parse(params.get('extensions') ?? '') : undefined;
    } catch {
      return notInList;
    }
    const resolved = this.#resolve(params.get('query') ?? undefined, extensions);
    if (!resolved.admitted) return resolved;
    params.set('query', resolved.fields.query);
    if (resolved.fields.extensions === undefined) params.delete('extensions');
    else params.set('extensions', JSON.stringify(resolved.fields.extensions));
    return { admitted: true, request: { ...request, search: `?${params}` } };
  }

  #resolve(
    query: unknown,
    extensions: unknown,
  ): { admitted: true; fields: { query: string; extensions: unknown } } | Refusal {
    const { persistedQuery, ...rest } = isObject(extensions) ? extensions : {};
    const others = isObject(extensions) ? rest : extensions;
    if (persistedQuery !== undefined) {
      const id = isObject(persistedQuery) ? persistedQuery.sha256Hash : undefined;
      const body = typeof id === 'string' ? this.#byId.get(id) : undefined;
      if (body === undefined) return unknownId;
      // The manifest's text is what runs, whatever text came along; Apollo's own APQ never sees the id.
      return { admitted: true, fields: { query: body, extensions: others } };
    }
    if (typeof query === 'string' && this.#byText.has(sha256(query))) {
      return { admitted: true, fields: { query, extensions: others } };
    }
    return notInList;
  }
}
