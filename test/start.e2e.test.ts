import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import type { Provider } from '../src/model/session.ts';
import { READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { START, START_KEY, START_KEYS, type Started } from './support/start.ts';

/**
 * `Mutation.startVerification` over HTTP against the sandboxes (DESIGN §8 "Start a verification"): each vendor this
 * round owns (Didit v3, Verifa; VX refused), idempotent replays, routing by country and fallback, and every bad input.
 */

const READ =
  'query Read($p: Provider!, $id: String!) { session(provider: $p, id: $id) { providerSessionId status providerStatus reference } }';

let tg: TestGateway;
const key = () => `idem-${randomUUID()}`;
const start = (input: Record<string, unknown>, apiKey: string = START_KEY) => tg.query(START, { input }, apiKey);
const creates = (p: Provider) => tg.simulator(p).starts?.created() ?? -1;

beforeAll(async () => {
  tg = await startTestGateway({
    GATEWAY_API_KEYS: START_KEYS,
    VERIFICATION_ROUTING: JSON.stringify({ default: ['VERIFA', 'DIDIT'], byCountry: { DE: ['DIDIT', 'VERIFA'] } }),
  });
});
afterAll(() => tg.close());
beforeEach(() => {
  tg.simulator('VERIFA').faults.clear();
  tg.simulator('DIDIT').faults.clear();
});

describe('startVerification: each vendor', () => {
  it('Verifa: creates a session a query reads at once, with the capture link Verifa issued', async () => {
    const before = creates('VERIFA');
    const res = await start({ provider: 'VERIFA', subjectRef: 'user-42', country: 'US', idempotencyKey: key() });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const out = res.body.data?.startVerification as Started;
    expect(res.body.errors).toBeUndefined();
    const id = out.session.providerSessionId;
    expect(id).toMatch(/^ses_[0-9a-f]{16}$/);
    expect(out).toEqual({
      session: {
        id: toGlobalId({ provider: 'VERIFA', id }),
        provider: 'VERIFA',
        providerSessionId: id,
        status: 'NOT_STARTED',
        isTerminal: false,
        sandbox: true,
      },
      hostedUrl: expect.stringMatching(new RegExp(`^${tg.simulator('VERIFA').url}/hosted/[A-Za-z0-9_-]{24}$`)),
      clientToken: null,
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      replayed: false,
      attempts: [{ provider: 'VERIFA', code: null }],
    });
    expect(creates('VERIFA')).toBe(before + 1);
    const read = await tg.query(READ, { p: 'VERIFA', id });
    expect(read.body).toEqual({
      data: {
        session: { providerSessionId: id, status: 'NOT_STARTED', providerStatus: 'pending', reference: 'user-42' },
      },
    });
  });

  it('Didit: creates a session a query reads at once, with the link and session token Didit issued', async () => {
    const before = creates('DIDIT');
    const res = await start({
      provider: 'DIDIT',
      subjectRef: 'user-43',
      returnUrl: 'https://app.example.com/done',
      idempotencyKey: key(),
    });
    const out = res.body.data?.startVerification as Started;
    expect(res.body.errors).toBeUndefined();
    const id = out.session.providerSessionId;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out).toEqual({
      session: {
        id: toGlobalId({ provider: 'DIDIT', id }),
        provider: 'DIDIT',
        providerSessionId: id,
        status: 'NOT_STARTED',
        isTerminal: false,
        sandbox: true,
      },
      hostedUrl: expect.stringMatching(new RegExp(`^${tg.simulator('DIDIT').url}/hosted/[A-Za-z0-9_-]{24}$`)),
      clientToken: expect.stringMatching(/^[A-Za-z0-9_-]{32,}$/),
      expiresAt: null,
      replayed: false,
      attempts: [{ provider: 'DIDIT', code: null }],
    });
    expect(creates('DIDIT')).toBe(before + 1);
    const read = await tg.query(READ, { p: 'DIDIT', id });
    expect(read.body).toEqual({
      data: {
        session: { providerSessionId: id, status: 'NOT_STARTED', providerStatus: 'Not Started', reference: 'user-43' },
      },
    });
  });

  it('VX: BAD_USER_INPUT, nothing sent', async () => {
    const res = await start({ provider: 'VERATAD', subjectRef: 'user-44', idempotencyKey: key() });
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      provider: 'VERATAD',
      field: 'provider',
    });
    expect(res.body.errors?.[0]?.message).toContain('VX cannot start verifications through Verigate');
  });
});

