import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeSupergraph, fetchSubgraphSdl } from '../examples/supergraph/compose.ts';
import { type Router, startRouter } from '../examples/supergraph/router.ts';
import { startUsersSubgraph, USERS_SDL, type UsersSubgraph } from '../examples/supergraph/users.ts';
import { FULL_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { overSse } from './support/subscriptions.ts';

/**
 * `sessionUpdated` through a supergraph: a client subscribes at Hive Gateway (over SSE), which subscribes at
 * Verigate over GraphQL over SSE with the client's own credential, as it does towards any subgraph.
 */
const ROUTER_KEY = 'test-key-router-only-00000004';
const KEYS = JSON.stringify([
  { name: 'full', key: FULL_KEY, scopes: ['sessions:read', 'pii:read'] },
  { name: 'read-only', key: READ_ONLY_KEY, scopes: ['sessions:read'] },
  { name: 'router', key: ROUTER_KEY, scopes: ['router'] },
]);
const FAST = { timelineStepMs: 500, refresher: { minIntervalMs: 100, backoffMs: 100 } };

let gw: TestGateway;
let users: UsersSubgraph;
let router: Router;

beforeAll(async () => {
  gw = await startTestGateway({ GATEWAY_API_KEYS: KEYS }, FAST);
  users = await startUsersSubgraph();
  const { supergraphSdl } = composeSupergraph([
    { name: 'verigate', url: gw.gateway.url, sdl: await fetchSubgraphSdl(gw.gateway.url, ROUTER_KEY) },
    { name: 'users', url: users.url, sdl: USERS_SDL },
  ]);
  router = await startRouter(supergraphSdl);
});
afterAll(async () => {
  await router?.close();
  await users?.close();
  await gw?.close();
});

describe('sessionUpdated through Hive Gateway', () => {
  it('reaches Verigate over SSE and streams each change to the client until the final status', async () => {
    const query = `subscription { sessionUpdated(provider: VERIFA, id: "ses_timeline") { status isTerminal } }`;
    // Verigate refuses a subscription as a plain POST (400) and the router has no WebSocket transport configured:
    // events can only have come over its SSE route.
    const outcome = await overSse(router.url, READ_ONLY_KEY, query);
    expect(outcome).toEqual({
      events: [
        { data: { sessionUpdated: { status: 'IN_PROGRESS', isTerminal: false } } },
        { data: { sessionUpdated: { status: 'IN_REVIEW', isTerminal: false } } },
        { data: { sessionUpdated: { status: 'APPROVED', isTerminal: true } } },
      ],
      end: { kind: 'complete' },
    });
  });
});
