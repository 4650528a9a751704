import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config/index.ts';
import type { ProviderMode } from '../../src/config/providerMode.ts';
import { noChecks } from '../../src/model/checks.ts';
import { type OnfidoLive, type OnfidoWebhookConfig, onfidoConfig } from '../../src/providers/onfido/config.ts';
import { onfidoModule } from '../../src/providers/onfido/index.ts';
import { ONFIDO_SCENARIOS, onfidoScenarioId } from '../../src/providers/onfido/sandbox/scenarios.ts';
import { startOnfidoSimulator } from '../../src/providers/onfido/sandbox/simulator.ts';
import { onfidoWebhook } from '../../src/providers/onfido/webhook.ts';
import type { ProviderAdapter, RunningSimulator } from '../../src/providers/types.ts';
import { TEST_HTTP_OPTIONS } from '../support/gateway.ts';
import { waitFor } from '../support/webhooks.ts';

const DOCUMENTED = 'b48fdff9-66a1-405d-9912-54780799bd68';
const id = onfidoScenarioId;

/** The parts Onfido's SDK example reports give (examples/sdk.ts): Jane Doe's passport and a clear selfie. */
const SDK_KYC = {
  status: 'APPROVED',
  providerStatus: 'clear',
  documentType: 'passport',
  documentNumber: '999999999',
  personalNumber: null,
  issuingCountry: 'GBR',
  issuingCountryName: null,
  issuingState: null,
  dateOfIssue: null,
  expirationDate: '2031-05-28',
  firstName: 'Jane',
  middleName: null,
  lastName: 'Doe',
  fullName: 'Jane Doe',
  dateOfBirth: '1990-01-01',
  age: null,
  gender: null,
  nationality: null,
  placeOfBirth: null,
  address: null,
  nfcVerified: null,
  service: null,
  confirmation: null,
  issues: [],
  images: null,
};
const SDK_FACE = {
  status: 'APPROVED',
  providerStatus: 'clear',
  faceMatchStatus: 'APPROVED',
  livenessStatus: 'APPROVED',
  faceMatchScore: 0.6512,
  livenessScore: 0.9512,
  faceMatchPassed: true,
  ageEstimate: null,
  ageCheckPassed: null,
  genderEstimate: null,
};
const JANE = {
  firstName: 'Jane',
  lastName: 'Doe',
  fullName: 'Jane Doe',
  dateOfBirth: '1990-01-01',
  email: null,
  phone: null,
  nationality: null,
  gender: null,
  address: null,
};
const selfieChecks = (nodeId: string) => ({
  faceMatches: [
    {
      nodeId,
      status: 'APPROVED',
      providerStatus: 'clear',
      score: 0.6512,
      sourceImage: null,
      targetImage: null,
      warnings: [],
    },
  ],
  liveness: [
    {
      nodeId,
      status: 'APPROVED',
      providerStatus: 'clear',
      method: null,
      score: 0.9512,
      ageEstimate: null,
      referenceImage: null,
      videoUrl: null,
      warnings: [],
    },
  ],
});
const docCheck = (nodeId: string, kyc: object, warnings: object[] = []) => ({
  nodeId,
  status: (kyc as { status: string }).status,
  providerStatus: (kyc as { providerStatus: string }).providerStatus,
  documentSubtype: null,
  kyc,
  warnings,
});

/** The simulator's run envelope as `metadata` (sandbox/scenarios.ts `workflowRun`). */
const metadata = (runId: string, extra: Record<string, unknown> = {}) => ({
  customer_user_id: `crm-${runId.slice(-4)}`,
  applicant_id: '7f3b2c1d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
  workflow_id: '5025d9fd-7842-4805-bce1-a7bfd7131b4e',
  workflow_version_id: 3,
  tags: ['sandbox'],
  reasons: [],
  error: null,
  dashboard_url: `https://dashboard.onfido.com/results/${runId}`,
  link_expires_at: '2026-03-09T09:30:00.000Z',
  updated_at: '2026-03-02T09:41:12.000Z',
  output: null,
  ...extra,
});

