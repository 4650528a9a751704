import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROVIDERS as ALL_PROVIDERS, type Provider } from '../src/model/session.ts';
import { FULL_KEY, type GraphQLBody, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { describeWithRedis, startTestRedis, type TestRedis } from './support/redis.ts';

const KEY_A = Buffer.alloc(32, 11).toString('base64');
const KEY_B = Buffer.alloc(32, 13).toString('base64');
// Every registered provider: none may be called on a bad input's behalf.
const PROVIDERS: readonly Provider[] = ALL_PROVIDERS;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });
const APPROVED = { data: { session: { status: 'APPROVED' } } };

/** A valid operation named `name`, padded with a comment to exactly `bytes` bytes (comments are not tokens). */
function documentOf(name: string, bytes = 0): string {
  const text = `query ${name} { session(provider: VERIFA, id: "ses_approved") { status } }`;
  if (bytes === 0) return text;
  const padding = bytes - Buffer.byteLength(text) - 3;
  if (padding < 0) throw new Error(`${bytes} bytes is too small for ${name}`);
  return `${text}\n# ${'x'.repeat(padding)}`;
}

type Answer = { status: number; body: GraphQLBody; headers: Record<string, string | string[] | undefined> };

async function post(gw: TestGateway, body: unknown, key = FULL_KEY): Promise<Answer> {
  const res = await request(gw.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  return { status: res.statusCode, body: (await res.body.json()) as GraphQLBody, headers: res.headers };
}

async function get(gw: TestGateway, params: Record<string, unknown>, key = FULL_KEY): Promise<Answer> {
  const search = new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  const res = await request(`${gw.gateway.url}?${search}`, {
    headers: { authorization: `Bearer ${key}`, 'apollo-require-preflight': 'true' },
  });
  return { status: res.statusCode, body: (await res.body.json()) as GraphQLBody, headers: res.headers };
}

/** Registers `document` the way Apollo Client's persisted-query link does: the hash alone, then text and hash. */
async function register(gw: TestGateway, document: string, key = FULL_KEY): Promise<Answer> {
  const miss = await post(gw, { extensions: apq(sha256(document)) }, key);
  expect(miss.body.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_NOT_FOUND' });
  return post(gw, { query: document, extensions: apq(sha256(document)) }, key);
}

const byHash = (gw: TestGateway, document: string, key = FULL_KEY) =>
  post(gw, { extensions: apq(sha256(document)) }, key);
const NOT_FOUND = {
  status: 200,
  body: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] },
};
const answer = (a: Answer) => ({ status: a.status, body: a.body });

function vendorCalls(gw: TestGateway): number {
  return PROVIDERS.reduce((sum, p) => sum + gw.simulator(p).requestCount(), 0);
}

describe('APQ document size', () => {
  let gw: TestGateway;
  let small: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
    small = await startTestGateway({ APQ_MAX_DOCUMENT_BYTES: '1024' });
  });
  afterAll(async () => {
    await Promise.all([gw.close(), small.close()]);
  });

  it('refuses to register a document over 16 KiB (the default) with PERSISTED_QUERY_TOO_LARGE; its hash stays unknown', async () => {
    const big = documentOf('TooBig', 16 * 1024 + 1);
    for (const p of PROVIDERS) gw.simulator(p).resetCount();
    const refused = await register(gw, big);
    expect(answer(refused)).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message:
              'Persisted queries are registered up to 16384 bytes; this document has 16385. Send it without extensions.persistedQuery.',
            extensions: { code: 'PERSISTED_QUERY_TOO_LARGE' },
          },
        ],
      },
    });
    expect(answer(await byHash(gw, big))).toEqual(NOT_FOUND);
    expect(vendorCalls(gw)).toBe(0);
  });

  it('registers a document of exactly 16 KiB and runs it by hash', async () => {
    const atCap = documentOf('AtCap', 16 * 1024);
    expect(answer(await register(gw, atCap))).toEqual({ status: 200, body: APPROVED });
    expect(answer(await byHash(gw, atCap))).toEqual({ status: 200, body: APPROVED });
  });

  it('still runs a document over the cap sent as a plain query: the cap is on what is stored', async () => {
    const big = documentOf('PlainBig', 20 * 1024);
    expect(answer(await post(gw, { query: big }))).toEqual({ status: 200, body: APPROVED });
  });

  it('refuses a GET registration over APQ_MAX_DOCUMENT_BYTES the same way', async () => {
    const doc = documentOf('GetTooBig', 1025);
    const miss = await get(small, { extensions: apq(sha256(doc)) });
    expect(answer(miss)).toEqual(NOT_FOUND);
    const refused = await get(small, { query: doc, extensions: apq(sha256(doc)) });
    expect(answer(refused)).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message:
              'Persisted queries are registered up to 1024 bytes; this document has 1025. Send it without extensions.persistedQuery.',
            extensions: { code: 'PERSISTED_QUERY_TOO_LARGE' },
          },
        ],
      },
    });
    expect(answer(await get(small, { extensions: apq(sha256(doc)) }))).toEqual(NOT_FOUND);
    const fits = documentOf('GetFits', 1024);
    expect(answer(await get(small, { query: fits, extensions: apq(sha256(fits)) }))).toEqual({
      status: 200,
      body: APPROVED,
    });
    expect(answer(await get(small, { extensions: apq(sha256(fits)) }))).toEqual({ status: 200, body: APPROVED });
  });
});

