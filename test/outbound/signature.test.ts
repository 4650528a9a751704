import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { isPrivateAddress, isPrivateHost } from '../../src/outbound/addresses.ts';
import { parseRetryAfter, retryDelaySeconds } from '../../src/outbound/schedule.ts';
import { OutboundSender } from '../../src/outbound/send.ts';
import { secretKey, signWebhook } from '../../src/outbound/signature.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ROTATED = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe('Standard Webhooks signatures', () => {
  it('are verified by the standardwebhooks package’s own verifier', () => {
    const body = JSON.stringify({ type: 'verification.test', data: { hello: 'world' } });
    const now = Math.floor(Date.now() / 1000);
    const signature = signWebhook([secretKey(SECRET) as Buffer], 'msg_2a1', now, body);
    const headers = { 'webhook-id': 'msg_2a1', 'webhook-timestamp': String(now), 'webhook-signature': signature };
    expect(new Webhook(SECRET).verify(body, headers)).toEqual({ type: 'verification.test', data: { hello: 'world' } });
    expect(() => new Webhook(SECRET).verify(`${body} `, headers)).toThrow();
  });

  it('match the package’s own signer byte for byte', () => {
    const at = new Date('2026-12-04T09:00:00Z');
    const ours = signWebhook([secretKey(SECRET) as Buffer], 'msg_x', at.getTime() / 1000, '{"a":1}');
    expect(ours).toBe(new Webhook(SECRET).sign('msg_x', at, '{"a":1}'));
  });

  it('carry one v1 entry per secret while a secret rotates, and either secret verifies', () => {
    const now = Math.floor(Date.now() / 1000);
    const keys = [SECRET, ROTATED].map((s) => secretKey(s) as Buffer);
    const signature = signWebhook(keys, 'msg_r', now, '{}');
    expect(signature.split(' ')).toHaveLength(2);
    const headers = { 'webhook-id': 'msg_r', 'webhook-timestamp': String(now), 'webhook-signature': signature };
    expect(new Webhook(SECRET).verify('{}', headers)).toEqual({});
    expect(new Webhook(ROTATED).verify('{}', headers)).toEqual({});
  });
});

describe('OUTBOUND_WEBHOOKS', () => {
  const base = { NODE_ENV: 'test', GATEWAY_API_KEYS: undefined };
  const endpoints = (list: unknown, env: Record<string, string> = {}) =>
    loadConfig({ ...base, ...env, OUTBOUND_WEBHOOKS: JSON.stringify(list) }).outbound;

  it('reads endpoints with their filters and every secret of a rotation', () => {
    const config = endpoints([
      { name: 'ledger', url: 'http://127.0.0.1:9000/hooks', secret: [SECRET, ROTATED], providers: ['DIDIT'] },
    ]);
    expect(config.endpoints).toEqual([
      {
        name: 'ledger',
        url: 'http://127.0.0.1:9000/hooks',
        keys: [secretKey(SECRET), secretKey(ROTATED)],
        events: null,
        providers: ['DIDIT'],
      },
    ]);
  });

  it('refuses a bad secret, a duplicate name and an unknown event without echoing a secret', () => {
    expect(() =>
      endpoints([
        { name: 'a', url: 'https://example.com/h', secret: 'sk_live_notwhsec' },
        { name: 'a', url: 'https://example.com/h', secret: SECRET, events: ['session.created'] },
      ]),
    ).toThrowError(
      /OUTBOUND_WEBHOOKS: 0\.secret: secret must be[\s\S]*OUTBOUND_WEBHOOKS: 1\.events\.0: Invalid option/,
    );
    expect(() =>
      endpoints([
        { name: 'a', url: 'https://example.com/h', secret: SECRET },
        { name: 'a', url: 'https://example.com/i', secret: SECRET },
      ]),
    ).toThrowError('OUTBOUND_WEBHOOKS: 1.name: name "a" is used twice');
    try {
      endpoints([{ name: 'a', url: 'https://example.com/h', secret: 'whsec_c2hvcnQ=' }]);
    } catch (error) {
      expect(String(error)).not.toContain('c2hvcnQ');
    }
  });

  it('demands https and a public address in production, unless private receivers are allowed', () => {
    const prod = {
      NODE_ENV: 'production',
      GATEWAY_API_KEYS: JSON.stringify([{ name: 'k', key: 'k'.repeat(20), scopes: ['sessions:read'] }]),
    };
    const list = [
      { name: 'plain', url: 'http://hooks.example.com/in', secret: SECRET },
      { name: 'local', url: 'https://127.0.0.1/in', secret: SECRET },
      { name: 'internal', url: 'https://10.1.2.3/in', secret: SECRET },
    ];
    expect(() => endpoints(list, prod)).toThrowError(
      /0\.url: must be https in production[\s\S]*1\.url: a loopback or private address[\s\S]*2\.url: a loopback or private address/,
    );
    const allowed = endpoints(list.slice(1), { ...prod, OUTBOUND_WEBHOOKS_ALLOW_PRIVATE: 'true' });
    expect(allowed.endpoints.map((e) => e.name)).toEqual(['local', 'internal']);
  });
});

