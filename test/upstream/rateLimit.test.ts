import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sandbox/server.ts';
import { RateBudget } from '../../src/upstream/rateLimit.ts';
import { client, startEcho } from './support.ts';

describe('rate budget', () => {
  it('spends a burst, then refills at the per-minute rate', () => {
    let now = 0;
    const budget = new RateBudget({ perMinute: 60, burst: 2, now: () => now });
    expect(budget.take()).toEqual({ ok: true });
    expect(budget.take()).toEqual({ ok: true });
    expect(budget.take()).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(budget.take()).toEqual({ ok: true });
  });

  it('tells how long until the next token at a slow rate', () => {
    const budget = new RateBudget({ perMinute: 2, burst: 1, now: () => 0 });
    budget.take();
    expect(budget.take()).toEqual({ ok: false, retryAfterSeconds: 30 });
  });
});

describe('rate budget in front of a real upstream', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startEcho();
  });
  afterAll(() => sim.close());

  it('answers UPSTREAM_RATE_LIMITED itself once the budget is spent, without calling the upstream', async () => {
    const { http } = client(sim, { ratePerMinute: 3 });
    for (let i = 0; i < 3; i += 1) expect((await http.request({ path: '/x' })).status).toBe(200);
    await expect(http.request({ path: '/x' })).rejects.toMatchObject({
      message: "Verigate's request budget for Verifa is spent; retry in 20 s.",
      extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: 'VERIFA', retryAfterSeconds: 20 },
    });
    expect(sim.requestCount()).toBe(3);
  });
});
