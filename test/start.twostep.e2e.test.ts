import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import type { Provider } from '../src/model/session.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';
import { START, START_KEY, START_KEYS, type Started } from './support/start.ts';

/**
 * `startVerification` at the two-step vendors over HTTP (DESIGN §8): Onfido (applicant → workflow run), Persona
 * (inquiry → one-time link), Sumsub (applicant → WebSDK link and SDK token). Each answers what the vendor issued and
 * a session a query reads at once; a replay makes no second vendor session; a start whose second step failed is
 * completed by its retry under the same key, never leaving a second half-made session behind.
 */

const READ = 'query Read($p: Provider!, $id: String!) { session(provider: $p, id: $id) { providerSessionId status } }';
let tg: TestGateway;
const key = () => `idem-${randomUUID()}`;
const start = (input: Record<string, unknown>) => tg.query(START, { input }, START_KEY);
const creates = (p: Provider) => tg.simulator(p).starts?.created() ?? -1;
const prefill = { givenName: 'Jane', familyName: 'Sample', dateOfBirth: '1991-04-12' };

beforeAll(async () => {
  tg = await startTestGateway({ GATEWAY_API_KEYS: START_KEYS });
});
afterAll(() => tg.close());

const VENDORS = [
  {
    provider: 'ONFIDO' as const,
    link: '/l/',
    token: /^eyJ/,
    expires: true,
    reissues: false,
    secondStep: '/workflow_runs',
  },
  {
    provider: 'PERSONA' as const,
    link: '/verify/',
    token: null,
    expires: false,
    reissues: true,
    secondStep: 'generate-one-time-link',
  },
  {
    provider: 'SUMSUB' as const,
    link: '/websdk/p/',
    token: /^_act-sbx-/,
    expires: true,
    reissues: true,
    secondStep: 'websdkLink',
  },
];

describe.each(VENDORS)('startVerification at $provider', (v) => {
  it('creates the session at the vendor and answers its link, token and expiry; a query reads it at once', async () => {
    const before = creates(v.provider);
    const res = await start({ provider: v.provider, subjectRef: `user-${v.provider}`, prefill, idempotencyKey: key() });
    expect(res.body.errors).toBeUndefined();
    const out = res.body.data?.startVerification as Started;
    const id = out.session.providerSessionId;
    expect(out).toEqual({
      session: {
        id: toGlobalId({ provider: v.provider, id }),
        provider: v.provider,
        providerSessionId: id,
        status: 'NOT_STARTED',
        isTerminal: false,
        sandbox: true,
      },
      hostedUrl: expect.stringMatching(new RegExp(`^${tg.simulator(v.provider).url}${v.link}[A-Za-z0-9_-]{24}$`)),
      clientToken: v.token ? expect.stringMatching(v.token) : null,
      expiresAt: v.expires ? expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) : null,
      replayed: false,
      attempts: [{ provider: v.provider, code: null }],
    });
    expect(creates(v.provider)).toBe(before + 1);
    const read = await tg.query(READ, { p: v.provider, id });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data?.session).toMatchObject({ providerSessionId: id });
  });

  it(`a replay answers the same session and creates nothing${v.reissues ? ', with a fresh link' : ''}`, async () => {
    const input = { provider: v.provider, subjectRef: `user-replay-${v.provider}`, prefill, idempotencyKey: key() };
    const first = (await start(input)).body.data?.startVerification as Started;
    const count = creates(v.provider);
    const again = (await start(input)).body.data?.startVerification as Started;
    expect(again.session.providerSessionId).toBe(first.session.providerSessionId);
    expect(again.replayed).toBe(true);
    expect(creates(v.provider)).toBe(count);
    if (v.reissues) {
      expect(again.hostedUrl).toMatch(new RegExp(`${v.link}[A-Za-z0-9_-]{24}$`));
      expect(again.hostedUrl).not.toBe(first.hostedUrl);
    } else {
      expect([again.hostedUrl, again.clientToken]).toEqual([null, null]);
    }
  });

  it('a start whose second step failed is completed by its retry, with no second session at the vendor', async () => {
    const input = { provider: v.provider, subjectRef: `user-half-${v.provider}`, prefill, idempotencyKey: key() };
    const before = creates(v.provider);
    tg.simulator(v.provider).faults.inject({ kind: 'status', status: 503 }, { times: 1, path: v.secondStep });
    const failed = await start(input);
    expect(failed.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    const retried = await start(input);
    expect(retried.body.errors).toBeUndefined();
    const out = retried.body.data?.startVerification as Started;
    expect(out.hostedUrl).toMatch(new RegExp(`${v.link}[A-Za-z0-9_-]{24}$`));
    // The first step's vendor object (applicant or inquiry) was made once: the retry resumed from its checkpoint.
    expect(creates(v.provider)).toBe(before + 1);
  });
});

describe.each([
  {
    provider: 'STRIPE' as const,
    link: /\/hosted\/[A-Za-z0-9_-]{24}$/,
    token: /^vs_[A-Za-z0-9]+_secret_/,
    read: 'NOT_STARTED',
  },
  { provider: 'PLAID' as const, link: /\/verify\/[A-Za-z0-9_-]{24}$/, token: null, read: 'IN_PROGRESS' },
])('startVerification at $provider (one call)', (v) => {
  it('creates the session and answers its link (and client secret), a replay creating nothing', async () => {
    const input = { provider: v.provider, subjectRef: `user-one-${v.provider}`, prefill, idempotencyKey: key() };
    const before = creates(v.provider);
    const res = await start(input);
    expect(res.body.errors).toBeUndefined();
    const out = res.body.data?.startVerification as Started;
    expect(out).toMatchObject({
      session: { provider: v.provider, status: 'NOT_STARTED', isTerminal: false, sandbox: true },
      hostedUrl: expect.stringMatching(v.link),
      clientToken: v.token ? expect.stringMatching(v.token) : null,
      replayed: false,
      attempts: [{ provider: v.provider, code: null }],
    });
    expect(creates(v.provider)).toBe(before + 1);
    const read = await tg.query(READ, { p: v.provider, id: out.session.providerSessionId });
    // Read back, the vendor's own word decides: Plaid's new verification is `active` (IN_PROGRESS, DESIGN §8).
    expect(read.body.data?.session).toEqual({ providerSessionId: out.session.providerSessionId, status: v.read });
    const again = (await start(input)).body.data?.startVerification as Started;
    expect([again.session.providerSessionId, again.replayed, creates(v.provider)]).toEqual([
      out.session.providerSessionId,
      true,
      before + 1,
    ]);
  });
});
