import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { JourneyStop, Session, VerificationStatus } from '../../src/model/session.ts';
import { PersonaAdapter } from '../../src/providers/persona/client.ts';
import type { PersonaLive, PersonaWebhookConfig } from '../../src/providers/persona/config.ts';
import { personaModule } from '../../src/providers/persona/index.ts';
import { normalizePersonaInquiry } from '../../src/providers/persona/normalize.ts';
import { personaInquiryDocument, personaInquiryDocument20230105 } from '../../src/providers/persona/payload.ts';
import { PERSONA_INQUIRY_RETRIEVE_2023_01_05 } from '../../src/providers/persona/sandbox/examples/inquiryRetrieve20230105.ts';
import { PERSONA_SANDBOX_API_KEY } from '../../src/providers/persona/sandbox/simulator.ts';
import { personaWebhook } from '../../src/providers/persona/webhook.ts';
import type { ProviderAdapter, RunningSimulator } from '../../src/providers/types.ts';
import { GatewayError } from '../../src/upstream/errors.ts';
import { TEST_HTTP_OPTIONS } from '../support/gateway.ts';

const contract = personaModule.contract;

async function failure(promise: Promise<unknown>): Promise<{ code: string; retryAfterSeconds?: number }> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return {
      code: error.code,
      ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    };
  }
  throw new Error('expected a failure');
}

const NO_CHECKS = {
  nfc: null,
  proofOfAddress: null,
  phoneVerification: null,
  emailVerification: null,
  databaseValidation: null,
};
const stop = (
  at: string,
  type: string,
  source: string,
  status: VerificationStatus | null,
  providerStatus: string | null,
  detail: string | null = null,
): JourneyStop => ({
  at,
  type,
  source,
  status,
  providerStatus,
  action: null,
  detail,
});

