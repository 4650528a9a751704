import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DIDIT_SANDBOX_API_KEY,
  type DiditSimulator,
  startDiditSimulator,
} from '../../src/providers/didit/sandbox/simulator.ts';
import { DIDIT_SANDBOX_WORKFLOWS } from '../../src/providers/didit/sandbox/starts.ts';
import { postgresAvailable, postgresDatabase, type TestDatabase } from '../support/eventStores.ts';
import type { GraphQLBody } from '../support/gateway.ts';
import { START, START_KEY, START_KEYS, type Started } from '../support/start.ts';
import { until } from '../support/subscriptions.ts';

/**
 * Two identical startVerification calls at once, on two gateway processes sharing one PostgreSQL and one Didit
 * (which takes no idempotency key of its own): one vendor session, the twin answered with `replayed: true`.
 */

interface Replica {
  child: ChildProcessWithoutNullStreams;
  url: string;
}

async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', GATEWAY_API_KEYS: START_KEYS, ...env },
  });
  const logs: string[] = [];
  child.stdout.on('data', (c: Buffer) => logs.push(...c.toString().split('\n')));
  child.stderr.on('data', (c: Buffer) => logs.push(...c.toString().split('\n')));
  await until(
    () => logs.some((l) => l.includes('Verigate listening')),
    20_000,
    `a replica to listen:\n${logs.join('\n')}`,
  );
  const line = logs.find((l) => l.includes('Verigate listening')) as string;
  return { child, url: (JSON.parse(line) as { url: string }).url };
}

async function stop(replica: Replica | undefined): Promise<void> {
  if (!replica || replica.child.exitCode !== null) return;
  const exited = once(replica.child, 'exit');
  replica.child.kill('SIGTERM');
  await exited;
}

async function start(url: string, input: Record<string, unknown>): Promise<GraphQLBody> {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${START_KEY}` },
    body: JSON.stringify({ query: START, variables: { input } }),
  });
  return (await res.body.json()) as GraphQLBody;
}

describe.skipIf(!postgresAvailable())('startVerification on two replicas sharing PostgreSQL', () => {
  let db: TestDatabase;
  let didit: DiditSimulator;
  let a: Replica;
  let b: Replica;

  beforeAll(async () => {
    db = await postgresDatabase();
    didit = await startDiditSimulator();
    const env = {
      DATABASE_URL: db.url,
      DIDIT_BASE_URL: `${didit.url}/`,
      DIDIT_API_KEY: DIDIT_SANDBOX_API_KEY,
      DIDIT_DEFAULT_FLOW: DIDIT_SANDBOX_WORKFLOWS[0] as string,
      DIDIT_WEBHOOK_SECRET: 'replicas-test-didit-secret-0123456789',
    };
    [a, b] = await Promise.all([startReplica(env), startReplica(env)]);
  }, 40_000);
  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await didit?.close();
    await db?.drop();
  });

  it('two identical calls at once make one vendor session; the twin is a replay of it', async () => {
    // The vendor takes its time, so both calls are in flight together.
    didit.faults.inject({ kind: 'latency', ms: 400 }, { times: 2, path: '/v3/session/' });
    const input = { provider: 'DIDIT', subjectRef: 'twin-1', idempotencyKey: 'replicas-twin-key-0001' };
    const [one, two] = await Promise.all([start(a.url, input), start(b.url, input)]);
    expect(one.errors).toBeUndefined();
    expect(two.errors).toBeUndefined();
    const answers = [one.data?.startVerification as Started, two.data?.startVerification as Started];
    expect(didit.starts?.created()).toBe(1);
    expect(answers.map((x) => x.replayed).sort()).toEqual([false, true]);
    expect(answers[0]?.session.providerSessionId).toBe(answers[1]?.session.providerSessionId);
    const first = answers.find((x) => !x.replayed) as Started;
    const replay = answers.find((x) => x.replayed) as Started;
    expect(replay).toEqual({ ...first, hostedUrl: null, clientToken: null, expiresAt: null, replayed: true });
    expect(first.hostedUrl).not.toBeNull();
    expect(first.clientToken).not.toBeNull();
  });

  it('a later call on either replica is a replay too, and another input under the key is refused', async () => {
    const input = { provider: 'DIDIT', subjectRef: 'twin-1', idempotencyKey: 'replicas-twin-key-0001' };
    const again = (await start(b.url, input)).data?.startVerification as Started;
    expect(again.replayed).toBe(true);
    const other = await start(a.url, { ...input, subjectRef: 'twin-2' });
    expect(other.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(didit.starts?.created()).toBe(1);
  });
});
