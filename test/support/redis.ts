import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe } from 'vitest';
import { skipOptionalSuite } from './optionalSuites.ts';

/**
 * A private `redis-server` for a test file: on a free loopback port, without persistence, stopped when the file
 * ends. Each file gets its own server, so FLUSHDB touches nothing but its own data, two runs never meet, and the
 * `verigate:session-changed` channel (Pub/Sub ignores database numbers) carries only that file's changes. A
 * developer's own Redis on 6379 is never used. Without `redis-server` on PATH the Redis suites are skipped with one
 * line each (optionalSuites.ts: a failure under CI).
 */

/** The path of `redis-server` on PATH, or null. */
function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

export const REDIS_SERVER = findOnPath('redis-server');

/** `describe`, skipped (with one line saying why) when `redis-server` is not installed. */
export function describeWithRedis(name: string, suite: () => void): void {
  if (!REDIS_SERVER) skipOptionalSuite(`"${name}"`, 'redis-server', 'apt-get install -y redis-server');
  describe.skipIf(!REDIS_SERVER)(name, suite);
}

export interface TestRedis {
  port: number;
  /** `redis://127.0.0.1:<port>/<db>`. */
  url(db?: number): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once the port accepts connections; rejects when the server exits first or after 10 s. */
async function acceptsConnections(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${output()}`);
    const connected = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (connected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not accept connections on ${port}: ${output()}`);
}

/** Starts a private redis-server (a few tries: the free port found can be taken before Redis binds it). */
export async function startTestRedis(): Promise<TestRedis> {
  if (!REDIS_SERVER) throw new Error('redis-server is not on PATH');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await startOnce(REDIS_SERVER);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(binary: string): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'verigate-redis-'));
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await acceptsConnections(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url: (db = 0) => `redis://127.0.0.1:${port}/${db}`, stop };
}