describe('startVerification: idempotency', () => {
  it('the same key and input again: the same session, replayed, no second vendor session, no secrets', async () => {
    const input = { provider: 'VERIFA', subjectRef: 'user-50', idempotencyKey: key() };
    const first = (await start(input)).body.data?.startVerification as Started;
    const count = creates('VERIFA');
    const again = await start(input);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.startVerification).toEqual({
      ...first,
      hostedUrl: null,
      clientToken: null,
      expiresAt: null,
      replayed: true,
    });
    expect(creates('VERIFA')).toBe(count);
  });

  it('a replay while the vendor cannot be read still answers which session the key made', async () => {
    const input = { provider: 'VERIFA', subjectRef: 'user-54', idempotencyKey: key() };
    const first = (await start(input)).body.data?.startVerification as Started;
    const id = first.session.providerSessionId;
    tg.simulator('VERIFA').faults.inject({ kind: 'status', status: 503 }, { path: `/api/v1/sessions/${id}` });
    const again = await start(input);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.startVerification).toEqual({
      ...first,
      hostedUrl: null,
      clientToken: null,
      expiresAt: null,
      replayed: true,
    });
  });

  it('the same key with another input: BAD_USER_INPUT naming idempotencyKey, no vendor call', async () => {
    const idempotencyKey = key();
    await start({ provider: 'VERIFA', subjectRef: 'user-51', idempotencyKey });
    const count = creates('VERIFA');
    const other = await start({ provider: 'VERIFA', subjectRef: 'user-52', idempotencyKey });
    expect(other.body.data).toBeNull();
    expect(other.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(creates('VERIFA')).toBe(count);
  });

  it('keys are per API key: another key with the same idempotencyKey starts its own session', async () => {
    const idempotencyKey = key();
    const a = (await start({ provider: 'VERIFA', subjectRef: 'user-53', idempotencyKey })).body.data
      ?.startVerification as Started;
    expect(a.replayed).toBe(false);
    // The same input under the same key name answers the first; the scope test below covers other keys.
    const b = (await start({ provider: 'VERIFA', subjectRef: 'user-53', idempotencyKey })).body.data
      ?.startVerification as Started;
    expect(b.session.providerSessionId).toBe(a.session.providerSessionId);
  });
});