/** A session with nothing but its envelope; `parts` overrides. */
function session(
  runId: string,
  status: string,
  providerStatus: string,
  parts: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    provider: 'ONFIDO',
    providerSessionId: runId,
    status,
    providerStatus,
    isTerminal: ['APPROVED', 'DECLINED', 'EXPIRED', 'ABANDONED', 'ERROR'].includes(status),
    reasonCode: null,
    reasonDescription: null,
    createdAt: '2026-03-02T09:30:00.000Z',
    sandbox: true,
    sensitiveDataExpired: false,
    ...noChecks(),
    applicant: null,
    journey: null,
    kyc: null,
    aml: null,
    face: null,
    location: null,
    warnings: [],
    reviews: [],
    reference: `crm-${runId.slice(-4)}`,
    metadata: metadata(runId),
    ...parts,
  };
}

const checks = (parts: Record<string, unknown>) => ({ ...noChecks().checks, ...parts });

let simulator: RunningSimulator;
let adapter: ProviderAdapter;
beforeAll(async () => {
  const sandbox = await onfidoModule.startSandbox({ webhook: null, timelineStepMs: 60_000 });
  simulator = sandbox.simulator;
  adapter = onfidoModule.createAdapter(sandbox.live, { sandbox: true, http: TEST_HTTP_OPTIONS });
});
afterAll(async () => {
  await adapter?.close();
  await simulator?.close();
});

/** The GatewayError a fetch fails with: its message and extensions. */
async function failure(runId: string, on = adapter): Promise<unknown> {
  try {
    await on.fetchSession(runId);
  } catch (error) {
    const e = error as { message: string; extensions: unknown };
    return { message: e.message, extensions: e.extensions };
  }
  throw new Error(`${runId} did not fail`);
}

