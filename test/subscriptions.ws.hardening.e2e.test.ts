import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { FULL_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { until } from './support/subscriptions.ts';

/**
 * GraphQL over WebSocket against hostile or broken peers (issue 19: items 1, 3 and 13), driven by a raw `ws`
 * client so the test can send what no graphql-ws client would: pings before `connection_init`, huge messages, a
 * socket that never reads.
 */

const DIDIT_DECLINED = '11111111-2222-3333-4444-555555555555';

/** A raw `graphql-transport-ws` socket that records every message it reads and how it closed. */
interface Peer {
  ws: WebSocket;
  messages: unknown[];
  closed: { code: number; reason: string } | null;
  send(message: unknown): void;
  /** Stops reading from the TCP socket: whatever the gateway sends piles up on its side. */
  stopReading(): void;
}

function peer(gw: TestGateway, options: WebSocket.ClientOptions = {}): Promise<Peer> {
  const ws = new WebSocket(gw.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws', options);
  const p: Peer = {
    ws,
    messages: [],
    closed: null,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    stopReading: () => (ws as unknown as { _socket: Socket })._socket.pause(),
  };
  ws.on('message', (data) => p.messages.push(JSON.parse(String(data))));
  ws.on('close', (code, reason) => {
    p.closed = { code, reason: String(reason) };
  });
  // A terminated connection surfaces as ECONNRESET / EPIPE on the next write; the close event says the rest.
  ws.on('error', () => {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(p));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
  });
}

/** Connects with the full key and waits for `connection_ack`. */
async function acknowledged(gw: TestGateway): Promise<Peer> {
  const p = await peer(gw);
  p.send({ type: 'connection_init', payload: { authorization: `Bearer ${FULL_KEY}` } });
  await until(() => p.messages.length > 0, 10_000, 'connection_ack');
  expect(p.messages).toEqual([{ type: 'connection_ack' }]);
  p.messages.length = 0;
  return p;
}

/** The status and body of an upgrade the gateway refused. */
function refusedUpgrade(gw: TestGateway, options: WebSocket.ClientOptions) {
  const ws = new WebSocket(gw.gateway.url.replace(/^http/, 'ws'), 'graphql-transport-ws', options);
  ws.on('error', () => {});
  return new Promise<{ status: number | undefined; body: unknown }>((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
  });
}

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway({ SUBSCRIPTIONS_PER_CONNECTION: '1', CORS_ORIGINS: 'https://app.example.com' });
});
afterAll(() => gw.close());

