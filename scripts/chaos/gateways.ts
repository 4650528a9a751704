import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Gateway processes of the chaos run: real `src/main.ts` replicas sharing one PostgreSQL and one Redis. */

export interface Gateway {
  name: string;
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** The last few KiB of its log. */
  logTail(): string;
  /** Largest resident set seen, MiB (sampled every second from /proc). */
  peakRssMiB: number;
  alive(): boolean;
  kill(signal: NodeJS.Signals): void;
}

/** `cwd` (default: this checkout) is the folder whose `src/main.ts` runs: a benchmark's baseline passes another version's. */
export async function startGateway(name: string, env: Record<string, string>, cwd?: string): Promise<Gateway> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', NODE_ENV: 'test', ...env },
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out.slice(-4000)}`)), 30_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('Verigate listening'));
      if (!line) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url.replace(/\/graphql$/, ''));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}):\n${out.slice(-4000)}`)));
  });
  child.stdout.removeAllListeners('data');
  child.stderr.removeAllListeners('data');
  // Logs are kept only for the last lines, shown if the gateway dies unexpectedly.
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const gateway: Gateway = {
    name,
    url,
    child,
    peakRssMiB: 0,
    logTail: () => tail,
    alive: () => child.exitCode === null && child.signalCode === null,
    kill: (signal) => child.kill(signal),
  };
  const sampler = setInterval(() => {
    if (!gateway.alive()) return clearInterval(sampler);
    gateway.peakRssMiB = Math.max(gateway.peakRssMiB, rssMiB(child.pid as number));
  }, 1_000);
  sampler.unref();
  return gateway;
}

function rssMiB(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

export async function stopGateway(gateway: Gateway): Promise<void> {
  if (!gateway.alive()) return;
  const exited = new Promise((resolve) => gateway.child.once('exit', resolve));
  gateway.kill('SIGTERM');
  await exited;
}
