import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsConfig } from '../../src/config/index.ts';
import { openEventStore } from '../../src/events/open.ts';
import { RetentionPruner } from '../../src/events/retention.ts';
import type { EventStore, Observation, SessionEvent } from '../../src/events/store.ts';
import type { VerificationStatus } from '../../src/model/session.ts';
import { Outbox } from '../../src/outbound/outbox.ts';
import { type Engine, postgresAvailable, type TestDatabase, testDatabase } from '../support/eventStores.ts';

/** One contract, both engines: what the timeline relies on, held against real SQLite and real PostgreSQL. */

const open = (url: string) => openEventStore(eventsConfig({ DATABASE_URL: url, EVENTS_RETENTION_DAYS: 400 }).database);

let clock = Date.parse('2026-03-01T10:00:00.000Z');
function seen(id: string, status: VerificationStatus, providerStatus: string, extra: Partial<Observation> = {}) {
  clock += 1_000;
  return {
    provider: 'VERIFA',
    providerSessionId: id,
    at: new Date(clock).toISOString(),
    source: 'QUERY',
    status,
    providerStatus,
    reasonCode: null,
    redacted: false,
    vendorEventId: null,
    userAction: 'WAIT',
    declineCategories: [],
    ...extra,
  } satisfies Observation;
}

/**
 * What a test compares: everything but the store-wide id and the instant, and the next step kept beside each entry
 * (its own test below reads it back).
 */
const shape = ({ id: _id, at: _at, userAction: _u, declineCategories: _d, ...rest }: SessionEvent) => rest;

const engines: Engine[] = ['sqlite', 'postgres'];

