/**
 * One benchmark server per child process (Verigate itself runs from bench/gateway.mjs), so the load generator (the parent) does not share an event loop
 * with what it measures. Roles:
 *   simulator            the Didit simulator (v3), as the sandbox runs it
 *   didit-any            Didit v1 answering any well-formed session id with the documented decision (that id in it)
 *   proxy <base> <header> <value> <path>
 *                        a minimal undici pass-through: the same upstream call as Verigate, nothing else; a path
 *                        with `{id}` takes the id from the POST body's `variables.id`
 * The parent asks over IPC for `count` (simulator requests), `gc` (heap after a full GC) and `stop`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { logger } from '../src/logger.ts';
import { DIDIT_V1_DOCUMENTED_DECISION } from '../src/providers/didit/sandbox/examples/v1Documented.ts';
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
/** The bearer token didit-any issues to anyone: the bench measures the decision GET, not the token grant. */
const BENCH_V1_TOKEN = 'bench-v1-token';
logger.level = 'silent';

let simulator: RunningSimulator | null = null;
let close: () => Promise<void> = async () => {};

if (role === 'simulator') {
  const didit = providerModules().find((m) => m.provider === 'DIDIT');
  if (!didit) throw new Error('Didit module missing');
  const { live, simulator: sim } = await didit.startSandbox({ webhook: null, timelineStepMs: 3_500 });
  simulator = sim;
  close = () => sim.close();
  send({ type: 'ready', url: sim.url, live });
} else if (role === 'didit-any') {
  const any = await startAnyIdDidit();
  simulator = any.counter;
  close = any.close;
  send({ type: 'ready', url: any.url, live: { baseUrl: `${any.url}/`, apiKey: BENCH_V1_TOKEN } });
} else if (role === 'proxy') {
  const [base, header, credential, path] = process.argv.slice(3) as [string, string, string, string];
  const pool = new Pool(base, { connections: 32, pipelining: 1, keepAliveTimeout: 30_000 });
  const perId = path.includes('{id}');
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // The least a gateway must do to pass an id on: read it from the variables.
    const id = perId ? String(JSON.parse(Buffer.concat(chunks).toString('utf8')).variables.id) : '';
    const upstream = await pool.request({
      method: 'GET',
      path: perId ? path.replace('{id}', encodeURIComponent(id)) : path,
      headers: { [header]: credential, accept: 'application/json' },
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

/**
 * Didit v1 on loopback for the distinct-ids benchmark: the token endpoint, and `GET /v1/session/{id}/decision/`
 * answering every well-formed id with the documented decision (3.5 KB) carrying that id, as Didit would.
 */
async function startAnyIdDidit() {
  const template = JSON.stringify(DIDIT_V1_DOCUMENTED_DECISION);
  const parts = template.split(String(DIDIT_V1_DOCUMENTED_DECISION.session_id));
  const route = /^\/v1\/session\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/decision\/$/;
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    if (req.url === '/auth/v2/token/' && req.method === 'POST') {
      const grant = JSON.stringify({ access_token: BENCH_V1_TOKEN, expires_in: 86_400 });
      res.writeHead(200, { 'content-type': 'application/json' }).end(grant);
      return;
    }
    const id = route.exec(req.url ?? '')?.[1];
    if (!id || req.headers.authorization !== `Bearer ${BENCH_V1_TOKEN}`) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not found."}');
      return;
    }
    count += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(parts.join(id));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const counter = {
    requestCount: () => count,
    resetCount: () => {
      count = 0;
    },
    faults: { clear: () => {}, inject: () => {} },
  } as unknown as RunningSimulator;
  return {
    url,
    counter,
    close: async () => {
      server.close();
      server.closeAllConnections();
    },
  };
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
