import type { IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROVIDERS } from '../src/model/session.ts';
import { VERATAD_SCENARIOS, VX_DOCUMENT_ID, VX_PHONE_CHECK_ID } from '../src/providers/veratad/sandbox/scenarios.ts';
import {
  startVeratadSimulator,
  VERATAD_SANDBOX_CLIENT_ID,
  VERATAD_SANDBOX_CLIENT_SECRET,
  type VeratadSimulator,
} from '../src/providers/veratad/sandbox/simulator.ts';
import { type Simulator, sendJson, sendRaw, startSimulator } from '../src/sandbox/server.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

const ONE = `query One($id: String!) { session(provider: VERATAD, id: $id) { providerSessionId status } }`;
const RESULT_IDS = VERATAD_SCENARIOS.filter((s) => s.behaviour.kind === 'result').map((s) => s.id);

function veratadSimulator(gw: TestGateway): VeratadSimulator {
  const sim = gw.simulator('VERATAD');
  if (!('expireTokens' in sim)) throw new Error('the VERATAD simulator is not the VX simulator');
  return sim as VeratadSimulator;
}

/** Env that points the gateway at a VX simulator of the test's own (live mode, not the embedded sandbox). */
function liveEnv(apiUrl: string, authUrl: string, secret = VERATAD_SANDBOX_CLIENT_SECRET) {
  return {
    VERATAD_BASE_URL: apiUrl,
    VERATAD_AUTH_URL: authUrl,
    VERATAD_CLIENT_ID: VERATAD_SANDBOX_CLIENT_ID,
    VERATAD_CLIENT_SECRET: secret,
  };
}

describe('the VX access token', () => {
  let gw: TestGateway;
  let sim: VeratadSimulator;
  beforeEach(async () => {
    gw = await startTestGateway();
    sim = veratadSimulator(gw);
  });
  afterEach(() => gw.close());

  it('is requested once however many queries need it at the same time', async () => {
    const queries = Array.from({ length: 30 }, (_, i) => RESULT_IDS[i % RESULT_IDS.length] as string);
    const answers = await Promise.all(queries.map((id) => gw.query(ONE, { id })));
    for (const [i, { body }] of answers.entries()) {
      expect(body.errors).toBeUndefined();
      expect(body.data?.session).toMatchObject({ providerSessionId: queries[i] });
    }
    expect(sim.tokenRequestCount()).toBe(1);
  });

  it('is requested once for a whole sessions(refs) operation', async () => {
    const refs = RESULT_IDS.map((id) => ({ provider: 'VERATAD', id }));
    const { body } = await gw.query(
      `query S($refs: [SessionRefInput!]!) { sessions(refs: $refs) { providerSessionId } }`,
      { refs },
    );
    expect(body.data?.sessions).toEqual(RESULT_IDS.map((id) => ({ providerSessionId: id })));
    expect(sim.tokenRequestCount()).toBe(1);
  });

  it('is reused across operations while it is valid', async () => {
    await gw.query(ONE, { id: VX_PHONE_CHECK_ID });
    await gw.query(ONE, { id: VX_DOCUMENT_ID });
    await gw.query(ONE, { id: VX_PHONE_CHECK_ID });
    expect(sim.tokenRequestCount()).toBe(1);
    expect(sim.unauthorizedCount()).toBe(0);
  });

  it('is refreshed once after VX answers 401 to an expired one, and the query succeeds', async () => {
    await gw.query(ONE, { id: VX_PHONE_CHECK_ID });
    sim.resetCount();
    sim.expireTokens();
    const { body } = await gw.query(ONE, { id: VX_DOCUMENT_ID });
    expect(body).toEqual({ data: { session: { providerSessionId: VX_DOCUMENT_ID, status: 'APPROVED' } } });
    expect(sim.unauthorizedCount()).toBe(1);
    expect(sim.tokenRequestCount()).toBe(1);
    expect(sim.requestCount('/api/session/result/')).toBe(2);
  });

  it('is refreshed once when many queries meet the expired token at the same time', async () => {
    await gw.query(ONE, { id: VX_PHONE_CHECK_ID });
    sim.resetCount();
    sim.expireTokens();
    const answers = await Promise.all(RESULT_IDS.map((id) => gw.query(ONE, { id })));
    for (const [i, { body }] of answers.entries()) {
      expect(body.data?.session).toMatchObject({ providerSessionId: RESULT_IDS[i] });
    }
    expect(sim.tokenRequestCount()).toBe(1);
    // Queries that arrive after the refresh already carry the new token; each one that met a 401 retried once.
    expect(sim.unauthorizedCount()).toBeGreaterThanOrEqual(1);
    expect(sim.requestCount('/api/session/result/')).toBe(RESULT_IDS.length + sim.unauthorizedCount());
  });

  it('is refreshed once when every item of one operation meets the expired token', async () => {
    await gw.query(ONE, { id: VX_PHONE_CHECK_ID });
    sim.resetCount();
    sim.expireTokens();
    const refs = RESULT_IDS.map((id) => ({ provider: 'VERATAD', id }));
    const { body } = await gw.query(
      `query S($refs: [SessionRefInput!]!) { sessions(refs: $refs) { providerSessionId } }`,
      { refs },
    );
    expect(body).toEqual({ data: { sessions: RESULT_IDS.map((id) => ({ providerSessionId: id })) } });
    expect(sim.unauthorizedCount()).toBe(RESULT_IDS.length);
    expect(sim.tokenRequestCount()).toBe(1);
    expect(sim.requestCount('/api/session/result/')).toBe(2 * RESULT_IDS.length);
  });
});

