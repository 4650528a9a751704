import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import type { Session } from '../src/model/session.ts';
import { DIDIT_SCENARIOS, diditScenario } from '../src/providers/didit/scenarios.ts';
import { type DiditSimulator, startDiditSimulator } from '../src/providers/didit/simulator.ts';
import { DOCUMENTED_V1_SESSION, ERROR_CASES, expectedStatusSession, STATUS_CASES } from './didit-expected.ts';
import { SESSION_QUERY, startV1Gateway } from './didit-support.ts';
import type { TestGateway } from './support/gateway.ts';

/** The GraphQL answer for a unified session when every field is selected. */
function asResponse(session: Session) {
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
    providers: [
      { provider: 'VERATAD', configured: true },
      { provider: 'DIDIT', configured: true },
      { provider: 'VERIFA', configured: true },
    ],
  });
  expect(body.errors).toEqual([{ message, locations: expect.any(Array), path: ['bad'], extensions }]);
}

describe('Didit v1 (client credentials), end to end over HTTP', () => {
  let sim: DiditSimulator;
  let gw: TestGateway;
  beforeAll(async () => {
    sim = await startDiditSimulator();
    gw = await startV1Gateway(sim);
  });
  afterAll(async () => {
    await gw.close();
    await sim.close();
  });
  beforeEach(() => sim.resetCount());

  it('covers every scenario v1 serves in this suite', () => {
    const v1Scenarios = DIDIT_SCENARIOS.filter((s) => s.behaviour.kind !== 'decision' || s.behaviour.v1);
    const tested = ['documented', ...STATUS_CASES.map(([name]) => name), ...ERROR_CASES.map(([name]) => name)];
    expect(tested.sort()).toEqual(v1Scenarios.map((s) => s.name).sort());
  });

  it('maps the documented decision, every field', async () => {
    const { status, body } = await gw.query(SESSION_QUERY, { id: diditScenario('documented').id });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { session: asResponse(DOCUMENTED_V1_SESSION) } });
    expect(sim.requestCount('/v1/session/')).toBe(1);
  });

  it.each(STATUS_CASES)('maps scenario %s', async (name, expected) => {
    const { id } = diditScenario(name);
    const { body } = await gw.query(SESSION_QUERY, { id });
    expect(body).toEqual({ data: { session: asResponse(expectedStatusSession(id, expected, false)) } });
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
});
