import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../src/graphql/ids.ts';
import { PROVIDERS, type Provider } from '../src/model/session.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

const VX = '19fe3b9e-384e-41d1-bded-8de9ef3abacb';
const VX_DOC = '4ed2ec66-9471-415d-99ce-7bd1742fc2b8';
const DIDIT = '11111111-2222-3333-4444-555555555555';
const VERIFA = 'ses_abc123';

describe('all three providers in one operation', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    for (const p of ['VERATAD', 'DIDIT', 'VERIFA'] as Provider[]) gw.simulator(p).resetCount();
  });

  const calls = () => ({
    VERATAD: gw.simulator('VERATAD').requestCount('/api/session/result/'),
    DIDIT: gw.simulator('DIDIT').requestCount('/decision/'),
    VERIFA: gw.simulator('VERIFA').requestCount('/api/v1/sessions/'),
  });

  it('answers the three documented examples: VX APPROVED, Didit DECLINED with its AML hit, Verifa IN_REVIEW', async () => {
    const { body } = await gw.query(`{
      vx: session(provider: VERATAD, id: "${VX}") { provider status providerStatus isTerminal }
      didit: session(provider: DIDIT, id: "${DIDIT}") { provider status providerStatus isTerminal aml { totalHits } face { faceMatchScore } }
      verifa: session(provider: VERIFA, id: "${VERIFA}") { provider status providerStatus isTerminal }
    }`);
    expect(body).toEqual({
      data: {
        vx: { provider: 'VERATAD', status: 'APPROVED', providerStatus: 'PASS', isTerminal: true },
        didit: {
          provider: 'DIDIT',
          status: 'DECLINED',
          providerStatus: 'Declined',
          isTerminal: true,
          aml: { totalHits: 1 },
          face: { faceMatchScore: 0.9799 },
        },
        verifa: { provider: 'VERIFA', status: 'IN_REVIEW', providerStatus: 'needs_review', isTerminal: false },
      },
    });
  });

  it('keeps the order of sessions(refs) across providers, nulls only the failures, each with its own path', async () => {
    const { body } = await gw.query(
      `query S($refs: [SessionRefInput!]!) { sessions(refs: $refs) { provider providerSessionId status } }`,
      {
        refs: [
          { provider: 'DIDIT', id: DIDIT },
          { provider: 'VERIFA', id: 'ses_missing' },
          { provider: 'VERATAD', id: VX },
          { provider: 'DIDIT', id: 'not-a-uuid' },
          { provider: 'VERIFA', id: VERIFA },
          { provider: 'VERATAD', id: VX_DOC },
        ],
      },
    );
    expect(body.data).toEqual({
      sessions: [
        { provider: 'DIDIT', providerSessionId: DIDIT, status: 'DECLINED' },
        null,
        { provider: 'VERATAD', providerSessionId: VX, status: 'APPROVED' },
        null,
        { provider: 'VERIFA', providerSessionId: VERIFA, status: 'IN_REVIEW' },
        { provider: 'VERATAD', providerSessionId: VX_DOC, status: 'APPROVED' },
      ],
    });
    const errors = (body.errors ?? []).map((e) => ({ path: e.path, extensions: e.extensions }));
    expect(errors).toHaveLength(2);
    expect(errors).toContainEqual({ path: ['sessions', 1], extensions: { code: 'NOT_FOUND', provider: 'VERIFA' } });
    expect(errors).toContainEqual({ path: ['sessions', 3], extensions: { code: 'BAD_USER_INPUT', provider: 'DIDIT' } });
  });

  it('costs one upstream call per distinct session, whatever the aliases, duplicates and node() lookups', async () => {
    const ids = {
      vx: toGlobalId({ provider: 'VERATAD', id: VX }),
      didit: toGlobalId({ provider: 'DIDIT', id: DIDIT }),
      verifa: toGlobalId({ provider: 'VERIFA', id: 'ses_approved' }),
    };
    const { body } = await gw.query(
      `query Q($vx: ID!, $didit: ID!, $verifa: ID!) {
        a: session(provider: VERATAD, id: "${VX}") { status }
        b: session(provider: VERATAD, id: "${VX}") { providerStatus }
        c: session(provider: DIDIT, id: "${DIDIT}") { status }
        d: session(provider: VERIFA, id: "ses_approved") { status }
        list: sessions(refs: [
          { provider: DIDIT, id: "${DIDIT}" }, { provider: VERATAD, id: "${VX}" },
          { provider: VERIFA, id: "ses_approved" }, { provider: DIDIT, id: "${DIDIT}" }
        ]) { status }
        n1: node(id: $vx) { id } n2: node(id: $didit) { id } n3: node(id: $verifa) { id }
      }`,
      ids,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?.list).toEqual([
      { status: 'DECLINED' },
      { status: 'APPROVED' },
      { status: 'APPROVED' },
      { status: 'DECLINED' },
    ]);
    expect(calls()).toEqual({ VERATAD: 1, DIDIT: 1, VERIFA: 1 });
  });

  it('loses nothing else when one provider fails: Didit down, VX and Verifa intact', async () => {
    const didit = gw.simulator('DIDIT');
    didit.faults.inject({ kind: 'status', status: 503 });
    try {
      const { body } = await gw.query(`{
        vx: session(provider: VERATAD, id: "${VX}") { status }
        didit: session(provider: DIDIT, id: "${DIDIT}") { status }
        verifa: session(provider: VERIFA, id: "${VERIFA}") { status }
      }`);
      expect(body.data).toEqual({ vx: { status: 'APPROVED' }, didit: null, verifa: { status: 'IN_REVIEW' } });
      expect(body.errors?.map((e) => [e.path, e.extensions?.code, e.extensions?.provider])).toEqual([
        [['didit'], 'UPSTREAM_UNAVAILABLE', 'DIDIT'],
      ]);
    } finally {
      didit.faults.clear();
    }
  });

  it('reports every provider as sandboxed, configured and healthy', async () => {
    const { body } = await gw.query('{ providers { provider configured sandbox healthy circuit } }');
    expect(body).toEqual({
      data: {
        providers: PROVIDERS.map((provider) => ({
          provider,
          configured: true,
          sandbox: true,
          healthy: true,
          circuit: 'CLOSED',
        })),
      },
    });
  });
});