describe('VX credentials the token endpoint rejects', () => {
  let sim: VeratadSimulator;
  let gw: TestGateway;
  beforeAll(async () => {
    sim = await startVeratadSimulator();
    gw = await startTestGateway(liveEnv(sim.url, `${sim.url}/oauth/token`, 'not-the-secret-000000'));
  });
  afterAll(async () => {
    await gw.close();
    await sim.close();
  });

  it('fail the query with UPSTREAM_AUTH_FAILED, leak nothing, and call the API not at all', async () => {
    sim.resetCount();
    const { body } = await gw.query(
      `query Q($id: String!) { session(provider: VERATAD, id: $id) { status } providers { provider configured sandbox } }`,
      { id: VX_PHONE_CHECK_ID },
    );
    expect(body).toEqual({
      data: {
        session: null,
        providers: PROVIDERS.map((provider) =>
          provider === 'VERATAD'
            ? { provider, configured: true, sandbox: false }
            : provider === 'VERIFA'
              ? { provider, configured: true, sandbox: true }
              : { provider, configured: expect.any(Boolean), sandbox: expect.any(Boolean) },
        ),
      },
      errors: [
        {
          message: "Veratad VX rejected Verigate's credentials (HTTP 401).",
          locations: expect.any(Array),
          path: ['session'],
          extensions: { code: 'UPSTREAM_AUTH_FAILED', provider: 'VERATAD' },
        },
      ],
    });
    expect(JSON.stringify(body)).not.toMatch(/not-the-secret|access_denied|Unauthorized|oauth/);
    expect(sim.tokenRequestCount()).toBe(1);
    expect(sim.requestCount('/api/session/result/')).toBe(0);
  });

  it('are tried again on the next operation (a failed token request is not cached)', async () => {
    sim.resetCount();
    await gw.query(ONE, { id: VX_PHONE_CHECK_ID });
    await gw.query(ONE, { id: VX_PHONE_CHECK_ID });
    expect(sim.tokenRequestCount()).toBe(2);
  });
});