describe('startVerification: routing and fallback', () => {
  it('routes by country: DE goes to Didit first, others to the default list', async () => {
    const de = (await start({ subjectRef: 'user-60', country: 'DE', idempotencyKey: key() })).body.data
      ?.startVerification as Started;
    expect(de.attempts).toEqual([{ provider: 'DIDIT', code: null }]);
    const us = (await start({ subjectRef: 'user-61', country: 'US', idempotencyKey: key() })).body.data
      ?.startVerification as Started;
    expect(us.attempts).toEqual([{ provider: 'VERIFA', code: null }]);
    const none = (await start({ subjectRef: 'user-62', idempotencyKey: key() })).body.data
      ?.startVerification as Started;
    expect(none.attempts).toEqual([{ provider: 'VERIFA', code: null }]);
  });

  it('falls back when the first candidate answers the create with a 503, listing every attempt', async () => {
    tg.simulator('VERIFA').faults.inject({ kind: 'status', status: 503 }, { times: 1, path: '/api/v1/sessions' });
    const verifa = creates('VERIFA');
    const res = await start({ subjectRef: 'user-63', country: 'US', idempotencyKey: key() });
    const out = res.body.data?.startVerification as Started;
    expect(res.body.errors).toBeUndefined();
    expect(out.attempts).toEqual([
      { provider: 'VERIFA', code: 'UPSTREAM_UNAVAILABLE' },
      { provider: 'DIDIT', code: null },
    ]);
    expect(out.session.provider).toBe('DIDIT');
    expect(creates('VERIFA')).toBe(verifa);
    const metrics = await (await fetch(`${tg.gateway.url.replace('/graphql', '')}/metrics`)).text();
    expect(metrics).toMatch(/verigate_start_attempts_total\{provider="VERIFA",outcome="upstream_unavailable"\} [1-9]/);
    expect(metrics).toMatch(/verigate_start_attempts_total\{provider="DIDIT",outcome="started"\} [1-9]/);
  });

  it('falls back on a 429 too', async () => {
    tg.simulator('VERIFA').faults.inject(
      { kind: 'rate_limit', retryAfterSeconds: 30 },
      { times: 1, path: '/api/v1/sessions' },
    );
    const out = (await start({ subjectRef: 'user-64', idempotencyKey: key() })).body.data?.startVerification as Started;
    expect(out.attempts).toEqual([
      { provider: 'VERIFA', code: 'UPSTREAM_RATE_LIMITED' },
      { provider: 'DIDIT', code: null },
    ]);
  });

  it('falls back when the vendor refuses Verigate’s credentials (401)', async () => {
    tg.simulator('VERIFA').faults.inject({ kind: 'status', status: 401 }, { times: 1, path: '/api/v1/sessions' });
    const out = (await start({ subjectRef: 'user-68', idempotencyKey: key() })).body.data?.startVerification as Started;
    expect(out.attempts).toEqual([
      { provider: 'VERIFA', code: 'UPSTREAM_AUTH_FAILED' },
      { provider: 'DIDIT', code: null },
    ]);
  });

  it('every candidate failing: the last error, with every attempt', async () => {
    tg.simulator('VERIFA').faults.inject({ kind: 'status', status: 503 }, { times: 1, path: '/api/v1/sessions' });
    tg.simulator('DIDIT').faults.inject({ kind: 'status', status: 502 }, { times: 1, path: '/v3/session/' });
    const res = await start({ subjectRef: 'user-69', idempotencyKey: key() });
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]?.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      provider: 'DIDIT',
      attempts: [
        { provider: 'VERIFA', code: 'UPSTREAM_UNAVAILABLE' },
        { provider: 'DIDIT', code: 'UPSTREAM_UNAVAILABLE' },
      ],
    });
  });

  it('an explicit provider never falls back', async () => {
    tg.simulator('VERIFA').faults.inject({ kind: 'status', status: 503 }, { times: 1, path: '/api/v1/sessions' });
    const didit = creates('DIDIT');
    const res = await start({ provider: 'VERIFA', subjectRef: 'user-65', idempotencyKey: key() });
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]?.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      provider: 'VERIFA',
      attempts: [{ provider: 'VERIFA', code: 'UPSTREAM_UNAVAILABLE' }],
    });
    expect(creates('DIDIT')).toBe(didit);
  });

  it('no fallback on a vendor 4xx about the input: an unknown flow is BAD_USER_INPUT naming flow', async () => {
    const didit = creates('DIDIT');
    const res = await start({
      provider: 'VERIFA',
      flow: 'workflow_nope',
      subjectRef: 'user-66',
      idempotencyKey: key(),
    });
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]).toEqual({
      message: 'Verifa refused input.flow (validation_error); check it against your Verifa account.',
      path: ['startVerification'],
      locations: [{ line: 3, column: 5 }],
      extensions: {
        code: 'BAD_USER_INPUT',
        provider: 'VERIFA',
        field: 'flow',
        attempts: [{ provider: 'VERIFA', code: 'BAD_USER_INPUT' }],
      },
    });
    expect(creates('DIDIT')).toBe(didit);
  });

  it('a failed start frees its key: the same key and input start afresh', async () => {
    const input = { provider: 'VERIFA', subjectRef: 'user-67', idempotencyKey: key() };
    tg.simulator('VERIFA').faults.inject({ kind: 'status', status: 503 }, { times: 1, path: '/api/v1/sessions' });
    expect((await start(input)).body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const again = (await start(input)).body.data?.startVerification as Started;
    expect(again.replayed).toBe(false);
    expect(again.attempts).toEqual([{ provider: 'VERIFA', code: null }]);
  });
});

