import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../test/support/embeddedPostgres.ts';

/** The services the chaos run starts for itself: one embedded PostgreSQL it can restart, one private redis-server. */

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function accepts(port: number, deadlineMs: number): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing accepts connections on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ChaosPostgres {
  url: string;
  /** Stops the server (connections drop, the data stays) and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The embedded PostgreSQL the test suites use (test/support/embeddedPostgres.ts): its binaries and data where the
 * `postgres` user can reach them, so the run works as root from any checkout.
 */
export function startPostgres(): Promise<ChaosPostgres> {
  return startEmbeddedPostgres({ password: 'chaos', prefix: 'verigate-chaos-pg-' });
}

export interface ChaosRedis {
  url: string;
  stop(): Promise<void>;
}

/** A private redis-server without persistence on a free port (never the machine's own 6379). */
export async function startRedis(): Promise<ChaosRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'verigate-chaos-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const failed = once(child, 'error').then(([e]) => {
    throw new Error(`redis-server did not start (${(e as Error).message}): install it (apt-get install redis-server)`);
  });
  await Promise.race([accepts(port, 10_000), failed]);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
