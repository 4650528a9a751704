/**
 * Slow-loris at scale: 30 000 idle TCP connections (ATTACKERS=3 processes, 10 000 each, as one process may hold
 * 20 000 descriptors here) against `node src/main.ts`, then 50 real requests on fresh connections. Run once with the
 * default HTTP_MAX_CONNECTIONS and once with the cap out of reach (the old behaviour), and prints both.
 *   node bench/idle-connections.ts
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { request } from 'undici';

const KEY = 'bench-key-idle-connections-0001';
const ATTACKERS = Number(process.env.ATTACKERS ?? 3);
const PER_ATTACKER = 10_000;

if (process.argv[2] === 'attacker') {
  const port = Number(process.argv[3]);
  const sockets: Socket[] = [];
  let refused = 0;
  for (let i = 0; i < PER_ATTACKER; i += 1) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {
      refused += 1;
    });
    socket.resume();
    sockets.push(socket);
    if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const open = sockets.filter((s) => !s.destroyed).length;
  process.send?.({ open, refused });
  process.on('message', () => process.exit(0));
} else {
  for (const [label, cap] of [
    ['default cap (10 000)', undefined],
    ['no effective cap (old behaviour)', '1000000'],
  ] as const) {
    console.log(`\n## ${label}`);
    console.log(await run(cap));
  }
  process.exit(0);
}

async function run(cap: string | undefined): Promise<string> {
  const gateway = spawn(process.execPath, ['src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_DELAY_SECONDS: '0',
      GATEWAY_API_KEYS: JSON.stringify([{ name: 'bench', key: KEY, scopes: ['sessions:read'] }]),
      ...(cap ? { HTTP_MAX_CONNECTIONS: cap } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    gateway.once('exit', () => reject(new Error('the gateway exited before listening')));
    let out = '';
    gateway.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.includes('Verigate listening'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  const port = Number(new URL(url).port);
  const attackers: ChildProcess[] = [];
  const reports = await Promise.all(
    Array.from({ length: ATTACKERS }, () => {
      const child = fork(new URL(import.meta.url).pathname, ['attacker', String(port)]);
      attackers.push(child);
      return new Promise<{ open: number; refused: number }>((resolve) =>
        child.once('message', (m) => resolve(m as never)),
      );
    }),
  );
  const latencies: number[] = [];
  let failures = 0;
  for (let i = 0; i < 50; i += 1) {
    const started = performance.now();
    try {
      const res = await request(url, {
        method: 'POST',
        reset: true,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ query: '{ session(provider: VERIFA, id: "ses_abc123") { status } }' }),
        headersTimeout: 5_000,
        bodyTimeout: 5_000,
      });
      const body = await res.body.text();
      if (res.statusCode === 200 && body.includes('IN_REVIEW')) latencies.push(performance.now() - started);
      else failures += 1;
    } catch {
      failures += 1;
    }
  }
  for (const a of attackers) a.send('stop');
  gateway.kill('SIGTERM');
  await new Promise((resolve) => gateway.once('exit', resolve));
  latencies.sort((a, b) => a - b);
  const open = reports.reduce((n, r) => n + r.open, 0);
  const p = (q: number) => (latencies.length ? latencies[Math.floor(q * (latencies.length - 1))]?.toFixed(1) : '-');
  return `idle sockets opened ${ATTACKERS * PER_ATTACKER}, client sockets not closed by the server after 2 s ${open}; real requests: ${latencies.length} ok, ${failures} failed; latency p50 ${p(0.5)} ms, max ${p(1)} ms`;
}
