/**
 * `npm run example:supergraph`: Verigate on its sandbox, the demo users subgraph, and Hive Gateway in front of both
 * with the supergraph composed from their SDL. Prints the router's URL, a key and a ready query; Ctrl-C stops all.
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/index.ts';
import { logger } from '../../src/logger.ts';
import { startGateway } from '../../src/server.ts';
import { composeSupergraph, fetchSubgraphSdl } from './compose.ts';
import { startRouter } from './router.ts';
import { startUsersSubgraph, USERS_SDL } from './users.ts';

/** The router's port: `ROUTER_PORT`, default 4400 (0: a free one); the two subgraphs take free ones. */
function routerPort(value = process.env.ROUTER_PORT): number {
  if (value === undefined || value === '') return 4400;
  const port = Number(value);
  if (Number.isInteger(port) && port >= 0 && port <= 65_535) return port;
  process.stderr.write(`ROUTER_PORT: expected a port number from 0 to 65535, got ${JSON.stringify(value)}\n`);
  process.exit(2);
}
const ROUTER_PORT = routerPort();

logger.level = 'warn';
const key = (name: string) => `vg_${name}_${randomBytes(12).toString('base64url')}`;
const appKey = key('app');
const maskedKey = key('masked');
const routerKey = key('router');
const keys = [
  { name: 'app', key: appKey, scopes: ['sessions:read', 'pii:read'] },
  { name: 'app-without-pii', key: maskedKey, scopes: ['sessions:read'] },
  // Only for reading `_service { sdl }` here; the router forwards each client's own key to Verigate.
  { name: 'router', key: routerKey, scopes: ['router'] },
];

const verigate = await startGateway(
  // No announce delay on shutdown: there is no load balancer to tell, and Ctrl-C should stop the demo at once.
  loadConfig({
    NODE_ENV: 'development',
    PORT: '0',
    LOG_LEVEL: 'warn',
    GATEWAY_API_KEYS: JSON.stringify(keys),
    SHUTDOWN_DELAY_SECONDS: '0',
    // A demo keeps its session timeline in memory: nothing is left on disk.
    DATABASE_URL: 'sqlite::memory:',
  }),
);
const users = await startUsersSubgraph();
const { supergraphSdl } = composeSupergraph([
  { name: 'verigate', url: verigate.url, sdl: await fetchSubgraphSdl(verigate.url, routerKey) },
  { name: 'users', url: users.url, sdl: USERS_SDL },
]);
const router = await startRouter(supergraphSdl, ROUTER_PORT);

const query = '{ users { name verification { status providerStatus kyc { documentNumber } } } }';
process.stdout.write(
  [
    'Supergraph up: Hive Gateway in front of Verigate (sandbox) and a demo users subgraph.',
    `  router:   ${router.url}`,
    `  verigate: ${verigate.url}`,
    `  users:    ${users.url}`,
    '',
    'Ask the router (a key without pii:read gets masked values):',
    `  curl -s ${router.url} -H 'content-type: application/json' \\`,
    `    -H 'authorization: Bearer ${appKey}' \\`,
    `    -d '${JSON.stringify({ query })}'`,
    `  key without pii:read: ${maskedKey}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n'),
);

// The only signal handlers in this process (the users subgraph's Apollo Server registers none): the first Ctrl-C
// closes the three servers, a second one, or 10 s without an end, exits at once.
let stopping = false;
const stop = async () => {
  if (stopping) process.exit(130);
  stopping = true;
  setTimeout(() => process.exit(1), 10_000).unref();
  await Promise.allSettled([router.close(), users.close(), verigate.close()]);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
