import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { RegistrationCounter } from '../../cache/registrationCounter.ts';
import type { GatewayContext } from '../context.ts';

/** The codes a client gets when a registration is refused; Apollo has none for either (README lists them). */
export const APQ_REFUSAL_CODES = ['PERSISTED_QUERY_TOO_LARGE', 'PERSISTED_QUERY_REGISTRATION_LIMITED'] as const;

export interface ApqAdmissionOptions {
  /** Largest document registered, bytes (UTF-8). */
  maxDocumentBytes: number;
  /** Registrations per credential and minute. */
  registrationsPerMinute: number;
  counter: RegistrationCounter;
}

/**
 * Admits an APQ registration (a document sent with its hash) only when the document is within the size cap and its
 * credential within its registrations per minute; a document run by its hash, or sent without one, is not a
 * registration. Runs when the operation is resolved: after every operation limit, and just before Apollo stores
 * the document (fire-and-forget, where a refusal could no longer reach the client).
 */
export function apqAdmissionPlugin(options: ApqAdmissionOptions): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ metrics, source, contextValue }) {
          if (!metrics.persistedQueryRegister) return;
          const bytes = Buffer.byteLength(source, 'utf8');
          if (bytes > options.maxDocumentBytes) throw tooLarge(bytes, options.maxDocumentBytes);
          const { caller } = contextValue;
          const counted = await options.counter.count(`${caller.via}:${caller.name}`);
          if (!counted.allowed) throw tooMany(options.registrationsPerMinute, counted.retryAfterSeconds);
        },
      };
    },
  };
}

function tooLarge(bytes: number, max: number): GraphQLError {
  return new GraphQLError(
    `Persisted queries are registered up to ${max} bytes; this document has ${bytes}. Send it without extensions.persistedQuery.`,
    { extensions: { code: 'PERSISTED_QUERY_TOO_LARGE', http: { status: 400 } } },
  );
}

function tooMany(perMinute: number, retryAfterSeconds: number): GraphQLError {
  // Apollo takes an error's response headers as a HeaderMap (other libraries type `http.headers` as a record).
  const extensions: Record<string, unknown> = {
    code: 'PERSISTED_QUERY_REGISTRATION_LIMITED',
    http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
  };
  return new GraphQLError(
    `This credential registered ${perMinute} persisted queries in the last minute, its limit. Retry later, or send the query without extensions.persistedQuery.`,
    { extensions },
  );
}
