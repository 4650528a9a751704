import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';

/**
 * `npm run example:supergraph` as a developer runs it: through npm, in a process group of its own, stopped by a
 * SIGINT to the whole group (what Ctrl-C in a terminal sends), on a router port chosen with ROUTER_PORT.
 */

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts the example; resolves with its output so far once it printed its banner. */
async function startExample(command: string, args: string[], port: number) {
  // A developer's shell has no NODE_ENV=test (vitest's), under which Apollo Server registers no signal handlers.
  const { NODE_ENV: _test, ...env } = process.env;
  const child = spawn(command, args, {
    env: { ...env, ROUTER_PORT: String(port), DATABASE_URL: 'sqlite::memory:' },
    detached: true, // its own process group, as a terminal's foreground job
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit').then(() => true);
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const deadline = Date.now() + 60_000;
  while (!out.includes('Ctrl-C stops everything.') && Date.now() < deadline && child.exitCode === null) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  /** True when the process exits within 20 s. */
  const exitsSoon = () =>
    Promise.race([exited, new Promise<false>((resolve) => setTimeout(() => resolve(false), 20_000))]);
  const kill = () => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return { child, output: () => out, exitsSoon, kill };
}

describe('npm run example:supergraph', () => {
  it('stops on a SIGINT to its node process alone (kill -INT, a process manager)', async () => {
    const example = await startExample(process.execPath, ['examples/supergraph/main.ts'], await freePort());
    try {
      expect(example.output()).toContain('Ctrl-C stops everything.');
      process.kill(example.child.pid as number, 'SIGINT');
      expect(await example.exitsSoon()).toBe(true);
    } finally {
      example.kill();
    }
  }, 90_000);

  it('listens on ROUTER_PORT, answers through the router, and Ctrl-C stops npm, sh and node', async () => {
    const port = await freePort();
    const example = await startExample('npm', ['run', '--silent', 'example:supergraph'], port);
    try {
      expect(example.output()).toContain(`router:   http://127.0.0.1:${port}/graphql`);
      const key = /Bearer (vg_app_[\w-]+)/.exec(example.output())?.[1];
      const res = await request(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ users { name } }' }),
      });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      process.kill(-(example.child.pid as number), 'SIGINT'); // Ctrl-C: the whole foreground group
      expect(await example.exitsSoon()).toBe(true);
      // Nothing of the group is left: no npm, sh or node.
      expect(() => process.kill(-(example.child.pid as number), 0)).toThrow();
    } finally {
      example.kill();
    }
  }, 90_000);
});
