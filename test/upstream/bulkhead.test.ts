import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sandbox/server.ts';
import { Bulkhead } from '../../src/upstream/bulkhead.ts';
import { client, startEcho } from './support.ts';

describe('bulkhead', () => {
  it('runs at most N at once, queues M, refuses the rest', async () => {
    const bulkhead = new Bulkhead(2, 1);
    let running = 0;
    let peak = 0;
    const task = () =>
      bulkhead.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running -= 1;
        return 'done';
      });
    const results = await Promise.all([task(), task(), task(), task()]);
    expect(results).toEqual([{ value: 'done' }, { value: 'done' }, { value: 'done' }, null]);
    expect(peak).toBe(2);
    expect(bulkhead.active).toBe(0);
  });
});

describe('bulkhead in front of a slow upstream', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startEcho();
  });
  afterAll(() => sim.close());

  it('refuses calls past the queue with UPSTREAM_UNAVAILABLE while the others complete', async () => {
    sim.faults.inject({ kind: 'latency', ms: 100 });
    const { http } = client(sim, { maxConcurrent: 2, maxQueued: 1 });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => http.request({ path: '/x' })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused).toHaveLength(2);
    expect(refused[0]?.reason).toMatchObject({
      message: 'Verifa is unavailable: too many calls to it are already in flight.',
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    });
    expect(sim.requestCount()).toBe(3);
  });
});
