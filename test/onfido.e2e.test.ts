import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onfidoScenarioId, workflowRun } from '../src/providers/onfido/sandbox/scenarios.ts';
import { onfidoEventBody, signOnfidoDelivery } from '../src/providers/onfido/sandbox/webhookSender.ts';
import { FULL_KEY, READ_ONLY_KEY, startTestGateway, type TestGateway } from './support/gateway.ts';
import { overSse, SESSION_UPDATED } from './support/subscriptions.ts';
import { originOf, postWebhook, waitFor } from './support/webhooks.ts';

const DOCUMENTED = 'b48fdff9-66a1-405d-9912-54780799bd68';
const id = onfidoScenarioId;
const STATUS = `query ($id: String!) {
  session(provider: ONFIDO, id: $id) { provider providerSessionId status providerStatus isTerminal reasonCode }
}`;
const PERSON = `query ($id: String!) {
  session(provider: ONFIDO, id: $id) {
    applicant { fullName dateOfBirth email phone address { line1 city postalCode } }
    kyc { documentType documentNumber dateOfBirth expirationDate issuingCountry issues }
    face { faceMatchScore livenessScore faceMatchPassed }
    reference
  }
}`;
/** Cached for five minutes whatever the status: only a webhook can make an answer change within a test. */
const CACHED = { CACHE_TERMINAL_TTL_SECONDS: '300', CACHE_ACTIVE_TTL_SECONDS: '300' };

const status = (runId: string, s: string, providerStatus: string, isTerminal: boolean, reasonCode: string | null) => ({
  data: {
    session: { provider: 'ONFIDO', providerSessionId: runId, status: s, providerStatus, isTerminal, reasonCode },
  },
});