describe('Onfido adapter on its simulator', () => {
  it('maps Onfido’s example run: document and facial similarity reports under `doc` and `selfie`', async () => {
    expect(await adapter.fetchSession(DOCUMENTED)).toEqual(
      session(DOCUMENTED, 'APPROVED', 'approved', {
        applicant: JANE,
        kyc: SDK_KYC,
        face: SDK_FACE,
        checks: checks({ documents: [docCheck('doc', SDK_KYC)], ...selfieChecks('selfie') }),
      }),
    );
  });

  it('maps a `review` run whose document report is `consider`/`caution`: the flagged breakdown entry is an issue', async () => {
    const kyc = {
      ...SDK_KYC,
      status: 'IN_REVIEW',
      providerStatus: 'caution',
      issues: ['data_validation.document_expiration'],
    };
    const warning = {
      feature: 'DOCUMENT',
      risk: 'data_validation.document_expiration',
      logType: 'warning',
      shortDescription: 'data_validation.document_expiration: consider',
      longDescription: null,
      additionalData: null,
    };
    expect(await adapter.fetchSession(id(4))).toEqual(
      session(id(4), 'IN_REVIEW', 'review', {
        reasonCode: 'document_caution',
        // The flagged breakdown entry; the workflow's own word (`document_caution`) adds nothing a report does not say.
        declineReasons: [
          {
            category: 'DOCUMENT_EXPIRED',
            retryable: true,
            retryScope: 'NEW_SESSION',
            vendorSignal: false,
            providerCode: 'data_validation.document_expiration',
            userMessage: null,
          },
        ],
        applicant: JANE,
        kyc,
        face: SDK_FACE,
        warnings: [warning],
        checks: checks({
          documents: [docCheck('doc', kyc, [{ ...warning, nodeId: 'doc' }])],
          ...selfieChecks('selfie'),
        }),
        metadata: metadata(id(4), { reasons: ['document_caution'] }),
      }),
    );
  });

  it('recognises reports by shape under the designer’s own keys; the outputs it cannot map go to metadata', async () => {
    const aml = { status: 'APPROVED', providerStatus: 'clear', totalHits: 0, score: null, hits: [] };
    expect(await adapter.fetchSession(id(5))).toEqual(
      session(id(5), 'APPROVED', 'approved', {
        reasonCode: 'all_reports_clear',
        // The profile data capture (Onfido's example values) comes first; the document fills what it lacks.
        applicant: {
          firstName: 'Lyric',
          lastName: 'Kihn',
          fullName: 'Lyric Kihn',
          dateOfBirth: '1976-08-31',
          email: 'Toni14@yahoo.com',
          phone: '+351930983797',
          nationality: 'SWZ',
          gender: null,
          address: {
            line1: '770 Leatha Corners',
            line2: 'Reichel Mall Sherwood Drives',
            city: 'Keeblerview',
            state: null,
            postalCode: '38074',
            country: 'POL',
            formatted: null,
          },
        },
        kyc: SDK_KYC,
        face: SDK_FACE,
        aml,
        checks: checks({
          documents: [docCheck('id_document', SDK_KYC)],
          ...selfieChecks('biometrics'),
          aml: [{ nodeId: 'screening', status: 'APPROVED', providerStatus: 'clear', aml, warnings: [] }],
        }),
        metadata: metadata(id(5), {
          tags: ['sandbox', 'premium'],
          reasons: ['all_reports_clear'],
          output: { risk_tier: 'low', is_employed: false },
        }),
      }),
    );
  });

  it('maps a watchlist `consider` into aml with its hit and a warning', async () => {
    const s = await adapter.fetchSession(id(7));
    const aml = {
      status: 'IN_REVIEW',
      providerStatus: 'consider',
      totalHits: 1,
      score: null,
      hits: [
        {
          id: null,
          caption: 'Jane Doe',
          match: null,
          score: null,
          target: null,
          datasets: ['Regional Assembly Members Register'],
          topics: ['PEP'],
          names: ['Jane Doe'],
          aliases: ['J. Doe'],
          notes: [],
          positions: ['Member of the Regional Assembly (2019-2023)'],
          firstSeen: null,
          lastSeen: null,
          lastChange: null,
        },
      ],
    };
    const warning = {
      feature: 'WATCHLIST',
      risk: 'politically_exposed_person',
      logType: 'warning',
      shortDescription: 'politically_exposed_person: consider',
      longDescription: null,
      additionalData: null,
    };
    expect(s).toEqual(
      session(id(7), 'DECLINED', 'declined', {
        reasonCode: 'watchlist_pep_match',
        declineReasons: [
          {
            category: 'PEP_OR_ADVERSE_MEDIA',
            retryable: false,
            retryScope: 'NONE',
            vendorSignal: false,
            providerCode: 'politically_exposed_person',
            userMessage: null,
          },
        ],
        applicant: JANE,
        kyc: SDK_KYC,
        face: SDK_FACE,
        aml,
        warnings: [warning],
        checks: checks({
          documents: [docCheck('doc', SDK_KYC)],
          ...selfieChecks('selfie'),
          aml: [
            {
              nodeId: 'watchlist',
              status: 'IN_REVIEW',
              providerStatus: 'consider',
              aml,
              warnings: [{ ...warning, nodeId: 'watchlist' }],
            },
          ],
        }),
        metadata: metadata(id(7), { reasons: ['watchlist_pep_match'] }),
      }),
    );
  });

  it('maps a facial similarity `consider`: the face does not match, the capture may be a spoof', async () => {
    const s = await adapter.fetchSession(id(10));
    expect(s.face).toEqual({
      status: 'IN_REVIEW',
      providerStatus: 'consider',
      faceMatchStatus: 'IN_REVIEW',
      livenessStatus: 'IN_REVIEW',
      faceMatchScore: 0.2113,
      livenessScore: 0.0841,
      faceMatchPassed: false,
      ageEstimate: null,
      ageCheckPassed: null,
      genderEstimate: null,
    });
    expect(s.warnings.map((w) => [w.feature, w.risk, w.additionalData])).toEqual([
      [
        'FACIAL_SIMILARITY',
        'face_comparison.face_match',
        { document_id: '0925205f-1af3-4874-8d14-f2d2a81fb75d', score: 0.2113 },
      ],
      ['FACIAL_SIMILARITY', 'visual_authenticity.spoofing_detection', { score: 0.0841 }],
    ]);
    expect([s.status, s.checks.faceMatches[0]?.warnings.length, s.checks.liveness[0]?.warnings.length]).toEqual([
      'IN_REVIEW',
      1,
      1,
    ]);
  });

  it('maps a run in `error` to ERROR with the error’s type as reasonCode and its message', async () => {
    expect(await adapter.fetchSession(id(9))).toEqual(
      session(id(9), 'ERROR', 'error', {
        reasonCode: 'task_error',
        declineReasons: [
          {
            category: 'PROVIDER_ERROR',
            retryable: true,
            retryScope: 'NEW_SESSION',
            vendorSignal: false,
            providerCode: 'task_error',
            userMessage: null,
          },
        ],
        reasonDescription: 'A task of the workflow could not be completed.',
        metadata: metadata(id(9), {
          error: { type: 'task_error', message: 'A task of the workflow could not be completed.' },
        }),
      }),
    );
  });

  it('reads the least the spec allows (`id` and `status`) without inventing anything', async () => {
    expect(await adapter.fetchSession(id(12))).toEqual(
      session(id(12), 'APPROVED', 'approved', {
        createdAt: null,
        reference: null,
        metadata: {
          customer_user_id: null,
          applicant_id: null,
          workflow_id: null,
          workflow_version_id: null,
          tags: [],
          reasons: [],
          error: null,
          dashboard_url: null,
          link_expires_at: null,
          updated_at: null,
          output: null,
        },
      }),
    );
  });

  /** DESIGN §7, every value of the spec's `workflow_run_status`, with the scenario showing it. */
  it.each([
    ['processing', 'IN_PROGRESS', 1],
    ['awaiting_input', 'IN_PROGRESS', 2],
    ['awaiting_client_input', 'IN_PROGRESS', 3],
    ['review', 'IN_REVIEW', 4],
    ['approved', 'APPROVED', 5],
    ['declined', 'DECLINED', 6],
    ['abandoned', 'ABANDONED', 8],
    ['error', 'ERROR', 9],
  ] as const)('maps workflow run status %s to %s', async (value, unified, n) => {
    const s = await adapter.fetchSession(id(n));
    expect([s.providerSessionId, s.status, s.providerStatus]).toEqual([id(n), unified, value]);
    expect(onfidoModule.contract.statusScenarios).toContainEqual({ field: 'workflow run status', value, id: id(n) });
  });

  it('covers every status of the spec’s `workflow_run_status` enum, in its order', () => {
    expect(onfidoModule.statusTables[0]?.rows.map((r) => r.value).sort()).toEqual(
      [
        'processing',
        'awaiting_input',
        'awaiting_client_input',
        'approved',
        'declined',
        'review',
        'abandoned',
        'error',
      ].sort(),
    );
  });

  it('maps a status it does not know to UNKNOWN, keeping the word', async () => {
    const s = await adapter.fetchSession(id(11));
    expect([s.status, s.providerStatus, s.isTerminal]).toEqual(['UNKNOWN', 'on_hold', false]);
  });

  it('asks for an upper-case id in lower case', async () => {
    simulator.resetCount();
    const s = await adapter.fetchSession(DOCUMENTED.toUpperCase());
    expect(s.providerSessionId).toBe(DOCUMENTED);
    expect(simulator.requestCount(`/v3.6/workflow_runs/${DOCUMENTED}`)).toBe(1);
  });

  it('accepts UUIDs only', () => {
    for (const good of [DOCUMENTED, DOCUMENTED.toUpperCase(), id(1)]) expect(adapter.checkId(good), good).toBeNull();
    for (const bad of [...onfidoModule.contract.malformedIds, '', `${DOCUMENTED}/tasks`, ` ${DOCUMENTED}`])
      expect(adapter.checkId(bad), bad).toBe('Onfido workflow run ids are UUIDs (8-4-4-4-12 hexadecimal digits).');
  });

  it.each([
    [id(404), 'Onfido has no such session.', { code: 'NOT_FOUND', provider: 'ONFIDO' }],
    ['0f0f0f0f-0000-4000-8000-000000000000', 'Onfido has no such session.', { code: 'NOT_FOUND', provider: 'ONFIDO' }],
    [
      id(401),
      "Onfido rejected Verigate's credentials (HTTP 401).",
      { code: 'UPSTREAM_AUTH_FAILED', provider: 'ONFIDO' },
    ],
    [
      id(429),
      'Onfido is rate limiting Verigate; retry in 30 s.',
      { code: 'UPSTREAM_RATE_LIMITED', provider: 'ONFIDO', retryAfterSeconds: 30 },
    ],
    [id(500), 'Onfido is unavailable: it answered HTTP 500.', { code: 'UPSTREAM_UNAVAILABLE', provider: 'ONFIDO' }],
    [
      id(31),
      'Onfido sent a response Verigate cannot read: the workflow run body is not JSON.',
      { code: 'UPSTREAM_BAD_RESPONSE', provider: 'ONFIDO' },
    ],
    [
      id(32),
      "Onfido sent a response Verigate cannot read: the workflow run does not match Onfido's documented shape.",
      { code: 'UPSTREAM_BAD_RESPONSE', provider: 'ONFIDO' },
    ],
  ])('fails %s with a coded error', async (runId, message, extensions) => {
    expect(await failure(runId)).toEqual({ message, extensions });
  });

  it('fails a slow answer as UPSTREAM_UNAVAILABLE once the timeout passes', async () => {
    expect(await failure(id(30))).toEqual({
      message: expect.stringMatching(/^Onfido is unavailable: /),
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'ONFIDO' },
    });
  });

  it('sends `Authorization: Token token=…`: another token is refused with Onfido’s error body', async () => {
    const live = { baseUrl: `${simulator.url}/v3.6`, apiToken: 'api_sandbox.wrong' };
    const wrong = onfidoModule.createAdapter(live, { sandbox: true, http: TEST_HTTP_OPTIONS });
    try {
      expect(await failure(DOCUMENTED, wrong)).toEqual({
        message: "Onfido rejected Verigate's credentials (HTTP 401).",
        extensions: { code: 'UPSTREAM_AUTH_FAILED', provider: 'ONFIDO' },
      });
    } finally {
      await wrong.close();
    }
    const res = await fetch(`${simulator.url}/v3.6/workflow_runs/${DOCUMENTED}`);
    expect([res.status, await res.json()]).toEqual([
      401,
      {
        error: {
          type: 'authorization_error',
          message: 'Authorization error: please re-check your credentials',
          fields: {},
        },
      },
    ]);
  });

  it('marks runs reached live with an `api_sandbox.` token as sandbox data, and `api_live.` ones not', async () => {
    for (const [apiToken, sandbox] of [
      ['api_sandbox.abc', true],
      ['api_live.abc', false],
    ] as const) {
      const live = await startOnfidoSimulator({ apiToken });
      const reached = onfidoModule.createAdapter(
        { baseUrl: `${live.url}/v3.6`, apiToken },
        { sandbox: false, http: TEST_HTTP_OPTIONS },
      );
      try {
        expect((await reached.fetchSession(DOCUMENTED)).sandbox, apiToken).toBe(sandbox);
      } finally {
        await reached.close();
        await live.close();
      }
    }
  });

  it('never fails on output shapes it does not map: they are passed on in metadata', async () => {
    const odd = {
      id: id(77),
      status: 'approved',
      output: {
        // A document report nested one level down is still found, under its path.
        reports: { identity: { result: 'clear', properties: { document_type: 'driving_licence', gender: 7 } } },
        // Looks like a report but matches none of the report schemas.
        score_card: { breakdown: { unknown_group: { result: 'clear' } }, properties: 'n/a' },
        list: [1, { a: null }],
        flag: true,
        note: null,
      },
    };
    simulator.faults.inject({ kind: 'payload', body: () => JSON.stringify(odd) }, { times: 1 });
    const s = await adapter.fetchSession(id(77));
    expect([s.status, s.kyc?.documentType, s.kyc?.gender, s.checks.documents[0]?.nodeId]).toEqual([
      'APPROVED',
      'driving_licence',
      null,
      'reports.identity',
    ]);
    expect(s.metadata?.output).toEqual({
      score_card: odd.output.score_card,
      list: odd.output.list,
      flag: true,
      note: null,
    });
  });

  it('passes an output that is not an object on as it is', async () => {
    const payload = { id: id(78), status: 'processing', output: ['a', 1] };
    simulator.faults.inject({ kind: 'payload', body: () => JSON.stringify(payload) }, { times: 1 });
    const s = await adapter.fetchSession(id(78));
    expect([s.status, s.kyc, s.metadata?.output]).toEqual(['IN_PROGRESS', null, ['a', 1]]);
  });

  it('answers every catalogue scenario with a session of its id or a coded error', async () => {
    for (const scenario of ONFIDO_SCENARIOS.filter((s) => !s.description.startsWith('timed'))) {
      if (scenario.id === id(30)) continue; // the slow one, above
      try {
        expect((await adapter.fetchSession(scenario.id)).providerSessionId).toBe(scenario.id);
      } catch (error) {
        expect((error as { extensions: { code: string } }).extensions.code, scenario.id).toMatch(
          /^(NOT_FOUND|UPSTREAM_)/,
        );
      }
    }
  });
});

