import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { Simulator } from '../../src/sandbox/server.ts';
import { BodyRateGuard, SlowBodyError } from '../../src/upstream/bodyRate.ts';
import { CircuitBreaker } from '../../src/upstream/breaker.ts';
import { onUpstreamEvent, type UpstreamOutcome } from '../../src/upstream/events.ts';
import type { UpstreamResponse } from '../../src/upstream/http.ts';
import { parseUpstreamJson } from '../../src/upstream/parse.ts';
import { client, startEcho } from './support.ts';

const withRetries = { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterSeconds: 0 } };
const floor = { minBodyRate: { graceMs: 100, bytesPerSecond: 1024 } };
const timeouts = { timeouts: { connectMs: 300, headersMs: 300, bodyMs: 1_000, totalMs: 2_000 } };

function outcomes(): { seen: UpstreamOutcome[]; stop: () => void } {
  const seen: UpstreamOutcome[] = [];
  const stop = onUpstreamEvent((e) => {
    if (e.type === 'upstream_request') seen.push(e.outcome);
  });
  return { seen, stop };
}

describe('circuit breaker: calls that say nothing about the vendor', () => {
  it('release() counts nothing in CLOSED, and frees a half-open probe slot without closing or opening', () => {
    let now = 1_000_000;
    const breaker = new CircuitBreaker({ minCalls: 2, openMs: 1_000, now: () => now });
    for (let i = 0; i < 10; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.release();
    }
    breaker.record(false);
    expect(breaker.state()).toBe('CLOSED'); // one counted call: the released ones are not in the window
    breaker.record(false);
    expect(breaker.state()).toBe('OPEN');
    now += 1_000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.release();
    expect(breaker.state()).toBe('HALF_OPEN');
    expect(breaker.tryAcquire()).toBe(true); // the next call is the probe
    breaker.record(true);
    expect(breaker.state()).toBe('CLOSED');
  });
});

describe('body rate guard', () => {
  // Timers faked, setImmediate real: the guard's second look runs after the I/O of the current turn.
  let clock = 0;
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const advance = (ms: number) => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };
  const watch = () => {
    const destroyed: unknown[] = [];
    const guard = new BodyRateGuard(
      { destroy: (e) => destroyed.push(e) },
      { graceMs: 1_000, bytesPerSecond: 1_000 },
      () => clock,
    );
    return { guard, destroyed };
  };
  beforeEach(() => {
    clock = 0;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => vi.useRealTimers());

  it('leaves a body alone during the grace, then cuts one below the floor', async () => {
    const { destroyed } = watch();
    advance(999);
    await nextTurn();
    expect(destroyed).toEqual([]);
    advance(1);
    await nextTurn();
    expect(destroyed).toEqual([expect.any(SlowBodyError)]);
  });

  it('keeps checking while the average holds, and cuts when it stops', async () => {
    const { guard, destroyed } = watch();
    guard.received(1_500); // enough until 1.5 s
    advance(1_400);
    await nextTurn();
    guard.received(1_000); // enough until 2.5 s
    advance(1_000);
    await nextTurn();
    expect(destroyed).toEqual([]);
    advance(200);
    await nextTurn();
    expect(destroyed).toHaveLength(1);
  });

  it('counts bytes that arrived while the timer was late before judging', async () => {
    const { guard, destroyed } = watch();
    advance(1_000);
    guard.received(5_000); // read in the same turn, after the timer
    await nextTurn();
    expect(destroyed).toEqual([]);
  });

  it('does nothing once stopped', async () => {
    const { guard, destroyed } = watch();
    guard.stop();
    advance(10_000);
    await nextTurn();
    expect(destroyed).toEqual([]);
  });
});

