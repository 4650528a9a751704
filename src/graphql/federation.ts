import { type GraphQLFieldResolver, type GraphQLSchema, isUnionType } from 'graphql';
import { z } from 'zod';
import type { Scope } from '../config/index.ts';
import type { SessionResolvers } from '../generated/graphql.ts';
import { PROVIDERS, type Session } from '../model/session.ts';
import { GatewayError, upstreamError } from '../upstream/errors.ts';
import { requireScope } from './auth.ts';
import type { GatewayContext } from './context.ts';
import { fromGlobalId, type SessionRef } from './ids.ts';

/**
 * Verigate as an Apollo Federation v2 subgraph: `Session` is an entity a router fetches through `_entities` by
 * either of its keys, `id` (the Relay global id) or `provider providerSessionId` (what other teams store).
 * Everything goes through the per-request `SessionLoader`, so an entity is read exactly like `session(...)`.
 */

/** The most representations one `_entities` call may carry: as many as `sessions(refs:)` takes. */
export const MAX_ENTITY_REPRESENTATIONS = 50;

/** The scope a router's own credential carries: `_service { sdl }`, and operations outside trusted documents. */
export const ROUTER_SCOPE: Scope = 'router';

/** A `Session` representation as the Federation spec sends it: `__typename` plus the fields of one key. */
const sessionReference = z.union([
  z.object({ id: z.string().max(512) }),
  z.object({ provider: z.enum(PROVIDERS), providerSessionId: z.string().max(300) }),
]);

function sessionRefOf(reference: unknown): SessionRef | null {
  const parsed = sessionReference.safeParse(reference);
  if (!parsed.success) return null;
  const key = parsed.data;
  return 'id' in key ? fromGlobalId(key.id) : { provider: key.provider, id: key.providerSessionId };
}

/**
 * `Session.__resolveReference`. Async on purpose: a refused or failing entity rejects its own promise, so it is
 * null with its own error (FORBIDDEN for a session a token does not name) and the other entities are unaffected.
 */
export const resolveSessionReference: NonNullable<SessionResolvers['__resolveReference']> = async (
  reference,
  ctx,
): Promise<Session> => {
  requireScope(ctx.caller, 'sessions:read');
  const ref = sessionRefOf(reference);
  if (!ref) {
    throw new GatewayError(
      'BAD_USER_INPUT',
      'Malformed Session representation: send an `id` from Session.id, or a `provider` and `providerSessionId`.',
    );
  }
  return ctx.sessions.load(ref.provider, ref.id);
};

/** The members of `_Entity` (`Session`): the only types a representation's `__typename` may name. */
function entityTypeNames(schema: GraphQLSchema): string[] {
  const union = schema.getType('_Entity');
  return isUnionType(union) ? union.getTypes().map((t) => t.name) : [];
}

const notAnEntity = (names: string[]) =>
  new GatewayError(
    'BAD_USER_INPUT',
    `Malformed representation: \`__typename\` must name an entity type (${names.join(', ')}), with the fields of one of its keys.`,
  );

/**
 * Guards the two root fields `buildSubgraphSchema` adds (in place, before the schema is mapped further):
 * - `_entities`: `sessions:read`, and at most `MAX_ENTITY_REPRESENTATIONS` representations, refused before any
 *   vendor call like an oversized `sessions(refs:)`;
 * - `_service`: the `router` scope, since its SDL shows the whole schema even where introspection is off.
 */
export function guardFederationFields(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getQueryType()?.getFields() ?? {};
  const entities = fields._entities;
  const service = fields._service;
  if (!entities?.resolve || !service?.resolve) throw new Error('The subgraph schema lacks _entities or _service.');
  const resolveEntities = entities.resolve as GraphQLFieldResolver<unknown, GatewayContext>;
  const entityTypes = entityTypeNames(schema);
  const isEntity = (r: unknown) =>
    typeof r === 'object' && r !== null && entityTypes.includes((r as { __typename?: unknown }).__typename as string);
  entities.resolve = (source, args: { representations?: unknown[] }, ctx: GatewayContext, info) => {
    requireScope(ctx.caller, 'sessions:read');
    const representations = args.representations ?? [];
    const count = representations.length;
    if (count > MAX_ENTITY_REPRESENTATIONS) {
      throw upstreamError.badInput(
        `_entities takes at most ${MAX_ENTITY_REPRESENTATIONS} representations; got ${count}.`,
      );
    }
    // @apollo/subgraph throws a plain Error for a `__typename` of no entity (the whole field, INTERNAL_SERVER_ERROR):
    // refuse those per entity, as a client's mistake, and resolve the others as usual.
    const valid = representations.filter(isEntity);
    const resolved =
      valid.length > 0 ? (resolveEntities(source, { ...args, representations: valid }, ctx, info) as unknown[]) : [];
    let next = 0;
    return representations.map((r) => (isEntity(r) ? resolved[next++] : Promise.reject(notAnEntity(entityTypes))));
  };
  const resolveService = service.resolve as GraphQLFieldResolver<unknown, GatewayContext>;
  service.resolve = (source, args, ctx: GatewayContext, info) => {
    requireScope(ctx.caller, ROUTER_SCOPE);
    return resolveService(source, args, ctx, info);
  };
  return schema;
}