describe('the VX token endpoint, on its own origin', () => {
  let api: VeratadSimulator;
  let auth: Simulator | null = null;
  let gw: TestGateway | null = null;
  beforeAll(async () => {
    api = await startVeratadSimulator();
  });
  afterAll(() => api.close());
  afterEach(async () => {
    await gw?.close();
    await auth?.close();
    gw = null;
    auth = null;
  });

  /** Starts an auth server with `handler` under `/tenant/oauth/token`, and a gateway using it in live mode. */
  async function withAuthServer(handler: (req: IncomingMessage, body: string) => { status: number; body: string }) {
    auth = await startSimulator(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const answer = handler(req, body);
      if (answer.status === 0) {
        await delay(5_000);
        if (!res.destroyed) sendJson(res, 200, {});
        return;
      }
      sendRaw(res, answer.status, answer.body, 'application/json');
    });
    gw = await startTestGateway(liveEnv(api.url, `${auth.url}/tenant/oauth/token`));
    return gw;
  }

  it('gets the documented client-credentials request, and its token is used on the API', async () => {
    // A token the VX simulator will accept, handed out by an auth server on another origin that records requests.
    const grant = await fetch(`${api.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: VERATAD_SANDBOX_CLIENT_ID,
        client_secret: VERATAD_SANDBOX_CLIENT_SECRET,
        audience: 'dcams.app',
        grant_type: 'client_credentials',
      }),
    });
    expect(grant.status).toBe(200);
    const token = await grant.text();
    const seen: unknown[] = [];
    const gateway = await withAuthServer((req, body) => {
      seen.push({ method: req.method, url: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
      return { status: 200, body: token };
    });
    const { body } = await gateway.query(ONE, { id: VX_DOCUMENT_ID });
    expect(body).toEqual({ data: { session: { providerSessionId: VX_DOCUMENT_ID, status: 'APPROVED' } } });
    expect(seen).toEqual([
      {
        method: 'POST',
        url: '/tenant/oauth/token',
        type: 'application/json',
        body: {
          client_id: VERATAD_SANDBOX_CLIENT_ID,
          client_secret: VERATAD_SANDBOX_CLIENT_SECRET,
          audience: 'dcams.app',
          grant_type: 'client_credentials',
        },
      },
    ]);
  });

  it.each([
    [
      403,
      '{"error":"access_denied","error_description":"Service not enabled within domain: dcams.app"}',
      'UPSTREAM_AUTH_FAILED',
      "Veratad VX rejected Verigate's credentials (HTTP 403).",
    ],
    [
      400,
      '{"error":"invalid_request","error_description":"Missing parameter"}',
      'UPSTREAM_AUTH_FAILED',
      "Veratad VX rejected Verigate's credentials (HTTP 400).",
    ],
    [
      503,
      '{"error":"temporarily_unavailable"}',
      'UPSTREAM_UNAVAILABLE',
      'Veratad VX is unavailable: it answered HTTP 503.',
    ],
    [
      429,
      '{"error":"too_many_requests"}',
      'UPSTREAM_RATE_LIMITED',
      'Veratad VX is rate limiting Verigate; retry in 60 s.',
    ],
    [
      200,
      '{"access_token": ',
      'UPSTREAM_BAD_RESPONSE',
      'Veratad VX sent a response Verigate cannot read: the token response body is not JSON.',
    ],
    [
      200,
      '{"token_type":"Bearer","expires_in":3600}',
      'UPSTREAM_BAD_RESPONSE',
      "Veratad VX sent a response Verigate cannot read: the token response does not match Veratad VX's documented shape.",
    ],
    [0, '', 'UPSTREAM_UNAVAILABLE', 'Veratad VX is unavailable: the request timed out.'],
  ])('answering %i %s fails the query with %s', async (status, reply, code, message) => {
    const gateway = await withAuthServer(() => ({ status, body: reply }));
    api.resetCount();
    const { body } = await gateway.query(ONE, { id: VX_PHONE_CHECK_ID });
    expect(body).toEqual({
      data: { session: null },
      errors: [
        {
          message,
          locations: expect.any(Array),
          path: ['session'],
          extensions: { code, provider: 'VERATAD', ...(status === 429 ? { retryAfterSeconds: 60 } : {}) },
        },
      ],
    });
    expect(api.requestCount()).toBe(0);
  });

  it('cannot be reached: UPSTREAM_UNAVAILABLE', async () => {
    const closed = await startSimulator(() => undefined);
    const url = closed.url;
    await closed.close();
    gw = await startTestGateway(liveEnv(api.url, `${url}/oauth/token`));
    const { body } = await gw.query(ONE, { id: VX_PHONE_CHECK_ID });
    expect(body.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', provider: 'VERATAD' });
    expect(body.errors?.[0]?.message).toBe('Veratad VX is unavailable: the connection failed.');
  });
});
