import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CLIENT_ERROR_CODES } from '../errorCodes.ts';
import { logger } from '../logger.ts';

/** The refusal of an introspection query where introspection is off (production, `GRAPHQL_INTROSPECTION=false`). */
export const INTROSPECTION_DISABLED = 'GraphQL introspection is disabled on this gateway.';

/** Strips everything but message, locations, path and the public extensions. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  // Apollo's own request errors without a code (a persisted-query hash that does not match its text, an unknown
  // persisted-query version) carry a 4xx status: the client's mistake, said as it is.
  const status = error instanceof GraphQLError ? (error.extensions.http as { status?: number } | undefined)?.status : 0;
  if (code === 'INTERNAL_SERVER_ERROR' && status !== undefined && status >= 400 && status < 500) {
    return { message: formatted.message, extensions: { code: 'BAD_REQUEST' } };
  }
  if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) {
    const { http: _http, stacktrace: _stack, exception: _exception, ...extensions } = formatted.extensions ?? {};
    // Apollo's own wording tells clients to "pass introspection: true to ApolloServer": not a knob they have.
    const message =
      extensions.validationErrorCode === 'INTROSPECTION_DISABLED' ? INTROSPECTION_DISABLED : formatted.message;
    return { ...formatted, message, extensions };
  }
  logger.error(
    { err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
    'internal error',
  );
  return {
    message: 'Internal server error.',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