describe('Onfido through the gateway, on its sandbox', () => {
  let tg: TestGateway;
  let token: string;
  beforeAll(async () => {
    tg = await startTestGateway(CACHED, { timelineStepMs: 300, refresher: { minIntervalMs: 200, backoffMs: 100 } });
    token = (tg.config.webhooks.onfido as { token: string } | null)?.token ?? '';
  });
  afterAll(() => tg?.close());
  const ask = async (query: string, runId: string, key?: string) => (await tg.query(query, { id: runId }, key)).body;

  it.each([
    [1, 'IN_PROGRESS', 'processing', false, null],
    [2, 'IN_PROGRESS', 'awaiting_input', false, null],
    [3, 'IN_PROGRESS', 'awaiting_client_input', false, null],
    [4, 'IN_REVIEW', 'review', false, 'document_caution'],
    [5, 'APPROVED', 'approved', true, 'all_reports_clear'],
    [6, 'DECLINED', 'declined', true, 'document_rejected'],
    [8, 'ABANDONED', 'abandoned', true, 'applicant_abandoned'],
    [9, 'ERROR', 'error', true, 'task_error'],
    [11, 'UNKNOWN', 'on_hold', false, null],
  ] as const)('answers scenario %i as %s', async (n, s, providerStatus, isTerminal, reasonCode) => {
    expect(await ask(STATUS, id(n))).toEqual(status(id(n), s, providerStatus, isTerminal, reasonCode));
  });

  it('answers Onfido’s example run whole with pii:read, and masked without it', async () => {
    const face = { faceMatchScore: 0.6512, livenessScore: 0.9512, faceMatchPassed: true };
    const kyc = { documentType: 'passport', expirationDate: '2031-05-28', issuingCountry: 'GBR', issues: [] };
    const applicant = { email: null, phone: null, address: null };
    expect(await ask(PERSON, DOCUMENTED, FULL_KEY)).toEqual({
      data: {
        session: {
          applicant: { ...applicant, fullName: 'Jane Doe', dateOfBirth: '1990-01-01' },
          kyc: { ...kyc, documentNumber: '999999999', dateOfBirth: '1990-01-01' },
          face,
          reference: 'crm-bd68',
        },
      },
    });
    expect(await ask(PERSON, DOCUMENTED, READ_ONLY_KEY)).toEqual({
      data: {
        session: {
          applicant: { ...applicant, fullName: 'J. D.', dateOfBirth: null },
          kyc: { ...kyc, documentNumber: '****9999', dateOfBirth: null },
          face,
          reference: 'crm-bd68',
        },
      },
    });
  });

  it('masks the profile data capture’s email, phone and address lines without pii:read', async () => {
    const query = `query ($id: String!) {
      session(provider: ONFIDO, id: $id) { applicant { fullName dateOfBirth email phone address { line1 city postalCode } } }
    }`;
    expect(await ask(query, id(5), READ_ONLY_KEY)).toEqual({
      data: {
        session: {
          applicant: {
            fullName: 'L. K.',
            dateOfBirth: null,
            email: 'T***@yahoo.com',
            phone: '****3797',
            address: { line1: null, city: 'Keeblerview', postalCode: null },
          },
        },
      },
    });
  });

  it('refuses a malformed id before calling Onfido, and answers NOT_FOUND for an unknown run', async () => {
    expect(await ask(STATUS, 'not-a-uuid')).toEqual({
      data: { session: null },
      errors: [
        {
          message: 'Malformed Onfido session id: Onfido workflow run ids are UUIDs (8-4-4-4-12 hexadecimal digits).',
          locations: [{ line: 2, column: 3 }],
          path: ['session'],
          extensions: { code: 'BAD_USER_INPUT', provider: 'ONFIDO' },
        },
      ],
    });
    expect(await ask(STATUS, id(404))).toEqual({
      data: { session: null },
      errors: [
        {
          message: 'Onfido has no such session.',
          locations: [{ line: 2, column: 3 }],
          path: ['session'],
          extensions: { code: 'NOT_FOUND', provider: 'ONFIDO' },
        },
      ],
    });
  });

  it('refreshes a cached run when a signed workflow_run webhook arrives, and refuses an unsigned one', async () => {
    const runId = id(5);
    expect(await ask(STATUS, runId)).toEqual(status(runId, 'APPROVED', 'approved', true, 'all_reports_clear'));
    // A reviewer overturns the run at Onfido: the next read of it (only) answers `declined`.
    const overturned = workflowRun(runId, 'declined', { reasons: ['reviewer_declined'] });
    const simulator = tg.simulator('ONFIDO');
    simulator.faults.inject(
      { kind: 'payload', body: () => JSON.stringify(overturned) },
      { path: `/workflow_runs/${runId}` },
    );
    try {
      expect(await ask(STATUS, runId)).toEqual(status(runId, 'APPROVED', 'approved', true, 'all_reports_clear'));
      const body = onfidoEventBody('workflow_run.completed', runId, 'declined');
      const origin = originOf(tg.gateway.url);
      expect(await postWebhook(origin, 'onfido', { body, headers: {} })).toEqual({
        status: 401,
        body: { error: 'unauthorized' },
      });
      expect(await postWebhook(origin, 'onfido', signOnfidoDelivery(token, body))).toEqual({
        status: 200,
        body: { received: true },
      });
      const declined = status(runId, 'DECLINED', 'declined', true, 'reviewer_declined');
      expect(await waitFor(async () => JSON.stringify(await ask(STATUS, runId)) === JSON.stringify(declined))).toBe(
        true,
      );
    } finally {
      simulator.faults.clear();
    }
  });

  it('follows the timed run over a sessionUpdated subscription, moved on by its signed webhooks', async () => {
    const runId = id(40);
    const outcome = await overSse(tg.gateway.url, FULL_KEY, SESSION_UPDATED, { provider: 'ONFIDO', id: runId });
    const event = (s: string, isTerminal: boolean) => ({
      data: { sessionUpdated: { provider: 'ONFIDO', providerSessionId: runId, status: s, isTerminal } },
    });
    expect(outcome).toEqual({
      events: [event('IN_PROGRESS', false), event('IN_REVIEW', false), event('APPROVED', true)],
      end: { kind: 'complete' },
    });
    expect(tg.simulator('ONFIDO').webhooks?.delivered()).toBe(2);
  });
});
