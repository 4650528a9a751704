import { readdirSync, readFileSync } from 'node:fs';
import { buildSubgraphSchema, type GraphQLResolverMap } from '@apollo/subgraph';
import { type GraphQLSchema, parse } from 'graphql';
import { PROVIDER_ENUM_FILE, providerEnumText } from '../providers/enumSdl.ts';
import { guardFederationFields } from './federation.ts';
import { applyPiiMasking } from './pii.ts';
import { resolvers } from './resolvers.ts';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/**
 * The SDL of schema/*.graphql, one file per domain, in a stable order; the `Provider` enum's file is generated from
 * the provider registry, and taken from it (the same text while `npm run docs -- --check` passes).
 */
export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => (f === PROVIDER_ENUM_FILE ? providerEnumText() : readFileSync(new URL(f, SCHEMA_DIR), 'utf8')));
}

/**
 * One schema for standalone clients and federation routers: a Federation v2 subgraph (`_service`, `_entities`,
 * `Session.__resolveReference`) built by `@apollo/subgraph`, with `@pii` masking applied to the built schema.
 */
export function buildSchema(): GraphQLSchema {
  const typeDefs = parse(loadTypeDefs().join('\n'));
  const subgraph = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> }]);
  return applyPiiMasking(guardFederationFields(subgraph));
}
