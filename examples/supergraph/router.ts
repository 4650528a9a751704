import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

export interface Router {
  /** The router's GraphQL endpoint. */
  url: string;
  close(): Promise<void>;
}

/**
 * Hive Gateway (MIT) in process, serving a composed supergraph. The client's `Authorization` is forwarded to every
 * subgraph, so Verigate applies the client's own scopes, masking and token-bound sessions to each entity it
 * resolves. Apollo's inline traces (ftv1) are never asked for: Verigate does not send them.
 */
export async function startRouter(supergraph: string, port = 0): Promise<Router> {
  const gateway = createGatewayRuntime({
    supergraph,
    logging: false,
    landingPage: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }),
    },
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/graphql`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await gateway.dispose();
    },
  };
}
