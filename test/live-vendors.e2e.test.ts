import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONFIDO_SANDBOX_API_TOKEN, startOnfidoSimulator } from '../src/providers/onfido/sandbox/simulator.ts';
import { PERSONA_SANDBOX_API_KEY, startPersonaSimulator } from '../src/providers/persona/sandbox/simulator.ts';
import {
  SUMSUB_SANDBOX_APP_TOKEN,
  SUMSUB_SANDBOX_SECRET_KEY,
  startSumsubSimulator,
} from '../src/providers/sumsub/sandbox/simulator.ts';
import type { Simulator } from '../src/sandbox/server.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';
import { originOf, postWebhook, waitFor } from './support/webhooks.ts';

/**
 * Onfido, Persona and Sumsub configured as a customer configures them, live: each `*_BASE_URL` points at a server
 * speaking the vendor's dialect (its simulator, started apart from the gateway, as a vendor or a proxy would be), with
 * the vendor's credentials and webhook secrets set by hand. Nothing is sandboxed for them.
 */

const ONFIDO_WEBHOOK_TOKEN = 'onfido-webhook-token-for-tests';
const PERSONA_WEBHOOK_SECRET = 'wbhsec_persona-secret-for-tests';
const SUMSUB_WEBHOOK_SECRET = 'sumsub-webhook-secret-for-tests';
const QUERY = `query ($provider: Provider!, $id: String!) {
  session(provider: $provider, id: $id) { provider providerSessionId status providerStatus isTerminal sandbox }
}`;
const hex = (algorithm: string, secret: string, data: string) =>
  createHmac(algorithm, secret).update(data, 'utf8').digest('hex');

describe('the new vendors configured live', () => {
  let onfido: Simulator;
  let persona: Simulator;
  let sumsub: Simulator;
  let tg: TestGateway;
  beforeAll(async () => {
    [onfido, persona, sumsub] = await Promise.all([
      startOnfidoSimulator(),
      startPersonaSimulator(),
      startSumsubSimulator(),
    ]);
    tg = await startTestGateway(
      {
        ONFIDO_API_TOKEN: ONFIDO_SANDBOX_API_TOKEN,
        ONFIDO_BASE_URL: `${onfido.url}/v3.6`,
        ONFIDO_WEBHOOK_TOKEN,
        PERSONA_API_KEY: PERSONA_SANDBOX_API_KEY,
        PERSONA_BASE_URL: `${persona.url}/api/v1`,
        PERSONA_WEBHOOK_SECRET,
        SUMSUB_APP_TOKEN: SUMSUB_SANDBOX_APP_TOKEN,
        SUMSUB_SECRET_KEY: SUMSUB_SANDBOX_SECRET_KEY,
        SUMSUB_BASE_URL: sumsub.url,
        SUMSUB_WEBHOOK_SECRET,
        CACHE_TERMINAL_TTL_SECONDS: '300',
      },
      { refresher: { minIntervalMs: 50, backoffMs: 50 } },
    );
  });
  afterAll(async () => {
    await tg?.close();
    await Promise.all([onfido, persona, sumsub].map((s) => s?.close()));
  });

  it('reports them configured and live, not sandboxed', async () => {
    const { body } = await tg.query('{ providers { provider configured sandbox } }');
    const live = ((body.data?.providers ?? []) as Array<{ provider: string }>).filter((p) =>
      ['ONFIDO', 'PERSONA', 'SUMSUB'].includes(p.provider),
    );
    expect(live).toEqual([
      { provider: 'ONFIDO', configured: true, sandbox: false },
      { provider: 'PERSONA', configured: true, sandbox: false },
      { provider: 'SUMSUB', configured: true, sandbox: false },
    ]);
  });

  it.each([
    ['ONFIDO', 'b48fdff9-66a1-405d-9912-54780799bd68', 'APPROVED', 'approved', true],
    ['ONFIDO', '00f1d000-0000-4000-8000-000000000004', 'IN_REVIEW', 'review', false],
    ['PERSONA', 'inq_NeedsReview', 'IN_REVIEW', 'needs_review', false],
    ['SUMSUB', 'sbxredretry0000000000000', 'RESUBMISSION_REQUESTED', 'completed/RED/RETRY', false],
    ['SUMSUB', 'sbxredfinal0000000000000', 'DECLINED', 'completed/RED/FINAL', true],
  ])('answers %s %s from the vendor', async (provider, id, status, providerStatus, isTerminal) => {
    const { body } = await tg.query(QUERY, { provider, id });
    // Each vendor's sandbox credentials (`api_sandbox.`, `persona_sandbox_`, `sbx:`) mark their sessions as sandbox
    // data, even reached live.
    const sandbox = true;
    expect(body).toEqual({
      data: { session: { provider, providerSessionId: id, status, providerStatus, isTerminal, sandbox } },
    });
  });

  it('takes each vendor’s signed webhook with the secret configured, and refreshes that session from the vendor', async () => {
    const origin = originOf(tg.gateway.url);
    const now = Math.floor(Date.now() / 1000);
    const onfidoBody = JSON.stringify({
      payload: {
        resource_type: 'workflow_run',
        action: 'workflow_run.completed',
        object: { id: 'b48fdff9-66a1-405d-9912-54780799bd68', status: 'approved' },
      },
    });
    const personaBody = JSON.stringify({
      data: {
        type: 'event',
        id: 'evt_live_1',
        attributes: {
          name: 'inquiry.marked-for-review',
          payload: { data: { type: 'inquiry', id: 'inq_NeedsReview', attributes: { status: 'needs_review' } } },
        },
      },
    });
    const sumsubBody = JSON.stringify({
      applicantId: 'sbxredfinal0000000000000',
      type: 'applicantReviewed',
      reviewStatus: 'completed',
      reviewResult: { reviewAnswer: 'RED' },
    });
    const before = [onfido, persona, sumsub].map((s) => s.requestCount());
    expect(
      await postWebhook(origin, 'onfido', {
        body: onfidoBody,
        headers: { 'x-sha2-signature': hex('sha256', ONFIDO_WEBHOOK_TOKEN, onfidoBody) },
      }),
    ).toEqual({ status: 200, body: { received: true } });
    expect(
      await postWebhook(origin, 'persona', {
        body: personaBody,
        headers: {
          'persona-signature': `t=${now},v1=${hex('sha256', PERSONA_WEBHOOK_SECRET, `${now}.${personaBody}`)}`,
        },
      }),
    ).toEqual({ status: 200, body: { received: true } });
    expect(
      await postWebhook(origin, 'sumsub', {
        body: sumsubBody,
        headers: {
          'x-payload-digest': hex('sha512', SUMSUB_WEBHOOK_SECRET, sumsubBody),
          'x-payload-digest-alg': 'HMAC_SHA512_HEX',
        },
      }),
    ).toEqual({ status: 200, body: { received: true } });
    const refreshed = () => [onfido, persona, sumsub].every((s, i) => s.requestCount() > (before[i] ?? 0));
    expect(await waitFor(refreshed)).toBe(true);
  });

  it('refuses a webhook signed with another secret', async () => {
    const body = JSON.stringify({ applicantId: 'sbxredfinal0000000000000', type: 'applicantReviewed' });
    expect(
      await postWebhook(originOf(tg.gateway.url), 'sumsub', {
        body,
        headers: {
          'x-payload-digest': hex('sha256', 'not-the-secret', body),
          'x-payload-digest-alg': 'HMAC_SHA256_HEX',
        },
      }),
    ).toEqual({ status: 401, body: { error: 'unauthorized' } });
  });
});
