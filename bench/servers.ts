/**
 * One benchmark server per child process (Verigate itself runs from bench/gateway.mjs), so the load generator (the parent) does not share an event loop
 * with what it measures. Roles:
 *   simulator            the Didit simulator (v3), as the sandbox runs it
 *   proxy <base> <key>   a minimal undici pass-through: the same upstream call as Verigate, nothing else
 * The parent asks over IPC for `count` (simulator requests), `gc` (heap after a full GC) and `stop`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { logger } from '../src/logger.ts';
import { providerModules } from '../src/providers/index.ts';
import type { RunningSimulator } from '../src/providers/types.ts';

type Message =
  | { type: 'count' }
  | { type: 'reset' }
  | { type: 'gc' }
  | { type: 'stop' }
  | { type: 'latency'; ms: number };

const send = (message: unknown) => process.send?.(message);
const role = process.argv[2];
logger.level = 'silent';

let simulator: RunningSimulator | null = null;
let close: () => Promise<void> = async () => {};

if (role === 'simulator') {
  const didit = providerModules().find((m) => m.provider === 'DIDIT');
  if (!didit) throw new Error('Didit module missing');
  const { live, simulator: sim } = await didit.startSandbox();
  simulator = sim;
  close = () => sim.close();
  send({ type: 'ready', url: sim.url, live });
} else if (role === 'proxy') {
  const [base, apiKey, path] = process.argv.slice(3) as [string, string, string];
  const pool = new Pool(base, { connections: 32, pipelining: 1, keepAliveTimeout: 30_000 });
  const server = createServer(async (req, res) => {
    for await (const _ of req) {
      // drain the request body like a gateway would
    }
    const upstream = await pool.request({
      method: 'GET',
      path,
      headers: { 'x-api-key': apiKey, accept: 'application/json' },
    });
    const body = Buffer.from(await upstream.body.arrayBuffer());
    res.writeHead(upstream.statusCode, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  close = async () => {
    server.close();
    server.closeAllConnections();
    await pool.close();
  };
  send({ type: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
} else {
  throw new Error(`unknown role ${role}`);
}

process.on('message', async (message: Message) => {
  switch (message.type) {
    case 'count':
      send({ type: 'count', count: simulator?.requestCount() ?? 0 });
      break;
    case 'reset':
      simulator?.resetCount();
      simulator?.faults.clear();
      send({ type: 'reset' });
      break;
    case 'latency':
      simulator?.faults.inject({ kind: 'latency', ms: message.ms }, { times: 1 });
      send({ type: 'latency' });
      break;
    case 'gc':
      globalThis.gc?.();
      globalThis.gc?.();
      send({ type: 'gc', ...process.memoryUsage() });
      break;
    case 'stop':
      // Never outlive the benchmark: exit even if a keep-alive connection makes close() wait.
      setTimeout(() => process.exit(0), 1_000).unref();
      await close();
      process.exit(0);
  }
});
