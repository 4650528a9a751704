import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '../../src/events/sqlite/engine.ts';
import { Timeline } from '../../src/events/timeline.ts';
import type { Session, VerificationStatus } from '../../src/model/session.ts';

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

  it('counts what it cannot record: a failing store, and observations past the queue’s bound', async () => {
    store = SqliteEventStore.open(':memory:');
    let lost = 0;
    const timeline = new Timeline(store, { maxPending: 3, flushDelayMs: 1_000, onFailure: (n) => (lost += n) });
    for (let i = 0; i < 5; i += 1) timeline.observe(session(`q${i}`, 'IN_PROGRESS', 'In Progress'), 'QUERY');
    expect(lost).toBe(2);
    await store.close(); // the store is gone: the three waiting are lost too, and counted
    await timeline.flush();
    expect(lost).toBe(5);
  });
});
