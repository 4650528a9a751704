import pg from 'pg';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import type { EventStore } from '../../src/events/store.ts';
import { InboxStore } from '../../src/inbox/store.ts';
import { signVerifaDelivery } from '../../src/providers/verifa/sandbox/webhookSender.ts';
import type { GatewayOptions } from '../../src/server.ts';
import { BreakableStore, openTestStore } from '../support/breakableStore.ts';
import { type Engine, postgresAvailable, type TestDatabase, testDatabase } from '../support/eventStores.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { outboundEnv, startReceiver, type TestReceiver } from '../support/receiver.ts';
import { originOf, postWebhook, vendorHooks, waitFor } from '../support/webhooks.ts';

/**
 * The inbox end to end, over HTTP, on both engines (DESIGN §8): a signed Verifa webhook is answered 200 only once its
 * hint is a row in the timeline's database; the inbox worker then records the change (WEBHOOK) with its outbound
 * delivery, which a real receiver verifies. The store is broken on purpose (a wrapper whose calls fail, and on
 * PostgreSQL a database made read-only), a replica dies holding a lease, the vendor no longer knows a session.
 */

const FAST: GatewayOptions = {
  refresher: { minIntervalMs: 0, backoffMs: 50, maxBackoffMs: 200, pollMs: 100, leaseMs: 2_000 },
  timeline: { flushDelayMs: 5, retryDelayMs: 50, maxRetryDelayMs: 200 },
  outbound: { pollIntervalMs: 50, retryDelaysSeconds: [0.2, 0.2, 0.2], leaseMs: 1_500, stopGraceMs: 100 },
};

const SESSION = 'query S($id: String!) { session(provider: VERIFA, id: $id) { status providerStatus } }';

const delivery = (secret: string, id: string, n = 0) =>
  signVerifaDelivery(
    secret,
    JSON.stringify({
      event: 'session.approved',
      data: { session_id: id, status: 'approved', is_sandbox: true, created_at: '2026-03-02T09:30:00Z' },
      created_at: new Date().toISOString(),
      n,
    }),
  );

/** What a backend receives for ses_approved's first recorded state. */
const APPROVED_EVENT = expect.objectContaining({
  type: 'verification.session.status_changed',
  data: expect.objectContaining({
    provider: 'VERIFA',
    sessionId: 'ses_approved',
    status: 'APPROVED',
    previousStatus: null,
    sequence: 1,
  }),
});

const engines: Engine[] = ['sqlite', 'postgres'];

