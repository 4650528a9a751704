import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { FULL_KEY, startTestGateway, TEST_API_KEYS, type TestGateway } from './support/gateway.ts';

const QUERY = '{ session(provider: VERIFA, id: "ses_abc123") { status } }';

/** Opens `count` TCP connections to the port that send nothing (or `prefix` only): idle slow-loris sockets. */
async function openIdleSockets(port: number, count: number, prefix = ''): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i += 1) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    // Read whatever the server says (a 408), so its close is seen.
    socket.resume();
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()).once('close', () => resolve()));
    if (prefix) socket.write(prefix);
    sockets.push(socket);
  }
  return sockets;
}

/** The status and JSON body of the one HTTP/1.1 response in `text` (Content-Length framed). */
function responseOf(text: string): [number, unknown] {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return [Number(head.split(' ')[1]), JSON.parse(body)];
}

const closedSockets = (sockets: Socket[]) => sockets.filter((s) => s.destroyed || s.readyState === 'closed').length;

async function waitFor(condition: () => boolean, boundMs: number): Promise<boolean> {
  const until = Date.now() + boundMs;
  while (Date.now() < until) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('the HTTP listener under idle connections', () => {
  let gw: TestGateway | undefined;
  let sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    sockets = [];
    await gw?.close();
    gw = undefined;
  });

  it('serves a real client while idle sockets fill the connection cap, closing the oldest idle ones first', async () => {
    gw = await startTestGateway({ HTTP_MAX_CONNECTIONS: '50' });
    sockets = await openIdleSockets(gw.gateway.port, 200);
    // Every socket past the cap pushed out the oldest one that had sent nothing.
    expect(await waitFor(() => closedSockets(sockets) >= 150, 5_000)).toBe(true);
    const { status, body } = await gw.query(QUERY);
    expect({ status, body }).toEqual({ status: 200, body: { data: { session: { status: 'IN_REVIEW' } } } });
    // The newest idle sockets are the ones still open.
    expect(sockets.slice(-40).every((s) => !s.destroyed)).toBe(true);
  });

  it('keeps a connection that has sent a request when idle ones arrive', async () => {
    gw = await startTestGateway({ HTTP_MAX_CONNECTIONS: '20' });
    const first = await gw.query(QUERY);
    expect(first.status).toBe(200);
    sockets = await openIdleSockets(gw.gateway.port, 60);
    const again = await gw.query(QUERY);
    expect(again.body).toEqual({ data: { session: { status: 'IN_REVIEW' } } });
  });

  it('evicts connections trickling a request body at the cap, so a real client gets through', async () => {
    gw = await startTestGateway({ HTTP_MAX_CONNECTIONS: '20' });
    // Whole heads, no credential (answered 401 at once), then a body that never comes: each request "was served".
    const head = 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{';
    for (let i = 0; i < 60; i += 1) {
      const [socket] = await openIdleSockets(gw.gateway.port, 1, head);
      sockets.push(socket as Socket);
      // Its head was read and answered (or the socket closed) before the next one connects.
      await new Promise<void>((resolve) => socket?.once('data', () => resolve()).once('close', () => resolve()));
    }
    expect(await waitFor(() => closedSockets(sockets) >= 40, 5_000)).toBe(true);
    const { status, body } = await gw.query(QUERY);
    expect({ status, body }).toEqual({ status: 200, body: { data: { session: { status: 'IN_REVIEW' } } } });
  });

  it('answers 408 to a body slower than HTTP_BODY_MIN_BYTES_PER_SECOND and closes its connection', async () => {
    gw = await startTestGateway({ HTTP_BODY_MIN_BYTES_PER_SECOND: '100' });
    const head = (auth: string) =>
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${auth}Content-Length: 1000\r\n\r\n`;
    // One being read (authenticated), one already answered 401 whose body Node discards as it comes.
    sockets = await openIdleSockets(gw.gateway.port, 2);
    const [reading, refused] = sockets as [Socket, Socket];
    const received = sockets.map((socket) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      return new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
    });
    reading.write(head(`Authorization: Bearer ${FULL_KEY}\r\n`));
    refused.write(head(''));
    // 5 bytes a second, for longer than the 5 s grace and far less than the 30 s request timeout.
    const trickle = setInterval(() => {
      for (const s of sockets) if (!s.destroyed) s.write('{');
    }, 200);
    try {
      const [readingText = '', refusedText = ''] = await Promise.race([
        Promise.all(received),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('still open after 15 s')), 15_000)),
      ]);
      const [status, answer] = responseOf(readingText);
      expect({ status, answer }).toEqual({
        status: 408,
        answer: {
          errors: [
            {
              message: 'The request body arrived slower than 100 bytes a second.',
              extensions: { code: 'BAD_REQUEST' },
            },
          ],
        },
      });
      // Already answered: nothing more is said, the connection is closed.
      expect(responseOf(refusedText)[0]).toBe(401);
    } finally {
      clearInterval(trickle);
    }
  }, 20_000);

  it('closes a connection whose request head is unfinished after the 10 s header timeout, not 30 s later', async () => {
    gw = await startTestGateway();
    sockets = await openIdleSockets(gw.gateway.port, 1, 'POST /graphql HTTP/1.1\r\nHost: x\r\n');
    const [socket] = sockets;
    const closedAt = new Promise<number>((resolve) => socket?.once('close', () => resolve(Date.now())));
    const started = Date.now();
    // Node checks its header timeout only when it sweeps connections: by default every 30 s, here every second.
    const seconds = (await closedAt) - started;
    expect(seconds).toBeGreaterThanOrEqual(9_000);
    expect(seconds).toBeLessThan(20_000);
  }, 30_000);
});

describe('shutdown', () => {
  it('answers 503 on /readyz for SHUTDOWN_DELAY_SECONDS while still serving, then closes the port and exits 0', async () => {
    const child = spawn(process.execPath, ['src/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        GATEWAY_API_KEYS: TEST_API_KEYS,
        SHUTDOWN_DELAY_SECONDS: '2',
        LOG_LEVEL: 'info',
      },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    expect(await waitFor(() => out.includes('Verigate listening'), 15_000)).toBe(true);
    const line = out.split('\n').find((l) => l.includes('Verigate listening')) ?? '{}';
    const { url, address } = JSON.parse(line) as { url: string; address: string };
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const base = url.replace(/\/graphql$/, '');

    // A balancer's health check: every answer, until the port refuses.
    const seen: string[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        try {
          const res = await request(`${base}/readyz`, { reset: true });
          await res.body.dump();
          seen.push(String(res.statusCode));
        } catch {
          seen.push('refused');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    expect(await waitFor(() => seen.includes('200'), 5_000)).toBe(true);
    child.kill('SIGTERM');
    expect(await waitFor(() => seen.includes('503'), 5_000)).toBe(true);
    // Still serving during the announcement.
    const during = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${FULL_KEY}` },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(during.statusCode).toBe(200);
    expect(await during.body.json()).toEqual({ data: { session: { status: 'IN_REVIEW' } } });

    expect(await exited).toBe(0);
    polling = false;
    await poller;
    // 200s, then 503s, then refused: never refused while /readyz still said ready.
    const firstDraining = seen.indexOf('503');
    expect(seen.slice(0, firstDraining).every((s) => s === '200')).toBe(true);
    expect(seen.slice(firstDraining).every((s) => s === '503' || s === 'refused')).toBe(true);
  }, 40_000);
});
