import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import { PROVIDERS } from '../src/model/session.ts';
import { DIDIT_SCENARIOS, type DiditScenario, diditScenario } from '../src/providers/didit/sandbox/scenarios.ts';
import { type DiditSimulator, startDiditSimulator } from '../src/providers/didit/sandbox/simulator.ts';
import {
  documentedSession,
  ERROR_CASES,
  type ExpectedSession,
  expectedStatusSession,
  STATUS_CASES,
} from './didit-expected.ts';
import { V3_ONLY_CASES } from './didit-expected-v3.ts';
import { SESSION_QUERY, startV1Gateway, startV3Gateway } from './didit-support.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

/** The GraphQL answer for a unified session when every field is selected. */
function asResponse(session: ExpectedSession) {
  const { detailsDeferred: _deferred, ...fields } = session;
  return { id: toGlobalId({ provider: 'DIDIT', id: session.providerSessionId }), ...fields };
}

const GOOD_ID = diditScenario('status Approved').id;

/** Asks for one failing session beside a good one and the provider list: only the failing field may go. */
async function expectIsolatedError(gw: TestGateway, id: string, extensions: Record<string, unknown>, message: string) {
  const { status, body } = await gw.query(
    `query Q($id: String!, $good: String!) { bad: session(provider: DIDIT, id: $id) { status }
      good: session(provider: DIDIT, id: $good) { status } providers { provider configured } }`,
    { id, good: GOOD_ID },
  );
  expect(status).toBe(200);
  expect(body.data).toEqual({
    bad: null,
    good: { status: 'APPROVED' },
    providers: PROVIDERS.map((provider) => ({ provider, configured: true })),
  });
  expect(body.errors).toEqual([{ message, locations: expect.any(Array), path: ['bad'], extensions }]);
}

// Timed scenarios (they change as their webhooks go out) are covered by test/webhooks.didit.e2e.test.ts.
const servedBy = (version: 'v1' | 'v3') => (s: DiditScenario) =>
  s.behaviour.kind !== 'timeline' && (s.behaviour.kind !== 'decision' || s.behaviour[version] !== undefined);

describe.each([
  ['v1', startV1Gateway],
  ['v3', startV3Gateway],
] as const)('Didit %s, end to end over HTTP', (version, start) => {
  let sim: DiditSimulator;
  let gw: TestGateway;
  beforeAll(async () => {
    sim = await startDiditSimulator();
    gw = await start(sim);
  });
  afterAll(async () => {
    await gw.close();
    await sim.close();
  });
  beforeEach(() => sim.resetCount());

  const v3Only = version === 'v3' ? V3_ONLY_CASES : [];

  it(`covers every scenario ${version} serves in this suite`, () => {
    const tested = [
      'documented',
      ...STATUS_CASES.map(([name]) => name),
      ...ERROR_CASES.map(([name]) => name),
      ...v3Only.map(([name]) => name),
    ];
    expect(tested.sort()).toEqual(
      DIDIT_SCENARIOS.filter(servedBy(version))
        .map((s) => s.name)
        .sort(),
    );
  });

  it('maps the documented decision, every field', async () => {
    const { status, body } = await gw.query(SESSION_QUERY, { id: diditScenario('documented').id });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { session: asResponse(documentedSession(version)) } });
    expect(sim.requestCount(`/${version}/session/`)).toBe(1);
  });

  it.each(STATUS_CASES)('maps scenario %s', async (name, expected) => {
    const { id } = diditScenario(name);
    const { body } = await gw.query(SESSION_QUERY, { id });
    expect(body).toEqual({ data: { session: asResponse(expectedStatusSession(id, expected, false, version)) } });
  });

  it.each(v3Only)('maps v3-only scenario %s', async (name, expected) => {
    const { body } = await gw.query(SESSION_QUERY, { id: diditScenario(name).id });
    expect(body).toEqual({ data: { session: asResponse(expected) } });
  });

  it.each(ERROR_CASES)('answers scenario %s with a coded error, the rest intact', async (name, extensions, message) => {
    await expectIsolatedError(gw, diditScenario(name).id, extensions, message);
  });

  it('answers an id Didit does not know with NOT_FOUND', async () => {
    await expectIsolatedError(
      gw,
      'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      { code: 'NOT_FOUND', provider: 'DIDIT' },
      'Didit has no such session.',
    );
  });

  it('fetches a session asked for by aliases, sessions(refs) and node() once per operation', async () => {
    const { id } = diditScenario('documented');
    const global = toGlobalId({ provider: 'DIDIT', id });
    const { body } = await gw.query(
      `query A($id: String!, $global: ID!) { a: session(provider: DIDIT, id: $id) { status }
        b: sessions(refs: [{ provider: DIDIT, id: $id }, { provider: DIDIT, id: $id }]) { reasonCode }
        c: node(id: $global) { id } }`,
      { id, global },
    );
    expect(body).toEqual({
      data: {
        a: { status: 'DECLINED' },
        b: [{ reasonCode: 'POSSIBLE_MATCH_FOUND' }, { reasonCode: 'POSSIBLE_MATCH_FOUND' }],
        c: { id: global },
      },
    });
    expect(sim.requestCount(`/${version}/session/`)).toBe(1);
  });
});

