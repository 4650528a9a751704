import pg from 'pg';
import type { Gateway } from './gateways.ts';
import type { Arrival } from './receiver.ts';
import type { Ack } from './vendor.ts';

/** What the chaos run proves at the end, each a line that passes or fails, read from the shared PostgreSQL. */

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

interface Entry {
  session: string;
  sequence: number;
  providerStatus: string;
  source: string;
}

export async function timeline(url: string): Promise<Entry[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT provider_session_id, sequence, provider_status, source FROM session_events WHERE provider = 'PERSONA' ORDER BY provider_session_id, sequence",
    );
    return rows.map((r) => ({
      session: String(r.provider_session_id),
      sequence: Number(r.sequence),
      providerStatus: String(r.provider_status),
      source: String(r.source),
    }));
  } finally {
    await client.end();
  }
}

export async function deliveries(
  url: string,
): Promise<Array<{ id: string; session: string; sequence: number; status: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT id, provider_session_id, sequence, status FROM outbound_deliveries WHERE event_type = 'verification.session.status_changed'",
    );
    return rows.map((r) => ({
      id: String(r.id),
      session: String(r.provider_session_id),
      sequence: Number(r.sequence),
      status: String(r.status),
    }));
  } finally {
    await client.end();
  }
}

/** Inbox rows not yet done, or given up (`failed`): null when this build has no inbox table. */
export async function pendingInbox(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM inbox WHERE status <> 'done' OR outcome = 'failed'",
    );
    return Number(rows[0]?.n ?? 0);
  } catch {
    return null;
  } finally {
    await client.end();
  }
}

export function verdicts(input: {
  acks: readonly Ack[];
  entries: readonly Entry[];
  outbound: Awaited<ReturnType<typeof deliveries>>;
  arrivals: readonly Arrival[];
  gateways: readonly Gateway[];
  maxRssMiB: number;
  inboxPending: number | null;
}): Check[] {
  const bySession = new Map<string, Entry[]>();
  for (const e of input.entries) bySession.set(e.session, [...(bySession.get(e.session) ?? []), e]);
  const missing = input.acks.filter(
    (a) => (bySession.get(a.sessionId) ?? []).filter((e) => e.providerStatus === a.status).length !== 1,
  );
  const gaps = [...bySession.values()].filter((list) =>
    list.some((e, i) => e.sequence !== i + 1 || (i > 0 && list[i - 1]?.providerStatus === e.providerStatus)),
  );
  const idsBySlot = new Map<string, Set<string>>();
  for (const a of input.arrivals) {
    const slot = `${a.sessionId}#${a.sequence}`;
    idsBySlot.set(slot, (idsBySlot.get(slot) ?? new Set()).add(a.webhookId));
  }
  const arrivedIds = new Set(input.arrivals.map((a) => a.webhookId));
  const undelivered = input.outbound.filter((d) => !arrivedIds.has(d.id));
  const unrecorded = input.entries.filter(
    (e) => e.source !== 'PROVIDER' && !input.outbound.some((d) => d.session === e.session && d.sequence === e.sequence),
  );
  const twoIds = [...idsBySlot.entries()].filter(([, ids]) => ids.size > 1);
  const outOfOrder = [...new Set(input.arrivals.map((a) => a.sessionId))].filter((session) => {
    const firsts: number[] = [];
    for (const a of input.arrivals)
      if (a.sessionId === session && !firsts.includes(a.sequence)) firsts.push(a.sequence);
    return firsts.some((s, i) => i > 0 && s < (firsts[i - 1] as number));
  });
  const heavy = input.gateways.filter((g) => g.peakRssMiB > input.maxRssMiB);
  return [
    {
      name: 'every webhook answered 2xx is in the timeline exactly once',
      ok: missing.length === 0,
      detail: `${input.acks.length} acknowledged, ${missing.length} not recorded exactly once${sample(missing.map((m) => `${m.sessionId}:${m.status}`))}`,
    },
    {
      name: 'each session’s timeline has no gap and no repeated state',
      ok: gaps.length === 0,
      detail: `${bySession.size} sessions, ${input.entries.length} entries, ${gaps.length} with a gap or repeat`,
    },
    {
      name: 'every change has an outbound delivery',
      ok: unrecorded.length === 0,
      detail: `${input.outbound.length} deliveries, ${unrecorded.length} changes without one`,
    },
    {
      name: 'every change reached the receiver at least once',
      ok: undelivered.length === 0,
      detail: `${arrivedIds.size} webhook-ids received (${input.arrivals.length} arrivals), ${undelivered.length} never arrived`,
    },
    {
      name: 'each change always under one webhook-id',
      ok: twoIds.length === 0,
      detail: `${idsBySlot.size} changes received, ${twoIds.length} under several ids`,
    },
    {
      name: 'each session’s events arrived in order',
      ok: outOfOrder.length === 0,
      detail: `${outOfOrder.length} sessions out of order${sample(outOfOrder)}`,
    },
    {
      name: 'the inbox is drained, nothing given up',
      ok: input.inboxPending === 0,
      detail:
        input.inboxPending === null ? 'no inbox table in this build' : `${input.inboxPending} rows not done or failed`,
    },
    {
      name: `no gateway exceeded ${input.maxRssMiB} MiB resident`,
      ok: heavy.length === 0,
      detail: input.gateways.map((g) => `${g.name} ${g.peakRssMiB.toFixed(0)} MiB`).join(', '),
    },
  ];
}

const sample = (items: readonly string[]) => (items.length > 0 ? ` (e.g. ${items.slice(0, 3).join(', ')})` : '');
