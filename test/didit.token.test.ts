import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DIDIT_SCENARIOS, diditScenario } from '../src/providers/didit/sandbox/scenarios.ts';
import {
  DIDIT_SANDBOX_CLIENT_ID,
  DIDIT_SANDBOX_CLIENT_SECRET,
  DIDIT_TOKEN_PATH,
  type DiditSimulator,
  startDiditSimulator,
} from '../src/providers/didit/sandbox/simulator.ts';
import { startV1Gateway } from './didit-support.ts';
import type { TestGateway } from './support/gateway.ts';

const APPROVED = diditScenario('status Approved').id;
const STATUS_IDS = DIDIT_SCENARIOS.filter((s) => s.name.startsWith('status ')).map((s) => s.id);
const tokenCalls = (sim: DiditSimulator) => sim.requestCount(DIDIT_TOKEN_PATH);
const decisionCalls = (sim: DiditSimulator) => sim.requestCount('/v1/session/');

describe('Didit v1 client token', () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    for (const o of opened.splice(0).reverse()) await o.close();
  });
  async function setUp(options: { tokenLifetimeSeconds?: number } = {}, env: Record<string, string> = {}) {
    const sim = await startDiditSimulator(options);
    opened.push(sim);
    const gw: TestGateway = await startV1Gateway(sim, env);
    opened.push(gw);
    return { sim, gw };
  }
  const status = async (gw: TestGateway, id: string) =>
    (await gw.query(`query Q($id: String!) { session(provider: DIDIT, id: $id) { status } }`, { id })).body;

  it('asks for one token however many requests need it at once, then reuses it', async () => {
    const { sim, gw } = await setUp();
    // One operation with ten sessions, and ten operations with one each, all at once: twenty distinct ids.
    const [batch, ...singles] = await Promise.all([
      gw.query(`query S($refs: [SessionRefInput!]!) { sessions(refs: $refs) { status } }`, {
        refs: STATUS_IDS.slice(0, 10).map((id) => ({ provider: 'DIDIT', id })),
      }),
      ...STATUS_IDS.slice(10).map((id) => status(gw, id)),
    ]);
    expect(batch?.body.errors).toBeUndefined();
    expect(singles.every((b) => b.errors === undefined)).toBe(true);
    expect(tokenCalls(sim)).toBe(1);
    expect(decisionCalls(sim)).toBe(STATUS_IDS.length);
    await status(gw, APPROVED);
    expect(tokenCalls(sim)).toBe(1);
  });

  it('sends the documented token request: Basic client credentials and a form body', async () => {
    const sim = await startDiditSimulator();
    opened.push(sim);
    const basic = `Basic ${Buffer.from(`${DIDIT_SANDBOX_CLIENT_ID}:${DIDIT_SANDBOX_CLIENT_SECRET}`).toString('base64')}`;
    const post = async (headers: Record<string, string>, body: string) => {
      const res = await request(`${sim.url}${DIDIT_TOKEN_PATH}`, { method: 'POST', headers, body });
      return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
    };
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const ok = await post({ ...form, authorization: basic }, 'grant_type=client_credentials');
    expect(ok).toEqual({
      status: 200,
      body: expect.objectContaining({ expires_in: 86_400, access_token: expect.any(String) }),
    });
    expect(await post({ ...form }, 'grant_type=client_credentials')).toEqual({
      status: 401,
      body: { detail: 'Invalid client credentials.' },
    });
    expect((await post({ ...form, authorization: basic }, 'grant_type=password')).status).toBe(400);
    expect(
      (await post({ 'content-type': 'application/json', authorization: basic }, '{"grant_type":"client_credentials"}'))
        .status,
    ).toBe(415);
    // The gateway's own request passes the same checks.
    const gw = await startV1Gateway(sim);
    opened.push(gw);
    expect(await status(gw, APPROVED)).toEqual({ data: { session: { status: 'APPROVED' } } });
  });

  it('refreshes the token before it expires', async () => {
    // A 1 s token is refreshed at half its life.
    const { sim, gw } = await setUp({ tokenLifetimeSeconds: 1 });
    await status(gw, APPROVED);
    expect(tokenCalls(sim)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await status(gw, APPROVED)).toEqual({ data: { session: { status: 'APPROVED' } } });
    expect(tokenCalls(sim)).toBe(2);
    expect(decisionCalls(sim)).toBe(2);
  });

  it('retries once with a fresh token when Didit revokes the cached one early', async () => {
    const { sim, gw } = await setUp();
    await status(gw, APPROVED);
    sim.expireTokens();
    sim.resetCount();
    expect(await status(gw, APPROVED)).toEqual({ data: { session: { status: 'APPROVED' } } });
    expect(tokenCalls(sim)).toBe(1);
    expect(decisionCalls(sim)).toBe(2);
  });

  it('gives up with UPSTREAM_AUTH_FAILED when Didit answers 401 to the fresh token too', async () => {
    const { sim, gw } = await setUp();
    const body = await status(gw, diditScenario('error 401').id);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_AUTH_FAILED', provider: 'DIDIT' });
    expect(tokenCalls(sim)).toBe(2);
    expect(decisionCalls(sim)).toBe(2);
  });

  it('reports UPSTREAM_AUTH_FAILED without calling the decision API when the client credentials are refused', async () => {
    const { sim, gw } = await setUp({}, { DIDIT_CLIENT_SECRET: 'not-the-secret' });
    const body = await status(gw, APPROVED);
    expect(body).toEqual({
      data: { session: null },
      errors: [
        {
          message: "Didit rejected Verigate's credentials (HTTP 401).",
          locations: expect.any(Array),
          path: ['session'],
          extensions: { code: 'UPSTREAM_AUTH_FAILED', provider: 'DIDIT' },
        },
      ],
    });
    expect(decisionCalls(sim)).toBe(0);
    // A refused token is not cached: the next request asks again.
    await status(gw, APPROVED);
    expect(tokenCalls(sim)).toBe(2);
  });

  it('reports UPSTREAM_UNAVAILABLE when the token endpoint fails, and recovers once it is back', async () => {
    const { sim, gw } = await setUp();
    sim.faults.inject({ kind: 'status', status: 503 }, { path: DIDIT_TOKEN_PATH, times: 1 });
    const body = await status(gw, APPROVED);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', provider: 'DIDIT' });
    expect(body.errors?.[0]?.message).toBe('Didit is unavailable: it answered HTTP 503.');
    expect(decisionCalls(sim)).toBe(0);
    expect(await status(gw, APPROVED)).toEqual({ data: { session: { status: 'APPROVED' } } });
  });

  it('reports UPSTREAM_BAD_RESPONSE when the token answer has no access_token', async () => {
    const { sim, gw } = await setUp();
    sim.faults.inject({ kind: 'garbage' }, { path: DIDIT_TOKEN_PATH, times: 1 });
    const body = await status(gw, APPROVED);
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'DIDIT' });
    expect(decisionCalls(sim)).toBe(0);
  });
});