describe.each(engines)('EventStore on %s', (engine) => {
  const skip = engine === 'postgres' && !postgresAvailable();
  let db: TestDatabase;
  let store: EventStore;

  beforeAll(async () => {
    if (skip) return;
    db = await testDatabase(engine);
    store = await open(db.url);
  });
  afterAll(async () => {
    if (skip) return;
    await store.close();
    await db.drop();
  });

  it.skipIf(skip)('keeps each entry’s userAction and declineCategories (most severe first) as appended', async () => {
    const inserted = await store.append([
      seen('ses_declines', 'DECLINED', 'rejected', {
        userAction: 'CONTACT_SUPPORT',
        declineCategories: ['SANCTIONS_MATCH', 'DOCUMENT_EXPIRED'],
      }),
      seen('ses_declines', 'APPROVED', 'approved', { userAction: 'NONE', declineCategories: [] }),
      seen('ses_declines_before_006', 'IN_PROGRESS', 'processing', { userAction: null }),
    ]);
    const read = await store.sessionEvents({ provider: 'VERIFA', id: 'ses_declines' }, 0, 10);
    const pick = (e: SessionEvent) => [e.providerSessionId, e.sequence, e.userAction, e.declineCategories];
    expect(inserted.map(pick)).toEqual([
      ['ses_declines', 1, 'CONTACT_SUPPORT', ['SANCTIONS_MATCH', 'DOCUMENT_EXPIRED']],
      ['ses_declines', 2, 'NONE', []],
      ['ses_declines_before_006', 1, null, []],
    ]);
    expect(read.map(pick)).toEqual(inserted.slice(0, 2).map(pick));
  });

  it.skipIf(skip)('appends a first observation as sequence 1, with no previous status', async () => {
    const inserted = await store.append([seen('ses_first', 'IN_PROGRESS', 'processing')]);
    expect(inserted.map(shape)).toEqual([
      {
        provider: 'VERIFA',
        providerSessionId: 'ses_first',
        sequence: 1,
        source: 'QUERY',
        status: 'IN_PROGRESS',
        previousStatus: null,
        providerStatus: 'processing',
        reasonCode: null,
        redacted: false,
        vendorEventId: null,
      },
    ]);
  });

  it.skipIf(skip)('appends a vendor redaction without a status change as one entry, and only once', async () => {
    const inserted = await store.append([
      seen('ses_redaction', 'APPROVED', 'approved'),
      seen('ses_redaction', 'APPROVED', 'approved', { source: 'WEBHOOK', redacted: true }),
      seen('ses_redaction', 'APPROVED', 'approved', { source: 'POLL', redacted: true }),
    ]);
    expect(inserted.map(shape)).toEqual([
      {
        provider: 'VERIFA',
        providerSessionId: 'ses_redaction',
        sequence: 1,
        source: 'QUERY',
        status: 'APPROVED',
        previousStatus: null,
        providerStatus: 'approved',
        reasonCode: null,
        redacted: false,
        vendorEventId: null,
      },
      {
        provider: 'VERIFA',
        providerSessionId: 'ses_redaction',
        sequence: 2,
        source: 'WEBHOOK',
        status: 'APPROVED',
        previousStatus: 'APPROVED',
        providerStatus: 'approved',
        reasonCode: null,
        redacted: true,
        vendorEventId: null,
      },
    ]);
    // Observed again, redacted as before: nothing; the earlier entry is kept as it was.
    expect(await store.append([seen('ses_redaction', 'APPROVED', 'approved', { redacted: true })])).toEqual([]);
    const all = await store.sessionEvents({ provider: 'VERIFA', id: 'ses_redaction' }, 0, 10);
    expect(all.map((e) => [e.sequence, e.redacted])).toEqual([
      [1, false],
      [2, true],
    ]);
  });

  it.skipIf(skip)(
    'appends only changes: the same (status, providerStatus) again is no entry; a new provider status is',
    async () => {
      const inserted = await store.append([
        seen('ses_changes', 'IN_PROGRESS', 'processing'),
        seen('ses_changes', 'IN_PROGRESS', 'processing', { source: 'WEBHOOK' }),
        seen('ses_changes', 'IN_PROGRESS', 'under_review'),
        seen('ses_changes', 'APPROVED', 'approved', { source: 'WEBHOOK' }),
        seen('ses_changes', 'APPROVED', 'approved', { source: 'POLL' }),
      ]);
      expect(inserted.map((e) => [e.sequence, e.source, e.previousStatus, e.status, e.providerStatus])).toEqual([
        [1, 'QUERY', null, 'IN_PROGRESS', 'processing'],
        [2, 'QUERY', 'IN_PROGRESS', 'IN_PROGRESS', 'under_review'],
        [3, 'WEBHOOK', 'IN_PROGRESS', 'APPROVED', 'approved'],
      ]);
      expect(await store.append([seen('ses_changes', 'APPROVED', 'approved')])).toEqual([]);
    },
  );

  it.skipIf(skip)('numbers each session on its own, from 1 without gaps', async () => {
    await store.append([
      seen('ses_a', 'NOT_STARTED', 'created'),
      seen('ses_b', 'IN_PROGRESS', 'processing'),
      seen('ses_a', 'IN_PROGRESS', 'processing'),
      seen('ses_b', 'DECLINED', 'rejected', { reasonCode: 'DOC_EXPIRED' }),
      seen('ses_a', 'APPROVED', 'approved'),
    ]);
    const a = await store.sessionEvents({ provider: 'VERIFA', id: 'ses_a' }, 0, 10);
    const b = await store.sessionEvents({ provider: 'VERIFA', id: 'ses_b' }, 0, 10);
    expect(a.map((e) => [e.sequence, e.status])).toEqual([
      [1, 'NOT_STARTED'],
      [2, 'IN_PROGRESS'],
      [3, 'APPROVED'],
    ]);
    expect(b.map((e) => [e.sequence, e.status, e.reasonCode])).toEqual([
      [1, 'IN_PROGRESS', null],
      [2, 'DECLINED', 'DOC_EXPIRED'],
    ]);
  });

  it.skipIf(skip)('pages a session oldest first after a sequence', async () => {
    const page = await store.sessionEvents({ provider: 'VERIFA', id: 'ses_a' }, 1, 1);
    expect(page.map((e) => e.sequence)).toEqual([2]);
    expect(await store.sessionEvents({ provider: 'VERIFA', id: 'ses_a' }, 3, 10)).toEqual([]);
    expect(await store.sessionEvents({ provider: 'DIDIT', id: 'ses_a' }, 0, 10)).toEqual([]);
  });

  it.skipIf(skip)('records a change once when two replicas append it at the same time', async () => {
    const other = await open(db.url);
    try {
      await store.append([seen('ses_race', 'IN_PROGRESS', 'processing')]);
      // Ten rounds of both replicas observing the same change concurrently, through two connections.
      const statuses: Array<[VerificationStatus, string]> = [
        ['IN_REVIEW', 'under_review'],
        ['APPROVED', 'approved'],
        ['DECLINED', 'rejected'],
      ];
      for (const [status, providerStatus] of statuses) {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 ? other : store).append([seen('ses_race', status, providerStatus, { source: 'WEBHOOK' })]),
          ),
        );
        expect(results.flat()).toHaveLength(1);
      }
      const all = await store.sessionEvents({ provider: 'VERIFA', id: 'ses_race' }, 0, 100);
      expect(all.map((e) => [e.sequence, e.previousStatus, e.status])).toEqual([
        [1, null, 'IN_PROGRESS'],
        [2, 'IN_PROGRESS', 'IN_REVIEW'],
        [3, 'IN_REVIEW', 'APPROVED'],
        [4, 'APPROVED', 'DECLINED'],
      ]);
    } finally {
      await other.close();
    }
  });

  it.skipIf(skip)(
    'walks a batch in order: several sessions interleaved, each numbered after its stored latest',
    async () => {
      await store.append([seen('ses_walk_a', 'NOT_STARTED', 'created')]);
      const inserted = await store.append([
        seen('ses_walk_a', 'NOT_STARTED', 'created'), // the stored latest again: nothing
        seen('ses_walk_b', 'IN_PROGRESS', 'processing'),
        seen('ses_walk_a', 'IN_PROGRESS', 'processing'),
        seen('ses_walk_b', 'IN_PROGRESS', 'processing', { source: 'POLL' }), // the batch's own latest again: nothing
        seen('ses_walk_a', 'IN_REVIEW', 'under_review'),
        seen('ses_walk_b', 'APPROVED', 'approved'),
        seen('ses_walk_a', 'IN_PROGRESS', 'processing'), // back to an earlier state: a change
        seen('ses_walk_a', 'IN_PROGRESS', 'processing', { redacted: true }),
      ]);
      expect(inserted.map((e) => [e.providerSessionId, e.sequence, e.previousStatus, e.status, e.redacted])).toEqual([
        ['ses_walk_b', 1, null, 'IN_PROGRESS', false],
        ['ses_walk_a', 2, 'NOT_STARTED', 'IN_PROGRESS', false],
        ['ses_walk_a', 3, 'IN_PROGRESS', 'IN_REVIEW', false],
        ['ses_walk_b', 2, 'IN_PROGRESS', 'APPROVED', false],
        ['ses_walk_a', 4, 'IN_REVIEW', 'IN_PROGRESS', false],
        ['ses_walk_a', 5, 'IN_PROGRESS', 'IN_PROGRESS', true],
      ]);
      // Returned in batch order, which is also the feed's (store-wide id) order.
      expect(inserted.map((e) => e.id)).toEqual([...inserted.map((e) => e.id)].sort((a, b) => a - b));
      const feed = await store.feed({ sessions: [{ provider: 'VERIFA', id: 'ses_walk_a' }] }, null, 10);
      expect(feed.map((e) => e.sequence)).toEqual([5, 4, 3, 2, 1]);
    },
  );

  it.skipIf(skip)('appends a vendor event once when a batch carries it twice, after a skipped copy', async () => {
    const inserted = await store.append([
      seen('ses_dup', 'IN_PROGRESS', 'processing'),
      // Not a change (the same state): skipped, so its vendor event is not recorded yet ...
      seen('ses_dup', 'IN_PROGRESS', 'processing', { vendorEventId: 'evt_dup', source: 'WEBHOOK' }),
      // ... and this copy, a change, goes in; the third is the same event again, skipped though it is a change.
      seen('ses_dup', 'APPROVED', 'approved', { vendorEventId: 'evt_dup', source: 'WEBHOOK' }),
      seen('ses_dup', 'DECLINED', 'rejected', { vendorEventId: 'evt_dup', source: 'WEBHOOK' }),
      seen('ses_dup', 'DECLINED', 'rejected', { vendorEventId: 'evt_other', source: 'WEBHOOK' }),
    ]);
    expect(inserted.map((e) => [e.sequence, e.previousStatus, e.status, e.vendorEventId])).toEqual([
      [1, null, 'IN_PROGRESS', null],
      [2, 'IN_PROGRESS', 'APPROVED', 'evt_dup'],
      [3, 'APPROVED', 'DECLINED', 'evt_other'],
    ]);
  });

  it.skipIf(skip)('inserts each change once when two stores append overlapping batches at the same time', async () => {
    const other = await open(db.url);
    try {
      const sessions = Array.from({ length: 20 }, (_, i) => `ses_batch_race_${i}`);
      const rounds: Array<[VerificationStatus, string]> = [
        ['IN_PROGRESS', 'processing'],
        ['IN_REVIEW', 'under_review'],
        ['APPROVED', 'approved'],
      ];
      for (const [status, providerStatus] of rounds) {
        // Both see every session's change, in opposite orders, several batches each.
        const batch = sessions.map((id) => seen(id, status, providerStatus, { source: 'WEBHOOK' }));
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) => (i % 2 ? other.append([...batch].reverse()) : store.append(batch))),
        );
        expect(
          results
            .flat()
            .map((e) => e.providerSessionId)
            .sort(),
        ).toEqual([...sessions].sort());
      }
      for (const id of sessions) {
        const all = await store.sessionEvents({ provider: 'VERIFA', id }, 0, 10);
        expect(all.map((e) => [e.sequence, e.previousStatus, e.status])).toEqual([
          [1, null, 'IN_PROGRESS'],
          [2, 'IN_PROGRESS', 'IN_REVIEW'],
          [3, 'IN_REVIEW', 'APPROVED'],
        ]);
      }
    } finally {
      await other.close();
    }
  });

  it.skipIf(skip)('records a vendor event once, whatever else changed', async () => {
    const first = await store.append([seen('ses_vendor', 'IN_REVIEW', 'In Review', { vendorEventId: 'evt_1' })]);
    const again = await store.append([
      seen('ses_vendor', 'APPROVED', 'Approved', { vendorEventId: 'evt_1', source: 'PROVIDER' }),
    ]);
    expect(first.map((e) => e.sequence)).toEqual([1]);
    expect(again).toEqual([]);
  });

  it.skipIf(skip)('appends the vendor’s history in time order only, each item once', async () => {
    const history = (status: VerificationStatus, providerStatus: string, at: string) =>
      seen('ses_history', status, providerStatus, { source: 'PROVIDER', at, vendorEventId: `persona:${at}` });
    // A first observation: the vendor's history, then the observed state, already recorded by the last item.
    const first = await store.append([
      history('NOT_STARTED', 'created', '2026-02-01T09:30:00.000Z'),
      history('IN_PROGRESS', 'pending', '2026-02-01T09:31:00.000Z'),
      history('APPROVED', 'completed', '2026-02-01T09:36:00.000Z'),
      history('APPROVED', 'completed', '2026-02-01T09:36:00.000Z'), // the same item twice in one batch
      seen('ses_history', 'APPROVED', 'completed'),
    ]);
    expect(
      first.map((e) => [e.sequence, e.source, e.previousStatus, e.status, e.providerStatus, e.vendorEventId]),
    ).toEqual([
      [1, 'PROVIDER', null, 'NOT_STARTED', 'created', 'persona:2026-02-01T09:30:00.000Z'],
      [2, 'PROVIDER', 'NOT_STARTED', 'IN_PROGRESS', 'pending', 'persona:2026-02-01T09:31:00.000Z'],
      [3, 'PROVIDER', 'IN_PROGRESS', 'APPROVED', 'completed', 'persona:2026-02-01T09:36:00.000Z'],
    ]);
    expect(first.map((e) => e.at)).toEqual([
      '2026-02-01T09:30:00.000Z',
      '2026-02-01T09:31:00.000Z',
      '2026-02-01T09:36:00.000Z',
    ]);
    // Read again: every item is recorded, the state unchanged.
    expect(
      await store.append([
        history('NOT_STARTED', 'created', '2026-02-01T09:30:00.000Z'),
        history('IN_PROGRESS', 'pending', '2026-02-01T09:31:00.000Z'),
        history('APPROVED', 'completed', '2026-02-01T09:36:00.000Z'),
        seen('ses_history', 'APPROVED', 'completed'),
      ]),
    ).toEqual([]);
    // A query records a change; then the vendor reports one item from before it (skipped: it cannot be slotted in
    // before the query's entry) and one since (appended, before the observed state it already records).
    await store.append([seen('ses_history', 'IN_REVIEW', 'needs_review', { at: '2026-02-01T10:00:00.000Z' })]);
    const later = await store.append([
      history('DECLINED', 'failed', '2026-02-01T09:40:00.000Z'),
      history('APPROVED', 'approved', '2099-01-01T00:00:00.000Z'),
      seen('ses_history', 'APPROVED', 'approved'),
    ]);
    expect(later.map((e) => [e.sequence, e.source, e.previousStatus, e.status, e.providerStatus])).toEqual([
      [5, 'PROVIDER', 'IN_REVIEW', 'APPROVED', 'approved'],
    ]);
  });

  it.skipIf(skip)('runs onAppended in the append transaction: its rows commit with the entries', async () => {
    const create = 'CREATE TABLE IF NOT EXISTS test_outbox (sequence INTEGER NOT NULL)';
    const insert = engine === 'sqlite' ? 'INSERT INTO test_outbox VALUES (?)' : 'INSERT INTO test_outbox VALUES ($1)';
    let outboxRows: unknown[] = [];
    await store.append([seen('ses_outbox', 'IN_PROGRESS', 'processing')], {
      onAppended: async (tx, entries) => {
        await tx.run(create, []);
        for (const e of entries) await tx.run(insert, [e.sequence]);
        outboxRows = await tx.run('SELECT sequence FROM test_outbox', []);
      },
    });
    expect(outboxRows.map((r) => Number((r as { sequence: number }).sequence))).toEqual([1]);
  });

  it.skipIf(skip)('rolls the entries back when onAppended throws', async () => {
    await expect(
      store.append([seen('ses_rollback', 'IN_PROGRESS', 'processing')], {
        onAppended: async () => {
          throw new Error('outbox refused');
        },
      }),
    ).rejects.toThrow('outbox refused');
    expect(await store.sessionEvents({ provider: 'VERIFA', id: 'ses_rollback' }, 0, 10)).toEqual([]);
    // And the store goes on appending after a rollback.
    expect((await store.append([seen('ses_rollback', 'IN_PROGRESS', 'processing')])).map((e) => e.sequence)).toEqual([
      1,
    ]);
  });

  describe('the feed', () => {
    let feedDb: TestDatabase;
    let feed: EventStore;
    beforeAll(async () => {
      if (skip) return;
      feedDb = await testDatabase(engine);
      feed = await open(feedDb.url);
      clock = Date.parse('2026-04-01T00:00:00.000Z');
      await feed.append([
        seen('ses_1', 'IN_PROGRESS', 'processing'), // 00:00:01
        seen('ses_2', 'IN_PROGRESS', 'processing'), // 00:00:02
        { ...seen('d_1', 'IN_REVIEW', 'In Review'), provider: 'DIDIT' }, // 00:00:03
        seen('ses_1', 'APPROVED', 'approved'), // 00:00:04
        seen('ses_2', 'DECLINED', 'rejected'), // 00:00:05
        { ...seen('d_1', 'APPROVED', 'Approved'), provider: 'DIDIT' }, // 00:00:06
      ]);
    });
    afterAll(async () => {
      if (skip) return;
      await feed.close();
      await feedDb.drop();
    });
    const names = (rows: Array<{ providerSessionId: string; status: string }>) =>
      rows.map((e) => `${e.providerSessionId}:${e.status}`);

    it.skipIf(skip)('lists every entry newest first, and pages on by id', async () => {
      const all = await feed.feed({}, null, 10);
      expect(names(all)).toEqual([
        'd_1:APPROVED',
        'ses_2:DECLINED',
        'ses_1:APPROVED',
        'd_1:IN_REVIEW',
        'ses_2:IN_PROGRESS',
        'ses_1:IN_PROGRESS',
      ]);
      const second = await feed.feed({}, all[1]?.id ?? 0, 2);
      expect(names(second)).toEqual(['ses_1:APPROVED', 'd_1:IN_REVIEW']);
    });

    it.skipIf(skip)('filters by provider, status, time and the caller’s own sessions', async () => {
      expect(names(await feed.feed({ provider: 'DIDIT' }, null, 10))).toEqual(['d_1:APPROVED', 'd_1:IN_REVIEW']);
      expect(names(await feed.feed({ status: 'APPROVED' }, null, 10))).toEqual(['d_1:APPROVED', 'ses_1:APPROVED']);
      expect(
        names(await feed.feed({ since: '2026-04-01T00:00:03.000Z', until: '2026-04-01T00:00:05.000Z' }, null, 10)),
      ).toEqual(['ses_1:APPROVED', 'd_1:IN_REVIEW']);
      expect(
        names(
          await feed.feed(
            {
              sessions: [
                { provider: 'VERIFA', id: 'ses_2' },
                { provider: 'VERIFA', id: 'd_1' },
              ],
            },
            null,
            10,
          ),
        ),
      ).toEqual(['ses_2:DECLINED', 'ses_2:IN_PROGRESS']);
      expect(await feed.feed({ sessions: [] }, null, 10)).toEqual([]);
    });
  });

  it.skipIf(skip)('prunes entries past a date in batches, keeping each session’s latest', async () => {
    const pruneDb = await testDatabase(engine);
    const pruned = await open(pruneDb.url);
    try {
      clock = Date.parse('2025-01-01T00:00:00.000Z');
      await pruned.append([
        seen('old_1', 'IN_PROGRESS', 'processing'),
        seen('old_1', 'IN_REVIEW', 'under_review'),
        seen('old_1', 'APPROVED', 'approved'),
        seen('old_2', 'IN_PROGRESS', 'processing'),
      ]);
      clock = Date.parse('2026-06-01T00:00:00.000Z');
      await pruned.append([seen('old_2', 'DECLINED', 'rejected')]);
      expect(await pruned.prune('2026-01-01T00:00:00.000Z', 1)).toBe(1);
      expect(await pruned.prune('2026-01-01T00:00:00.000Z', 100)).toBe(2);
      expect(await pruned.prune('2026-01-01T00:00:00.000Z', 100)).toBe(0);
      const rest = await pruned.feed({}, null, 10);
      expect(rest.map((e) => `${e.providerSessionId}:${e.sequence}`)).toEqual(['old_2:2', 'old_1:3']);
      // The sequence goes on from the kept entry.
      const next = await pruned.append([seen('old_1', 'DECLINED', 'rejected')]);
      expect(next.map((e) => [e.sequence, e.previousStatus])).toEqual([[4, 'APPROVED']]);
    } finally {
      await pruned.close();
      await pruneDb.drop();
    }
  });

  it.skipIf(skip)('is pruned by the retention pass in small batches, past EVENTS_RETENTION_DAYS only', async () => {
    const pruneDb = await testDatabase(engine);
    const pruned = await open(pruneDb.url);
    try {
      clock = Date.parse('2026-01-01T00:00:00.000Z');
      await pruned.append(
        ['IN_PROGRESS', 'IN_REVIEW', 'RESUBMISSION_REQUESTED', 'IN_PROGRESS', 'APPROVED'].map((status, i) =>
          seen('ses_retained', status as VerificationStatus, `step_${i}`),
        ),
      );
      // 400 days after the third entry: the first three are past the retention, the fourth is not.
      const pass = new RetentionPruner(pruned, { retentionDays: 400, batchSize: 2 });
      expect(await pass.pass(Date.parse('2026-01-01T00:00:03.500Z') + 400 * 86_400_000)).toBe(3);
      const rest = await pruned.sessionEvents({ provider: 'VERIFA', id: 'ses_retained' }, 0, 10);
      expect(rest.map((e) => e.sequence)).toEqual([4, 5]);
    } finally {
      await pruned.close();
      await pruneDb.drop();
    }
  });

  it.skipIf(skip)('prunes the outbox’s finished deliveries with the timeline, never a pending one', async () => {
    const db = await testDatabase(engine);
    const store = await open(db.url);
    try {
      const endpoint = { name: 'ledger', url: 'http://127.0.0.1:9/in', keys: [], events: null, providers: null };
      const outbox = new Outbox(store, [endpoint]);
      const hook = { onAppended: outbox.enqueueStatusChanges };
      await store.append([seen('ses_out_1', 'APPROVED', 'approved')], hook);
      await store.append([seen('ses_out_2', 'DECLINED', 'rejected')], hook);
      await store.append([seen('ses_out_3', 'APPROVED', 'approved')], hook);
      await store.transaction(async (tx) => {
        await tx.run("UPDATE outbound_deliveries SET status = 'delivered' WHERE provider_session_id = 'ses_out_1'", []);
        await tx.run("UPDATE outbound_deliveries SET status = 'failed' WHERE provider_session_id = 'ses_out_3'", []);
      });
      const pass = new RetentionPruner(store, { retentionDays: 400, alsoPrune: [(b, l) => outbox.prune(b, l)] });
      // Everything is younger than the retention: nothing goes.
      expect(await pass.pass(Date.now())).toBe(0);
      // Past it: the delivered and the failed rows go; the pending one stays, and so does each session's only entry.
      expect(await pass.pass(Date.now() + 401 * 86_400_000)).toBe(2);
      const left = await outbox.list({ endpoint: null, status: null }, null, 10);
      expect(left.map((d) => [d.providerSessionId, d.status])).toEqual([['ses_out_2', 'pending']]);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it.skipIf(skip)('reads entries appended before migration 003 as not redacted, and appends after them', async () => {
    const old = await testDatabase(engine);
    try {
      // The database as a gateway before 003 left it: the column absent, the migration not in the ledger.
      const before = await open(old.url);
      await before.append([seen('ses_before_003', 'APPROVED', 'approved')]);
      await before.transaction(async (tx) => {
        await tx.run('ALTER TABLE session_events DROP COLUMN redacted', []);
        await tx.run("DELETE FROM verigate_migrations WHERE version = '003_session_events_redacted'", []);
      });
      await before.close();
      const after = await open(old.url);
      try {
        const entries = await after.sessionEvents({ provider: 'VERIFA', id: 'ses_before_003' }, 0, 10);
        expect(entries.map((e) => [e.sequence, e.status, e.redacted])).toEqual([[1, 'APPROVED', false]]);
        const redaction = await after.append([seen('ses_before_003', 'APPROVED', 'approved', { redacted: true })]);
        expect(redaction.map((e) => [e.sequence, e.previousStatus, e.redacted])).toEqual([[2, 'APPROVED', true]]);
      } finally {
        await after.close();
      }
    } finally {
      await old.drop();
    }
  });

  it.skipIf(skip)('applies its migrations once, however many stores open the database together', async () => {
    const fresh = await testDatabase(engine);
    try {
      const stores = await Promise.all([open(fresh.url), open(fresh.url), open(fresh.url)]);
      await Promise.all(stores.map((s) => s.close()));
      const again = await open(fresh.url);
      expect((await again.append([seen('ses_m', 'IN_PROGRESS', 'processing')])).map((e) => e.sequence)).toEqual([1]);
      await again.close();
    } finally {
      await fresh.drop();
    }
  });
});