describe('what a WebSocket peer may send and make the gateway hold', () => {
  it('answers a ping before connection_init without its payload, and closes a peer whose message before the ack passes 16 KiB with 1009', async () => {
    const p = await peer(gw);
    p.send({ type: 'ping', payload: { echo: 'x'.repeat(1_000) } });
    await until(() => p.messages.length > 0, 10_000, 'the pong');
    p.send({ type: 'ping', payload: { echo: 'x'.repeat(200 * 1024) } });
    await until(() => p.closed !== null, 10_000, 'the close');
    expect(p.messages).toEqual([{ type: 'pong' }]);
    expect(p.closed).toEqual({ code: 1009, reason: '' });
  });

  it('accepts a subscribe larger than 16 KiB once the connection is acknowledged', async () => {
    const p = await acknowledged(gw);
    const query = `# ${'padding '.repeat(3_000)}
subscription { sessionUpdated(provider: DIDIT, id: "${DIDIT_DECLINED}") { status isTerminal } }`;
    expect(query.length).toBeGreaterThan(20 * 1024);
    p.send({ id: '1', type: 'subscribe', payload: { query } });
    await until(() => p.messages.length >= 2, 10_000, 'the event and complete');
    expect(p.messages).toEqual([
      { id: '1', type: 'next', payload: { data: { sessionUpdated: { status: 'DECLINED', isTerminal: true } } } },
      { id: '1', type: 'complete' },
    ]);
    p.ws.close();
  });

  it('terminates a peer that stops reading once more than 1 MiB waits to be sent to it', async () => {
    const p = await acknowledged(gw);
    // Verifa `ses_abc123` stays in review: this subscription holds the connection's one place.
    p.send({
      id: 'hold',
      type: 'subscribe',
      payload: { query: 'subscription { sessionUpdated(provider: VERIFA, id: "ses_abc123") { status } }' },
    });
    await until(() => p.messages.length > 0, 10_000, 'the first event');
    p.stopReading();
    // Each further subscribe is refused with an `error` message that repeats its 64 KiB id: the answers pile up
    // in the kernel's buffers (a few MiB on loopback), then in the gateway's, until it lets the peer go.
    const id = 'x'.repeat(64 * 1024);
    let sent = 0;
    while (p.closed === null && sent < 600) {
      for (let i = 0; i < 8; i += 1, sent += 1) {
        p.send({
          id: `${sent}-${id}`,
          type: 'subscribe',
          payload: { query: 'subscription { sessionUpdated(provider: VERIFA, id: "ses_abc123") { status } }' },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await until(() => p.closed !== null, 10_000, 'the termination');
    // Terminated, not closed: no close frame can reach a peer that does not read.
    expect(p.closed).toEqual({ code: 1006, reason: '' });
    // The gateway serves the next client.
    const next = await acknowledged(gw);
    next.send({
      id: '1',
      type: 'subscribe',
      payload: { query: `subscription { sessionUpdated(provider: DIDIT, id: "${DIDIT_DECLINED}") { status } }` },
    });
    await until(() => next.messages.length >= 2, 10_000, 'the next client’s event');
    expect(next.messages).toEqual([
      { id: '1', type: 'next', payload: { data: { sessionUpdated: { status: 'DECLINED' } } } },
      { id: '1', type: 'complete' },
    ]);
    next.ws.close();
  });
});

describe('who may open a WebSocket', () => {
  it('refuses an upgrade from a page on an origin not in CORS_ORIGINS with 403, before any graphql-ws message', async () => {
    // `null`: a sandboxed iframe or a file:// page.
    for (const origin of ['https://evil.example', 'https://app.example.com.evil.example', 'null']) {
      expect(await refusedUpgrade(gw, { origin }), origin).toEqual({
        status: 403,
        body: {
          errors: [
            {
              message: 'Pages on this origin may not connect (CORS_ORIGINS).',
              extensions: { code: 'FORBIDDEN' },
            },
          ],
        },
      });
    }
  });

  it('connects a page on an allowed origin, a page the gateway serves itself, and a client that sends no Origin', async () => {
    const host = new URL(gw.gateway.url).host;
    for (const options of [
      { origin: 'https://app.example.com' },
      // The playground's page: same host as the request (here a name behind a proxy that keeps Host).
      { origin: 'https://gateway.example', headers: { host: 'gateway.example' } },
      { origin: `http://${host}` },
      {},
    ] satisfies WebSocket.ClientOptions[]) {
      const p = await peer(gw, options);
      p.send({ type: 'connection_init', payload: { authorization: `Bearer ${FULL_KEY}` } });
      await until(() => p.messages.length > 0, 10_000, 'connection_ack');
      expect(p.messages, JSON.stringify(options)).toEqual([{ type: 'connection_ack' }]);
      p.ws.close();
    }
  });
});

describe('shutdown with a dead WebSocket peer', () => {
  it('finishes without waiting for a peer that never answers the close handshake', async () => {
    const own = await startTestGateway({ SHUTDOWN_TIMEOUT_SECONDS: '30' });
    const p = await acknowledged(own);
    p.stopReading();
    const closing = own.close().then(() => 'closed');
    // ws would wait 30 s for the peer's close frame; a generous bound, far below that.
    const outcome = await Promise.race([
      closing,
      new Promise<string>((resolve) => setTimeout(() => resolve('still waiting after 8 s'), 8_000)),
    ]);
    p.ws.terminate();
    await closing;
    expect(outcome).toBe('closed');
    expect(own.gateway.shutdownStep()).toBe('done');
  });
});
