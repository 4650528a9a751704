import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import { PROVIDERS } from '../src/model/session.ts';
import { diditScenario } from '../src/providers/didit/sandbox/scenarios.ts';
import {
  DIDIT_SANDBOX_API_KEY,
  type DiditSimulator,
  startDiditSimulator,
} from '../src/providers/didit/sandbox/simulator.ts';
import { startV1Gateway, startV3Gateway } from './didit-support.ts';
import type { TestGateway } from './support/gateway.ts';

const VALID = '11111111-2222-3333-4444-555555555555';

const BAD_IDS: Array<[string, string]> = [
  ['empty', ''],
  ['too long', `${VALID}-${'0'.repeat(300)}`],
  ['path traversal', '../../v1/session'],
  ['traversal inside a uuid', `${VALID.slice(0, 30)}/../x`],
  ['query string', `${VALID}?x=1`],
  ['fragment', `${VALID}#x`],
  ['encoded slash', `11111111%2F2222-3333-4444-555555555555`],
  ['unicode digits', '١١١١١١١١-2222-3333-4444-555555555555'],
  ['right-to-left mark', `${VALID}\u200f`],
  ['not a uuid', 'ses_abc123'],
  ['braces', `{${VALID}}`],
  ['no dashes', VALID.replaceAll('-', '')],
  ['whitespace', ` ${VALID}`],
  ['newline', `${VALID}\n`],
];

const versions: Array<[string, (sim: DiditSimulator) => Promise<TestGateway>]> = [
  ['v1', startV1Gateway],
  ['v3', startV3Gateway],
];

describe.each(versions)('Didit %s: malformed ids never reach Didit', (version, start) => {
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

  it.each(BAD_IDS)('rejects %s with BAD_USER_INPUT and no request to Didit', async (_name, id) => {
    sim.resetCount();
    const { body } = await gw.query(
      `query Q($id: String!) { session(provider: DIDIT, id: $id) { status } providers { provider } }`,
      { id },
    );
    expect(body).toEqual({
      data: { session: null, providers: PROVIDERS.map((provider) => ({ provider })) },
      errors: [
        {
          message: 'Malformed Didit session id: Didit session ids are UUIDs (8-4-4-4-12 hexadecimal digits).',
          locations: expect.any(Array),
          path: ['session'],
          extensions: { code: 'BAD_USER_INPUT', provider: 'DIDIT' },
        },
      ],
    });
    expect(sim.requestCount()).toBe(0);
  });

  it('rejects a node id carrying a malformed Didit id without calling Didit', async () => {
    sim.resetCount();
    const id = toGlobalId({ provider: 'DIDIT', id: '../x' });
    const { body } = await gw.query(`query N($id: ID!) { node(id: $id) { id } }`, { id });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', provider: 'DIDIT' });
    expect(sim.requestCount()).toBe(0);
  });

  it('accepts an uppercase UUID and asks Didit for the lowercase form its router matches', async () => {
    sim.resetCount();
    const { id } = diditScenario('status Approved');
    const { body } = await gw.query(
      `query Q($id: String!) { session(provider: DIDIT, id: $id) { providerSessionId status } }`,
      { id: id.toUpperCase() },
    );
    expect(body).toEqual({ data: { session: { providerSessionId: id, status: 'APPROVED' } } });
    expect(sim.requestCount(`/${version}/session/${id}/decision/`)).toBe(1);
  });
});

describe('the Didit simulator routes like Didit', () => {
  let sim: DiditSimulator;
  beforeAll(async () => {
    sim = await startDiditSimulator();
  });
  afterAll(() => sim.close());

  it.each([
    ['an uppercase id', '/v3/session/AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE/decision/'],
    ['a non-uuid id', '/v3/session/not-a-uuid/decision/'],
    ['an encoded slash', '/v3/session/1111%2F2222/decision/'],
    ['no trailing slash', `/v3/session/${VALID}/decision`],
    ['an unknown path', '/v2/sessions/'],
  ])('answers %s with an HTML 404 before checking credentials', async (_name, path) => {
    const res = await request(`${sim.url}${path}`);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(await res.body.text()).toContain('<h1>Not Found</h1>');
  });

  it('sends X-RateLimit-* on decisions, and Retry-After on a 429', async () => {
    const key = { 'x-api-key': DIDIT_SANDBOX_API_KEY };
    const ok = await request(`${sim.url}/v3/session/${diditScenario('status Approved').id}/decision/`, {
      headers: key,
    });
    await ok.body.dump();
    expect(ok.headers).toMatchObject({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': expect.any(String) });
    const limited = await request(`${sim.url}/v3/session/${diditScenario('rate limited').id}/decision/`, {
      headers: key,
    });
    expect({ status: limited.statusCode, body: await limited.body.json() }).toEqual({
      status: 429,
      body: { detail: 'Request was throttled. Expected available in 17 seconds.' },
    });
    expect(limited.headers).toMatchObject({ 'retry-after': '17', 'x-ratelimit-remaining': '0' });
  });

  it('answers a well-formed id without credentials with a DRF error', async () => {
    const v1 = await request(`${sim.url}/v1/session/${VALID}/decision/`);
    expect({ status: v1.statusCode, body: await v1.body.json() }).toEqual({
      status: 401,
      body: { detail: 'Given token not valid or expired.' },
    });
    const v3 = await request(`${sim.url}/v3/session/${VALID}/decision/`, { headers: { 'x-api-key': 'wrong' } });
    expect({ status: v3.statusCode, body: await v3.body.json() }).toEqual({
      status: 403,
      body: { detail: 'Authentication credentials were not provided or are invalid.' },
    });
  });
});
