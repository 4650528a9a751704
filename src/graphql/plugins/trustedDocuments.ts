import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';
import type { TrustedDocuments } from '../../config/index.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const refuse = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * Trusted documents: with a manifest configured, the gateway runs the manifest's operations and nothing else,
 * which is how a mobile app locks the API down to the queries it ships with. A client sends an operation's id
 * the way Apollo Client's persisted-query link does (`extensions.persistedQuery.sha256Hash`), or the full text
 * of a listed operation; an unknown id is `PERSISTED_QUERY_NOT_FOUND`, any other text `PERSISTED_QUERY_NOT_IN_LIST`,
 * both before parsing. Every document in the manifest is checked against the schema at start.
 */
export function trustedDocumentsPlugin(schema: GraphQLSchema, manifest: TrustedDocuments): ApolloServerPlugin {
  const byId = manifest.operations;
  const byText = new Set([...byId.values()].map(sha256));
  for (const [id, body] of byId) {
    const errors = validate(schema, parse(body));
    if (errors.length > 0) {
      throw new Error(`Trusted document ${id} in ${manifest.path} does not validate: ${errors[0]?.message}`);
    }
  }
  return {
    async requestDidStart({ request }) {
      const { persistedQuery, ...extensions } = request.extensions ?? {};
      const id = (persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      if (typeof id === 'string') {
        const body = byId.get(id);
        if (body === undefined) throw refuse('PERSISTED_QUERY_NOT_FOUND', 'No trusted operation has this id.');
        // The manifest's text is what runs, whatever text came along; Apollo's own APQ never sees the id.
        request.query = body;
        request.extensions = extensions;
        return;
      }
      if (persistedQuery !== undefined) throw refuse('PERSISTED_QUERY_NOT_FOUND', 'Send a trusted operation id.');
      if (typeof request.query !== 'string' || !byText.has(sha256(request.query))) {
        throw refuse(
          'PERSISTED_QUERY_NOT_IN_LIST',
          'This gateway runs trusted operations only; send the id of one from its manifest.',
        );
      }
    },
  };
}
