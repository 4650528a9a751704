import { decodeCursor, encodeCursor } from '../events/cursor.ts';
import type {
  MutationResolvers,
  QueryResolvers,
  WebhookDeliveryResolvers,
  WebhookDeliveryStatus,
} from '../generated/graphql.ts';
import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import type { DeliveryStatus, Outbox } from '../outbound/outbox.ts';
import { GatewayError, upstreamError } from '../upstream/errors.ts';
import { noteFreshness } from '../upstream/events.ts';
import { requireScope } from './auth.ts';
import type { GatewayContext } from './context.ts';

/** Deliveries one page of `Query.webhookDeliveries` may hold. */
export const MAX_DELIVERIES_PAGE = 100;

/** `Query.webhookDeliveries`: the outbox, newest first, paged by insertion order. */
export const webhookDeliveries: NonNullable<QueryResolvers['webhookDeliveries']> = async (_parent, args, ctx) => {
  const outbox = admin(ctx);
  if (args.first == null || args.first < 1 || args.first > MAX_DELIVERIES_PAGE)
    throw upstreamError.badInput(`first must be between 1 and ${MAX_DELIVERIES_PAGE}; got ${args.first ?? 'null'}.`);
  const endpoint = args.endpoint == null ? null : knownEndpoint(outbox, args.endpoint);
  const beforeSeq = args.after == null ? null : decodeCursor('w', args.after);
  const status = args.status == null ? null : (args.status.toLowerCase() as DeliveryStatus);
  const rows = await read(() => outbox.list({ endpoint, status }, beforeSeq, args.first + 1));
  const page = rows.slice(0, args.first);
  const edges = page.map((node) => ({ cursor: encodeCursor('w', node.seq), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null } };
};

/** `Mutation.redeliverWebhook`: the delivery, due now with a fresh schedule; NOT_FOUND for an id never issued. */
export const redeliverWebhook: NonNullable<MutationResolvers['redeliverWebhook']> = async (_parent, { id }, ctx) => {
  const outbox = admin(ctx);
  const delivery = await read(() => outbox.redeliver(id));
  if (!delivery) throw new GatewayError('NOT_FOUND', 'No webhook delivery has this id.');
  return delivery;
};

/** `Mutation.sendTestWebhook`: a `verification.test` event queued for the endpoint. */
export const sendTestWebhook: NonNullable<MutationResolvers['sendTestWebhook']> = async (_p, { endpoint }, ctx) => {
  const outbox = admin(ctx);
  const name = knownEndpoint(outbox, endpoint);
  return read(() => outbox.enqueueTest(name));
};

export const webhookDeliveryResolvers: WebhookDeliveryResolvers = {
  status: (d) => d.status.toUpperCase() as WebhookDeliveryStatus,
  nextAttemptAt: (d) => (d.status === 'pending' ? d.nextAttemptAt : null),
  provider: (d) => d.provider as Provider | null,
};

/** Every field here needs `webhooks:admin`; answers about the outbox are never reused. */
function admin(ctx: GatewayContext): Outbox {
  requireScope(ctx.caller, 'webhooks:admin');
  noteFreshness(null);
  if (!ctx.outbox)
    throw new GatewayError('BAD_USER_INPUT', 'Outbound webhooks are served over HTTP POST and GET only.');
  return ctx.outbox;
}

function knownEndpoint(outbox: Outbox, name: string): string {
  if (outbox.endpoint(name)) return name;
  const names = outbox.endpoints.map((e) => `"${e.name}"`).join(', ');
  throw upstreamError.badInput(
    names
      ? `OUTBOUND_WEBHOOKS has no endpoint of that name; configured: ${names}.`
      : 'OUTBOUND_WEBHOOKS is not set: there is no endpoint.',
  );
}

/** An outbox read or write; a store failure is a coded error of this field, logged without ids. */
async function read<T>(query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'outbound: outbox query failed');
    throw new GatewayError('UPSTREAM_UNAVAILABLE', 'The webhook outbox cannot be reached right now; retry shortly.', {
      cause: error,
    });
  }
}