describe.each(engines)('the inbox on %s', (engine) => {
  const skip = engine === 'postgres' && !postgresAvailable();
  let db: TestDatabase;
  let receiver: TestReceiver;
  let look: EventStore;
  const gateways: TestGateway[] = [];

  const start = async (options: GatewayOptions = FAST, env: Record<string, string> = {}) => {
    const tg = await startTestGateway(
      { DATABASE_URL: db.url, OUTBOUND_WEBHOOKS: outboundEnv([{ name: 'backend', url: receiver.url }]), ...env },
      options,
    );
    gateways.push(tg);
    return tg;
  };
  const secretOf = (tg: TestGateway) => vendorHooks(tg.config).verifa?.secret ?? '';
  const rows = (id: string) =>
    look.transaction((tx) =>
      tx.run(
        `SELECT provider, provider_session_id, event, vendor_event_id, status, outcome, attempts, last_error,
           replay_key FROM inbox WHERE provider_session_id = ${tx.engine === 'sqlite' ? '?' : '$1'} ORDER BY id`,
        [id],
      ),
    );
  const entries = (id: string) => look.sessionEvents({ provider: 'VERIFA', id }, 0, 100);
  const metric = async (tg: TestGateway, line: RegExp) => {
    const text = await (await request(`${originOf(tg.gateway.url)}/metrics`)).body.text();
    return line.exec(text)?.[1] ?? null;
  };

  beforeEach(async () => {
    if (skip) return;
    db = await testDatabase(engine);
    receiver = await startReceiver();
    // The migrations are applied by this first connection; the gateway's find none pending.
    look = await openTestStore(db.url);
  });
  afterEach(async () => {
    if (skip) return;
    await Promise.all(gateways.splice(0).map((g) => g.close()));
    await look.close();
    await receiver.close();
    await db.drop();
  });

  it.skipIf(skip)('answers 200 only once the row is committed, then records the change and delivers it', async () => {
    const tg = await start();
    const answer = await postWebhook(originOf(tg.gateway.url), 'verifa', delivery(secretOf(tg), 'ses_approved'));
    expect(answer).toEqual({ status: 200, body: { received: true } });
    expect(await rows('ses_approved')).toEqual([
      {
        provider: 'VERIFA',
        provider_session_id: 'ses_approved',
        event: 'session.approved',
        vendor_event_id: null,
        // Pending, or done already by the worker woken by its commit.
        status: expect.stringMatching(/^(pending|done)$/),
        outcome: expect.toBeOneOf([null, 'changed']),
        attempts: 0,
        last_error: null,
        replay_key: expect.stringMatching(/^verigate:webhook:v1:delivery:[A-Za-z0-9_-]{43}$/),
      },
    ]);
    expect(await waitFor(() => receiver.events.length === 1)).toBe(true);
    expect(receiver.events.map((e) => e.body)).toEqual([APPROVED_EVENT]);
    expect((await entries('ses_approved')).map((e) => [e.sequence, e.source, e.status])).toEqual([
      [1, 'WEBHOOK', 'APPROVED'],
    ]);
    expect((await rows('ses_approved')).map((r) => [r.status, r.outcome])).toEqual([['done', 'changed']]);
    expect(await metric(tg, /^verigate_inbox_accepted_total\{provider="VERIFA"\} (\d+)$/m)).toBe('1');
    expect(await metric(tg, /^verigate_inbox_processed_total\{provider="VERIFA",outcome="changed"\} (\d+)$/m)).toBe(
      '1',
    );
    expect(await metric(tg, /^verigate_inbox_pending (\d+)$/m)).toBe('0');
  });

  it.skipIf(skip)('answers 503 while the store fails, writes nothing, and records the vendor’s retry', async () => {
    let breakable: BreakableStore | null = null;
    const tg = await start({
      ...FAST,
      eventStore: (opened) => {
        breakable = new BreakableStore(opened);
        return breakable;
      },
    });
    const store = breakable as unknown as BreakableStore;
    const signed = delivery(secretOf(tg), 'ses_approved');
    store.broken = true;
    const refused = await postWebhook(originOf(tg.gateway.url), 'verifa', signed);
    expect(refused).toEqual({ status: 503, body: { error: 'unavailable' } });
    expect(await metric(tg, /^verigate_store_up (\d+)$/m)).toBe('0');
    // Queries still answer while the store is away.
    expect((await tg.query(SESSION, { id: 'ses_approved' })).body).toEqual({
      data: { session: { status: 'APPROVED', providerStatus: 'approved' } },
    });
    expect(await rows('ses_approved')).toEqual([]);

    store.broken = false;
    // The vendor retries the same delivery: not a duplicate (nothing was recorded), so it is recorded now.
    const retried = await postWebhook(originOf(tg.gateway.url), 'verifa', signed);
    expect(retried).toEqual({ status: 200, body: { received: true } });
    expect(await waitFor(() => receiver.events.length === 1)).toBe(true);
    expect(receiver.events.map((e) => e.body)).toEqual([APPROVED_EVENT]);
    expect(await waitFor(async () => (await rows('ses_approved'))[0]?.status === 'done')).toBe(true);
    // The query's own observation, retried once the store was back, and the webhook's: one entry.
    expect((await entries('ses_approved')).map((e) => [e.sequence, e.status])).toEqual([[1, 'APPROVED']]);
    expect(await metric(tg, /^verigate_store_up (\d+)$/m)).toBe('1');
  });

  it.skipIf(skip)(
    'answers 503 past the deadline, and a commit that lands after it makes the retry a duplicate',
    async () => {
      let breakable: BreakableStore | null = null;
      const tg = await start({
        ...FAST,
        inboxDeadlineMs: 200,
        eventStore: (opened) => {
          breakable = new BreakableStore(opened);
          return breakable;
        },
      });
      const store = breakable as unknown as BreakableStore;
      const signed = delivery(secretOf(tg), 'ses_approved');
      const release = store.stall();
      expect(await postWebhook(originOf(tg.gateway.url), 'verifa', signed)).toEqual({
        status: 503,
        body: { error: 'unavailable' },
      });
      release();
      // The stalled commit lands: the vendor's retry is a duplicate, and the row is worked all the same.
      expect(await waitFor(async () => (await rows('ses_approved')).length === 1)).toBe(true);
      expect(await postWebhook(originOf(tg.gateway.url), 'verifa', signed)).toEqual({
        status: 200,
        body: { received: true },
      });
      expect(await waitFor(() => receiver.events.length === 1)).toBe(true);
      expect(receiver.events.map((e) => e.body)).toEqual([APPROVED_EVENT]);
      expect(await waitFor(async () => (await rows('ses_approved'))[0]?.status === 'done')).toBe(true);
      expect(await rows('ses_approved')).toHaveLength(1);
    },
  );

  it.skipIf(skip)(
    'retries a query’s change while the store is away, and drops (counted) what is past the bound',
    async () => {
      let breakable: BreakableStore | null = null;
      const tg = await start({
        ...FAST,
        timeline: { ...FAST.timeline, maxPending: 1 },
        eventStore: (opened) => {
          breakable = new BreakableStore(opened);
          return breakable;
        },
      });
      const store = breakable as unknown as BreakableStore;
      store.broken = true;
      expect((await tg.query(SESSION, { id: 'ses_approved' })).body).toEqual({
        data: { session: { status: 'APPROVED', providerStatus: 'approved' } },
      });
      expect(await waitFor(async () => (await metric(tg, /^verigate_store_up (\d+)$/m)) === '0')).toBe(true);
      // One observation waits for the store; the next is past the bound.
      expect((await tg.query(SESSION, { id: 'ses_rejected' })).body).toEqual({
        data: { session: { status: 'DECLINED', providerStatus: 'rejected' } },
      });
      expect(await metric(tg, /^verigate_timeline_dropped_total (\d+)$/m)).toBe('1');
      store.broken = false;
      // The waiting one is retried and recorded; the dropped one is not remembered, so its next load records it.
      expect(await waitFor(async () => (await entries('ses_approved')).length === 1)).toBe(true);
      expect(await entries('ses_rejected')).toEqual([]);
      await tg.query(SESSION, { id: 'ses_rejected' });
      await tg.gateway.timeline.flush();
      const rejected = await look.sessionEvents({ provider: 'VERIFA', id: 'ses_rejected' }, 0, 10);
      expect(rejected.map((e) => [e.sequence, e.source, e.status])).toEqual([[1, 'QUERY', 'DECLINED']]);
      expect(await metric(tg, /^verigate_store_up (\d+)$/m)).toBe('1');
    },
  );

  it.skipIf(skip)('finishes the rows of a replica that died holding their lease, once it lapses', async () => {
    // Another replica took the delivery and claimed its row, then died before reloading the session.
    const dead = new InboxStore(look);
    expect(
      await dead.accept({
        replayKey: 'verigate:webhook:v1:delivery:from-a-dead-replica',
        provider: 'VERIFA',
        providerSessionId: 'ses_approved',
        event: 'session.approved',
        vendorEventId: null,
        receivedAt: new Date().toISOString(),
      }),
    ).toBe('accepted');
    const claimed = await dead.claim(10, 600, 'dead-replica');
    expect(claimed.map((r) => r.providerSessionId)).toEqual(['ses_approved']);
    // This replica's worker finds the row leased, and takes it once the lease has lapsed.
    const tg = await start({ ...FAST, refresher: { ...FAST.refresher, pollMs: 50 } });

    expect(await waitFor(() => receiver.events.length === 1)).toBe(true);
    expect(await waitFor(async () => (await rows('ses_approved'))[0]?.status === 'done')).toBe(true);
    // The dead replica's late release (had it come back) changes nothing.
    await dead.release(
      claimed.map((r) => r.id),
      'dead-replica',
      new Date(),
      { code: 'UPSTREAM_UNAVAILABLE', attempt: true },
    );
    expect((await rows('ses_approved')).map((r) => [r.status, r.outcome, r.attempts])).toEqual([
      ['done', 'changed', 0],
    ]);
    expect((await entries('ses_approved')).map((e) => [e.sequence, e.source, e.status])).toEqual([
      [1, 'WEBHOOK', 'APPROVED'],
    ]);
    await tg.gateway.timeline.flush();
    expect(receiver.events.map((e) => e.body)).toEqual([APPROVED_EVENT]);
  });

  it.skipIf(skip)('keeps one row for a delivery that reaches two replicas, each answering 200', async () => {
    // Two replicas without a shared replay log: only the inbox can tell the second delivery is the first.
    const a = await start(FAST, { VERIFA_WEBHOOK_SECRET: 'inbox-test-shared-secret' });
    const b = await start(FAST, { VERIFA_WEBHOOK_SECRET: 'inbox-test-shared-secret' });
    const signed = delivery(secretOf(a), 'ses_approved');
    expect((await postWebhook(originOf(a.gateway.url), 'verifa', signed)).status).toBe(200);
    expect((await postWebhook(originOf(b.gateway.url), 'verifa', signed)).status).toBe(200);
    expect((await postWebhook(originOf(a.gateway.url), 'verifa', signed)).status).toBe(200);
    expect(await rows('ses_approved')).toHaveLength(1);
    expect(await metric(b, /^verigate_webhook_deliveries_total\{provider="VERIFA",outcome="duplicate"\} (\d+)$/m)).toBe(
      '1',
    );
    expect(await waitFor(() => receiver.events.length === 1)).toBe(true);
    expect(await waitFor(async () => (await rows('ses_approved'))[0]?.status === 'done')).toBe(true);
    expect(await entries('ses_approved')).toHaveLength(1);
  });

  it.skipIf(skip)(
    'ends a row for a session the vendor no longer knows as not_found, counted, not retried',
    async () => {
      const tg = await start();
      const sim = tg.simulator('VERIFA');
      sim.resetCount();
      expect(
        (await postWebhook(originOf(tg.gateway.url), 'verifa', delivery(secretOf(tg), 'ses_missing'))).status,
      ).toBe(200);
      expect(await waitFor(async () => (await rows('ses_missing'))[0]?.status === 'done')).toBe(true);
      expect((await rows('ses_missing')).map((r) => [r.status, r.outcome, r.last_error])).toEqual([
        ['done', 'not_found', 'NOT_FOUND'],
      ]);
      expect(await metric(tg, /^verigate_inbox_processed_total\{provider="VERIFA",outcome="not_found"\} (\d+)$/m)).toBe(
        '1',
      );
      expect(await entries('ses_missing')).toEqual([]);
      expect(receiver.events).toEqual([]);
    },
  );

  it.skipIf(skip)('refuses forged and malformed deliveries with nothing written', async () => {
    const tg = await start();
    const origin = originOf(tg.gateway.url);
    const forged = delivery('not-the-secret', 'ses_approved');
    expect(await postWebhook(origin, 'verifa', forged)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    const notJson = signVerifaDelivery(secretOf(tg), '{"event": ');
    expect(await postWebhook(origin, 'verifa', notJson)).toEqual({ status: 400, body: { error: 'invalid_json' } });
    const badId = delivery(secretOf(tg), '../ses_approved');
    expect(await postWebhook(origin, 'verifa', badId)).toEqual({ status: 400, body: { error: 'invalid_payload' } });
    const all = await look.transaction((tx) => tx.run('SELECT id FROM inbox', []));
    expect(all).toEqual([]);
  });

  it.skipIf(skip)('prunes done rows past the retention, never pending ones', async () => {
    const tg = await start();
    expect((await postWebhook(originOf(tg.gateway.url), 'verifa', delivery(secretOf(tg), 'ses_approved'))).status).toBe(
      200,
    );
    expect(await waitFor(async () => (await rows('ses_approved'))[0]?.status === 'done')).toBe(true);
    const inbox = new InboxStore(look);
    await inbox.accept({
      replayKey: 'verigate:webhook:v1:delivery:still-pending',
      provider: 'VERIFA',
      providerSessionId: 'ses_later',
      event: 'session.approved',
      vendorEventId: null,
      receivedAt: new Date().toISOString(),
    });
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await inbox.prune(future, 100)).toBe(1);
    expect(await rows('ses_approved')).toEqual([]);
  });
});

