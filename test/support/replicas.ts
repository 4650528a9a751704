import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'undici';
import { FULL_KEY, type GraphQLBody, TEST_API_KEYS } from './gateway.ts';
import { waitFor } from './webhooks.ts';

/**
 * Gateway replicas as real `node src/main.ts` processes, for the suites that need several sharing a Redis: each with
 * its own throwaway timeline (no test writes to data/), long cache lifetimes (a change must come from a webhook), its
 * log lines kept, and started once it listens and its Redis connection is up.
 */
export interface Replica {
  child: ChildProcessWithoutNullStreams;
  /** The `/graphql` URL. */
  url: string;
  origin: string;
  /** Every log line so far (JSON). */
  logs: string[];
}

export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: 'sqlite::memory:',
      NODE_ENV: 'test',
      PORT: '0',
      GATEWAY_API_KEYS: TEST_API_KEYS,
      CACHE_TERMINAL_TTL_SECONDS: '300',
      CACHE_ACTIVE_TTL_SECONDS: '300',
      ...env,
    },
  });
  const logs: string[] = [];
  let buffer = '';
  child.stdout.on('data', (c: Buffer) => {
    buffer += c.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    logs.push(...lines);
  });
  child.stderr.resume();
  const started = await waitFor(
    () => logs.some((l) => l.includes('Verigate listening')) && logs.some((l) => l.includes('"redis":"ready"')),
    15_000,
  );
  if (!started) throw new Error(`replica did not start:\n${logs.join('\n')}`);
  const url = (JSON.parse(logs.find((l) => l.includes('Verigate listening')) as string) as { url: string }).url;
  return { child, url, origin: url.replace(/\/graphql$/, ''), logs };
}

export async function stopReplica({ child }: Replica): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** One operation against a replica with the full-access key. */
export async function queryReplica(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<GraphQLBody> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.body.json()) as GraphQLBody;
}
