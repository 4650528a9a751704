import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventsConfig, loadConfig } from '../../src/config/index.ts';
import { openEventStore } from '../../src/events/open.ts';
import type { EventStore } from '../../src/events/store.ts';
import type { Provider } from '../../src/model/session.ts';
import type { ProviderRegistry } from '../../src/providers/index.ts';
import type { StartedSession, StartSessionRequest } from '../../src/providers/start.ts';
import type { ProviderAdapter } from '../../src/providers/types.ts';
import { StartRecords } from '../../src/start/records.ts';
import { StartService } from '../../src/start/service.ts';
import { upstreamError } from '../../src/upstream/errors.ts';
import { TEST_API_KEYS } from '../support/gateway.ts';

/**
 * A two-step vendor (applicant, then a link) behind the start service: its first step is checkpointed before the
 * second call, so a retry after the second failed resumes from it and leaves no half-made applicant behind.
 */

class TwoStepVendor {
  applicants = 0;
  failSecond = true;
  requests: StartSessionRequest[] = [];
  readonly adapter = {
    provider: 'PERSONA' as Provider,
    sandbox: true,
    checkId: () => null,
    fetchSession: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
    startSession: async (request: StartSessionRequest): Promise<StartedSession> => {
      this.requests.push(request);
      if (request.resumeFrom === null) this.applicants += 1;
      const first = request.resumeFrom ?? `applicant-${this.applicants}`;
      await request.checkpoint(first);
      if (this.failSecond) throw upstreamError.unavailable('PERSONA', 'it answered HTTP 503');
      return {
        providerSessionId: `session-of-${first}`,
        hostedUrl: 'https://x.example/l',
        clientToken: null,
        expiresAt: null,
      };
    },
  } satisfies ProviderAdapter;
}

describe('a two-step vendor behind startVerification', () => {
  let store: EventStore;
  beforeAll(async () => {
    store = await openEventStore(
      eventsConfig({ DATABASE_URL: 'sqlite::memory:', EVENTS_RETENTION_DAYS: 400 }).database,
    );
  });
  afterAll(() => store.close());

  it('a retry after the second step failed resumes from the first, creating no second applicant', async () => {
    const vendor = new TwoStepVendor();
    const registry = {
      adapter: (p: Provider) => (p === 'PERSONA' ? vendor.adapter : undefined),
      info: () => [],
    } as unknown as ProviderRegistry;
    const config = loadConfig({ NODE_ENV: 'test', GATEWAY_API_KEYS: TEST_API_KEYS, PERSONA_DEFAULT_FLOW: 'itmpl_1' });
    const service = new StartService({
      registry,
      events: store,
      records: new StartRecords(store),
      config: config.start,
      production: false,
      onAttempt: () => {},
    });
    const input = { provider: 'PERSONA' as const, subjectRef: 'user-1', idempotencyKey: 'two-step-key-0001' };
    await expect(service.start('app', input)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    vendor.failSecond = false;
    const started = await service.start('app', input);
    expect(started).toMatchObject({ providerSessionId: 'session-of-applicant-1', replayed: false });
    expect(vendor.applicants).toBe(1);
    expect(vendor.requests.map((r) => r.resumeFrom)).toEqual([null, 'applicant-1']);
    // The same vendor key both times: a vendor that takes one answers the same objects.
    expect(new Set(vendor.requests.map((r) => r.idempotencyKey)).size).toBe(1);
  });
});