describe('Onfido timed scenario with webhooks', () => {
  it('goes processing → review → approved, each step announced by a signed webhook', async () => {
    const hook: OnfidoWebhookConfig = { token: 'sandbox-token-0123456789abcdefABCDEF', sandbox: true };
    const verifier = onfidoWebhook(hook);
    const received: Array<{ reading: unknown; verified: boolean }> = [];
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const verified = verifier.verify(req.headers, raw, Math.floor(Date.now() / 1000)).ok;
        received.push({ verified, reading: verifier.read(JSON.parse(raw.toString()), 0) });
        res.writeHead(200).end('{"received":true}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { live, simulator: timed } = await onfidoModule.startSandbox({ webhook: hook, timelineStepMs: 150 });
    const timedAdapter = onfidoModule.createAdapter(live, { sandbox: true, http: TEST_HTTP_OPTIONS });
    try {
      timed.webhooks?.deliverTo(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/onfido`);
      const runId = id(40);
      expect((await timedAdapter.fetchSession(runId)).status).toBe('IN_PROGRESS');
      expect(await waitFor(() => received.length === 2)).toBe(true);
      expect(received).toEqual([
        { verified: true, reading: { kind: 'session', event: 'workflow_task.completed', sessionId: runId } },
        { verified: true, reading: { kind: 'session', event: 'workflow_run.completed', sessionId: runId } },
      ]);
      const s = await timedAdapter.fetchSession(runId);
      expect([s.status, s.providerStatus, s.reasonCode, s.kyc?.status]).toEqual([
        'APPROVED',
        'approved',
        'reviewer_approved',
        'APPROVED',
      ]);
    } finally {
      await timedAdapter.close();
      await timed.close();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe('Onfido configuration section', () => {
  const parse = (vars: Record<string, string>) => z.object(onfidoConfig.env).parse(vars) as Record<string, unknown>;
  const mode = (vars: Record<string, string>, production = false) => {
    const problems: string[] = [];
    return { mode: onfidoConfig.mode(parse(vars), { production }, problems), problems };
  };
  const webhook = (vars: Record<string, string>, m: ProviderMode<OnfidoLive>) => {
    const problems: string[] = [];
    return { hook: onfidoConfig.webhook?.(parse(vars), m, problems), problems };
  };

  it('is live with the token alone, on the EU region', () => {
    expect(mode({ ONFIDO_API_TOKEN: 'api_live.abc' })).toEqual({
      mode: { mode: 'live', live: { baseUrl: 'https://api.eu.onfido.com/v3.6', apiToken: 'api_live.abc' } },
      problems: [],
    });
  });

  it('takes the region, and a base URL over the region', () => {
    expect(mode({ ONFIDO_API_TOKEN: 't', ONFIDO_REGION: 'us' }).mode).toEqual({
      mode: 'live',
      live: { baseUrl: 'https://api.us.onfido.com/v3.6', apiToken: 't' },
    });
    expect(
      mode({ ONFIDO_API_TOKEN: 't', ONFIDO_REGION: 'ca', ONFIDO_BASE_URL: 'http://proxy.local:8080/v3.6' }).mode,
    ).toEqual({ mode: 'live', live: { baseUrl: 'http://proxy.local:8080/v3.6', apiToken: 't' } });
  });

  it('refuses a region outside eu, us, ca', () => {
    expect(
      z
        .object(onfidoConfig.env)
        .safeParse({ ONFIDO_REGION: 'apac' })
        .error?.issues.map((i) => i.message),
    ).toEqual(['must be eu, us or ca']);
  });

  it('runs on the simulator with nothing set, and is off in production', () => {
    expect(mode({})).toEqual({ mode: { mode: 'sandbox' }, problems: [] });
    expect(mode({}, true)).toEqual({ mode: { mode: 'off' }, problems: [] });
  });

  it('reports a region or base URL without a token as half-configured', () => {
    expect(mode({ ONFIDO_REGION: 'us', ONFIDO_BASE_URL: 'https://api.us.onfido.com/v3.6' })).toEqual({
      mode: { mode: 'off' },
      problems: ['ONFIDO_BASE_URL, ONFIDO_REGION: set, but ONFIDO_API_TOKEN is not (set it too, or unset them)'],
    });
  });

  it('turns webhooks on with ONFIDO_WEBHOOK_TOKEN, generates one for the sandbox, and reports one while off', () => {
    const live: ProviderMode<OnfidoLive> = { mode: 'live', live: { baseUrl: 'https://x', apiToken: 't' } };
    expect(webhook({ ONFIDO_WEBHOOK_TOKEN: 'whtok' }, live)).toEqual({
      hook: { token: 'whtok', sandbox: false },
      problems: [],
    });
    expect(webhook({}, live)).toEqual({ hook: null, problems: [] });
    const sandbox = webhook({}, { mode: 'sandbox' });
    expect(sandbox).toEqual({
      hook: { token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), sandbox: true },
      problems: [],
    });
    expect(webhook({}, { mode: 'sandbox' }).hook?.token).not.toBe(sandbox.hook?.token);
    expect(webhook({ ONFIDO_WEBHOOK_TOKEN: 'whtok' }, { mode: 'off' })).toEqual({
      hook: null,
      problems: ['ONFIDO_WEBHOOK_TOKEN: set, but ONFIDO is not configured (webhooks refresh its sessions)'],
    });
  });

  it('says its rate limit is not documented, keeps 400 a minute as the default, and documents every variable', () => {
    expect(onfidoConfig.documentedRatePerMinute).toBeNull();
    expect(onfidoConfig.defaultRatePerMinute).toBe(400);
    const live = { ONFIDO_API_TOKEN: 'api_live.x' };
    expect(loadConfig(live).upstream.ratePerMinute.onfido).toBe(400);
    expect(loadConfig({ ...live, ONFIDO_RATE_LIMIT_PER_MINUTE: '120' }).upstream.ratePerMinute.onfido).toBe(120);
    expect(onfidoConfig.docs.flatMap((d) => d.names).sort()).toEqual(Object.keys(onfidoConfig.env).sort());
  });
});
