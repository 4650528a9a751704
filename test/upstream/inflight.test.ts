import { describe, expect, it } from 'vitest';
import { InFlight } from '../../src/upstream/inflight.ts';

describe('in-flight dedup', () => {
  it('shares one call among concurrent callers and forgets it once settled', async () => {
    const inflight = new InFlight<number>();
    let calls = 0;
    const fn = async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 10));
      return 42;
    };
    const runs = Array.from({ length: 50 }, () => inflight.run('k', fn));
    expect(runs.filter((r) => r.joined)).toHaveLength(49);
    expect(await Promise.all(runs.map((r) => r.promise))).toEqual(Array(50).fill(42));
    expect(calls).toBe(1);
    expect(inflight.size).toBe(0);
    await inflight.run('k', fn).promise;
    expect(calls).toBe(2);
  });

  it('shares failures too, and does not keep them', async () => {
    const inflight = new InFlight<number>();
    const a = inflight.run('k', async () => {
      throw new Error('down');
    });
    const b = inflight.run('k', async () => 1);
    await expect(a.promise).rejects.toThrow('down');
    await expect(b.promise).rejects.toThrow('down');
    expect(await inflight.run('k', async () => 1).promise).toBe(1);
  });
});
