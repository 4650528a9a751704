import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { FULL_KEY, TEST_API_KEYS } from './support/gateway.ts';

/** A hang detector, not a performance bound: the gateway exits in about 2 s at worst (a stalled pipe's bound). */
const EXIT_BOUND_MS = 20_000;
/** Enough requests that their log lines fill the pipe (64 KiB) and the reader's buffer, and queue in the logger. */
const REQUESTS = 600;
const QUERY = JSON.stringify({ query: '{ session(provider: VERIFA, id: "ses_approved") { id status } }' });

type Gateway = ChildProcessByStdio<null, Readable, Readable>;

/** `node src/main.ts` with stdout and stderr piped to a log shipper that reads the first lines, then stalls. */
async function startWithStalledShipper(): Promise<{ child: Gateway; url: string }> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    // No announce delay: the drain is over in milliseconds, so the exit flush runs before a write retry notices
    // the closed pipe, as in the reported hang.
    env: {
      PATH: process.env.PATH ?? '',
      // A throwaway timeline: no test writes to data/.
      DATABASE_URL: 'sqlite::memory:',
      NODE_ENV: 'test',
      PORT: '0',
      SHUTDOWN_DELAY_SECONDS: '0',
      GATEWAY_API_KEYS: TEST_API_KEYS,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${out}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('Verigate listening'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve((JSON.parse(line) as { url: string }).url);
    };
    child.stdout.on('data', onData);
    child.once('exit', () => reject(new Error(`gateway exited:\n${out}`)));
  });
  // The shipper stalls: nothing reads either pipe from here on, so they fill up.
  child.stdout.pause();
  child.stderr.pause();
  return { child, url };
}

/** Sends the requests 20 at a time, then closes the connections so the drain has nothing to wait for. */
async function fillThePipe(url: string): Promise<number[]> {
  const agent = new Agent();
  const post = async () => {
    const res = await request(url, {
      dispatcher: agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` },
      body: QUERY,
    });
    await res.body.dump();
    return res.statusCode;
  };
  const statuses: number[] = [];
  for (let i = 0; i < REQUESTS; i += 20) statuses.push(...(await Promise.all(Array.from({ length: 20 }, post))));
  await agent.close();
  return statuses;
}

/** How the process ended after SIGTERM, or that it was still running past the bound (then it is killed). */
async function terminate(child: Gateway): Promise<{ code: number | null; signal: string | null } | string> {
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'hung'>((resolve) => {
    timer = setTimeout(resolve, EXIT_BOUND_MS, 'hung');
  });
  const outcome = await Promise.race([exited, bound]);
  clearTimeout(timer);
  if (outcome !== 'hung') return { code: outcome[0], signal: outcome[1] };
  child.kill('SIGKILL');
  await exited;
  return `still running ${EXIT_BOUND_MS / 1000} s after SIGTERM`;
}

describe('SIGTERM while stdout cannot be written', () => {
  it('exits 0 when the log shipper stalled and then died (read ends closed: EPIPE)', { timeout: 90_000 }, async () => {
    const { child, url } = await startWithStalledShipper();
    try {
      expect((await fillThePipe(url)).filter((s) => s !== 200)).toEqual([]);
      child.stdout.destroy();
      child.stderr.destroy();
      expect(await terminate(child)).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 0 when the log shipper stays stalled (a full pipe: the queued lines are dropped)', {
    timeout: 90_000,
  }, async () => {
    const { child, url } = await startWithStalledShipper();
    try {
      expect((await fillThePipe(url)).filter((s) => s !== 200)).toEqual([]);
      expect(await terminate(child)).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      child.stdout.destroy();
      child.stderr.destroy();
    }
  });
});
