import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventsConfig } from '../../src/config/index.ts';
import { openEventStore } from '../../src/events/open.ts';
import type { EventStore } from '../../src/events/store.ts';
import { type InboxHint, InboxStore } from '../../src/inbox/store.ts';
import { type Engine, postgresAvailable, type TestDatabase, testDatabase } from '../support/eventStores.ts';

/** The inbox's queries, both engines: what the webhook route and the inbox worker rely on (src/inbox/store.ts). */

const open = (url: string) => openEventStore(eventsConfig({ DATABASE_URL: url, EVENTS_RETENTION_DAYS: 400 }).database);

let n = 0;
const hint = (session: string, extra: Partial<InboxHint> = {}): InboxHint => {
  n += 1;
  return {
    replayKey: `verigate:webhook:v1:delivery:test-${n}`,
    provider: 'VERIFA',
    providerSessionId: session,
    event: 'session.approved',
    vendorEventId: null,
    receivedAt: new Date().toISOString(),
    ...extra,
  };
};
const later = (ms: number) => new Date(Date.now() + ms);

const engines: Engine[] = ['sqlite', 'postgres'];

describe.each(engines)('InboxStore on %s', (engine) => {
  const skip = engine === 'postgres' && !postgresAvailable();
  let db: TestDatabase;
  let store: EventStore;
  let inbox: InboxStore;
  const rows = () =>
    store.transaction((tx) =>
      tx.run('SELECT provider_session_id, status, outcome, attempts, last_error FROM inbox ORDER BY id', []),
    );

  beforeAll(async () => {
    if (skip) return;
    db = await testDatabase(engine);
    store = await open(db.url);
    inbox = new InboxStore(store);
  });
  afterAll(async () => {
    if (skip) return;
    await store.close();
    await db.drop();
  });
  beforeEach(async () => {
    if (skip) return;
    await store.transaction((tx) => tx.run('DELETE FROM inbox', []));
  });

  it.skipIf(skip)('accepts a delivery once: the same replay key again is a duplicate', async () => {
    const first = hint('ses_a');
    expect(await inbox.accept(first)).toBe('accepted');
    expect(await inbox.accept({ ...first, receivedAt: new Date().toISOString() })).toBe('duplicate');
    expect(await inbox.accept(hint('ses_a'))).toBe('accepted');
    expect(await inbox.pending()).toBe(2);
  });

  it.skipIf(skip)('commits a burst together, each delivery answered for itself, every row whole', async () => {
    const known = hint('ses_known');
    await inbox.accept(known);
    const twice = hint('ses_twice', { vendorEventId: 'evt_1', event: 'session.declined' });
    const burst = [hint('ses_0'), twice, { ...twice }, known, hint('ses_1')];
    // Started together: the first commits alone, the other four wait for it and go as one statement.
    const answers = await Promise.all(burst.map((h) => inbox.accept(h)));
    expect(answers).toEqual(['accepted', 'accepted', 'duplicate', 'duplicate', 'accepted']);
    const stored = await store.transaction((tx) =>
      tx.run(
        `SELECT provider, provider_session_id, event, vendor_event_id, status, attempts, outcome FROM inbox ORDER BY id`,
        [],
      ),
    );
    expect(stored).toEqual(
      ['ses_known', 'ses_0', 'ses_twice', 'ses_1'].map((session) => ({
        provider: 'VERIFA',
        provider_session_id: session,
        event: session === 'ses_twice' ? 'session.declined' : 'session.approved',
        vendor_event_id: session === 'ses_twice' ? 'evt_1' : null,
        status: 'pending',
        attempts: 0,
        outcome: null,
      })),
    );
    const due = await store.transaction((tx) => tx.run('SELECT received_at, next_attempt_at FROM inbox', []));
    for (const row of due)
      expect(new Date(String(row.next_attempt_at)).getTime()).toBe(new Date(String(row.received_at)).getTime());
  });
  it.skipIf(skip)('claims due rows under a lease, and again only once the lease has lapsed', async () => {
    await inbox.accept(hint('ses_a'));
    await inbox.accept(hint('ses_b'));
    const claimed = await inbox.claim(10, 30_000, 'one');
    expect(claimed.map((r) => [r.providerSessionId, r.attempts])).toEqual([
      ['ses_a', 0],
      ['ses_b', 0],
    ]);
    expect(await inbox.claim(10, 30_000, 'two')).toEqual([]);
    // Past the lease (the claimer died), another worker takes them.
    const retaken = await inbox.claim(10, 30_000, 'two', later(31_000));
    expect(retaken.map((r) => r.id)).toEqual(claimed.map((r) => r.id));
    // The first claimer's late release matches nothing: the rows are the second's now.
    await inbox.release(
      claimed.map((r) => r.id),
      'one',
      new Date(),
      { code: 'UPSTREAM_UNAVAILABLE', attempt: true },
    );
    expect((await rows()).map((r) => r.attempts)).toEqual([0, 0]);
  });

  it.skipIf(skip)('gives rows back with a retry time, counting a vendor attempt only when asked', async () => {
    await inbox.accept(hint('ses_a'));
    const [row] = await inbox.claim(10, 30_000, 'one');
    const id = row?.id as number;
    await inbox.release([id], 'one', later(60_000), { code: 'UPSTREAM_UNAVAILABLE', attempt: true });
    expect(await inbox.claim(10, 30_000, 'two')).toEqual([]);
    const [again] = await inbox.claim(10, 30_000, 'two', later(61_000));
    expect(again?.attempts).toBe(1);
    await inbox.release([id], 'two', new Date(), { code: 'STORE_UNAVAILABLE', attempt: false });
    expect(await rows()).toEqual([
      { provider_session_id: 'ses_a', status: 'pending', outcome: null, attempts: 1, last_error: 'STORE_UNAVAILABLE' },
    ]);
  });

  it.skipIf(skip)(
    'settles rows in the caller’s transaction as changed or unchanged, and never a done one',
    async () => {
      for (const s of ['ses_a', 'ses_b', 'ses_c']) await inbox.accept(hint(s));
      const ids = (await inbox.claim(10, 30_000, 'one')).map((r) => r.id);
      await inbox.finish([ids[2] as number], 'not_found', 'NOT_FOUND');
      await store.transaction((tx) =>
        inbox.settle(tx, { changed: [ids[0] as number], unchanged: [ids[1] as number, ids[2] as number] }),
      );
      expect(await rows()).toEqual([
        { provider_session_id: 'ses_a', status: 'done', outcome: 'changed', attempts: 0, last_error: null },
        { provider_session_id: 'ses_b', status: 'done', outcome: 'unchanged', attempts: 0, last_error: null },
        { provider_session_id: 'ses_c', status: 'done', outcome: 'not_found', attempts: 1, last_error: 'NOT_FOUND' },
      ]);
      // A settle whose transaction rolls back leaves the rows as they were.
      await inbox.accept(hint('ses_d'));
      const [d] = await inbox.claim(10, 30_000, 'one');
      await expect(
        store.transaction(async (tx) => {
          await inbox.settle(tx, { changed: [d?.id as number], unchanged: [] });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect((await rows()).at(-1)).toEqual({
        provider_session_id: 'ses_d',
        status: 'pending',
        outcome: null,
        attempts: 0,
        last_error: null,
      });
      expect(await inbox.pending()).toBe(1);
    },
  );

  it.skipIf(skip)('prunes done rows finished before a date, never pending ones', async () => {
    await inbox.accept(hint('ses_a'));
    await inbox.accept(hint('ses_b'));
    const [a] = await inbox.claim(1, 30_000, 'one');
    await inbox.finish([a?.id as number], 'failed', 'UPSTREAM_AUTH_FAILED');
    expect(await inbox.prune(new Date(Date.now() - 60_000).toISOString(), 100)).toBe(0);
    expect(await inbox.prune(later(60_000).toISOString(), 100)).toBe(1);
    expect((await rows()).map((r) => [r.provider_session_id, r.status])).toEqual([['ses_b', 'pending']]);
  });

  it.skipIf(skip || engine === 'sqlite')('lets workers on several connections claim disjoint rows', async () => {
    const others = await Promise.all([open(db.url), open(db.url), open(db.url)]);
    try {
      for (let i = 0; i < 60; i += 1) await inbox.accept(hint(`ses_${i}`));
      const claims = await Promise.all(others.map((s, i) => new InboxStore(s).claim(25, 30_000, `worker-${i}`)));
      const ids = claims.flat().map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      const rest = await inbox.claim(100, 30_000, 'last');
      expect(ids.length + rest.length).toBe(60);
    } finally {
      await Promise.all(others.map((s) => s.close()));
    }
  });
});