describe('per-response problems around a real upstream', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startEcho();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.faults.clear();
    sim.resetCount();
  });

  it('bodies over the cap are each one call, never retried, and leave the circuit closed', async () => {
    sim.faults.inject({ kind: 'oversize', bytes: 64 * 1024 });
    const { http, policy } = client(sim, { ...withRetries, breaker: { minCalls: 3 } }, { maxBodyBytes: 16 * 1024 });
    const events = outcomes();
    for (let i = 0; i < 6; i += 1) {
      await expect(http.request({ path: '/x' })).rejects.toMatchObject({
        message: 'Verifa sent a response Verigate cannot read: the response body is too large.',
        extensions: { code: 'UPSTREAM_BAD_RESPONSE', provider: 'VERIFA' },
      });
    }
    events.stop();
    expect(events.seen).toEqual(Array.from({ length: 6 }, () => 'bad_response'));
    expect(sim.requestCount()).toBe(6);
    expect(policy.breaker.state()).toBe('CLOSED');
  });

  it('an oversized half-open probe keeps the circuit half-open; the next healthy call closes it', async () => {
    const { http, policy } = client(
      sim,
      { breaker: { minCalls: 2, openMs: 100 }, retry: { ...withRetries.retry, maxAttempts: 1 } },
      { maxBodyBytes: 16 * 1024 },
    );
    sim.faults.inject({ kind: 'status', status: 503 }, { times: 2 });
    for (let i = 0; i < 2; i += 1) expect((await http.request({ path: '/x' })).status).toBe(503);
    expect(policy.breaker.state()).toBe('OPEN');
    await new Promise((resolve) => setTimeout(resolve, 150));
    sim.faults.inject({ kind: 'oversize', bytes: 64 * 1024 }, { times: 1 });
    await expect(http.request({ path: '/x' })).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_BAD_RESPONSE' },
    });
    expect(policy.breaker.state()).toBe('HALF_OPEN');
    expect((await http.request({ path: '/x' })).status).toBe(200);
    expect(policy.breaker.state()).toBe('CLOSED');
  });

  it('a call the bulkhead refuses counts neither way: a half-open circuit stays half-open', async () => {
    sim.faults.inject({ kind: 'latency', ms: 1_000 }, { times: 1 });
    const { http, policy } = client(
      sim,
      {
        maxConcurrent: 1,
        maxQueued: 0,
        breaker: { minCalls: 2, openMs: 100 },
        retry: { ...withRetries.retry, maxAttempts: 1 },
      },
      { timeouts: { connectMs: 1_000, headersMs: 3_000, bodyMs: 3_000, totalMs: 5_000 } },
    );
    const busy = http.request({ path: '/slow' }).catch(() => null); // holds the only slot
    policy.breaker.record(false);
    policy.breaker.record(false);
    expect(policy.breaker.state()).toBe('OPEN');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(http.request({ path: '/x' })).rejects.toMatchObject({
      message: 'Verifa is unavailable: too many calls to it are already in flight.',
    });
    expect(policy.breaker.state()).toBe('HALF_OPEN');
    expect((await busy)?.status).toBe(200);
  });

  it('a 5xx still counts against the vendor even when its body is over the cap', async () => {
    // A cap of 10 bytes puts the simulator's JSON error body over it.
    const { http, policy } = client(
      sim,
      { breaker: { minCalls: 2 }, retry: { ...withRetries.retry, maxAttempts: 1 } },
      { maxBodyBytes: 10 },
    );
    sim.faults.inject({ kind: 'status', status: 503 });
    for (let i = 0; i < 2; i += 1) {
      await expect(http.request({ path: '/x' })).rejects.toMatchObject({
        extensions: { code: 'UPSTREAM_BAD_RESPONSE' },
      });
    }
    expect(policy.breaker.state()).toBe('OPEN');
  });

  it('cuts off a body that trickles below the rate floor: unavailable for that call, not retried, not counted', async () => {
    sim.faults.inject({ kind: 'trickle', everyMs: 20 });
    const { http, policy } = client(sim, { ...withRetries, breaker: { minCalls: 3 } }, { ...timeouts, ...floor });
    const events = outcomes();
    for (let i = 0; i < 4; i += 1) {
      await expect(http.request({ path: '/x' })).rejects.toMatchObject({
        message: 'Verifa is unavailable: the response body arrived too slowly.',
        extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
      });
    }
    events.stop();
    expect(events.seen).toEqual(Array.from({ length: 4 }, () => 'slow_body'));
    expect(sim.requestCount()).toBe(4);
    expect(policy.breaker.state()).toBe('CLOSED');
    // The connections were given back: the pool still answers.
    sim.faults.clear();
    expect((await http.request({ path: '/x' })).status).toBe(200);
  });

  it('lets a body longer than the grace through while it keeps above the floor', async () => {
    // 4 000 bytes, 200 every 20 ms: about 10 kB/s for about 400 ms, ten times the floor and four times the grace.
    sim.faults.inject({ kind: 'trickle', everyMs: 20, chunkBytes: 200, bytes: 4_000 }, { times: 1 });
    const res = await client(sim, withRetries, { ...timeouts, ...floor }).http.request({ path: '/x' });
    expect(res.status).toBe(200);
    expect(res.body.length).toBe(4_000);
    expect(sim.requestCount()).toBe(1);
  });
});

describe('vendor bodies must be labelled as JSON', () => {
  const schema = z.object({ ok: z.boolean() });
  const response = (contentType?: string | string[]): UpstreamResponse => ({
    status: 200,
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body: Buffer.from('{"ok":true}'),
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON ; charset="UTF-8"',
    'application/problem+json',
    'application/vnd.verifa.v1+json; charset=utf-8',
  ])('reads a body labelled %s', (contentType) => {
    expect(parseUpstreamJson('VERIFA', schema, response(contentType), 'result payload')).toEqual({ ok: true });
  });

  it('reads a body without a Content-Type (the parser and the schema judge it)', () => {
    expect(parseUpstreamJson('VERIFA', schema, response(), 'result payload')).toEqual({ ok: true });
  });

  it.each([
    'text/html',
    'text/html; charset=utf-8',
    'text/plain',
    'text/json',
    'application/jsonx',
    'application/json+',
    'application/octet-stream',
    'json',
    'application/+json/x',
  ])('refuses a body labelled %s', (contentType) => {
    expect(() => parseUpstreamJson('VERIFA', schema, response(contentType), 'result payload')).toThrow(
      expect.objectContaining({
        message: 'Verifa sent a response Verigate cannot read: the result payload is not labelled as JSON.',
        extensions: { code: 'UPSTREAM_BAD_RESPONSE', provider: 'VERIFA' },
      }),
    );
  });
});
