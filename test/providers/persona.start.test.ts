import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PersonaLive } from '../../src/providers/persona/config.ts';
import { personaModule } from '../../src/providers/persona/index.ts';
import { PERSONA_SANDBOX_TEMPLATE_ID } from '../../src/providers/persona/sandbox/started.ts';
import { personaWebhook } from '../../src/providers/persona/webhook.ts';
import type { ProviderAdapter, RunningSimulator } from '../../src/providers/types.ts';
import { GatewayError } from '../../src/upstream/errors.ts';
import { TEST_HTTP_OPTIONS } from '../support/gateway.ts';
import { DeliveryReceiver, pressHosted, startRequest } from '../support/startVendor.ts';

const secret = 'wbhsec_persona_start_test_secret';
const hook = personaWebhook({ secret, sandbox: true });
const receiver = new DeliveryReceiver();
let simulator: RunningSimulator;
let live: PersonaLive;
let adapter: ProviderAdapter;

beforeAll(async () => {
  const url = await receiver.listen('/webhooks/persona');
  ({ live, simulator } = await personaModule.startSandbox({
    webhook: { secret, sandbox: true },
    timelineStepMs: 60_000,
  }));
  simulator.webhooks?.deliverTo(url);
  adapter = personaModule.createAdapter(live, { sandbox: true, http: TEST_HTTP_OPTIONS });
});
afterAll(async () => {
  await adapter.close();
  await simulator.close();
  await receiver.close();
});

const flow = PERSONA_SANDBOX_TEMPLATE_ID;

describe('starting a Persona inquiry (create, then a one-time link)', () => {
  it('creates an inquiry, checkpoints it before asking for the link, and the inquiry reads NOT_STARTED at once', async () => {
    simulator.resetCount();
    const req = startRequest({ flow, idempotencyKey: 'persona-start-0001' });
    const started = await adapter.startSession?.(req);
    expect(started).toEqual({
      providerSessionId: expect.stringMatching(/^inq_[0-9a-f]{24}$/),
      hostedUrl: expect.stringMatching(new RegExp(`^${new URL(live.baseUrl).origin}/verify/[A-Za-z0-9_-]{24}$`)),
      clientToken: null,
      expiresAt: null,
      providerStatus: 'created',
    });
    // The link is a bearer token of its own, not the inquiry's id.
    expect(started?.hostedUrl).not.toContain(started?.providerSessionId);
    expect(simulator.starts?.created()).toBe(1);
    expect(req.checkpoints).toEqual([started?.providerSessionId]);
    expect([simulator.requestCount('/inquiries'), simulator.requestCount('generate-one-time-link')]).toEqual([2, 1]);
    const session = await adapter.fetchSession(started?.providerSessionId as string);
    expect([session.status, session.providerStatus, session.reference]).toEqual(['NOT_STARTED', 'created', 'user-42']);
  });

  it('resumes from a checkpointed inquiry: only the link is asked for, no second inquiry', async () => {
    const first = await adapter.startSession?.(startRequest({ flow, idempotencyKey: 'persona-start-0002' }));
    simulator.resetCount();
    const again = await adapter.startSession?.(
      startRequest({ flow, idempotencyKey: 'persona-start-0002', resumeFrom: first?.providerSessionId as string }),
    );
    expect(again?.providerSessionId).toBe(first?.providerSessionId);
    expect(simulator.requestCount('/inquiries')).toBe(1);
    expect(simulator.requestCount('generate-one-time-link')).toBe(1);
  });

  it('sends the idempotency key: the same key creates the inquiry once', async () => {
    const a = await adapter.startSession?.(startRequest({ flow, idempotencyKey: 'persona-start-0003' }));
    const b = await adapter.startSession?.(startRequest({ flow, idempotencyKey: 'persona-start-0003' }));
    expect(b?.providerSessionId).toBe(a?.providerSessionId);
  });

  it('mints a fresh link for an inquiry started earlier (reissueLink), creating nothing', async () => {
    const a = await adapter.startSession?.(startRequest({ flow, idempotencyKey: 'persona-start-0005' }));
    const created = simulator.starts?.created();
    const again = await adapter.reissueLink?.(a?.providerSessionId as string, startRequest({ flow }));
    expect(again?.providerSessionId).toBe(a?.providerSessionId);
    expect(again?.hostedUrl).not.toBe(a?.hostedUrl);
    expect(simulator.starts?.created()).toBe(created);
  });

  it('answers a template Persona refuses as BAD_USER_INPUT, without echoing it', async () => {
    const error = await adapter.startSession?.(startRequest({ flow: 'not-a-template' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect([(error as GatewayError).code, (error as GatewayError).message]).toEqual([
      'BAD_USER_INPUT',
      'Persona refused input.flow; check it against your Persona account.',
    ]);
  });

  it('moves the inquiry from the hosted page and sends Persona’s signed events', async () => {
    const started = await adapter.startSession?.(startRequest({ flow, idempotencyKey: 'persona-start-0004' }));
    const page = await request(started?.hostedUrl as string);
    expect([page.statusCode, await page.body.text()]).toEqual([200, expect.stringContaining('data-state>created<')]);
    const before = receiver.deliveries.length;
    expect(await pressHosted(started?.hostedUrl as string, 'decline', 'id_expired_detection')).toBe(303);
    await receiver.received(before + 4);
    const events = receiver.deliveries.slice(before).map((d) => {
      expect(hook.verify(d.headers, d.body, Math.floor(Date.now() / 1000)).ok).toBe(true);
      return hook.read(JSON.parse(d.body.toString('utf8')), 0);
    });
    const inquiryEvent = (event: string) => ({ kind: 'session', event, sessionId: started?.providerSessionId });
    // A verification.* event is about the verification object: the gateway refreshes on the inquiry's own events.
    expect(events).toEqual([
      inquiryEvent('inquiry.started'),
      { kind: 'ignored', event: 'verification.failed' },
      inquiryEvent('inquiry.failed'),
      inquiryEvent('inquiry.declined'),
    ]);
    const session = await adapter.fetchSession(started?.providerSessionId as string);
    expect([session.status, session.providerStatus]).toEqual(['DECLINED', 'declined']);
  });

  it.each([
    ['approve', undefined, 'APPROVED', 'approved'],
    ['resubmit', 'selfie_id_comparison', 'IN_PROGRESS', 'pending'],
    ['abandon', undefined, 'EXPIRED', 'expired'],
  ])('the hosted page’s %s moves the inquiry to %s', async (outcome, reason, status, word) => {
    const started = await adapter.startSession?.(startRequest({ flow, idempotencyKey: `persona-hosted-${outcome}` }));
    expect(await pressHosted(started?.hostedUrl as string, outcome, reason)).toBe(303);
    const session = await adapter.fetchSession(started?.providerSessionId as string);
    expect([session.status, session.providerStatus]).toEqual([status, word]);
  });
});
