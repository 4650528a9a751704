import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventsConfig } from '../../src/config/index.ts';
import { openEventStore } from '../../src/events/open.ts';
import type { EventStore } from '../../src/events/store.ts';
import { Outbox } from '../../src/outbound/outbox.ts';
import { type Engine, postgresAvailable, type TestDatabase, testDatabase } from '../support/eventStores.ts';
import { RECEIVER_SECRET } from '../support/receiver.ts';

/** The outbox's leases on both engines: an attempt's outcome is recorded only while its lease is the row's. */

const ENDPOINT = { name: 'backend', url: 'http://127.0.0.1:9/hooks', secret: RECEIVER_SECRET };
const engines: Engine[] = ['sqlite', 'postgres'];

describe.each(engines)('outbox leases on %s', (engine) => {
  const skip = engine === 'postgres' && !postgresAvailable();
  let db: TestDatabase;
  let store: EventStore;
  let outbox: Outbox;

  beforeEach(async () => {
    if (skip) return;
    db = await testDatabase(engine);
    store = await openEventStore(eventsConfig({ DATABASE_URL: db.url, EVENTS_RETENTION_DAYS: 400 }).database);
    outbox = new Outbox(store, [ENDPOINT as never]);
  });
  afterEach(async () => {
    if (skip) return;
    await store.close();
    await db.drop();
  });

  it.skipIf(skip)(
    'drops the outcome of an attempt a redelivery superseded, and records the new attempt’s',
    async () => {
      const { id } = await outbox.enqueueTest('backend');
      const [first] = await outbox.claim(['backend'], 10, 60_000, 'lease-1');
      expect(first?.id).toBe(id);
      // While the first attempt is in flight, an operator redelivers: the row is claimable again at once.
      expect(await outbox.redeliver(id)).toMatchObject({ id, status: 'pending', attempts: 0 });
      const [second] = await outbox.claim(['backend'], 10, 60_000, 'lease-2');
      expect(second?.id).toBe(id);
      const outcome = (token: string, delivered: boolean, statusCode: number) => ({
        id,
        token,
        delivered,
        statusCode,
        error: null,
        nextAttemptAt: null,
      });
      expect(await outbox.record([outcome('lease-2', true, 200)])).toEqual([true]);
      // The first attempt's answer arrives late: not recorded, whatever it says (alone or in a batch).
      expect(await outbox.record([outcome('lease-1', false, 500)])).toEqual([false]);
      expect(await outbox.record([outcome('lease-1', true, 200)])).toEqual([false]);
      expect(await outbox.gone(id, 'lease-1', ENDPOINT as never)).toBe(false);
      expect(await outbox.disabled()).toEqual(new Set());
      const [row] = await outbox.list({ endpoint: 'backend', status: null }, null, 1);
      expect(row).toMatchObject({ id, status: 'delivered', attempts: 1, lastStatusCode: 200 });
    },
  );
});