const LIMITED = (retryAfter: unknown = expect.any(String)) => ({
  status: 429,
  headers: expect.objectContaining({ 'retry-after': retryAfter }),
  body: {
    errors: [
      {
        message:
          'This credential registered 3 persisted queries in the last minute, its limit. Retry later, or send the query without extensions.persistedQuery.',
        extensions: { code: 'PERSISTED_QUERY_REGISTRATION_LIMITED' },
      },
    ],
  },
});

describe('APQ registrations per credential and minute', () => {
  it('refuses the registration past APQ_REGISTRATIONS_PER_MINUTE with 429 and Retry-After; hashes already known still run', async () => {
    const gw = await startTestGateway({ APQ_REGISTRATIONS_PER_MINUTE: '3' });
    try {
      const docs = ['R1', 'R2', 'R3', 'R4'].map((name) => documentOf(name));
      for (const doc of docs.slice(0, 3))
        expect(answer(await register(gw, doc))).toEqual({ status: 200, body: APPROVED });
      const fourth = await register(gw, docs[3] as string);
      expect({ ...answer(fourth), headers: fourth.headers }).toEqual(LIMITED());
      const retryAfter = Number(fourth.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(answer(await byHash(gw, docs[3] as string))).toEqual(NOT_FOUND);

      // Running by hash, and plain queries, are not registrations.
      for (const doc of docs.slice(0, 3))
        expect(answer(await byHash(gw, doc))).toEqual({ status: 200, body: APPROVED });
      expect(answer(await post(gw, { query: docs[3] }))).toEqual({ status: 200, body: APPROVED });
      // Another credential has its own count.
      expect(answer(await register(gw, docs[3] as string, READ_ONLY_KEY))).toEqual({ status: 200, body: APPROVED });
    } finally {
      await gw.close();
    }
  });
});

describeWithRedis('APQ in Redis', () => {
  let redisServer: TestRedis;
  let redis: Redis;
  const gateways: TestGateway[] = [];
  const start = async (env: Record<string, string>) => {
    const gw = await startTestGateway({ REDIS_URL: redisServer.url(3), CACHE_ENCRYPTION_KEY: KEY_A, ...env });
    gateways.push(gw);
    return gw;
  };
  /** Waits until every gateway started here has its Redis connection on database 3 (this test's is one more). */
  const connected = async () => {
    for (let i = 0; i < 200; i++) {
      const clients = String(await redis.client('LIST')).split('\n');
      // Subscriber connections (the session-changes bus) do not count: they cannot run commands.
      if (clients.filter((c) => c.includes(' db=3 ') && c.includes(' sub=0 ')).length > gateways.length) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  /** Redis keys holding a document (not the budget's index or the registration counters). */
  const documentKeys = async () =>
    (await redis.keys('verigate:apq:*')).filter((k) => !/:(index|registrations)(:|$)/.test(k));
  beforeAll(async () => {
    redisServer = await startTestRedis();
    redis = new Redis(redisServer.url(3));
  });
  beforeEach(async () => {
    await redis.flushdb();
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    redis?.disconnect();
    await redisServer?.stop();
  });

  it('counts registrations per credential across replicas', async () => {
    const a = await start({ APQ_REGISTRATIONS_PER_MINUTE: '3' });
    const b = await start({ APQ_REGISTRATIONS_PER_MINUTE: '3' });
    await connected();
    const docs = ['S1', 'S2', 'S3', 'S4'].map((name) => documentOf(name));
    expect(answer(await register(a, docs[0] as string))).toEqual({ status: 200, body: APPROVED });
    expect(answer(await register(a, docs[1] as string))).toEqual({ status: 200, body: APPROVED });
    expect(answer(await register(b, docs[2] as string))).toEqual({ status: 200, body: APPROVED });
    const fourth = await register(b, docs[3] as string);
    expect({ ...answer(fourth), headers: fourth.headers }).toEqual(LIMITED());
    expect(answer(await register(a, docs[3] as string, READ_ONLY_KEY))).toEqual({ status: 200, body: APPROVED });
  });

  it('keeps at most APQ_MAX_ENTRIES documents, dropping the oldest registered', async () => {
    const gw = await start({ APQ_MAX_ENTRIES: '10', APQ_REGISTRATIONS_PER_MINUTE: '100' });
    await connected();
    const docs = Array.from({ length: 14 }, (_, i) => documentOf(`Budget${i}`));
    for (const doc of docs) expect(answer(await register(gw, doc))).toEqual({ status: 200, body: APPROVED });
    expect(await documentKeys()).toHaveLength(10);
    for (const doc of docs.slice(0, 4)) expect(answer(await byHash(gw, doc))).toEqual(NOT_FOUND);
    for (const doc of docs.slice(4)) expect(answer(await byHash(gw, doc))).toEqual({ status: 200, body: APPROVED });
  });

  it('stores documents sealed under names that are not their hash; replicas with the same key share them, another key does not', async () => {
    const a = await start({});
    const b = await start({});
    const c = await start({ CACHE_ENCRYPTION_KEY: KEY_B });
    await connected();
    const doc = documentOf('Sealed');
    expect(answer(await register(a, doc))).toEqual({ status: 200, body: APPROVED });
    const keys = await documentKeys();
    expect(keys).toHaveLength(1);
    const key = keys[0] as string;
    expect(key).toMatch(/^verigate:apq:v2:doc:[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain(sha256(doc));
    const raw = (await redis.getBuffer(key)) as Buffer;
    for (const plain of ['ses_approved', 'Sealed', 'session']) expect(raw.includes(plain)).toBe(false);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);

    expect(answer(await byHash(b, doc))).toEqual({ status: 200, body: APPROVED });
    expect(answer(await byHash(c, doc))).toEqual(NOT_FOUND);
  });
});
