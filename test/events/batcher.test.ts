import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/events/batcher.ts';

/**
 * The group commit of the dispatcher's outcomes and the inbox's accepts (src/events/batcher.ts), driven by a write
 * the test completes.
 */
describe('Batcher', () => {
  function controlled() {
    const writes: Array<{ items: number[]; done: (error?: Error) => void }> = [];
    // Each item's result is its double.
    const batcher = new Batcher<number, number>(
      (items) =>
        new Promise<number[]>((resolve, reject) => {
          writes.push({ items, done: (e) => (e ? reject(e) : resolve(items.map((i) => i * 2))) });
        }),
    );
    return { batcher, writes };
  }

  it('writes a lone item at once, what is added during a write together in the next one, each with its result', async () => {
    const { batcher, writes } = controlled();
    const first = batcher.add(1);
    expect(writes.map((w) => w.items)).toEqual([[1]]);
    const rest = [batcher.add(2), batcher.add(3), batcher.add(4)];
    expect(writes).toHaveLength(1);
    writes[0]?.done();
    expect(await first).toBe(2);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3, 4]]);
    writes[1]?.done();
    expect(await Promise.all(rest)).toEqual([4, 6, 8]);
  });

  it('rejects every item of a failed write with its error, and goes on with the next', async () => {
    const { batcher, writes } = controlled();
    const first = batcher.add(1);
    const second = batcher.add(2);
    writes[0]?.done();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    writes[1]?.done(new Error('store away'));
    await expect(second).rejects.toThrow('store away');
    const third = batcher.add(3);
    expect(writes.map((w) => w.items)).toEqual([[1], [2], [3]]);
    writes[2]?.done();
    await third;
  });
});
