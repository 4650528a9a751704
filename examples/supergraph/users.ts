import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { PROVIDERS } from '../../src/generated/providers.ts';

/**
 * A small second subgraph, the kind a partner team already runs: its users point at Verigate sessions by the key
 * they store (the vendor and the vendor's session id), declared as a `resolvable: false` stub of `Session`. It
 * also implements Relay (`interface Node`, `Query.node`) as such teams do. Shared by `npm run example:supergraph`
 * and test/supergraph.e2e.test.ts.
 */
export const USERS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  "An object with a global id (Relay)."
  interface Node {
    id: ID!
  }

  "A user of the partner team's product."
  type User implements Node @key(fields: "id") {
    id: ID!
    name: String!
    "The user's identity verification, resolved by Verigate."
    verification: Session
  }

  "Verigate's entity, referenced by the key this team stores; Verigate resolves every other field."
  type Session @key(fields: "provider providerSessionId", resolvable: false) {
    provider: Provider!
    providerSessionId: String!
  }

  "Verigate's providers, declared as Verigate declares them: every value, or the supergraph does not compose."
  enum Provider {
    ${PROVIDERS.join('\n    ')}
  }

  type Query {
    "Every user."
    users: [User!]!
    "Any object by its global id (Relay); shared with the other subgraphs that implement it."
    node(id: ID!): Node @shareable
  }
`;

type Provider = (typeof PROVIDERS)[number];
export interface DemoUser {
  id: string;
  name: string;
  verification: { provider: Provider; providerSessionId: string } | null;
}

/** Sandbox sessions of three providers (their documented examples, see the README's scenario list). */
export const SANDBOX_SESSIONS = {
  VERATAD: { provider: 'VERATAD', providerSessionId: '4ed2ec66-9471-415d-99ce-7bd1742fc2b8' },
  DIDIT: { provider: 'DIDIT', providerSessionId: '11111111-2222-3333-4444-555555555555' },
  VERIFA: { provider: 'VERIFA', providerSessionId: 'ses_abc123' },
} as const satisfies Partial<Record<Provider, DemoUser['verification']>>;

const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const ORDER = ['VERATAD', 'DIDIT', 'VERIFA'] as const;

/** Ten users over three distinct sessions (4 VX, 3 Didit, 3 Verifa): a join costs three vendor calls, not ten. */
export const DEMO_USERS: DemoUser[] = NAMES.map((name, i) => ({
  id: `user-${i + 1}`,
  name,
  verification: SANDBOX_SESSIONS[ORDER[i % ORDER.length] as (typeof ORDER)[number]],
}));

export interface UsersSubgraph {
  url: string;
  close(): Promise<void>;
}

/** Serves the users subgraph on a free loopback port (or `port`). */
export async function startUsersSubgraph(users: DemoUser[] = DEMO_USERS, port = 0): Promise<UsersSubgraph> {
  const byId = new Map(users.map((u) => [u.id, u]));
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(USERS_SDL),
      resolvers: {
        Query: {
          users: () => users,
          node: (_parent: unknown, { id }: { id: string }) => byId.get(id) ?? null,
        },
        Node: { __resolveType: () => 'User' },
        User: { __resolveReference: (ref: { id: string }) => byId.get(ref.id) ?? null },
      },
    },
  ]);
  // No signal handlers of its own: Apollo's would stop this server and re-raise the signal behind main.ts's back.
  const server = new ApolloServer({
    schema,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    stopOnTerminationSignals: false,
  });
  const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  return { url: new URL(url).href, close: () => server.stop() };
}