describe('Persona adapter against its simulator', () => {
  let simulator: RunningSimulator;
  let live: PersonaLive;
  let adapter: ProviderAdapter;

  beforeAll(async () => {
    ({ live, simulator } = await personaModule.startSandbox({ webhook: null, timelineStepMs: 60_000 }));
    adapter = personaModule.createAdapter(live, { sandbox: true, http: TEST_HTTP_OPTIONS });
  });
  afterAll(async () => {
    await adapter.close();
    await simulator.close();
  });

  it('reads Persona’s documented GET /inquiries/{id} example whole', async () => {
    const location = {
      status: null,
      providerStatus: 'low',
      ip: {
        address: '127.0.0.1',
        country: 'United States',
        countryCode: 'US',
        state: 'California',
        city: null,
        latitude: 37.7688,
        longitude: -122.262,
        isp: null,
        organization: null,
        isVpnOrTor: false,
        isDataCenter: false,
        timeZone: null,
        timeZoneOffset: null,
      },
      device: { brand: null, model: null, browserFamily: 'Chrome', osFamily: 'Mac', platform: 'desktop' },
      documentLocation: null,
      distanceFromDocumentToIpKm: null,
    };
    const expected: Session = {
      provider: 'PERSONA',
      providerSessionId: 'inq_zEx4jL84ShbUyuwX6AzPSqt6',
      status: 'IN_PROGRESS',
      providerStatus: 'pending',
      isTerminal: false,
      reasonCode: null,
      reasonDescription: null,
      createdAt: '2023-03-29T19:06:45.000Z',
      sandbox: true,
      sensitiveDataExpired: false,
      applicant: {
        firstName: 'Jane',
        lastName: 'Doe',
        fullName: 'Jane Marie Doe',
        dateOfBirth: '1995-09-08',
        email: 'jane@doe.com',
        phone: null,
        nationality: null,
        gender: null,
        address: {
          line1: '123 Main St',
          line2: null,
          city: 'San Francisco',
          state: 'California',
          postalCode: '94111',
          country: 'US',
          formatted: null,
        },
      },
      journey: {
        stops: [
          stop('2023-03-29T19:06:45.000Z', 'inquiry.created', 'inquiry', 'NOT_STARTED', 'created'),
          stop('2023-03-30T19:07:01.000Z', 'inquiry.started', 'inquiry', 'IN_PROGRESS', 'pending'),
        ],
        durationSeconds: null,
      },
      kyc: null,
      aml: null,
      face: null,
      location,
      warnings: [],
      reviews: [],
      reference: 'abc-123',
      history: [
        {
          at: '2023-03-29T19:06:45.000Z',
          status: 'NOT_STARTED',
          providerStatus: 'created',
          vendorEventId: 'persona:created-at:2023-03-29T19:06:45.000Z',
        },
        {
          at: '2023-03-30T19:07:01.000Z',
          status: 'IN_PROGRESS',
          providerStatus: 'pending',
          vendorEventId: 'persona:started-at:2023-03-30T19:07:01.000Z',
        },
      ],
      metadata: {
        'reference-id': 'abc-123',
        note: null,
        tags: [],
        behaviors: {},
        'previous-step-name': 'start',
        'next-step-name': 'verification_document',
        'inquiry-template-id': 'itmpl_p8ANAJy9iqadm2buF2xcVgqH',
        unmapped: [],
      },
      ...NO_CHECKS,
      checks: {
        documents: [],
        nfc: [],
        liveness: [],
        faceMatches: [],
        aml: [],
        ip: [
          {
            nodeId: 'iqse_ABC123',
            status: null,
            providerStatus: 'expired',
            warnings: [],
            location,
            deviceFingerprint: null,
          },
        ],
        proofOfAddress: [],
        phoneVerifications: [],
        emailVerifications: [],
        databaseValidations: [],
      },
      // The inquiry is pending and its latest verification is not submitted: the person's move.
      turn: 'USER',
    };
    expect(await adapter.fetchSession('inq_zEx4jL84ShbUyuwX6AzPSqt6')).toEqual(expected);
  });

  it('maps a full declined inquiry: government id → kyc, selfie → face, watchlist → aml, the decision → reviews', async () => {
    const session = await adapter.fetchSession('inq_Declined');
    const idChecks = ['id_compromised_detection', 'id_disallowed_country_detection', 'id_expired_detection'];
    const kyc = {
      status: 'APPROVED',
      providerStatus: 'passed',
      documentType: 'dl',
      documentNumber: 'D8123456',
      personalNumber: null,
      issuingCountry: 'US',
      issuingCountryName: null,
      issuingState: 'OR',
      dateOfIssue: '2023-04-12',
      expirationDate: '2031-04-12',
      firstName: 'JANE',
      middleName: 'MARIE',
      lastName: 'SAMPLE',
      fullName: 'JANE MARIE SAMPLE',
      dateOfBirth: '1991-04-12',
      age: null,
      gender: 'Female',
      nationality: null,
      placeOfBirth: null,
      address: {
        line1: '221 HARBOR ST',
        line2: 'APT 4B',
        city: 'PORTLAND',
        state: 'OR',
        postalCode: '97205',
        country: null,
        formatted: null,
      },
      nfcVerified: null,
      service: null,
      confirmation: null,
      issues: [],
      images: {
        portrait: 'https://files.withpersona.com/selfie-photo.jpg?access_token=ACCESS_TOKEN',
        front: 'https://files.withpersona.com/id-front.jpg?access_token=ACCESS_TOKEN',
        back: null,
        fullFront: null,
        fullBack: null,
        frontVideo: null,
        backVideo: null,
      },
    };
    const checkWarning = (
      nodeId: string,
      feature: string,
      risk: string,
      logType = 'required',
      shortDescription: string | null = null,
    ) => ({
      nodeId,
      feature,
      risk,
      logType,
      shortDescription,
      longDescription: null,
      additionalData: {},
    });
    const mismatch = checkWarning('ver_SelfDeclined', 'selfie_id_comparison', 'failed', 'required', 'no_face_match');
    const location = (await adapter.fetchSession('inq_zEx4jL84ShbUyuwX6AzPSqt6')).location;
    expect(session).toEqual({
      provider: 'PERSONA',
      providerSessionId: 'inq_Declined',
      status: 'DECLINED',
      providerStatus: 'declined',
      isTerminal: true,
      reasonCode: 'selfie_id_comparison',
      reasonDescription: null,
      declineReasons: [
        {
          category: 'FACE_MISMATCH',
          retryable: false,
          retryScope: 'NONE',
          vendorSignal: false,
          providerCode: 'selfie_id_comparison',
          userMessage: null,
        },
      ],
      createdAt: '2026-03-02T09:30:00.000Z',
      sandbox: true,
      sensitiveDataExpired: false,
      applicant: {
        firstName: 'Jane',
        lastName: 'Sample',
        fullName: 'Jane Marie Sample',
        dateOfBirth: '1991-04-12',
        email: 'jane.sample@example.com',
        phone: '+15035550123',
        nationality: null,
        gender: null,
        address: {
          line1: '221 Harbor Street',
          line2: 'Apt 4B',
          city: 'Portland',
          state: 'Oregon',
          postalCode: '97205',
          country: 'US',
          formatted: null,
        },
      },
      journey: {
        stops: [
          stop('2026-03-02T09:30:00.000Z', 'inquiry.created', 'inquiry', 'NOT_STARTED', 'created'),
          stop('2026-03-02T09:31:00.000Z', 'inquiry.started', 'inquiry', 'IN_PROGRESS', 'pending'),
          stop(
            '2026-03-02T09:34:00.000Z',
            'verification/government-id',
            'verification',
            'APPROVED',
            'passed',
            'ver_GovDeclined',
          ),
          stop(
            '2026-03-02T09:35:00.000Z',
            'verification/selfie',
            'verification',
            'DECLINED',
            'failed',
            'ver_SelfDeclined',
          ),
          stop('2026-03-02T09:36:00.000Z', 'inquiry.completed', 'inquiry', 'APPROVED', 'completed'),
          stop('2026-03-02T10:00:00.000Z', 'inquiry.declined', 'inquiry', 'DECLINED', 'declined'),
        ],
        durationSeconds: 300,
      },
      kyc,
      aml: { status: 'APPROVED', providerStatus: 'ready', totalHits: 0, score: null, hits: [] },
      face: {
        status: 'DECLINED',
        providerStatus: 'failed',
        faceMatchStatus: 'DECLINED',
        livenessStatus: 'APPROVED',
        faceMatchScore: 0.21,
        livenessScore: null,
        faceMatchPassed: false,
        ageEstimate: null,
        ageCheckPassed: null,
        genderEstimate: null,
      },
      location: { ...location, ip: { ...location?.ip, address: '198.51.100.23' } },
      warnings: [mismatch],
      reviews: [
        {
          user: 'user_SandboxReviewer01',
          status: 'DECLINED',
          providerStatus: 'declined',
          comment: 'Selfie does not match the ID portrait.',
          createdAt: '2026-03-02T10:00:00.000Z',
        },
      ],
      reference: 'crm-inq_Declined',
      history: [
        ['created-at', '2026-03-02T09:30:00.000Z', 'NOT_STARTED', 'created'],
        ['started-at', '2026-03-02T09:31:00.000Z', 'IN_PROGRESS', 'pending'],
        ['completed-at', '2026-03-02T09:36:00.000Z', 'APPROVED', 'completed'],
        ['decisioned-at', '2026-03-02T10:00:00.000Z', 'DECLINED', 'declined'],
      ].map(([attribute, at, status, providerStatus]) => ({
        at,
        status,
        providerStatus,
        vendorEventId: `persona:${attribute}:${at}`,
      })),
      metadata: {
        'reference-id': 'crm-inq_Declined',
        note: null,
        tags: ['sandbox'],
        behaviors: { 'request-spoof-attempts': 0, 'user-agent-spoof-attempts': 0, 'distraction-events': 0 },
        'previous-step-name': 'start',
        'next-step-name': 'success',
        'inquiry-template-id': 'itmpl_SandboxKyc0001',
        unmapped: [],
      },
      ...NO_CHECKS,
      checks: {
        documents: [
          {
            nodeId: 'ver_GovDeclined',
            status: 'APPROVED',
            providerStatus: 'passed',
            warnings: idChecks.map((name) => checkWarning('ver_GovDeclined', name, 'passed')),
            documentSubtype: 'dl',
            kyc,
          },
        ],
        nfc: [],
        liveness: [
          {
            nodeId: 'ver_SelfDeclined',
            status: 'APPROVED',
            providerStatus: 'passed',
            warnings: [
              checkWarning('ver_SelfDeclined', 'selfie_pose_detection', 'passed'),
              checkWarning('ver_SelfDeclined', 'selfie_liveness_detection', 'passed', 'not_required'),
            ],
            method: 'video',
            score: null,
            ageEstimate: null,
            referenceImage: 'https://files.withpersona.test/ver_SelfDeclined/center.jpg',
            videoUrl: null,
          },
        ],
        faceMatches: [
          {
            nodeId: 'ver_SelfDeclined',
            status: 'DECLINED',
            providerStatus: 'failed',
            warnings: [mismatch],
            score: 0.21,
            sourceImage: 'https://files.withpersona.test/ver_SelfDeclined/center.jpg',
            targetImage: null,
          },
        ],
        aml: [
          {
            nodeId: 'rep_WlDeclined',
            status: 'APPROVED',
            providerStatus: 'ready',
            warnings: [],
            aml: { status: 'APPROVED', providerStatus: 'ready', totalHits: 0, score: null, hits: [] },
          },
        ],
        ip: [expect.objectContaining({ nodeId: 'iqse_Declined', providerStatus: 'completed' })],
        proofOfAddress: [],
        phoneVerifications: [],
        emailVerifications: [],
        databaseValidations: [],
      },
    });
  });

  it('reads a watchlist match as an AML hit and the report as IN_REVIEW', async () => {
    const session = await adapter.fetchSession('inq_NeedsReview');
    expect(session.aml).toEqual({
      status: 'IN_REVIEW',
      providerStatus: 'ready',
      totalHits: 1,
      score: null,
      hits: [
        {
          id: 'us-ofac-sdn',
          caption: 'Jane M. Sample',
          match: true,
          score: null,
          target: null,
          datasets: ['OFAC - Specially Designated Nationals'],
          topics: ['sanction'],
          names: ['Jane M. Sample'],
          aliases: [],
          notes: ['alias-type: primary_name'],
          positions: [],
          firstSeen: null,
          lastSeen: null,
          lastChange: null,
        },
      ],
    });
  });

  it('names the failed check of a failed inquiry as its reason and in kyc.issues', async () => {
    const session = await adapter.fetchSession('inq_Failed');
    expect({
      status: session.status,
      reasonCode: session.reasonCode,
      issues: session.kyc?.issues,
      kycStatus: session.kyc?.status,
    }).toEqual({
      status: 'DECLINED',
      reasonCode: 'id_expired_detection',
      issues: ['id_expired_detection'],
      kycStatus: 'DECLINED',
    });
  });

  it.each(
    contract.statusScenarios.map((s) => [
      s.value,
      s.id,
      personaModule.statusTables[0]?.rows.find((r) => r.value === s.value)?.status,
    ]),
  )('inquiry status %s (%s) → %s', async (value, id, unified) => {
    const session = await adapter.fetchSession(id as string);
    expect([session.status, session.providerStatus, session.isTerminal]).toEqual([
      unified,
      value,
      ['APPROVED', 'DECLINED', 'EXPIRED'].includes(unified as string),
    ]);
  });

  it('covers every row of the status table with a scenario', () => {
    expect(contract.statusScenarios.map((s) => s.value)).toEqual(
      personaModule.statusTables[0]?.rows.map((r) => r.value),
    );
  });

  it('maps a status word Persona adds later to UNKNOWN with the raw word, never an error', async () => {
    const session = await adapter.fetchSession(contract.unknownStatus.id);
    expect([session.status, session.providerStatus, session.isTerminal]).toEqual(['UNKNOWN', 'archived', false]);
  });

  it('answers nothing personal for a redacted inquiry, even what a verification still holds', async () => {
    const session = await adapter.fetchSession('inq_Redacted');
    expect(session.sensitiveDataExpired).toBe(true);
    expect(session.applicant).toBeNull();
    expect(session.kyc).toEqual(
      expect.objectContaining({
        documentType: 'dl',
        expirationDate: '2031-04-12',
        documentNumber: null,
        firstName: null,
        lastName: null,
        fullName: null,
        dateOfBirth: null,
        address: null,
        images: null,
      }),
    );
    expect(session.checks.documents[0]?.kyc).toEqual(session.kyc);
    expect(session.location?.ip?.address).toBeNull();
    expect(session.checks.ip[0]?.location?.ip?.address).toBeNull();
    expect(session.checks.faceMatches[0]?.sourceImage).toBeNull();
    expect(JSON.stringify(session)).not.toMatch(/JANE|SAMPLE|1991-04-12|D8123456|HARBOR|198\.51\.100\.23/);
  });

  it('keeps objects it does not map (or cannot read) in metadata.unmapped and fails nothing', async () => {
    const session = await adapter.fetchSession('inq_Unmapped');
    expect([session.status, session.kyc?.documentNumber, session.face]).toEqual(['APPROVED', 'D8123456', null]);
    expect(session.metadata?.unmapped).toEqual([
      { type: 'verification/database', id: 'ver_DbUnmapped', status: 'passed' },
      { type: 'report/crypto-address-watchlist', id: 'rep_CryptoUnmapped', status: 'ready' },
      { type: 'verification/selfie', id: 'ver_SelfOdd', status: 'passed' },
    ]);
  });

  it.each([
    ['inq_Missing', { code: 'NOT_FOUND' }],
    ['inq_NoSuchInquiry', { code: 'NOT_FOUND' }],
    ['inq_Error401', { code: 'UPSTREAM_AUTH_FAILED' }],
    ['inq_Error403', { code: 'UPSTREAM_AUTH_FAILED' }],
    ['inq_RateLimited', { code: 'UPSTREAM_RATE_LIMITED', retryAfterSeconds: 12 }],
    ['inq_Error500', { code: 'UPSTREAM_UNAVAILABLE' }],
    ['inq_Unavailable', { code: 'UPSTREAM_UNAVAILABLE' }],
    ['inq_Slow', { code: 'UPSTREAM_UNAVAILABLE' }],
    ['inq_Malformed', { code: 'UPSTREAM_BAD_RESPONSE' }],
    ['inq_InvalidShape', { code: 'UPSTREAM_BAD_RESPONSE' }],
  ])('%s → %j', async (id, expected) => {
    expect(await failure(adapter.fetchSession(id))).toEqual(expected);
  });

  it('answers UPSTREAM_AUTH_FAILED when its key is refused', async () => {
    const wrong = personaModule.createAdapter(
      { ...live, apiKey: 'persona_sandbox_wrong' },
      { sandbox: true, http: TEST_HTTP_OPTIONS },
    );
    expect(await failure(wrong.fetchSession('inq_Approved'))).toEqual({ code: 'UPSTREAM_AUTH_FAILED' });
    await wrong.close();
  });

  it('refuses malformed ids before any call', () => {
    for (const id of contract.malformedIds)
      expect([id, adapter.checkId(id)]).toEqual([id, expect.stringContaining('inq_')]);
    for (const id of ['inq_zEx4jL84ShbUyuwX6AzPSqt6', 'inq_ABC123']) expect(adapter.checkId(id)).toBeNull();
  });

  it('reads the same applicant under Persona-Version 2023-01-05, where the data is also at the top level', async () => {
    const legacy = new PersonaAdapter({ ...live, version: '2023-01-05' }, { sandbox: true, http: TEST_HTTP_OPTIONS });
    const current = await adapter.fetchSession('inq_Approved');
    expect(await legacy.fetchSession('inq_Approved')).toEqual(current);
    await legacy.close();
  });

  it('sends Key-Inflection: kebab (this simulated org answers camelCase without it) and asks for what it maps', async () => {
    const url = `${live.baseUrl}/inquiries/inq_Approved`;
    const headers = { authorization: `Bearer ${PERSONA_SANDBOX_API_KEY}` };
    const camel = (await (await request(url, { headers })).body.json()) as {
      data: { attributes: Record<string, unknown> };
    };
    expect(Object.keys(camel.data.attributes)).toContain('createdAt');
    const narrow = (await (
      await request(`${url}?include=sessions`, { headers: { ...headers, 'key-inflection': 'kebab' } })
    ).body.json()) as {
      included: Array<{ type: string }>;
    };
    expect(narrow.included.map((o) => o.type)).toEqual(['inquiry-session']);
    expect((await adapter.fetchSession('inq_Approved')).kyc?.documentType).toBe('dl');
  });

  it('answers errors in JSON:API form with rate-limit headers, and 400 to a Persona-Version it does not know', async () => {
    const res = await request(`${live.baseUrl}/inquiries/inq_Approved`, {
      headers: { authorization: `Bearer ${PERSONA_SANDBOX_API_KEY}`, 'persona-version': '2019-01-01' },
    });
    expect([res.statusCode, await res.body.json(), res.headers['ratelimit-limit']]).toEqual([
      400,
      { errors: [{ title: 'Bad Request', details: 'Persona-Version is not a valid API version' }] },
      '300',
    ]);
  });
});

