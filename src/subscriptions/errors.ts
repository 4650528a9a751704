import { GraphQLError } from 'graphql';

/** The coded refusals and endings of subscriptions (added to `formatError`'s client codes). */
export const SUBSCRIPTION_CODES = ['SUBSCRIPTION_LIMIT_REACHED', 'SUBSCRIPTION_EXPIRED', 'SHUTTING_DOWN'] as const;

export const subscriptionError = (code: string, message: string, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extensions } });

export const subscriptionExpired = () =>
  subscriptionError(
    'SUBSCRIPTION_EXPIRED',
    'This subscription reached its maximum lifetime (SUBSCRIPTION_MAX_LIFETIME_SECONDS); subscribe again.',
  );

/** `sessionUpdated` reached outside SSE and WebSocket (the HTTP route's validation normally refuses it first). */
export const subscriptionsOnlyOverStreams = () =>
  subscriptionError('BAD_REQUEST', 'Subscriptions are served over SSE or WebSocket on /graphql.');
