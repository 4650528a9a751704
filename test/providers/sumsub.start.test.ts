import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SumsubLive } from '../../src/providers/sumsub/config.ts';
import { sumsubModule } from '../../src/providers/sumsub/index.ts';
import { PRIVATE_CLIENT_COMMENT } from '../../src/providers/sumsub/sandbox/scenarios.ts';
import { SUMSUB_SANDBOX_LEVEL } from '../../src/providers/sumsub/sandbox/started.ts';
import { SUMSUB_START_TTL_SECONDS } from '../../src/providers/sumsub/start.ts';
import { sumsubWebhook } from '../../src/providers/sumsub/webhook.ts';
import type { ProviderAdapter, RunningSimulator } from '../../src/providers/types.ts';
import { GatewayError } from '../../src/upstream/errors.ts';
import { TEST_HTTP_OPTIONS } from '../support/gateway.ts';
import { DeliveryReceiver, pressHosted, startRequest } from '../support/startVendor.ts';

const secret = 'sumsub-start-test-webhook-secret';
const receiver = new DeliveryReceiver();
let simulator: RunningSimulator;
let live: SumsubLive;
let adapter: ProviderAdapter;
const flow = SUMSUB_SANDBOX_LEVEL;

beforeAll(async () => {
  const url = await receiver.listen('/webhooks/sumsub');
  ({ live, simulator } = await sumsubModule.startSandbox({
    webhook: { secret },
    timelineStepMs: 60_000,
  }));
  simulator.webhooks?.deliverTo(url);
  adapter = sumsubModule.createAdapter(live, { sandbox: true, http: TEST_HTTP_OPTIONS });
});
afterAll(async () => {
  await adapter.close();
  await simulator.close();
  await receiver.close();
});

describe('starting a Sumsub verification (applicant, then WebSDK link and SDK token)', () => {
  it('creates the applicant on the level, checkpoints it, and returns the link, the token and their expiry', async () => {
    simulator.resetCount();
    const before = Date.now();
    const req = startRequest({ flow, subjectRef: 'sumsub-user-1' });
    const started = await adapter.startSession?.(req);
    const origin = new URL(live.baseUrl).origin;
    expect(started).toEqual({
      providerSessionId: expect.stringMatching(/^[0-9a-f]{24}$/),
      hostedUrl: expect.stringMatching(new RegExp(`^${origin}/websdk/p/[A-Za-z0-9_-]{24}$`)),
      clientToken: expect.stringMatching(/^_act-sbx-jwt-/),
      expiresAt: expect.any(String),
      providerStatus: 'init',
    });
    const expires = Date.parse(started?.expiresAt as string);
    expect(expires).toBeGreaterThanOrEqual(before + SUMSUB_START_TTL_SECONDS * 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + SUMSUB_START_TTL_SECONDS * 1000);
    expect(req.checkpoints).toEqual([started?.providerSessionId]);
    expect([
      simulator.requestCount('/resources/applicants'),
      simulator.requestCount('websdkLink'),
      simulator.requestCount('accessTokens'),
    ]).toEqual([1, 1, 1]);
    const session = await adapter.fetchSession(started?.providerSessionId as string);
    expect([session.status, session.providerStatus]).toEqual(['NOT_STARTED', 'init']);
  });

  it('resumes at the link from a checkpoint, and finds the applicant an unrecorded attempt made (409)', async () => {
    const first = await adapter.startSession?.(startRequest({ flow, subjectRef: 'sumsub-user-2' }));
    simulator.resetCount();
    const resumed = await adapter.startSession?.(
      startRequest({ flow, subjectRef: 'sumsub-user-2', resumeFrom: first?.providerSessionId as string }),
    );
    expect(resumed?.providerSessionId).toBe(first?.providerSessionId);
    expect(simulator.requestCount('/resources/applicants')).toBe(0);
    const lost = startRequest({ flow, subjectRef: 'sumsub-user-2' });
    const again = await adapter.startSession?.(lost);
    expect([again?.providerSessionId, lost.checkpoints]).toEqual([
      first?.providerSessionId,
      [first?.providerSessionId],
    ]);
  });

  it('answers a level Sumsub refuses as BAD_USER_INPUT', async () => {
    const error = await adapter.startSession?.(startRequest({ flow: 'no such level!' })).catch((e: unknown) => e);
    expect([(error as GatewayError).code, (error as GatewayError).message]).toEqual([
      'BAD_USER_INPUT',
      'Sumsub refused input.flow; check it against your Sumsub account.',
    ]);
    expect(error).toBeInstanceOf(GatewayError);
  });

  it('mints a fresh link and token for an applicant started earlier (reissueLink), creating nothing', async () => {
    const a = await adapter.startSession?.(startRequest({ flow, subjectRef: 'sumsub-user-4' }));
    const created = simulator.starts?.created();
    const again = await adapter.reissueLink?.(
      a?.providerSessionId as string,
      startRequest({ flow, subjectRef: 'sumsub-user-4' }),
    );
    expect(again?.providerSessionId).toBe(a?.providerSessionId);
    expect([again?.hostedUrl === a?.hostedUrl, again?.clientToken === a?.clientToken]).toEqual([false, false]);
    expect(simulator.starts?.created()).toBe(created);
  });

  it('reviews the applicant from the hosted page and sends a signed applicantReviewed', async () => {
    const hook = sumsubWebhook({ secret });
    const started = await adapter.startSession?.(startRequest({ flow, subjectRef: 'sumsub-user-3' }));
    const url = started?.hostedUrl as string;
    expect(await (await request(url)).body.text()).toContain('data-state>init<');
    const before = receiver.deliveries.length;
    expect(await pressHosted(url, 'resubmit', 'EXPIRATION_DATE')).toBe(303);
    await receiver.received(before + 1);
    const delivery = receiver.deliveries[before];
    expect(
      hook.verify(delivery?.headers ?? {}, delivery?.body ?? Buffer.alloc(0), Math.floor(Date.now() / 1000)).ok,
    ).toBe(true);
    expect(hook.read(JSON.parse(String(delivery?.body)), 0)).toMatchObject({
      kind: 'session',
      sessionId: started?.providerSessionId,
    });
    const session = await adapter.fetchSession(started?.providerSessionId as string);
    expect([session.status, session.providerStatus, session.reasonCode]).toEqual([
      'RESUBMISSION_REQUESTED',
      'completed/RED/RETRY',
      'EXPIRATION_DATE',
    ]);
    expect(JSON.stringify(session)).not.toContain(PRIVATE_CLIENT_COMMENT);
  });

  it.each([
    ['approve', undefined, 'APPROVED'],
    ['decline', 'FORGERY', 'DECLINED'],
    ['abandon', undefined, 'NOT_STARTED'],
  ])('the hosted page’s %s leaves the applicant %s', async (outcome, reason, status) => {
    const started = await adapter.startSession?.(startRequest({ flow, subjectRef: `sumsub-hosted-${outcome}` }));
    expect(await pressHosted(started?.hostedUrl as string, outcome, reason)).toBe(303);
    expect((await adapter.fetchSession(started?.providerSessionId as string)).status).toBe(status);
  });
});
