import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/events/sqlite/engine.ts';
import { Timeline } from '../../src/events/timeline.ts';
import type { Session, VerificationStatus } from '../../src/model/session.ts';
import { BreakableStore } from '../support/breakableStore.ts';
import { waitFor } from '../support/webhooks.ts';

/** The timeline in front of a real (in-memory SQLite) store: what reaches it, in which order, and what is counted. */

const session = (id: string, status: VerificationStatus, providerStatus: string) =>
  ({ provider: 'DIDIT', providerSessionId: id, status, providerStatus, reasonCode: null }) as Session;

describe('Timeline', () => {
  let store: SqliteEventStore;
  afterEach(() => store.close());

  it('appends each session’s changes in the order observed, across batches, once each', async () => {
    store = SqliteEventStore.open(':memory:');
    const timeline = new Timeline(store, { maxBatch: 7 });
    const steps: Array<[VerificationStatus, string]> = [
      ['NOT_STARTED', 'Not Started'],
      ['IN_PROGRESS', 'In Progress'],
      ['IN_PROGRESS', 'In Progress'], // no change: no entry
      ['IN_REVIEW', 'In Review'],
      ['APPROVED', 'Approved'],
    ];
    for (const [status, providerStatus] of steps) {
      for (let i = 0; i < 20; i += 1) timeline.observe(session(`s${i}`, status, providerStatus), 'POLL');
    }
    await timeline.flush();
    for (let i = 0; i < 20; i += 1) {
      const entries = await store.sessionEvents({ provider: 'DIDIT', id: `s${i}` }, 0, 10);
      expect(entries.map((e) => [e.sequence, e.previousStatus, e.status, e.source])).toEqual([
        [1, null, 'NOT_STARTED', 'POLL'],
        [2, 'NOT_STARTED', 'IN_PROGRESS', 'POLL'],
        [3, 'IN_PROGRESS', 'IN_REVIEW', 'POLL'],
        [4, 'IN_REVIEW', 'APPROVED', 'POLL'],
      ]);
    }
    expect(await store.feed({}, null, 1000)).toHaveLength(80);
  });

  it('keeps a failed batch for its retry, and drops (and counts) what is past the bound or left at close', async () => {
    store = SqliteEventStore.open(':memory:');
    let failed = 0;
    let dropped = 0;
    const timeline = new Timeline(store, {
      maxPending: 3,
      flushDelayMs: 1_000,
      onFailure: (n) => (failed += n),
      onDropped: (n) => (dropped += n),
    });
    for (let i = 0; i < 5; i += 1) timeline.observe(session(`q${i}`, 'IN_PROGRESS', 'In Progress'), 'QUERY');
    expect(dropped).toBe(2);
    await store.close(); // the store is gone: the three waiting fail, and stay queued for the retry
    await timeline.flush();
    expect([failed, dropped, timeline.pending, timeline.health.up]).toEqual([3, 2, 3, false]);
    await timeline.close(); // one last try at close: what still cannot be recorded is dropped, and counted
    expect([dropped, timeline.pending]).toEqual([5, 0]);
  });

  it('retries a failed batch with backoff until the store is back, then records it, in order', async () => {
    store = SqliteEventStore.open(':memory:');
    const breakable = new BreakableStore(store);
    const timeline = new Timeline(breakable, { flushDelayMs: 0, retryDelayMs: 10, maxRetryDelayMs: 40 });
    const changes: boolean[] = [];
    timeline.health.watch((up) => changes.push(up));
    breakable.broken = true;
    timeline.observe(session('r1', 'IN_PROGRESS', 'In Progress'), 'QUERY');
    timeline.observe(session('r1', 'APPROVED', 'Approved'), 'QUERY');
    // Several tries fail while the store is away; the health changes once.
    expect(await waitFor(() => breakable.refused >= 3)).toBe(true);
    expect(changes).toEqual([false]);
    breakable.broken = false;
    expect(
      await waitFor(async () => (await store.sessionEvents({ provider: 'DIDIT', id: 'r1' }, 0, 10)).length === 2),
    ).toBe(true);
    const entries = await store.sessionEvents({ provider: 'DIDIT', id: 'r1' }, 0, 10);
    expect(entries.map((e) => [e.sequence, e.status])).toEqual([
      [1, 'IN_PROGRESS'],
      [2, 'APPROVED'],
    ]);
    expect([changes, timeline.pending]).toEqual([[false, true], 0]);
    await timeline.close();
  });

  it('does not remember a dropped observation as recorded: the session’s next load appends it', async () => {
    store = SqliteEventStore.open(':memory:');
    const breakable = new BreakableStore(store);
    let dropped = 0;
    const timeline = new Timeline(breakable, { maxPending: 1, flushDelayMs: 0, onDropped: (n) => (dropped += n) });
    breakable.broken = true;
    timeline.observe(session('d1', 'IN_PROGRESS', 'In Progress'), 'QUERY');
    await timeline.flush();
    timeline.observe(session('d2', 'APPROVED', 'Approved'), 'QUERY'); // past the bound: dropped
    expect(dropped).toBe(1);
    breakable.broken = false;
    await timeline.flush();
    timeline.observe(session('d2', 'APPROVED', 'Approved'), 'QUERY');
    await timeline.flush();
    expect((await store.sessionEvents({ provider: 'DIDIT', id: 'd2' }, 0, 10)).map((e) => e.status)).toEqual([
      'APPROVED',
    ]);
    await timeline.close();
  });
});
