import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../src/model/session.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';
import { START, START_KEY, START_KEYS, type Started } from './support/start.ts';
import { waitFor } from './support/webhooks.ts';

/**
 * Each button of the sandbox's hosted page, at each vendor this round starts: the session moves as the vendor's own
 * flow would leave it, the vendor's signed webhook reaches Verigate (accepted), and a query reads the new state.
 */

let tg: TestGateway;
beforeAll(async () => {
  tg = await startTestGateway({ GATEWAY_API_KEYS: START_KEYS });
});
afterAll(() => tg.close());

const READ = `query R($p: Provider!, $id: String!) {
  session(provider: $p, id: $id) { status providerStatus reasonCode isTerminal } }`;

async function startAt(provider: Provider): Promise<Started> {
  const res = await tg.query(
    START,
    { input: { provider, subjectRef: 'hosted-1', idempotencyKey: `hosted-${randomUUID()}` } },
    START_KEY,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data?.startVerification as Started;
}

async function press(link: string, form: string): Promise<number> {
  const res = await request(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  await res.body.dump();
  return res.statusCode;
}

const cases: Array<[Provider, string, Record<string, unknown>]> = [
  ['VERIFA', 'outcome=approve', { status: 'APPROVED', providerStatus: 'approved', reasonCode: null, isTerminal: true }],
  [
    'VERIFA',
    'outcome=decline&reason=document_unreadable',
    { status: 'DECLINED', providerStatus: 'rejected', reasonCode: 'document_unreadable', isTerminal: true },
  ],
  ['VERIFA', 'outcome=resubmit&reason=document_expired', { status: 'IN_PROGRESS', providerStatus: 'capturing' }],
  ['VERIFA', 'outcome=abandon', { status: 'EXPIRED', providerStatus: 'expired', isTerminal: true }],
  ['DIDIT', 'outcome=approve', { status: 'APPROVED', providerStatus: 'Approved', isTerminal: true }],
  [
    'DIDIT',
    'outcome=decline&reason=DOCUMENT_EXPIRED',
    { status: 'DECLINED', providerStatus: 'Declined', reasonCode: 'DOCUMENT_EXPIRED' },
  ],
  [
    'DIDIT',
    'outcome=resubmit&reason=LOW_FACE_MATCH_SIMILARITY',
    { status: 'RESUBMISSION_REQUESTED', providerStatus: 'Resubmitted' },
  ],
  ['DIDIT', 'outcome=abandon', { status: 'ABANDONED', providerStatus: 'Abandoned', isTerminal: true }],
];

describe('the hosted page of a started session', () => {
  it.each(cases)('%s: %s moves the session and sends the signed webhook', async (provider, form, expected) => {
    const started = await startAt(provider);
    const id = started.session.providerSessionId;
    const webhooks = tg.simulator(provider).webhooks;
    const delivered = webhooks?.delivered() ?? 0;
    expect(await press(started.hostedUrl as string, form)).toBe(303);
    expect(await waitFor(() => (webhooks?.delivered() ?? 0) > delivered)).toBe(true);
    const read = await tg.query(READ, { p: provider, id });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.session).toMatchObject(expected);
  });

  it('refuses a form without a known button or reason (400), and an unknown link (404)', async () => {
    const started = await startAt('VERIFA');
    expect(await press(started.hostedUrl as string, 'outcome=decline&reason=nope')).toBe(400);
    expect(await press(started.hostedUrl as string, 'outcome=explode')).toBe(400);
    const unknown = await request(`${tg.simulator('VERIFA').url}/hosted/${started.session.providerSessionId}`);
    await unknown.body.dump();
    // The session id is not the link: only the minted token opens the page.
    expect(unknown.statusCode).toBe(404);
  });
});