describe('the Persona simulator’s perform-simulate-actions', () => {
  const secret = 'wbhsec_test_simulate_actions';
  const deliveries: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.end('{}');
    });
  });
  let simulator: RunningSimulator;
  let live: PersonaLive;
  let adapter: ProviderAdapter;
  const hook = personaWebhook({ secret, sandbox: true });
  const post = (id: string, body: unknown, key = PERSONA_SANDBOX_API_KEY) =>
    request(`${live.baseUrl}/inquiries/${id}/perform-simulate-actions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'key-inflection': 'kebab' },
      body: JSON.stringify(body),
    });
  const events = () =>
    deliveries.map((d) => {
      const verified = hook.verify(d.headers, d.body, Math.floor(Date.now() / 1000));
      return { verified: verified.ok, reading: hook.read(JSON.parse(d.body.toString('utf8')), 0) };
    });
  const waitFor = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 25));
    return condition();
  };

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    ({ live, simulator } = await personaModule.startSandbox({
      webhook: { secret, sandbox: true },
      timelineStepMs: 150,
    }));
    simulator.webhooks?.deliverTo(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/persona`);
    adapter = personaModule.createAdapter(live, { sandbox: true, http: TEST_HTTP_OPTIONS });
  });
  afterAll(async () => {
    await adapter.close();
    await simulator.close();
    receiver.close();
  });

  it('moves an inquiry through start, complete and approve, firing a signed inquiry.* event for each', async () => {
    deliveries.length = 0;
    expect((await adapter.fetchSession('inq_Created')).status).toBe('NOT_STARTED');
    const res = await post('inq_Created', {
      meta: {
        'simulate-actions': [{ type: 'start_inquiry' }, { type: 'complete_inquiry' }, { type: 'approve_inquiry' }],
      },
    });
    const body = (await res.body.json()) as { data: { attributes: Record<string, unknown> } };
    expect([res.statusCode, body.data.attributes.status]).toEqual([200, 'approved']);
    const after = await adapter.fetchSession('inq_Created');
    expect([after.status, after.providerStatus, after.journey?.stops.map((s) => s.type)]).toEqual([
      'APPROVED',
      'approved',
      ['inquiry.created', 'inquiry.started', 'inquiry.completed', 'inquiry.approved'],
    ]);
    expect(await waitFor(() => deliveries.length === 3)).toBe(true);
    expect(events()).toEqual(
      ['inquiry.started', 'inquiry.completed', 'inquiry.approved'].map((event) => ({
        verified: true,
        reading: { kind: 'session', event, sessionId: 'inq_Created' },
      })),
    );
  });

  it.each([
    ['fail_inquiry', 'DECLINED', 'failed'],
    ['expire_inquiry', 'EXPIRED', 'expired'],
    ['mark_for_review_inquiry', 'IN_REVIEW', 'needs_review'],
    ['decline_inquiry', 'DECLINED', 'declined'],
  ])('%s → %s', async (action, status, word) => {
    const id = 'inq_zEx4jL84ShbUyuwX6AzPSqt6';
    expect((await post(id, { meta: { 'simulate-actions': [{ type: action }] } })).statusCode).toBe(200);
    const session = await adapter.fetchSession(id);
    expect([session.status, session.providerStatus]).toEqual([status, word]);
  });

  it('creates a passed or failed verification', async () => {
    const res = await post('inq_Expired', {
      meta: {
        'simulate-actions': [
          { type: 'create_failed_verification', data: { 'verification-template-id': 'vtmpl_ABC123' } },
        ],
      },
    });
    expect(res.statusCode).toBe(200);
    expect((await adapter.fetchSession('inq_Expired')).kyc?.status).toBe('DECLINED');
  });

  it.each([
    [
      'an unknown action',
      'inq_Completed',
      { meta: { 'simulate-actions': [{ type: 'teleport_inquiry' }] } },
      PERSONA_SANDBOX_API_KEY,
      400,
      'Bad Request',
    ],
    ['no actions', 'inq_Completed', { meta: { 'simulate-actions': [] } }, PERSONA_SANDBOX_API_KEY, 400, 'Bad Request'],
    [
      'an unknown inquiry',
      'inq_Nobody',
      { meta: { 'simulate-actions': [{ type: 'start_inquiry' }] } },
      PERSONA_SANDBOX_API_KEY,
      404,
      'Record not found',
    ],
    [
      'a wrong key',
      'inq_Completed',
      { meta: { 'simulate-actions': [{ type: 'start_inquiry' }] } },
      'persona_sandbox_nope',
      401,
      'Must be authenticated to access this endpoint',
    ],
  ])('refuses %s in Persona’s errors form', async (_, id, body, key, status, title) => {
    const res = await post(id, body, key);
    const json = (await res.body.json()) as { errors: Array<{ title: string }> };
    expect([res.statusCode, json.errors[0]?.title]).toEqual([status, title]);
    if (id === 'inq_Completed') expect((await adapter.fetchSession(id)).providerStatus).toBe('completed');
  });

  it('runs a timed scenario, sending a signed event as each step begins', async () => {
    deliveries.length = 0;
    expect((await adapter.fetchSession('inq_Timeline')).status).toBe('NOT_STARTED');
    expect(await waitFor(() => deliveries.length === 3)).toBe(true);
    expect(events().map((e) => [e.verified, e.reading])).toEqual(
      ['inquiry.started', 'inquiry.completed', 'inquiry.approved'].map((event) => [
        true,
        { kind: 'session', event, sessionId: 'inq_Timeline' },
      ]),
    );
    expect((await adapter.fetchSession('inq_Timeline')).status).toBe('APPROVED');
  });
});

