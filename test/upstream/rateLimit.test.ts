import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sandbox/server.ts';
import { RateBudget } from '../../src/upstream/rateLimit.ts';
import { client, startEcho } from './support.ts';

/** Times (ms) of the takes `budget` allowed when asked every `stepMs` for `forMs`, on the fake clock `clock`. */
function allowedTimes(take: () => { ok: boolean }, clock: { now: number }, stepMs: number, forMs: number): number[] {
  const allowed: number[] = [];
  for (clock.now = 0; clock.now < forMs; clock.now += stepMs) if (take().ok) allowed.push(clock.now);
  return allowed;
}

/** The most requests any 60 s window [t, t + 60 s) holds. */
function busiestMinute(times: number[]): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length));
}

describe('rate budget', () => {
  it('holds at most the per-minute figure in any 60 s window, and that many each minute when asked without pause', () => {
    const clock = { now: 0 };
    const budget = new RateBudget({ perMinute: 300, now: () => clock.now });
    const allowed = allowedTimes(() => budget.take(), clock, 100, 180_000);
    expect(busiestMinute(allowed)).toBe(300);
    expect(allowed.length).toBe(900);
  });

  it('says how long until the oldest request leaves the window', () => {
    let now = 0;
    const budget = new RateBudget({ perMinute: 2, now: () => now });
    expect(budget.take()).toEqual({ ok: true });
    now = 10_000;
    expect(budget.take()).toEqual({ ok: true });
    now = 20_000;
    expect(budget.take()).toEqual({ ok: false, retryAfterSeconds: 40 });
    now = 60_000;
    expect(budget.take()).toEqual({ ok: true });
  });

  it('lets a credential alone spend the whole budget, and holds each of several competing credentials to its share', () => {
    let now = 0;
    const budget = new RateBudget({ perMinute: 6, now: () => now });
    const takes = (credential: string, n: number) =>
      Array.from({ length: n }, () => budget.take('user', credential).ok);
    expect(takes('a', 3)).toEqual([true, true, true]);
    now = 1_000;
    // b competes now: a (3 of its share of 3) is refused, b may spend its own 3.
    expect(budget.take('user', 'b')).toEqual({ ok: true });
    expect(budget.take('user', 'a')).toEqual({ ok: false, retryAfterSeconds: 59, share: true });
    expect(takes('b', 3)).toEqual([true, true, false]);
    // A credential's calls leave the window like any: a is answered again once its first ones are a minute old.
    now = 60_000;
    expect(budget.take('user', 'a')).toEqual({ ok: true });
    // Work of no caller (null) spends the budget without a share.
    now = 61_000;
    expect(budget.take('user', null)).toEqual({ ok: true });
  });

  it('stops counting a credential as competing ten minutes after its last call', () => {
    let now = 0;
    const budget = new RateBudget({ perMinute: 4, now: () => now });
    budget.take('user', 'b');
    now = 600_001;
    const a = Array.from({ length: 4 }, () => budget.take('user', 'a').ok);
    expect(a).toEqual([true, true, true, true]);
  });

  it('keeps the last fifth of the window for user reads: background work stops short of it', () => {
    let now = 0;
    const budget = new RateBudget({ perMinute: 10, now: () => now });
    for (let i = 0; i < 8; i += 1) expect(budget.take('background')).toEqual({ ok: true });
    expect(budget.take('background')).toEqual({ ok: false, retryAfterSeconds: 60 });
    expect(budget.take('user')).toEqual({ ok: true });
    expect(budget.take('user')).toEqual({ ok: true });
    expect(budget.take('user')).toEqual({ ok: false, retryAfterSeconds: 60 });
    now = 60_000;
    expect(budget.take('background')).toEqual({ ok: true });
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
      message: "Verigate's request budget for Verifa is spent; retry in 60 s.",
      extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: 'VERIFA', retryAfterSeconds: 60 },
    });
    expect(sim.requestCount()).toBe(3);
  });
});
