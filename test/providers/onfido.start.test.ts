import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnfidoLive } from '../../src/providers/onfido/config.ts';
import { onfidoModule } from '../../src/providers/onfido/index.ts';
import { ONFIDO_SANDBOX_WORKFLOW_ID } from '../../src/providers/onfido/sandbox/started.ts';
import { onfidoLanguage } from '../../src/providers/onfido/start.ts';
import { onfidoWebhook } from '../../src/providers/onfido/webhook.ts';
import type { ProviderAdapter, RunningSimulator } from '../../src/providers/types.ts';
import { GatewayError } from '../../src/upstream/errors.ts';
import { TEST_HTTP_OPTIONS } from '../support/gateway.ts';
import { DeliveryReceiver, pressHosted, startRequest } from '../support/startVendor.ts';

const token = 'onfido-start-test-webhook-token';
const hook = onfidoWebhook({ token, sandbox: true });
const receiver = new DeliveryReceiver();
let simulator: RunningSimulator;
let live: OnfidoLive;
let adapter: ProviderAdapter;

beforeAll(async () => {
  const url = await receiver.listen('/webhooks/onfido');
  ({ live, simulator } = await onfidoModule.startSandbox({
    webhook: { token, sandbox: true },
    timelineStepMs: 60_000,
  }));
  simulator.webhooks?.deliverTo(url);
  adapter = onfidoModule.createAdapter(live, { sandbox: true, http: TEST_HTTP_OPTIONS });
});
afterAll(async () => {
  await adapter.close();
  await simulator.close();
  await receiver.close();
});

const flow = ONFIDO_SANDBOX_WORKFLOW_ID;
const failure = (promise: Promise<unknown> | undefined) =>
  (promise as Promise<unknown>).then(
    () => null,
    (e: unknown) => (e instanceof GatewayError ? { code: e.code, message: e.message } : e),
  );

describe('starting an Onfido workflow run (applicant, then run)', () => {
  it('creates the applicant, checkpoints it, runs the workflow and returns its link, SDK token and expiry', async () => {
    simulator.resetCount();
    const req = startRequest({ flow, locale: 'de-AT' });
    const started = await adapter.startSession?.(req);
    const origin = new URL(live.baseUrl).origin;
    expect(started).toEqual({
      providerSessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      hostedUrl: expect.stringMatching(new RegExp(`^${origin}/l/[A-Za-z0-9_-]{24}$`)),
      clientToken: expect.stringMatching(/^eyJ/),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
      providerStatus: 'awaiting_input',
    });
    expect(req.checkpoints).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect([simulator.requestCount('/applicants'), simulator.requestCount('/workflow_runs')]).toEqual([1, 1]);
    const session = await adapter.fetchSession(started?.providerSessionId as string);
    expect([session.status, session.providerStatus]).toEqual(['IN_PROGRESS', 'awaiting_input']);
  });

  it('resumes from a checkpointed applicant: no second applicant is created', async () => {
    const req = startRequest({ flow });
    await adapter.startSession?.(req);
    simulator.resetCount();
    const again = await adapter.startSession?.(startRequest({ flow, resumeFrom: req.checkpoints[0] as string }));
    expect(again?.providerSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect([simulator.requestCount('/applicants'), simulator.requestCount('/workflow_runs')]).toEqual([0, 1]);
  });

  it('refuses, before any call, a flow that is not a workflow UUID and an applicant without both names', async () => {
    simulator.resetCount();
    expect(await failure(adapter.startSession?.(startRequest({ flow: 'kyc-basic' })))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'flow: Onfido workflow ids are UUIDs.',
    });
    expect(await failure(adapter.startSession?.(startRequest({ flow, prefill: null })))).toEqual({
      code: 'BAD_USER_INPUT',
      message:
        'prefill: Onfido needs givenName and familyName to create the applicant (applicant_create requires them).',
    });
    expect(simulator.requestCount()).toBe(0);
  });

  it('answers a workflow Onfido refuses as BAD_USER_INPUT', async () => {
    const req = startRequest({ flow });
    await adapter.startSession?.(req);
    const unknownApplicant = startRequest({ flow, resumeFrom: '00000000-0000-4000-8000-000000000000' });
    expect(await failure(adapter.startSession?.(unknownApplicant))).toEqual({
      code: 'BAD_USER_INPUT',
      message: 'Onfido refused the input (validation_error); check it against your Onfido account.',
    });
  });

  it('finishes the run from the hosted page and sends Onfido’s signed workflow_run.completed', async () => {
    const started = await adapter.startSession?.(startRequest({ flow }));
    const url = started?.hostedUrl as string;
    expect(await (await request(url)).body.text()).toContain('data-state>awaiting_input<');
    const before = receiver.deliveries.length;
    expect(await pressHosted(url, 'decline', 'visual_authenticity')).toBe(303);
    await receiver.received(before + 1);
    const delivery = receiver.deliveries[before];
    expect(hook.verify(delivery?.headers ?? {}, delivery?.body ?? Buffer.alloc(0), 0).ok).toBe(true);
    expect(hook.read(JSON.parse(String(delivery?.body)), 0)).toEqual({
      kind: 'session',
      event: 'workflow_run.completed',
      sessionId: started?.providerSessionId,
    });
    const session = await adapter.fetchSession(started?.providerSessionId as string);
    expect([session.status, session.reasonCode]).toEqual(['DECLINED', 'visual_authenticity']);
  });

  it.each([
    ['approve', undefined, 'APPROVED', 'approved'],
    ['resubmit', 'image_integrity', 'IN_PROGRESS', 'awaiting_input'],
    ['abandon', undefined, 'ABANDONED', 'abandoned'],
  ])('the hosted page’s %s moves the run to %s', async (outcome, reason, status, word) => {
    const started = await adapter.startSession?.(startRequest({ flow }));
    expect(await pressHosted(started?.hostedUrl as string, outcome, reason)).toBe(303);
    const session = await adapter.fetchSession(started?.providerSessionId as string);
    expect([session.status, session.providerStatus]).toEqual([status, word]);
  });

  it.each([
    ['de-DE', 'de_DE'],
    ['de-AT', 'de_DE'],
    ['en', 'en_US'],
    ['ja-JP', null],
    [null, null],
  ])('maps locale %s to Onfido’s link language %s', (locale, language) => {
    expect(onfidoLanguage(locale)).toBe(language);
  });
});
