import { type CursorKind, decodeCursor, encodeCursor } from '../events/cursor.ts';
import type { SessionEvent as Entry, EventFilter, EventStore, SessionRef } from '../events/store.ts';
import type {
  QueryResolvers,
  SessionEventFilter,
  SessionEventResolvers,
  SessionResolvers,
} from '../generated/graphql.ts';
import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';
import { GatewayError, upstreamError } from '../upstream/errors.ts';
import { noteFreshness } from '../upstream/events.ts';
import { type Caller, requireScope, requireSessionAccess } from './auth.ts';

/** Entries one page of `Session.events` or `Query.sessionEvents` may hold. */
export const MAX_EVENTS_PAGE = 100;

/** `Session.events`: the session's entries, oldest first, paged by sequence. */
export const sessionEvents: NonNullable<SessionResolvers['events']> = async (session, { first, after }, ctx) => {
  requireScope(ctx.caller, 'sessions:read');
  requireSessionAccess(ctx.caller, session.provider, session.providerSessionId);
  const size = pageSize(first);
  const afterSequence = after == null ? 0 : decodeCursor('s', after);
  const ref = { provider: session.provider, id: session.providerSessionId };
  const rows = await read(ctx.sessions.events, (store) => store.sessionEvents(ref, afterSequence, size + 1));
  return connection(rows, size, 's', (e) => e.sequence);
};

/** `Query.sessionEvents`: every session's entries, newest first, paged by the store-wide id. */
export const feed: NonNullable<QueryResolvers['sessionEvents']> = async (_parent, { filter, first, after }, ctx) => {
  requireScope(ctx.caller, 'sessions:read');
  const size = pageSize(first);
  const beforeId = after == null ? null : decodeCursor('f', after);
  const rows = await read(ctx.sessions.events, (store) => store.feed(toFilter(filter, ctx.caller), beforeId, size + 1));
  return connection(rows, size, 'f', (e) => e.id);
};

export const sessionEventResolvers: SessionEventResolvers = {
  session: (event, _args, ctx) => ctx.sessions.load(event.provider, event.providerSessionId),
};

function pageSize(first: number | null | undefined): number {
  if (first == null || first < 1 || first > MAX_EVENTS_PAGE) {
    throw upstreamError.badInput(`first must be between 1 and ${MAX_EVENTS_PAGE}; got ${first ?? 'null'}.`);
  }
  return first;
}

/** The store's filter: the client's, narrowed to the caller's own sessions when its credential is bound to them. */
function toFilter(filter: SessionEventFilter | null | undefined, caller: Caller): EventFilter {
  return {
    provider: filter?.provider ?? null,
    status: filter?.status ?? null,
    since: instant(filter?.since),
    until: instant(filter?.until),
    sessions: caller.sessions ? [...caller.sessions].map(refOf) : null,
  };
}

/** DateTime arrives as a Date (graphql-scalars) or an ISO string: stored entries compare in ISO-8601 UTC. */
function instant(value: unknown): string | null {
  if (value == null) return null;
  return new Date(value as string | Date).toISOString();
}

/** `PROVIDER:id`, as a token's `sessions` claim lists it (src/graphql/auth.ts). */
function refOf(key: string): SessionRef {
  const at = key.indexOf(':');
  return { provider: key.slice(0, at) as Provider, id: key.slice(at + 1) };
}

/** A timeline read: its own data, never reused as a cached answer; a store failure is a coded error of this field. */
async function read(store: EventStore | null, query: (store: EventStore) => Promise<Entry[]>) {
  noteFreshness(null); // entries are appended at any moment: an answer that shows them is not reused whole
  if (!store) return [];
  try {
    return await query(store);
  } catch (error) {
    logger.warn(
      { engine: store.engine, err: error instanceof Error ? error.message : String(error) },
      'timeline: read failed',
    );
    throw new GatewayError('UPSTREAM_UNAVAILABLE', 'The session timeline cannot be read right now; retry shortly.', {
      cause: error,
    });
  }
}

/** A Relay page from `size + 1` rows: the extra row only says there is a next page. */
function connection(rows: Entry[], size: number, kind: CursorKind, position: (e: Entry) => number) {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ cursor: encodeCursor(kind, position(node)), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null } };
}
