import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { cacheEnv } from './cache.ts';
import { decodeKey, type EnvOf, flag, limit, optionalText } from './parse.ts';

/** The GraphQL endpoint: operation limits, introspection, persisted queries and trusted documents. */

/**
 * Operation limits, checked before anything executes (so before any vendor call). Defaults fit the schema: it is
 * shallow and acyclic (its deepest selection is 6 levels) and a selection of every Session field is about 750
 * tokens. README "Operation limits" gives the reasoning for each value.
 */
export interface GraphQLLimits {
  /** Nesting, counted per field and inline fragment (graphql-armor). */
  maxDepth: number;
  maxAliases: number;
  /** Fields selected at the root of one operation (fragments expanded). */
  maxRootFields: number;
  /** Lexical tokens of the document, enforced by the parser itself so a huge document is never fully parsed. */
  maxTokens: number;
  maxDirectives: number;
  /** Estimated cost: 1 per field, `upstreamCost` more per session fetched, `sessions(refs:)` times its refs. */
  maxCost: number;
  /**
   * Vendor calls one request may make: each distinct session it names times its provider's calls per session
   * (`ProviderModule.callsPerSession`), counted before any call, so one request cannot spend a vendor's budget.
   */
  maxUpstreamCalls: number;
  /** Request body, bytes. */
  maxBodyBytes: number;
}

/** A trusted-documents manifest: the only operations this gateway runs, by id. */
export interface TrustedDocuments {
  /** Where the manifest was read from (for logs). */
  path: string;
  /** Operation id (the sha256 of its text, or the id the manifest gives) -> document text. */
  operations: ReadonlyMap<string, string>;
}

/** What automatic persisted queries may store: README "Persisted queries" gives the reasoning for each default. */
export interface ApqConfig {
  ttlSeconds: number;
  /** Largest document registered, bytes (UTF-8); larger ones are refused with PERSISTED_QUERY_TOO_LARGE. */
  maxDocumentBytes: number;
  /** Registrations one credential may make per minute (across replicas with Redis). */
  registrationsPerMinute: number;
  /** Documents kept at once (in Redis: counted, the oldest dropped past it); bounds APQ's memory with the above. */
  maxEntries: number;
  /**
   * CACHE_ENCRYPTION_KEY: in Redis it seals documents and keys their names and the registration counters, so
   * replicas sharing it share them; null outside production means a per-process key, as for the session cache.
   */
  encryptionKey: Buffer | null;
}

export interface GraphQLConfig {
  limits: GraphQLLimits;
  /** Introspection and "did you mean" suggestions; off in production unless GRAPHQL_INTROSPECTION=true. */
  introspection: boolean;
  /** Automatic persisted queries (in memory, or in Redis with REDIS_URL); null: off. */
  apq: ApqConfig | null;
  trustedDocuments: TrustedDocuments | null;
  /**
   * GRAPHQL_COMPILE_AFTER: the sighting of a document (per operation) at which it is compiled with graphql-jit and
   * run compiled from then on; earlier sightings run on graphql-js. 0 turns the compiled executor off.
   */
  compileAfter: number;
}

export const graphqlEnv = {
  GRAPHQL_MAX_DEPTH: limit(1, 100, 8),
  GRAPHQL_MAX_ALIASES: limit(0, 1_000, 15),
  GRAPHQL_MAX_ROOT_FIELDS: limit(1, 100, 10),
  GRAPHQL_MAX_TOKENS: limit(100, 100_000, 2_000),
  GRAPHQL_MAX_DIRECTIVES: limit(0, 1_000, 20),
  GRAPHQL_MAX_COST: limit(1, 10_000_000, 5_000),
  GRAPHQL_MAX_UPSTREAM_CALLS: limit(1, 100_000, 100),
  GRAPHQL_MAX_BODY_BYTES: limit(1_024, 10 * 1024 * 1024, 256 * 1024),
  GRAPHQL_INTROSPECTION: flag,
  APQ_ENABLED: flag,
  APQ_TTL_SECONDS: limit(1, 30 * 24 * 3600, 3600),
  APQ_MAX_DOCUMENT_BYTES: limit(256, 1024 * 1024, 16 * 1024),
  APQ_REGISTRATIONS_PER_MINUTE: limit(1, 100_000, 60),
  APQ_MAX_ENTRIES: limit(10, 1_000_000, 1_000),
  TRUSTED_DOCUMENTS: optionalText,
  GRAPHQL_COMPILE_AFTER: limit(0, 1_000, 2),
};
type GraphQLEnv = EnvOf<typeof graphqlEnv> &
  Pick<EnvOf<typeof cacheEnv>, 'CACHE_ENCRYPTION_KEY'> & { NODE_ENV: 'production' | 'development' | 'test' };

export function graphqlConfig(env: GraphQLEnv, problems: string[]): GraphQLConfig {
  return {
    limits: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxRootFields: env.GRAPHQL_MAX_ROOT_FIELDS,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxDirectives: env.GRAPHQL_MAX_DIRECTIVES,
      maxCost: env.GRAPHQL_MAX_COST,
      maxUpstreamCalls: env.GRAPHQL_MAX_UPSTREAM_CALLS,
      maxBodyBytes: env.GRAPHQL_MAX_BODY_BYTES,
    },
    introspection: env.GRAPHQL_INTROSPECTION ?? env.NODE_ENV !== 'production',
    apq:
      env.APQ_ENABLED === false
        ? null
        : {
            ttlSeconds: env.APQ_TTL_SECONDS,
            maxDocumentBytes: env.APQ_MAX_DOCUMENT_BYTES,
            registrationsPerMinute: env.APQ_REGISTRATIONS_PER_MINUTE,
            maxEntries: env.APQ_MAX_ENTRIES,
            // Validated, and required in production with Redis, by the cache concern (cache.ts).
            encryptionKey: env.CACHE_ENCRYPTION_KEY ? decodeKey(env.CACHE_ENCRYPTION_KEY) : null,
          },
    trustedDocuments: trustedDocuments(env.TRUSTED_DOCUMENTS, problems),
    compileAfter: env.GRAPHQL_COMPILE_AFTER,
  };
}

/** Apollo's `persisted-query-manifest.json` (what `generate-persisted-query-manifest` writes). */
const apolloManifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(z.object({ id: z.string().min(1), body: z.string().min(1) })).min(1),
});
/** A flat `{ "<id>": "<document>" }` map (GraphQL Code Generator's client preset, Relay). */
const flatManifestSchema = z.record(z.string().min(1), z.string().min(1));

function trustedDocuments(path: string | undefined, problems: string[]): TrustedDocuments | null {
  if (path === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'is not valid JSON' : 'cannot be read';
    problems.push(`TRUSTED_DOCUMENTS: ${path} ${why}`);
    return null;
  }
  const apollo = apolloManifestSchema.safeParse(json);
  const flat = apollo.success ? null : flatManifestSchema.safeParse(json);
  const entries = apollo.success
    ? apollo.data.operations.map((o) => [o.id, o.body] as const)
    : flat?.success
      ? Object.entries(flat.data)
      : null;
  if (!entries || entries.length === 0) {
    problems.push(
      `TRUSTED_DOCUMENTS: ${path} must be an Apollo persisted-query manifest or a { "<id>": "<document>" } map with at least one operation`,
    );
    return null;
  }
  return { path, operations: new Map(entries) };
}