describe('startVerification: bad input and scope', () => {
  const base = { provider: 'VERIFA', subjectRef: 'user-70', idempotencyKey: 'idem-bad-input-0001' };
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['subjectRef empty', { subjectRef: '' }, 'subjectRef'],
    ['subjectRef with a space', { subjectRef: 'user 70' }, 'subjectRef'],
    ['subjectRef too long', { subjectRef: 'u'.repeat(129) }, 'subjectRef'],
    ['country unknown', { country: 'XX' }, 'country'],
    ['country alpha-3', { country: 'USA' }, 'country'],
    ['returnUrl http', { returnUrl: 'http://app.example.com/done' }, 'returnUrl'],
    ['returnUrl javascript:', { returnUrl: 'javascript:alert(1)' }, 'returnUrl'],
    ['returnUrl data:', { returnUrl: 'data:text/html,hi' }, 'returnUrl'],
    ['returnUrl over 2 KiB', { returnUrl: `https://app.example.com/${'a'.repeat(2_048)}` }, 'returnUrl'],
    ['returnUrl relative', { returnUrl: '/done' }, 'returnUrl'],
    ['dateOfBirth in the future', { prefill: { dateOfBirth: '2999-01-01' } }, 'prefill.dateOfBirth'],
    ['phone not E.164', { prefill: { phone: '0151 1234567' } }, 'prefill.phone'],
    ['email not an address', { prefill: { email: 'nobody' } }, 'prefill.email'],
    ['locale not BCP 47', { locale: 'english!' }, 'locale'],
    ['idempotencyKey too short', { idempotencyKey: 'short' }, 'idempotencyKey'],
    ['idempotencyKey too long', { idempotencyKey: 'k'.repeat(129) }, 'idempotencyKey'],
    ['flow without a provider', { provider: null, flow: 'workflow_custom_kyc' }, 'flow'],
  ];
  it.each(cases)('%s → BAD_USER_INPUT naming %s, no vendor call', async (_name, patch, field) => {
    const verifa = tg.simulator('VERIFA').requestCount();
    const didit = tg.simulator('DIDIT').requestCount();
    const res = await start({ ...base, ...patch });
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.extensions?.field).toBe(field);
    expect(res.body.errors?.[0]?.message).toContain(`input.${field}`);
    expect(tg.simulator('VERIFA').requestCount()).toBe(verifa);
    expect(tg.simulator('DIDIT').requestCount()).toBe(didit);
  });

  it('a date of birth that is no date is refused by the Date scalar, naming the field, no vendor call', async () => {
    const verifa = tg.simulator('VERIFA').requestCount();
    const res = await start({ ...base, prefill: { dateOfBirth: '2023-02-30' } });
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0]?.message).toContain('dateOfBirth');
    expect(tg.simulator('VERIFA').requestCount()).toBe(verifa);
  });

  it('http://localhost and http://127.0.0.1 are allowed outside production', async () => {
    for (const returnUrl of ['http://localhost:3000/done', 'http://127.0.0.1:3000/done']) {
      const res = await start({ ...base, returnUrl, idempotencyKey: key() });
      expect(res.body.errors).toBeUndefined();
    }
  });

  it('sessions:read alone → FORBIDDEN, no vendor call', async () => {
    const verifa = tg.simulator('VERIFA').requestCount();
    const res = await start({ ...base, idempotencyKey: key() }, READ_ONLY_KEY);
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'This API key lacks the "sessions:start" scope.',
          locations: [{ line: 3, column: 5 }],
          path: ['startVerification'],
          extensions: { code: 'FORBIDDEN' },
        },
      ],
    });
    expect(tg.simulator('VERIFA').requestCount()).toBe(verifa);
  });
});

describe('startVerification with the response cache on', () => {
  let cached: TestGateway;
  beforeAll(async () => {
    cached = await startTestGateway({
      GATEWAY_API_KEYS: START_KEYS,
      CACHE_TERMINAL_TTL_SECONDS: '300',
      CACHE_ACTIVE_TTL_SECONDS: '300',
    });
  });
  afterAll(() => cached.close());

  it('never answers a start from a cached answer: the same request again is a replay, without the secrets', async () => {
    const input = { provider: 'VERIFA', subjectRef: 'user-80', idempotencyKey: key() };
    const first = await cached.query(START, { input }, START_KEY);
    expect(first.body.data?.startVerification).toMatchObject({ replayed: false });
    const second = await cached.query(START, { input }, START_KEY);
    expect(second.headers['cache-control']).toBe('private, no-store');
    expect(second.body.data?.startVerification).toMatchObject({ replayed: true, hostedUrl: null, clientToken: null });
  });
});

describe('startVerification past an open circuit', () => {
  it('skips to the next candidate without calling the provider whose circuit is open', async () => {
    const gw = await startTestGateway(
      {
        GATEWAY_API_KEYS: START_KEYS,
        VERIFICATION_ROUTING: JSON.stringify({ default: ['VERIFA', 'DIDIT'] }),
      },
      { policy: { breaker: { minCalls: 4, openMs: 60_000 } } },
    );
    try {
      const verifa = gw.simulator('VERIFA');
      verifa.faults.inject({ kind: 'status', status: 502 });
      for (let i = 0; i < 2; i += 1) await gw.query('{ session(provider: VERIFA, id: "ses_approved") { status } }');
      verifa.resetCount();
      const res = await gw.query(START, { input: { subjectRef: 'user-90', idempotencyKey: key() } }, START_KEY);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.startVerification).toMatchObject({
        attempts: [
          { provider: 'VERIFA', code: 'UPSTREAM_UNAVAILABLE' },
          { provider: 'DIDIT', code: null },
        ],
      });
      expect(verifa.requestCount()).toBe(0);
    } finally {
      await gw.close();
    }
  });
});
