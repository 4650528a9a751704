import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../src/model/session.ts';
import { FULL_KEY, type GraphQLBody } from './support/gateway.ts';
import { outboundEnv, startReceiver, type TestReceiver } from './support/receiver.ts';
import { START, START_KEY, START_KEYS, type Started } from './support/start.ts';
import { overSse, SESSION_FOLLOWED, until } from './support/subscriptions.ts';

/**
 * The sandbox journey of DESIGN §8, as `npm start` runs it (`node src/main.ts`, a process of its own, every log line
 * captured): start → open the hosted link → press Approve → the vendor's signed webhook → the session APPROVED on a
 * subscription, on the timeline and in an outbound event. Then the minted secrets (hostedUrl, clientToken) are
 * looked for in everything Verigate wrote or pushed: logs, timeline, outbound bodies, subscription frames, metrics.
 */

interface Gateway {
  child: ChildProcessWithoutNullStreams;
  url: string;
  logs: string[];
}

let gateway: Gateway;
let receiver: TestReceiver;

async function startProcess(env: Record<string, string>): Promise<Gateway> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'debug', ...env },
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  await until(() => logs.some((l) => l.includes('Verigate listening')), 15_000, 'the gateway to listen');
  const line = logs.find((l) => l.includes('Verigate listening')) as string;
  return { child, url: (JSON.parse(line) as { url: string }).url, logs };
}

async function graphql(query: string, variables: Record<string, unknown>, key: string): Promise<GraphQLBody> {
  const res = await request(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.body.json()) as GraphQLBody;
}

beforeAll(async () => {
  receiver = await startReceiver();
  gateway = await startProcess({
    NODE_ENV: 'development',
    GATEWAY_API_KEYS: START_KEYS,
    OUTBOUND_WEBHOOKS: outboundEnv([{ name: 'backend', url: receiver.url }]),
  });
});
afterAll(async () => {
  if (gateway && gateway.child.exitCode === null) {
    const exited = once(gateway.child, 'exit');
    gateway.child.kill('SIGTERM');
    await exited;
  }
  await receiver?.close();
});

const TIMELINE = `query T($p: Provider!, $id: String!) {
  session(provider: $p, id: $id) { status events { edges { node { sequence source status providerStatus } } } } }`;

describe.each<Provider>(['VERIFA', 'DIDIT'])('the sandbox journey at %s', (provider) => {
  let started: Started;
  const frames: unknown[] = [];
  let timeline: GraphQLBody;

  it('start → hosted page → Approve → webhook → APPROVED on the subscription, the timeline and the backend', async () => {
    const res = await graphql(
      START,
      {
        input: {
          provider,
          subjectRef: `journey-${provider.toLowerCase()}`,
          idempotencyKey: `journey-${provider}-0001`,
        },
      },
      START_KEY,
    );
    expect(res.errors).toBeUndefined();
    started = res.data?.startVerification as Started;
    const id = started.session.providerSessionId;
    expect(started.session.status).toBe('NOT_STARTED');

    // Watch the session before the person finishes the flow.
    const watching = overSse(gateway.url, FULL_KEY, SESSION_FOLLOWED, { provider, id, untilTerminal: true }, (e) =>
      frames.push(e),
    );
    await until(() => frames.length > 0, 10_000, 'the first frame');

    // The person opens the link and presses Approve.
    const page = await request(started.hostedUrl as string);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(await page.body.text()).toContain('Approve');
    const approve = await request(started.hostedUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=approve',
    });
    await approve.body.dump();
    expect(approve.statusCode).toBe(303);

    const outcome = await watching;
    expect(outcome.end).toEqual({ kind: 'complete' });
    expect(outcome.events.at(0)).toEqual({
      data: { sessionUpdated: { provider, providerSessionId: id, status: 'NOT_STARTED', isTerminal: false } },
    });
    expect(outcome.events.at(-1)).toEqual({
      data: { sessionUpdated: { provider, providerSessionId: id, status: 'APPROVED', isTerminal: true } },
    });

    await until(
      () => receiver.events.some((e) => e.body.data.sessionId === id && e.body.data.status === 'APPROVED'),
      10_000,
      'the outbound event',
    );
    const event = receiver.events.find((e) => e.body.data.sessionId === id && e.body.data.status === 'APPROVED');
    expect(event?.body).toMatchObject({
      type: 'verification.session.status_changed',
      data: { provider, sessionId: id, status: 'APPROVED', isTerminal: true },
    });

    timeline = await graphql(TIMELINE, { p: provider, id }, FULL_KEY);
    type Edges = { status: string; events: { edges: Array<{ node: { source: string; status: string } }> } };
    const session = timeline.data?.session as Edges;
    expect(session.status).toBe('APPROVED');
    expect(session.events.edges.map((e) => [e.node.source, e.node.status])).toContainEqual(['WEBHOOK', 'APPROVED']);
  });

  it('the minted link and token appear nowhere Verigate wrote or pushed', async () => {
    const secrets = [started.hostedUrl, started.clientToken].filter((s): s is string => s !== null);
    // The link's last segment is the bearer part: look for it alone too.
    secrets.push((started.hostedUrl as string).split('/').at(-1) as string);
    expect(secrets.length).toBe(provider === 'DIDIT' ? 3 : 2);
    const metrics = await (await request(gateway.url.replace(/graphql$/, 'metrics'))).body.text();
    const everything = {
      logs: gateway.logs.join('\n'),
      timeline: JSON.stringify(timeline),
      outbound: JSON.stringify(receiver.events),
      frames: JSON.stringify(frames),
      metrics,
    };
    // The logs did record the operation (so the search is over real lines).
    expect(everything.logs).toContain('"operation":"Start"');
    for (const [where, text] of Object.entries(everything))
      for (const secret of secrets) expect({ where, found: text.includes(secret) }).toEqual({ where, found: false });
  });
});

describe('npm start with no configuration', () => {
  it('prints a start command that works as printed: the routed sandbox starts at Didit', async () => {
    const bare = await startProcess({ NODE_ENV: 'development' });
    try {
      await until(() => bare.logs.some((l) => l.includes(`-d '{"query"`)), 10_000, 'the start banner');
      const keyLine = bare.logs.find((l) => l.includes("-H 'Authorization: Bearer ")) as string;
      const key = /Bearer (vg_dev_[A-Za-z0-9_-]+)/.exec(keyLine)?.[1] as string;
      const data = /-d '(.*)'$/.exec(bare.logs.find((l) => l.includes(`-d '{"query"`)) as string)?.[1] as string;
      const res = await request(bare.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: data,
      });
      const body = (await res.body.json()) as GraphQLBody;
      expect(body.errors).toBeUndefined();
      expect(body.data?.startVerification).toEqual({
        hostedUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/hosted\/[A-Za-z0-9_-]{24}$/),
        replayed: false,
        session: { provider: 'DIDIT', providerSessionId: expect.any(String), status: 'NOT_STARTED' },
      });
    } finally {
      const exited = once(bare.child, 'exit');
      bare.child.kill('SIGTERM');
      await exited;
    }
  });
});
