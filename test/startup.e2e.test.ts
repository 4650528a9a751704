import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** What a newcomer meets at `npm start`: the banner, `.env`, a busy port, Ctrl-C. */

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The JSON log lines, parsed. */
  logs: Record<string, unknown>[];
}

/**
 * Runs `node src/main.ts` in `cwd` with only `env` (and PATH), sends `signal` once `until` shows in stdout, and
 * collects what it prints until it exits.
 */
async function runMain(env: Record<string, string>, options: { until?: RegExp; cwd?: string } = {}): Promise<Run> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: 'sqlite::memory:', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalled = false;
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (!signalled && options.until?.test(stdout)) {
      signalled = true;
      // Ctrl-C in a terminal.
      child.kill('SIGINT');
    }
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  const logs = stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code, stdout, stderr, logs };
}

const logged = (run: Run, prefix: string) => run.logs.find((l) => String(l.msg).startsWith(prefix));

describe('npm start', () => {
  it("lists each provider's mode when some are live, and Ctrl-C outside production stops at once", async () => {
    const run = await runMain(
      { PORT: '0', NODE_ENV: 'development', ONFIDO_API_TOKEN: 'test', PERSONA_API_KEY: 'test' },
      { until: /Bearer vg_dev_\S+\n/ },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('running on the sandbox');
    expect(run.stdout).toMatch(/Verigate is running at http:\/\/127\.0\.0\.1:\d+\/graphql, with these providers:/);
    expect(run.stdout).toMatch(/^ {2}ONFIDO +live +Onfido$/m);
    expect(run.stdout).toMatch(/^ {2}PERSONA +live +Persona$/m);
    expect(run.stdout).toMatch(/^ {2}VERIFA +sandbox +Verifa$/m);
    const listening = logged(run, 'Verigate listening');
    expect(listening?.live).toEqual(['ONFIDO', 'PERSONA']);
    expect(listening?.off).toEqual([]);
    expect(listening?.msg).toContain('ONFIDO live');
    // No drain delay outside production: the announcement is skipped, and the process has stopped.
    expect(logged(run, 'draining')).toMatchObject({ signal: 'SIGINT', announceMs: 0 });
    expect(logged(run, 'stopped')).toBeDefined();
  });

  it('reports a port already taken in plain words, naming the port and PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const run = await runMain({ PORT: String(port), NODE_ENV: 'development' });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(
        `Port ${port} on 127.0.0.1 is already in use (another Verigate, or another program). Stop it, or start on another port with PORT, e.g. \`PORT=4000 npm start\`.`,
      );
    } finally {
      taken.close();
    }
  });
});

describe('.env', () => {
  const dir = mkdtempSync(join(tmpdir(), 'verigate-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read from the directory npm start runs in, the real environment winning, and the file is logged', async () => {
    // PORT=1 would fail to bind: the environment's PORT=0 must win.
    writeFileSync(join(dir, '.env'), 'PORT=1\nPLAYGROUND_ENABLED=false\nONFIDO_API_TOKEN="secret-from-file"\n');
    const run = await runMain({ PORT: '0', NODE_ENV: 'development' }, { cwd: dir, until: /Bearer vg_dev_\S+\n/ });
    expect(run.code).toBe(0);
    const read = logged(run, `read ${join(dir, '.env')}`);
    expect(read).toMatchObject({
      file: join(dir, '.env'),
      applied: ['ONFIDO_API_TOKEN', 'PLAYGROUND_ENABLED'],
      kept: ['PORT'],
    });
    expect(run.stdout).not.toContain('secret-from-file');
    const listening = logged(run, 'Verigate listening');
    expect(listening?.playground).toBeNull();
    expect(listening?.live).toEqual(['ONFIDO']);
    expect(listening?.address).not.toMatch(/:1$/);
  });

  it('is not required', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'verigate-noenv-'));
    try {
      const run = await runMain({ PORT: '0', NODE_ENV: 'development' }, { cwd: empty, until: /Bearer vg_dev_\S+\n/ });
      expect(run.code).toBe(0);
      expect(run.logs.some((l) => String(l.msg).startsWith('read '))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
