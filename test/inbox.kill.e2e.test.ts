import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../src/events/store.ts';
import { startVerifaSimulator, VERIFA_SANDBOX_API_KEY } from '../src/providers/verifa/sandbox/simulator.ts';
import { signVerifaDelivery, verifaEventBody } from '../src/providers/verifa/sandbox/webhookSender.ts';
import type { Simulator } from '../src/sandbox/server.ts';
import { openTestStore } from './support/breakableStore.ts';
import { sqliteDatabase, type TestDatabase } from './support/eventStores.ts';
import { TEST_API_KEYS } from './support/gateway.ts';
import { postWebhook, waitFor } from './support/webhooks.ts';

/**
 * A webhook answered 200 survives the gateway being killed (SIGKILL, no shutdown) before its change was recorded:
 * the hint was committed first, and the next gateway on the same database records it and sends its event.
 */
const SECRET = `whsec_${randomBytes(12).toString('hex')}`;

interface Gateway {
  child: ChildProcessWithoutNullStreams;
  origin: string;
}

async function startGatewayProcess(env: Record<string, string>): Promise<Gateway> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', GATEWAY_API_KEYS: TEST_API_KEYS, ...env },
  });
  const logs: string[] = [];
  child.stdout.on('data', (c: Buffer) => logs.push(...c.toString().split('\n')));
  child.stderr.resume();
  const started = await waitFor(() => logs.some((l) => l.includes('Verigate listening')), 15_000);
  if (!started) throw new Error(`gateway did not start:\n${logs.join('\n')}`);
  const url = (JSON.parse(logs.find((l) => l.includes('Verigate listening')) as string) as { url: string }).url;
  return { child, origin: url.replace(/\/graphql$/, '') };
}

async function kill({ child }: Gateway): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

describe('a gateway killed right after answering a webhook', () => {
  let db: TestDatabase;
  let sim: Simulator;
  let look: EventStore;
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    db = sqliteDatabase();
    look = await openTestStore(db.url);
    sim = await startVerifaSimulator({ webhook: null });
  });
  afterAll(async () => {
    await Promise.all(gateways.map(kill));
    await sim?.close();
    await look?.close();
    await db?.drop();
  });

  it('loses nothing: the next gateway on the same database records the change', async () => {
    const env = {
      DATABASE_URL: db.url,
      VERIFA_BASE_URL: sim.url,
      VERIFA_API_KEY: VERIFA_SANDBOX_API_KEY,
      VERIFA_WEBHOOK_SECRET: SECRET,
    };
    const first = await startGatewayProcess(env);
    gateways.push(first);
    // Verifa fails every reload while the first gateway runs: its change cannot have been recorded when it dies.
    sim.faults.inject({ kind: 'status', status: 503 }, { path: '/ses_approved' });
    const delivery = signVerifaDelivery(
      SECRET,
      verifaEventBody('session.approved', { kind: 'session', session: { id: 'ses_approved' } }),
    );
    expect(await postWebhook(first.origin, 'verifa', delivery)).toEqual({ status: 200, body: { received: true } });
    const rows = () => look.transaction((tx) => tx.run('SELECT status, outcome, attempts FROM inbox', []));
    // Its worker has tried once and given the row back for a retry: killed now, it never retries.
    expect(await waitFor(async () => Number((await rows())[0]?.attempts) >= 1, 20_000)).toBe(true);
    await kill(first);
    expect(await rows()).toEqual([{ status: 'pending', outcome: null, attempts: expect.any(Number) }]);
    expect(await look.sessionEvents({ provider: 'VERIFA', id: 'ses_approved' }, 0, 10)).toEqual([]);

    sim.faults.clear();
    gateways.push(await startGatewayProcess(env));
    // Once the retry the first one set is due (its backoff, a few seconds at most), or its lease had it died holding one.
    expect(await waitFor(async () => (await rows())[0]?.status === 'done', 45_000)).toBe(true);
    expect(await rows()).toEqual([{ status: 'done', outcome: 'changed', attempts: expect.any(Number) }]);
    const entries = await look.sessionEvents({ provider: 'VERIFA', id: 'ses_approved' }, 0, 10);
    expect(entries.map((e) => [e.sequence, e.source, e.status])).toEqual([[1, 'WEBHOOK', 'APPROVED']]);
  }, 70_000);
});
