import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sandbox/server.ts';
import { CircuitBreaker } from '../../src/upstream/breaker.ts';
import { onUpstreamEvent } from '../../src/upstream/events.ts';
import { client, startEcho } from './support.ts';

describe('circuit breaker', () => {
  it('opens at the failure rate once enough calls were seen, then probes once after the open period', () => {
    let now = 1_000_000;
    const changes: string[] = [];
    const breaker = new CircuitBreaker({ minCalls: 4, failureRate: 0.5, openMs: 1_000, now: () => now }, (s) =>
      changes.push(s),
    );
    breaker.record(false);
    breaker.record(false);
    breaker.record(true);
    expect(breaker.state()).toBe('CLOSED'); // 3 calls < minCalls
    breaker.record(false);
    expect(breaker.state()).toBe('OPEN');
    expect(breaker.tryAcquire()).toBe(false);
    now += 1_000;
    expect(breaker.state()).toBe('HALF_OPEN');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // one probe at a time
    breaker.record(false);
    expect(breaker.state()).toBe('OPEN');
    now += 1_000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.record(true);
    expect(breaker.state()).toBe('CLOSED');
    expect(changes).toEqual(['OPEN', 'HALF_OPEN', 'OPEN', 'HALF_OPEN', 'CLOSED']);
  });

  it('forgets failures older than its window', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ minCalls: 2, windowMs: 1_000, now: () => now });
    breaker.record(false);
    now = 5_000;
    breaker.record(false);
    expect(breaker.state()).toBe('CLOSED');
  });
});

describe('circuit breaker around a real upstream', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startEcho();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.faults.clear();
    sim.resetCount();
  });

  it('fails fast with UPSTREAM_UNAVAILABLE while open, without calling the upstream, and recovers', async () => {
    const { http, policy } = client(sim, {
      breaker: { minCalls: 3, openMs: 300 },
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterSeconds: 0 },
    });
    const states: string[] = [];
    const off = onUpstreamEvent((e) => {
      if (e.type === 'circuit') states.push(e.state);
    });
    sim.faults.inject({ kind: 'status', status: 502 });
    for (let i = 0; i < 3; i += 1) expect((await http.request({ path: '/x' })).status).toBe(502);
    expect(policy.breaker.state()).toBe('OPEN');
    const seen = sim.requestCount();
    await expect(http.request({ path: '/x' })).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA', retryAfterSeconds: 1 },
    });
    expect(sim.requestCount()).toBe(seen);
    sim.faults.clear();
    await new Promise((r) => setTimeout(r, 350));
    expect(policy.breaker.state()).toBe('HALF_OPEN');
    expect((await http.request({ path: '/x' })).status).toBe(200);
    expect(policy.breaker.state()).toBe('CLOSED');
    off();
    expect(states).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
  });

  it('does not count 4xx answers or 429s as failures', async () => {
    const { http, policy } = client(sim, {
      breaker: { minCalls: 2 },
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterSeconds: 0 },
    });
    sim.faults.inject({ kind: 'status', status: 404 }, { times: 2 });
    sim.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 9 }, { times: 2 });
    for (let i = 0; i < 4; i += 1) await http.request({ path: '/x' });
    expect(policy.breaker.state()).toBe('CLOSED');
  });
});
