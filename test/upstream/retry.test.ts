import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sandbox/server.ts';
import { backoffMs, DEFAULT_RETRY, RetryBudget } from '../../src/upstream/retry.ts';
import { client, startEcho } from './support.ts';

describe('retries', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startEcho();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.faults.clear();
    sim.resetCount();
  });

  it('retries a GET after a 500 and returns the answer of the next attempt', async () => {
    sim.faults.inject({ kind: 'status', status: 500 }, { times: 1 });
    const { http } = client(sim);
    const res = await http.request({ path: '/x' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true });
    expect(sim.requestCount()).toBe(2);
  });

  it('retries after a connection reset', async () => {
    sim.faults.inject({ kind: 'reset' }, { times: 1 });
    const res = await client(sim).http.request({ path: '/x' });
    expect(res.status).toBe(200);
    expect(sim.requestCount()).toBe(2);
  });

  it('gives up after three attempts and returns the last 5xx', async () => {
    sim.faults.inject({ kind: 'status', status: 503 });
    const res = await client(sim).http.request({ path: '/x' });
    expect(res.status).toBe(503);
    expect(sim.requestCount()).toBe(3);
  });

  it('never retries a POST', async () => {
    sim.faults.inject({ kind: 'status', status: 500 });
    const res = await client(sim).http.request({ path: '/token', method: 'POST', body: 'x' });
    expect(res.status).toBe(500);
    expect(sim.requestCount()).toBe(1);
  });

  it('honours a short Retry-After on 429 and waits for it', async () => {
    sim.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 1 }, { times: 1 });
    const started = Date.now();
    const res = await client(sim).http.request({ path: '/x' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(sim.requestCount()).toBe(2);
  });

  it('does not wait for a Retry-After past the cap: the 429 goes back at once', async () => {
    sim.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 30 }, { times: 1 });
    const res = await client(sim).http.request({ path: '/x' });
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
    expect(sim.requestCount()).toBe(1);
  });

  it('stops retrying when the retry budget is spent, so a dead vendor sees no retry storm', async () => {
    sim.faults.inject({ kind: 'status', status: 500 });
    const { http } = client(sim, { retryBudget: { ratio: 0.1, minPerWindow: 2 }, breaker: { minCalls: 1_000 } });
    for (let i = 0; i < 20; i += 1) await http.request({ path: '/x' });
    // 20 first attempts + at most 2 + 0.1 * 20 = 4 retries.
    expect(sim.requestCount()).toBeLessThanOrEqual(24);
    expect(sim.requestCount()).toBeGreaterThanOrEqual(20);
  });
});

describe('backoff and budget', () => {
  it('draws full-jitter delays under an exponential ceiling', () => {
    expect(backoffMs(1, DEFAULT_RETRY, () => 1)).toBe(100);
    expect(backoffMs(2, DEFAULT_RETRY, () => 1)).toBe(200);
    expect(backoffMs(10, DEFAULT_RETRY, () => 1)).toBe(1_000);
    expect(backoffMs(3, DEFAULT_RETRY, () => 0)).toBe(0);
  });

  it('allows the floor, then a share of requests', () => {
    let now = 0;
    const budget = new RetryBudget({ ratio: 0.5, minPerWindow: 1, now: () => now });
    for (let i = 0; i < 4; i += 1) budget.recordRequest();
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    now = 20_000; // the window has passed
    expect(budget.tryRetry()).toBe(true);
  });
});