describe('Persona webhook verifier', () => {
  const config: PersonaWebhookConfig = { secret: 'wbhsec_golden_vector_secret', sandbox: false };
  const hook = personaWebhook(config);
  const T = 1_767_225_600;
  // Persona's documented inquiry.approved body, signed as its sample code does (HMAC-SHA256 hex of "<t>.<body>").
  const { body, headers } = contract.signedWebhook(config, 'inq_kT4xVnR2bPmYwL9sTgD3cExZ', T);
  const raw = Buffer.from(body);
  const golden = createHmac('sha256', config.secret).update(`${T}.${body}`).digest('hex');

  it('verifies the delivery and reads its inquiry', () => {
    expect(headers['persona-signature']).toBe(`t=${T},v1=${golden}`);
    const verified = hook.verify(headers, raw, T + 10);
    expect(verified).toEqual({
      ok: true,
      deliveryId: expect.stringMatching(new RegExp(`^t=${T};sha256=[0-9a-f]{64}$`)),
      scheme: 'v1',
    });
    expect(hook.read(JSON.parse(body), T)).toEqual({
      kind: 'session',
      event: 'inquiry.approved',
      sessionId: 'inq_kT4xVnR2bPmYwL9sTgD3cExZ',
    });
  });

  it('refuses one changed byte, another secret, a stale timestamp and a missing header', () => {
    const changed = Buffer.from(body.replace('inquiry.approved', 'inquiry.declined'));
    expect(hook.verify(headers, changed, T)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(personaWebhook({ secret: 'wbhsec_other', sandbox: false }).verify(headers, raw, T)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(hook.verify(headers, raw, T + 301)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(hook.verify({}, raw, T)).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('accepts either of the two space-separated sets sent while a secret rotates', () => {
    const old = createHmac('sha256', 'wbhsec_previous').update(`${T}.${body}`).digest('hex');
    expect(hook.verify({ 'persona-signature': `t=${T},v1=${old} t=${T},v1=${golden}` }, raw, T).ok).toBe(true);
    expect(hook.verify({ 'persona-signature': `t=${T},v1=${golden} t=${T},v1=${old}` }, raw, T).ok).toBe(true);
  });

  it('gives a replay with its hex re-cased the same delivery id', () => {
    const again = hook.verify({ 'persona-signature': `t=${T},v1=${golden.toUpperCase()}` }, raw, T);
    expect(again).toEqual(hook.verify(headers, raw, T));
  });

  const event = (name: string, data: unknown) => ({
    data: {
      type: 'event',
      id: 'evt_1',
      attributes: { name, payload: { data }, 'created-at': '2026-03-02T09:30:00.000Z' },
    },
  });
  it.each([
    [
      'inquiry.marked-for-review',
      { type: 'inquiry', id: 'inq_ABC123' },
      { kind: 'session', event: 'inquiry.marked-for-review', sessionId: 'inq_ABC123' },
    ],
    [
      'inquiry.some-future-event',
      { type: 'inquiry', id: 'inq_ABC123' },
      { kind: 'session', event: 'inquiry.some-future-event', sessionId: 'inq_ABC123' },
    ],
    [
      'verification.passed',
      { type: 'verification/government-id', id: 'ver_ABC123' },
      { kind: 'ignored', event: 'verification.passed' },
    ],
    [
      'report/watchlist.matched',
      { type: 'report/watchlist', id: 'rep_ABC123' },
      { kind: 'ignored', event: 'report/watchlist.matched' },
    ],
    [
      'inquiry-session.started',
      { type: 'inquiry-session', id: 'iqse_ABC123' },
      { kind: 'ignored', event: 'inquiry-session.started' },
    ],
    ['inquiry.approved', { type: 'inquiry' }, { kind: 'invalid', reason: 'invalid_payload' }],
    ['inquiry.approved', { type: 'account', id: 'inq_ABC123' }, { kind: 'invalid', reason: 'invalid_payload' }],
    ['inquiry.approved', { type: 'inquiry', id: 'ver_ABC123' }, { kind: 'invalid', reason: 'invalid_payload' }],
    ['not an event name', { type: 'inquiry', id: 'inq_ABC123' }, { kind: 'invalid', reason: 'unknown_event' }],
  ])('reads %s (%j)', (name, data, reading) => {
    expect(hook.read(event(name, data), T)).toEqual(reading);
  });

  it('refuses a body that is not an event', () => {
    expect(hook.read({ event: 'inquiry.approved' }, T)).toEqual({ kind: 'invalid', reason: 'invalid_payload' });
  });
});

describe('Persona configuration section', () => {
  const section = personaModule.config;
  const parse = (env: Record<string, string>) => z.object(section.env).safeParse(env);
  const run = (env: Record<string, string>, production = false) => {
    const problems: string[] = [];
    const values = parse(env);
    if (!values.success) return { invalid: values.error.issues.map((i) => i.path.join('.')) };
    const mode = section.mode(values.data, { production }, problems);
    const webhook = section.webhook?.(values.data, mode, problems) ?? null;
    return { mode, webhook, problems };
  };

  it('is live with the default base URL and version when only the key is set', () => {
    expect(run({ PERSONA_API_KEY: 'persona_production_abc', PERSONA_WEBHOOK_SECRET: 'wbhsec_x' })).toEqual({
      mode: {
        mode: 'live',
        live: {
          baseUrl: 'https://api.withpersona.com/api/v1',
          apiKey: 'persona_production_abc',
          version: '2025-12-08',
        },
      },
      webhook: { secret: 'wbhsec_x', sandbox: false },
      problems: [],
    });
  });

  it('pins the version and base URL it is given', () => {
    expect(
      run({ PERSONA_API_KEY: 'k', PERSONA_BASE_URL: 'http://127.0.0.1:9/api/v1', PERSONA_API_VERSION: '2023-01-05' })
        .mode,
    ).toEqual({
      mode: 'live',
      live: { baseUrl: 'http://127.0.0.1:9/api/v1', apiKey: 'k', version: '2023-01-05' },
    });
  });

  it('refuses a version it cannot read and a base URL that is not one', () => {
    expect(run({ PERSONA_API_KEY: 'k', PERSONA_API_VERSION: '2024-01-01' })).toEqual({
      invalid: ['PERSONA_API_VERSION'],
    });
    expect(run({ PERSONA_API_KEY: 'k', PERSONA_BASE_URL: 'api.withpersona.com' })).toEqual({
      invalid: ['PERSONA_BASE_URL'],
    });
  });

  it('runs on the simulator outside production with a generated webhook secret, and is off in production', () => {
    expect(run({})).toEqual({
      mode: { mode: 'sandbox' },
      webhook: { secret: expect.stringMatching(/^wbhsec_/), sandbox: true },
      problems: [],
    });
    expect(run({}, true)).toEqual({ mode: { mode: 'off' }, webhook: null, problems: [] });
  });

  it('reports a half-configured provider', () => {
    expect(run({ PERSONA_BASE_URL: 'https://api.withpersona.com/api/v1' })).toEqual({
      mode: { mode: 'off' },
      webhook: null,
      problems: ['PERSONA_API_KEY: required when PERSONA_BASE_URL is set'],
    });
    expect(run({ PERSONA_WEBHOOK_SECRET: 'wbhsec_x' }, true)).toEqual({
      mode: { mode: 'off' },
      webhook: null,
      problems: ['PERSONA_WEBHOOK_SECRET: set, but PERSONA is not configured (webhooks refresh its sessions)'],
    });
  });

  it('documents the rate limit Persona states', () => {
    expect(section.documentedRatePerMinute).toBe(300);
  });
});

describe('the 2023-01-05 inquiry shape', () => {
  // Persona's documented 2023-01-05 example, its `fields` emptied as a template without the standard fields has them.
  const document = structuredClone(PERSONA_INQUIRY_RETRIEVE_2023_01_05) as {
    data: { attributes: Record<string, unknown> };
  };
  document.data.attributes.fields = {};

  it('falls back to the personal data 2023-01-05 copies to the top of the attributes', () => {
    const session = normalizePersonaInquiry(personaInquiryDocument20230105.parse(document), false);
    expect(session.applicant).toEqual({
      firstName: 'Jane',
      lastName: 'Doe',
      fullName: 'Jane Marie Doe',
      dateOfBirth: '1995-09-08',
      email: 'jane@doe.com',
      phone: null,
      nationality: null,
      gender: null,
      address: {
        line1: '123 Main St',
        line2: null,
        city: 'San Francisco',
        state: 'California',
        postalCode: '94111',
        country: null,
        formatted: null,
      },
    });
  });

  it('reads no top-level copy under the later versions, which have none', () => {
    expect(normalizePersonaInquiry(personaInquiryDocument.parse(document), false).applicant).toBeNull();
  });
});

describe('included objects Persona may send that Verigate cannot place', () => {
  it('skips what is not an object and names what has no id, failing nothing', () => {
    const doc = personaInquiryDocument.parse({
      data: { type: 'inquiry', id: 'inq_ABC123', attributes: { status: 'approved', fields: {} }, relationships: {} },
      included: [
        42,
        null,
        { type: 'verification/government-id' },
        { type: 'document/mdoc', id: 'doc_ABC123', attributes: { status: 'processed' } },
      ],
    });
    const session = normalizePersonaInquiry(doc, false);
    expect([session.status, session.kyc, session.metadata?.unmapped]).toEqual([
      'APPROVED',
      null,
      [
        { type: 'verification/government-id', id: null, status: null },
        { type: 'document/mdoc', id: 'doc_ABC123', status: 'processed' },
      ],
    ]);
  });
});
