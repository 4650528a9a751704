import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/model/session.ts';
import type { Fault } from '../src/sandbox/server.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

/** The affected session and an unaffected one side by side, plus a field that needs no provider. */
const QUERY = `{
  hit: session(provider: VERIFA, id: "ses_approved") { status }
  intact: session(provider: VERIFA, id: "ses_abc123") { status providerStatus face { faceMatchScore } }
  providers { provider configured }
}`;

const CASES: Array<[string, Fault, Record<string, unknown>, string]> = [
  [
    'latency past the deadline',
    { kind: 'latency', ms: 3_000 },
    { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    'Verifa is unavailable: the request timed out.',
  ],
  [
    'HTTP 500',
    { kind: 'status', status: 500 },
    { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    'Verifa is unavailable: it answered HTTP 500.',
  ],
  [
    'HTTP 503',
    { kind: 'status', status: 503 },
    { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    'Verifa is unavailable: it answered HTTP 503.',
  ],
  [
    '429 with Retry-After',
    { kind: 'rate_limit', retryAfterSeconds: 30 },
    { code: 'UPSTREAM_RATE_LIMITED', provider: 'VERIFA', retryAfterSeconds: 30 },
    'Verifa is rate limiting Verigate; retry in 30 s.',
  ],
  [
    'connection reset',
    { kind: 'reset' },
    { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    'Verifa is unavailable: the connection failed.',
  ],
  [
    'body stalling mid-stream',
    { kind: 'stall' },
    { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    'Verifa is unavailable: the request timed out.',
  ],
  [
    'oversized body',
    { kind: 'oversize', bytes: 3 * 1024 * 1024 },
    { code: 'UPSTREAM_BAD_RESPONSE', provider: 'VERIFA' },
    'Verifa sent a response Verigate cannot read: the response body is too large.',
  ],
  [
    'garbage instead of JSON',
    { kind: 'garbage' },
    { code: 'UPSTREAM_BAD_RESPONSE', provider: 'VERIFA' },
    'Verifa sent a response Verigate cannot read: the result payload body is not JSON.',
  ],
];

describe('faults from the vendor cost only their own fields', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // A breaker that never opens here, so each case sees the fault itself.
    gw = await startTestGateway({}, { policy: { breaker: { minCalls: 1_000 } } });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.simulator('VERIFA').faults.clear());

  it.each(CASES)('%s', async (_name, fault, extensions, message) => {
    const sim = gw.simulator('VERIFA');
    sim.faults.inject(fault, { path: 'ses_approved' });
    const { status, body } = await gw.query(QUERY);
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        hit: null,
        intact: { status: 'IN_REVIEW', providerStatus: 'needs_review', face: { faceMatchScore: 0.91 } },
        providers: PROVIDERS.map((provider) => ({
          provider,
          configured: provider === 'VERIFA' ? true : expect.any(Boolean),
        })),
      },
      errors: [{ message, locations: [{ line: 2, column: 3 }], path: ['hit'], extensions }],
    });

    // The process stays healthy and serves the same session once the vendor recovers.
    sim.faults.clear();
    const health = await request(gw.gateway.url.replace('/graphql', '/healthz'));
    expect(health.statusCode).toBe(200);
    await health.body.dump();
    const after = await gw.query('{ session(provider: VERIFA, id: "ses_approved") { status } }');
    expect(after.body).toEqual({ data: { session: { status: 'APPROVED' } } });
  });

  it('recovers from a transient 500 by retrying, invisibly to the client', async () => {
    const sim = gw.simulator('VERIFA');
    sim.resetCount();
    sim.faults.inject({ kind: 'status', status: 500 }, { times: 1 });
    const { body } = await gw.query('{ session(provider: VERIFA, id: "ses_approved") { status } }');
    expect(body).toEqual({ data: { session: { status: 'APPROVED' } } });
    expect(sim.requestCount()).toBe(2);
  });
});

describe('circuit breaker, end to end', () => {
  it('opens after repeated failures, fails fast without calling Verifa, and shows in providers', async () => {
    const gw = await startTestGateway({}, { policy: { breaker: { minCalls: 4, openMs: 60_000 } } });
    try {
      const sim = gw.simulator('VERIFA');
      sim.faults.inject({ kind: 'status', status: 502 });
      for (let i = 0; i < 2; i += 1) await gw.query('{ session(provider: VERIFA, id: "ses_approved") { status } }');
      sim.resetCount();
      const { body } = await gw.query(
        '{ session(provider: VERIFA, id: "ses_approved") { status } providers { provider healthy circuit } }',
      );
      expect(body.data?.session).toBeNull();
      expect(body.errors?.[0]?.extensions).toEqual({
        code: 'UPSTREAM_UNAVAILABLE',
        provider: 'VERIFA',
        retryAfterSeconds: 60,
      });
      expect(body.data?.providers).toContainEqual({ provider: 'VERIFA', healthy: false, circuit: 'OPEN' });
      expect(sim.requestCount()).toBe(0);
    } finally {
      await gw.close();
    }
  });
});

describe('client-side rate budget, end to end', () => {
  it('answers UPSTREAM_RATE_LIMITED itself past VERIFA_RATE_LIMIT_PER_MINUTE', async () => {
    const gw = await startTestGateway({ VERIFA_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const sim = gw.simulator('VERIFA');
      sim.resetCount();
      await gw.query(
        '{ a: session(provider: VERIFA, id: "ses_approved") { status } b: session(provider: VERIFA, id: "ses_rejected") { status } }',
      );
      const { body } = await gw.query('{ session(provider: VERIFA, id: "ses_abc123") { status } }');
      expect(body).toEqual({
        data: { session: null },
        errors: [
          {
            message: "Verigate's request budget for Verifa is spent; retry in 60 s.",
            locations: expect.any(Array),
            path: ['session'],
            extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: 'VERIFA', retryAfterSeconds: 60 },
          },
        ],
      });
      expect(sim.requestCount()).toBe(2);
    } finally {
      await gw.close();
    }
  });
});
