import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsConfig } from '../../src/config/index.ts';
import { openEventStore } from '../../src/events/open.ts';
import { RetentionPruner } from '../../src/events/retention.ts';
import type { EventStore } from '../../src/events/store.ts';
import { RECORD_RETENTION_MS, StartRecords } from '../../src/start/records.ts';
import type { GatewayError } from '../../src/upstream/errors.ts';
import { type Engine, postgresAvailable, type TestDatabase, testDatabase } from '../support/eventStores.ts';

/** startVerification's idempotency records (migration 005), one contract on both engines. */

const open = (url: string) => openEventStore(eventsConfig({ DATABASE_URL: url, EVENTS_RETENTION_DAYS: 400 }).database);
const engines: Engine[] = ['sqlite', 'postgres'];
const fresh = () => ({ apiKey: 'starter', idempotencyKey: `key-${randomUUID()}` });

describe.each(engines)('StartRecords on %s', (engine) => {
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

  it.skipIf(skip)('the first claim owns the key; once started, the same input is a replay of it', async () => {
    const records = new StartRecords(store);
    const key = fresh();
    const claim = await records.claim(key, 'h1');
    expect(claim).toEqual({ kind: 'owner', token: expect.any(String), resume: null });
    if (claim.kind !== 'owner') return;
    await records.attempting(key, claim.token, 'VERIFA');
    const record = {
      provider: 'VERIFA' as const,
      providerSessionId: 'ses_1',
      attempts: [{ provider: 'VERIFA' as const, code: null }],
      expiresAt: '2026-03-01T10:20:00.000Z',
    };
    await records.started(key, claim.token, record);
    expect(await records.claim(key, 'h1')).toEqual({ kind: 'started', record });
  });

  it.skipIf(skip)('the same key with another input is BAD_USER_INPUT naming idempotencyKey', async () => {
    const records = new StartRecords(store);
    const key = fresh();
    await records.claim(key, 'h1');
    const error = (await records.claim(key, 'h2').catch((e: unknown) => e)) as GatewayError;
    expect([error.code, error.extensions.field]).toEqual(['BAD_USER_INPUT', 'idempotencyKey']);
  });

  it.skipIf(skip)('a twin waits for a live owner, bounded: UPSTREAM_UNAVAILABLE past the wait', async () => {
    const records = new StartRecords(store, { leaseMs: 60_000, waitMs: 200, pollMs: 20 });
    const key = fresh();
    await records.claim(key, 'h1');
    const error = (await records.claim(key, 'h1').catch((e: unknown) => e)) as GatewayError;
    expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it.skipIf(skip)('a twin answers as soon as the owner has started it', async () => {
    const records = new StartRecords(store, { leaseMs: 60_000, waitMs: 10_000, pollMs: 20 });
    const key = fresh();
    const owner = await records.claim(key, 'h1');
    if (owner.kind !== 'owner') throw new Error('not owner');
    const twin = records.claim(key, 'h1');
    const record = { provider: 'DIDIT' as const, providerSessionId: 'd-1', attempts: [], expiresAt: null };
    await records.started(key, owner.token, record);
    expect(await twin).toEqual({ kind: 'started', record });
  });

  it.skipIf(skip)('a dead owner’s lease lapses: the next call takes over and resumes from the checkpoint', async () => {
    const records = new StartRecords(store, { leaseMs: 1, waitMs: 5_000, pollMs: 5 });
    const key = fresh();
    const dead = await records.claim(key, 'h1');
    if (dead.kind !== 'owner') throw new Error('not owner');
    await records.attempting(key, dead.token, 'PERSONA');
    await records.checkpoint(key, dead.token, 'PERSONA', 'inq_first');
    await new Promise((resolve) => setTimeout(resolve, 5)); // past the 1 ms lease
    const next = await records.claim(key, 'h1');
    expect(next).toEqual({
      kind: 'owner',
      token: expect.any(String),
      resume: { provider: 'PERSONA', firstStepId: 'inq_first' },
    });
    // The dead owner, should it wake, can no longer write.
    const late = (await records
      .started(key, dead.token, { provider: 'PERSONA', providerSessionId: 'x', attempts: [], expiresAt: null })
      .catch((e: unknown) => e)) as GatewayError;
    expect(late.code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it.skipIf(skip)('a failed start frees the key, but keeps a two-step checkpoint for the retry to resume', async () => {
    const records = new StartRecords(store, { leaseMs: 60_000 });
    const plain = fresh();
    const a = await records.claim(plain, 'h1');
    if (a.kind !== 'owner') throw new Error('not owner');
    await records.failed(plain, a.token);
    expect(await records.claim(plain, 'h2')).toMatchObject({ kind: 'owner', resume: null });

    const twoStep = fresh();
    const b = await records.claim(twoStep, 'h1');
    if (b.kind !== 'owner') throw new Error('not owner');
    await records.attempting(twoStep, b.token, 'ONFIDO');
    await records.checkpoint(twoStep, b.token, 'ONFIDO', 'applicant-1');
    await records.failed(twoStep, b.token);
    expect(await records.claim(twoStep, 'h1')).toMatchObject({
      kind: 'owner',
      resume: { provider: 'ONFIDO', firstStepId: 'applicant-1' },
    });
  });

  it.skipIf(skip)('records go after 24 h (the retention pass), whatever the timeline keeps', async () => {
    const records = new StartRecords(store);
    const key = fresh();
    await records.claim(key, 'h1');
    const pruner = new RetentionPruner(store, {
      retentionDays: 400,
      alsoPruneAfter: [{ maxAgeMs: RECORD_RETENTION_MS, prune: (before, limit) => records.prune(before, limit) }],
    });
    await pruner.pass(Date.now() + RECORD_RETENTION_MS - 60_000);
    await expect(records.claim(key, 'h2')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await pruner.pass(Date.now() + RECORD_RETENTION_MS + 60_000);
    expect(await records.claim(key, 'h2')).toMatchObject({ kind: 'owner' });
  });
});
