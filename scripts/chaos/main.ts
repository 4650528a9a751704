/**
 * `npm run chaos`: three gateway processes on one embedded PostgreSQL and one Redis, a few hundred Persona inquiries
 * changing through signed vendor webhooks in bursts, and meanwhile the receiver down for a minute, PostgreSQL
 * restarted once and one gateway SIGKILLed while deliveries are in flight. At the end it prints and checks what
 * DESIGN §8 promises: nothing a vendor was told "2xx" about is lost, nothing is sent twice under two ids, each session's
 * events arrive in order, and no process outgrew its memory bound. A script, not a test: it runs for minutes.
 * Knobs: CHAOS_SESSIONS (300), CHAOS_RECEIVER_DOWN_SECONDS (60), CHAOS_MAX_RSS_MIB (512).
 */
import { randomBytes } from 'node:crypto';
import { deliveries, pendingInbox, timeline, verdicts } from './checks.ts';
import { type Gateway, startGateway, stopGateway } from './gateways.ts';
import { ChaosReceiver } from './receiver.ts';
import { startPostgres, startRedis } from './services.ts';
import { ChaosVendor } from './vendor.ts';

const SESSIONS = Number(process.env.CHAOS_SESSIONS ?? 300);
const DOWN_SECONDS = Number(process.env.CHAOS_RECEIVER_DOWN_SECONDS ?? 60);
const MAX_RSS_MIB = Number(process.env.CHAOS_MAX_RSS_MIB ?? 512);
const CONCURRENCY = 16;

const started = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);

/** Runs `work` over `items`, CONCURRENCY at a time, calling `at` once with each fraction in `marks` reached. */
async function pooled<T>(
  items: readonly T[],
  work: (item: T) => Promise<void>,
  marks: Array<[number, () => Promise<void>]> = [],
) {
  let next = 0;
  let done = 0;
  const pending = [...marks];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
      done += 1;
      while (pending[0] && done >= pending[0][0] * items.length)
        await (pending.shift() as [number, () => Promise<void>])[1]();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/** Polls `condition` every half second until it holds or `seconds` pass; returns whether it held. */
async function until(what: string, seconds: number, condition: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await condition().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  say(`gave up waiting: ${what}`);
  return false;
}

async function main(): Promise<number> {
  const postgres = await startPostgres();
  const redis = await startRedis();
  const receiverSecret = `whsec_${randomBytes(32).toString('base64')}`;
  const receiver = new ChaosReceiver(receiverSecret);
  await receiver.up();
  const personaSecret = `wbhsec_${randomBytes(24).toString('hex')}`;
  const vendor = await ChaosVendor.start(personaSecret);
  const env = {
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    CACHE_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    GATEWAY_API_KEYS: JSON.stringify([
      { name: 'chaos', key: randomBytes(24).toString('hex'), scopes: ['sessions:read'] },
    ]),
    PERSONA_BASE_URL: vendor.baseUrl,
    PERSONA_API_KEY: vendor.apiKey,
    PERSONA_WEBHOOK_SECRET: personaSecret,
    OUTBOUND_WEBHOOKS: JSON.stringify([
      { name: 'chaos', url: receiver.url, secret: receiverSecret, providers: ['PERSONA'] },
    ]),
  };
  const gateways: Gateway[] = [];
  for (const name of ['gateway-1', 'gateway-2', 'gateway-3']) gateways.push(await startGateway(name, env));
  say(
    `3 gateways on PostgreSQL ${new URL(postgres.url).port} and Redis ${new URL(redis.url).port}; ${SESSIONS} inquiries`,
  );

  const ids: string[] = [];
  for (let n = 0; n < SESSIONS; n += 1) ids.push(await vendor.createInquiry(n));
  const reached = (status: string) => async () => {
    const latest = new Map<string, string>();
    for (const e of await timeline(postgres.url)) latest.set(e.session, e.providerStatus);
    return ids.every((id) => latest.get(id) === status);
  };
  const all = () => gateways;

  say('burst 1: every inquiry started');
  await pooled(ids, (id) => vendor.change(id, 'start_inquiry', 'inquiry.started', all));
  await until('every inquiry pending in the timeline', 120, reached('pending'));

  say(`burst 2: every inquiry completed; the receiver is down for ${DOWN_SECONDS} s, PostgreSQL restarts once`);
  await receiver.down();
  const back = new Promise<void>((resolve) => setTimeout(() => void receiver.up().then(resolve), DOWN_SECONDS * 1000));
  await pooled(ids, (id) => vendor.change(id, 'complete_inquiry', 'inquiry.completed', all), [
    [
      0.4,
      async () => {
        say('PostgreSQL restarting');
        await postgres.restart();
        say('PostgreSQL back');
      },
    ],
  ]);
  await until('every inquiry completed in the timeline', 180, reached('completed'));
  await back;
  say('receiver back');

  say('burst 3: half approved, half declined; gateway-3 is SIGKILLed halfway, deliveries in flight');
  await pooled(
    ids,
    (id) =>
      ids.indexOf(id) % 2 === 0
        ? vendor.change(id, 'approve_inquiry', 'inquiry.approved', all)
        : vendor.change(id, 'decline_inquiry', 'inquiry.declined', all),
    [
      [
        0.5,
        async () => {
          (gateways[2] as Gateway).kill('SIGKILL');
          say('gateway-3 killed');
        },
      ],
    ],
  );

  await until('every delivery received', 300, async () => {
    const rows = await deliveries(postgres.url);
    const got = new Set(receiver.arrivals.map((a) => a.webhookId));
    const entries = await timeline(postgres.url);
    return entries.length >= ids.length * 3 && rows.length > 0 && rows.every((d) => got.has(d.id));
  });
  const checks = verdicts({
    acks: vendor.acks,
    entries: await timeline(postgres.url),
    outbound: await deliveries(postgres.url),
    arrivals: receiver.arrivals,
    gateways,
    maxRssMiB: MAX_RSS_MIB,
    inboxPending: await pendingInbox(postgres.url),
  });
  say(`${vendor.acks.length} webhooks acknowledged, ${vendor.refused} deliveries refused or failed and retried`);
  for (const c of checks) console.log(`${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);

  for (const g of gateways) await stopGateway(g);
  await vendor.close();
  await receiver.down();
  await redis.stop();
  await postgres.stop();
  const failed = checks.filter((c) => !c.ok).length;
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