describe.skipIf(!postgresAvailable())('the inbox on a PostgreSQL made read-only', () => {
  let db: TestDatabase;
  let receiver: TestReceiver;
  let tg: TestGateway;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: inject('postgresAdminUrl') ?? '' });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const name = () => new URL(db.url).pathname.slice(1);
  /** Sets the database's default and drops its connections, so the gateway's next ones start under it. */
  const readOnly = async (on: boolean) => {
    await admin(`ALTER DATABASE ${name()} SET default_transaction_read_only = ${on ? 'on' : 'off'}`);
    await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name()}' AND pid <> pg_backend_pid()`,
    );
  };

  beforeEach(async () => {
    db = await testDatabase('postgres');
    receiver = await startReceiver();
    tg = await startTestGateway(
      { DATABASE_URL: db.url, OUTBOUND_WEBHOOKS: outboundEnv([{ name: 'backend', url: receiver.url }]) },
      FAST,
    );
  });
  afterEach(async () => {
    await tg.close();
    await receiver.close();
    await db.drop();
  });

  it('never acks a webhook it cannot commit: 503, then the retry is recorded and delivered', async () => {
    const origin = originOf(tg.gateway.url);
    const signed = delivery(vendorHooks(tg.config).verifa?.secret ?? '', 'ses_approved');
    await readOnly(true);
    // A connection dropped under the pool may fail one more call before the pool reconnects: each such is a 503.
    const answers = [await postWebhook(origin, 'verifa', signed), await postWebhook(origin, 'verifa', signed)];
    expect(answers).toEqual([
      { status: 503, body: { error: 'unavailable' } },
      { status: 503, body: { error: 'unavailable' } },
    ]);
    expect((await tg.query(SESSION, { id: 'ses_approved' })).body).toEqual({
      data: { session: { status: 'APPROVED', providerStatus: 'approved' } },
    });
    await readOnly(false);
    expect(await waitFor(async () => (await postWebhook(origin, 'verifa', signed)).status === 200)).toBe(true);
    expect(await waitFor(() => receiver.events.length === 1)).toBe(true);
    expect(receiver.events.map((e) => e.body)).toEqual([APPROVED_EVENT]);
  });
});