describe('Didit on the sandbox (no DIDIT_BASE_URL)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  it('serves Didit through the v3 API of its simulator, marked sandbox', async () => {
    const sim = gw.simulator('DIDIT');
    sim.resetCount();
    const { body } = await gw.query(SESSION_QUERY, { id: diditScenario('documented').id });
    expect(body).toEqual({ data: { session: asResponse({ ...documentedSession('v3'), sandbox: true }) } });
    expect(sim.requestCount('/v3/session/')).toBe(1);
    expect(sim.requestCount('/v1/')).toBe(0);
    const { body: providers } = await gw.query('{ providers { provider configured sandbox healthy } }');
    expect(providers.data?.providers).toContainEqual({
      provider: 'DIDIT',
      configured: true,
      sandbox: true,
      healthy: true,
    });
  });
});

describe('Didit v3 dialect', () => {
  let sim: DiditSimulator;
  beforeAll(async () => {
    sim = await startDiditSimulator();
  });
  afterAll(() => sim.close());

  it('reports UPSTREAM_AUTH_FAILED, without retrying, when Didit refuses the API key (403)', async () => {
    const gw = await startV3Gateway(sim, { DIDIT_API_KEY: 'not-the-key' });
    try {
      sim.resetCount();
      const { body } = await gw.query(`query Q($id: String!) { session(provider: DIDIT, id: $id) { status } }`, {
        id: GOOD_ID,
      });
      expect(body).toEqual({
        data: { session: null },
        errors: [
          {
            message: "Didit rejected Verigate's credentials (HTTP 403).",
            locations: expect.any(Array),
            path: ['session'],
            extensions: { code: 'UPSTREAM_AUTH_FAILED', provider: 'DIDIT' },
          },
        ],
      });
      expect(sim.requestCount()).toBe(1);
      const { body: providers } = await gw.query('{ providers { provider configured sandbox } }');
      expect(providers.data?.providers).toContainEqual({ provider: 'DIDIT', configured: true, sandbox: false });
    } finally {
      await gw.close();
    }
  });

  it('works against a base URL with a path prefix', async () => {
    // A reverse proxy in front of Didit: the gateway keeps the prefix and appends /v3/session/{id}/decision/.
    const gw = await startV3Gateway(sim, { DIDIT_BASE_URL: `${sim.url}/` });
    try {
      const { body } = await gw.query(`{ session(provider: DIDIT, id: "${GOOD_ID}") { status sandbox } }`);
      expect(body).toEqual({ data: { session: { status: 'APPROVED', sandbox: false } } });
    } finally {
      await gw.close();
    }
  });
});
