import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sandbox/server.ts';
import { client, startEcho } from './support.ts';

const noRetry = { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterSeconds: 0 } };

describe('timeouts, body cap and transport failures', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startEcho();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.faults.clear();
    sim.resetCount();
  });

  it('times out waiting for headers', async () => {
    sim.faults.inject({ kind: 'latency', ms: 1_000 }, { times: 1 });
    await expect(client(sim, noRetry).http.request({ path: '/x' })).rejects.toMatchObject({
      message: 'Verifa is unavailable: the request timed out.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    });
  });

  it('times out a body that stalls mid-stream', async () => {
    sim.faults.inject({ kind: 'stall' }, { times: 1 });
    const started = Date.now();
    await expect(client(sim, noRetry).http.request({ path: '/x' })).rejects.toMatchObject({
      message: 'Verifa is unavailable: the request timed out.',
    });
    expect(Date.now() - started).toBeLessThan(1_400);
  });

  it('cuts off a body over the cap', async () => {
    sim.faults.inject({ kind: 'oversize', bytes: 64 * 1024 }, { times: 1 });
    await expect(client(sim, noRetry, { maxBodyBytes: 16 * 1024 }).http.request({ path: '/x' })).rejects.toMatchObject({
      message: 'Verifa sent a response Verigate cannot read: the response body is too large.',
      extensions: { code: 'UPSTREAM_BAD_RESPONSE', provider: 'VERIFA' },
    });
  });

  it('reports a reset connection as unavailable', async () => {
    sim.faults.inject({ kind: 'reset' }, { times: 1 });
    await expect(client(sim, noRetry).http.request({ path: '/x' })).rejects.toMatchObject({
      message: 'Verifa is unavailable: the connection failed.',
    });
  });

  it('reports a refused connection as unavailable', async () => {
    const dead = await startEcho();
    await dead.close();
    await expect(client(dead, noRetry).http.request({ path: '/x' })).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    });
  });

  it('keeps using the pool after failures', async () => {
    const { http } = client(sim, noRetry);
    sim.faults.inject({ kind: 'reset' }, { times: 1 });
    await expect(http.request({ path: '/x' })).rejects.toBeDefined();
    expect((await http.request({ path: '/x' })).status).toBe(200);
  });
});
