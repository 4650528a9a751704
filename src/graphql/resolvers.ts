import { DateResolver, DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.ts';
import { sessionUserAction, shownDeclineReasons } from '../model/declines.ts';
import type { Session } from '../model/session.ts';
import { subscriptionExpired, subscriptionsOnlyOverStreams } from '../subscriptions/errors.ts';
import type { FeedEvent } from '../subscriptions/feed.ts';
import { GatewayError, upstreamError } from '../upstream/errors.ts';
import { noteFreshness } from '../upstream/events.ts';
import { requireScope } from './auth.ts';
import type { GatewayContext } from './context.ts';
import { resolveSessionReference } from './federation.ts';
import { fromGlobalId, toGlobalId } from './ids.ts';
import { JSONScalar } from './jsonScalar.ts';
import { redeliverWebhook, sendTestWebhook, webhookDeliveries, webhookDeliveryResolvers } from './outbound.ts';
import { startVerification } from './start.ts';
import { feed, sessionEventResolvers, sessionEvents } from './timeline.ts';

/** The most refs one `sessions` call may ask for; each distinct one can cost an upstream call. */
export const MAX_SESSION_REFS = 50;

/** Reads a deferred detail (reference, metadata) with one extra call, only when a client selects it. */
async function detail<K extends 'reference' | 'metadata'>(session: Session, key: K, ctx: GatewayContext) {
  if (!session.detailsDeferred) return session[key];
  const details = await ctx.sessions.loadDetails(session.provider, session.providerSessionId);
  return details[key];
}

export const resolvers: Resolvers = {
  Date: DateResolver,
  DateTime: DateTimeResolver,
  JSON: JSONScalar,
  Query: {
    session: (_parent, { provider, id }, ctx) => {
      requireScope(ctx.caller, 'sessions:read');
      return ctx.sessions.load(provider, id);
    },
    sessions: (_parent, { refs }, ctx) => {
      requireScope(ctx.caller, 'sessions:read');
      if (refs.length > MAX_SESSION_REFS) {
        throw upstreamError.badInput(`sessions(refs:) takes at most ${MAX_SESSION_REFS} refs; got ${refs.length}.`);
      }
      // One promise per item: a failure nulls its own item only, with the item's index in the error path.
      return refs.map((ref) => ctx.sessions.load(ref.provider, ref.id));
    },
    node: (_parent, { id }, ctx) => {
      requireScope(ctx.caller, 'sessions:read');
      const ref = fromGlobalId(id);
      if (!ref) throw new GatewayError('BAD_USER_INPUT', 'Malformed node id: pass an id from a Node.id field.');
      return ctx.sessions.load(ref.provider, ref.id);
    },
    providers: (_parent, _args, ctx) => {
      noteFreshness(null); // health changes from one moment to the next: never reuse an answer that shows it
      return ctx.registry.info();
    },
    sessionEvents: feed,
    webhookDeliveries,
  },
  Mutation: { redeliverWebhook, sendTestWebhook, startVerification },
  Subscription: {
    sessionUpdated: {
      subscribe: async (_parent, { provider, id, untilTerminal }, ctx) => {
        requireScope(ctx.caller, 'sessions:read');
        if (!ctx.subscriptions) throw subscriptionsOnlyOverStreams();
        return ctx.subscriptions.follow(ctx, provider, id, untilTerminal);
      },
      resolve: (event: FeedEvent) => {
        if (event.kind === 'expired') throw subscriptionExpired();
        if (event.kind === 'unavailable') throw event.error;
        return event.session;
      },
    },
  },
  Node: {
    __resolveType: () => 'Session',
  },
  Session: {
    __resolveReference: resolveSessionReference,
    id: (session) => toGlobalId({ provider: session.provider, id: session.providerSessionId }),
    reference: (session, _args, ctx) => detail(session, 'reference', ctx),
    metadata: (session, _args, ctx) => detail(session, 'metadata', ctx),
    events: sessionEvents,
    declineReasons: (session) => shownDeclineReasons(session),
    userAction: (session) => sessionUserAction(session),
  },
  SessionEvent: sessionEventResolvers,
  WebhookDelivery: webhookDeliveryResolvers,
};