describe('the SSRF guard', () => {
  it('knows the private, loopback and link-local ranges of both families', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.8',
      '172.20.1.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
    ])
      expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '172.32.0.1', '2606:4700::1111']) expect(isPrivateAddress(a), a).toBe(false);
    expect(isPrivateHost('localhost')).toBe(true);
    expect(isPrivateHost('hooks.example.com')).toBe(false);
  });

  it('refuses at connect time a name that resolves to loopback, and sends to it when private receivers are allowed', async () => {
    const server = createServer((_req, res) => res.end('ok')).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://localhost:${(server.address() as AddressInfo).port}/in`;
    const keys = [secretKey(SECRET) as Buffer];
    const guarded = new OutboundSender({ allowPrivate: false });
    const open = new OutboundSender({ allowPrivate: true });
    try {
      expect(await guarded.send(url, keys, { id: 'msg_1', body: '{}' }, 1)).toEqual({
        outcome: 'retry',
        statusCode: null,
        retryAfterSeconds: null,
        error: 'EPRIVATE',
      });
      expect(await open.send(url, keys, { id: 'msg_1', body: '{}' }, 1)).toEqual({
        outcome: 'delivered',
        statusCode: 200,
      });
    } finally {
      await Promise.all([guarded.close(), open.close()]);
      server.close();
    }
  });
});

describe('retries', () => {
  it('wait 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then give up', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelaySeconds(n, null))).toEqual([
      5,
      300,
      1_800,
      7_200,
      18_000,
      36_000,
      36_000,
      null,
    ]);
  });

  it('honour a longer Retry-After, up to the next step', () => {
    expect(retryDelaySeconds(1, 60)).toBe(60);
    expect(retryDelaySeconds(1, 100_000)).toBe(300);
    expect(retryDelaySeconds(2, 10)).toBe(300);
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter('Fri, 04 Dec 2026 09:01:00 GMT', Date.parse('2026-12-04T09:00:00Z'))).toBe(60);
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('a delivery attempt', () => {
  let server: ReturnType<typeof createServer>;
  let url = '';
  let answer: { status: number; headers?: Record<string, string> } = { status: 200 };
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  beforeAll(async () => {
    server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      received.push({ headers: req.headers, body });
      res.writeHead(answer.status, answer.headers).end();
    }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  });
  afterAll(() => server.close());

  it('sends the Standard Webhooks headers and reads 2xx, 410 and Retry-After', async () => {
    const sender = new OutboundSender({ allowPrivate: true });
    const keys = [secretKey(SECRET) as Buffer];
    const message = { id: 'msg_abc', body: '{"type":"verification.test"}' };
    answer = { status: 204 };
    expect(await sender.send(url, keys, message, 1_800_000_000)).toEqual({ outcome: 'delivered', statusCode: 204 });
    answer = { status: 410 };
    expect(await sender.send(url, keys, message, 1_800_000_000)).toEqual({ outcome: 'gone', statusCode: 410 });
    answer = { status: 503, headers: { 'retry-after': '30' } };
    expect(await sender.send(url, keys, message, 1_800_000_000)).toEqual({
      outcome: 'retry',
      statusCode: 503,
      retryAfterSeconds: 30,
      error: null,
    });
    await sender.close();
    const first = received[0];
    expect(first?.headers['webhook-id']).toBe('msg_abc');
    expect(first?.headers['webhook-timestamp']).toBe('1800000000');
    expect(first?.headers['webhook-signature']).toBe(signWebhook(keys, 'msg_abc', 1_800_000_000, message.body));
    expect(first?.body).toBe(message.body);
  });
});
