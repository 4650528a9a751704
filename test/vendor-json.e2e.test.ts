import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JSONScalar } from '../src/graphql/jsonScalar.ts';
import { fakeV3 } from '../src/providers/didit/sandbox/fakes.ts';
import { VERATAD_SCENARIOS, VX_PHONE_CHECK_ID } from '../src/providers/veratad/sandbox/scenarios.ts';
import { VERIFA_SCENARIOS } from '../src/providers/verifa/sandbox/scenarios.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

/**
 * Pass-through JSON from vendors (Didit `metadata` and warnings' `additional_data`, Verifa `metadata`, VX
 * `additionalData`) is bounded when the payload is parsed: a value deeper than 32 levels, with more than 10 000
 * nodes or larger than 64 KiB is dropped (read as null) and the session is still answered. Before, a 10 000-deep
 * `metadata` made every answer containing it HTTP 500, and that copy was served from the cache for its whole TTL.
 */

const DIDIT_ID = 'd1d10600-0000-4000-8000-000000000001';
const GOOD_DIDIT_ID = 'd1d10200-0000-4000-8000-000000000003'; // catalogue: Approved
const VERIFA_ID = 'ses_vendor_json';
const VX_ID = '0e1a7ad0-0000-4000-8000-000000000601';
const RAW = '"__raw_json__"';

/** `n` objects nested in one another: `{"a":{"a":{}}}` is 3 deep. */
const deepObject = (n: number) => `${'{"a":'.repeat(n - 1)}{}${'}'.repeat(n - 1)}`;
/** An array of `n` numbers: n + 1 nodes. */
const longArray = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(',')}]`;

/** `payload` as JSON text with the value at `RAW` replaced by `raw` (JSON.stringify cannot write 10 000 levels). */
const withRaw = (payload: Record<string, unknown>, raw: string) => JSON.stringify(payload).replace(RAW, raw);

const diditDecision = (metadata: string, warningData = 'null') =>
  withRaw(
    {
      ...fakeV3({
        id: DIDIT_ID,
        status: 'Approved',
        kyc: 'Approved',
        warnings: [{ feature: 'ID_VERIFICATION', risk: 'QR_NOT_DETECTED', logType: 'information' }],
      }),
      metadata: '__raw_json__',
    },
    metadata,
  ).replace('"additional_data":null', `"additional_data":${warningData}`);

const DIDIT_QUERY = `query ($id: String!) {
  session(provider: DIDIT, id: $id) { status reference metadata warnings { risk additionalData } }
}`;

/** The Didit answer when `metadata` (and the warning's data) is as given. */
const diditAnswer = (metadata: unknown, additionalData: unknown = null) => ({
  data: {
    session: {
      status: 'APPROVED',
      reference: 'user-0001',
      metadata: metadata === undefined ? { vendor_data: 'user-0001' } : { vendor_data: 'user-0001', metadata },
      warnings: [{ risk: 'QR_NOT_DETECTED', additionalData }],
    },
  },
});

describe('pass-through vendor JSON is bounded at parse time', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());
  afterEach(() => {
    for (const provider of ['DIDIT', 'VERIFA', 'VERATAD'] as const) {
      gw.simulator(provider).faults.clear();
      gw.simulator(provider).resetCount();
    }
  });

  const serveDidit = (body: string) =>
    gw.simulator('DIDIT').faults.inject({ kind: 'payload', body: () => body }, { path: DIDIT_ID });

  it('drops a Didit metadata nested 10 000 deep and answers the session', async () => {
    serveDidit(diditDecision(deepObject(10_000)));
    const { status, body } = await gw.query(DIDIT_QUERY, { id: DIDIT_ID });
    expect(status).toBe(200);
    expect(body).toEqual(diditAnswer(undefined));
  });

  it('keeps sessions([good, deep]) whole: both answered, no error', async () => {
    serveDidit(diditDecision(deepObject(10_000)));
    const { status, body } = await gw.query(
      `query ($refs: [SessionRefInput!]!) { sessions(refs: $refs) { providerSessionId status metadata } }`,
      {
        refs: [
          { provider: 'DIDIT', id: GOOD_DIDIT_ID },
          { provider: 'DIDIT', id: DIDIT_ID },
        ],
      },
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        sessions: [
          { providerSessionId: GOOD_DIDIT_ID, status: 'APPROVED', metadata: { vendor_data: 'user-0003' } },
          { providerSessionId: DIDIT_ID, status: 'APPROVED', metadata: { vendor_data: 'user-0001' } },
        ],
      },
    });
  });

  it.each([
    ['32 deep (the limit)', deepObject(32), JSON.parse(deepObject(32))],
    ['33 deep', deepObject(33), undefined],
    ['10 000 nodes (the limit)', longArray(9_999), JSON.parse(longArray(9_999))],
    ['10 001 nodes', longArray(10_000), undefined],
    ['a 60 KiB string', JSON.stringify('x'.repeat(60 * 1024)), 'x'.repeat(60 * 1024)],
    ['a 65 KiB string (over 64 KiB)', JSON.stringify('x'.repeat(65 * 1024)), undefined],
    [
      '11 000 keys',
      JSON.stringify(Object.fromEntries(Array.from({ length: 11_000 }, (_, i) => [`k${i}`, 1]))),
      undefined,
    ],
  ])('Didit metadata %s', async (_name, raw, expected) => {
    serveDidit(diditDecision(raw));
    const { status, body } = await gw.query(DIDIT_QUERY, { id: DIDIT_ID });
    expect(status).toBe(200);
    expect(body).toEqual(diditAnswer(expected));
  });

  it("drops a Didit warning's additional_data nested 10 000 deep, keeping the warning", async () => {
    serveDidit(diditDecision('{"plan":"gold"}', deepObject(10_000)));
    const { status, body } = await gw.query(DIDIT_QUERY, { id: DIDIT_ID });
    expect(status).toBe(200);
    expect(body).toEqual(diditAnswer({ plan: 'gold' }, null));
  });

  it('drops a Verifa metadata nested 10 000 deep', async () => {
    const scenario = VERIFA_SCENARIOS.find((s) => s.id === 'ses_approved')?.behaviour;
    if (scenario?.kind !== 'session' || !scenario.result) throw new Error('ses_approved changed shape');
    const result = JSON.stringify({ ...scenario.result, session_id: VERIFA_ID });
    const session = withRaw(
      { ...scenario.session, id: VERIFA_ID, metadata: { deep: '__raw_json__' } },
      deepObject(10_000),
    );
    gw.simulator('VERIFA').faults.inject(
      { kind: 'payload', body: (path) => (path.endsWith('/result') ? result : session) },
      { path: VERIFA_ID },
    );
    const { status, body } = await gw.query(
      `{ session(provider: VERIFA, id: "${VERIFA_ID}") { status reference metadata } }`,
    );
    expect(status).toBe(200);
    expect(body).toEqual({
      data: {
        session: {
          status: 'APPROVED',
          reference: 'crm-ses_approved',
          metadata: { external_ref: 'crm-ses_approved', metadata: null },
        },
      },
    });
  });

  it('drops a VX additionalData nested 10 000 deep', async () => {
    const scenario = VERATAD_SCENARIOS.find((s) => s.id === VX_PHONE_CHECK_ID)?.behaviour;
    if (scenario?.kind !== 'result') throw new Error('the phone-check example changed shape');
    const result = withRaw({ ...scenario.body, request_id: VX_ID, additionalData: '__raw_json__' }, deepObject(10_000));
    gw.simulator('VERATAD').faults.inject({ kind: 'payload', body: () => result }, { path: VX_ID });
    const { status, body } = await gw.query(`{ session(provider: VERATAD, id: "${VX_ID}") { status metadata } }`);
    expect(status).toBe(200);
    expect(body).toEqual({ data: { session: { status: 'APPROVED', metadata: null } } });
  });
});

describe('with the session cache on', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ CACHE_TERMINAL_TTL_SECONDS: '300' });
  });
  afterAll(() => gw.close());

  it('caches the bounded session, never the deep copy: one vendor call, the same good answer twice', async () => {
    gw.simulator('DIDIT').faults.inject(
      { kind: 'payload', body: () => diditDecision(deepObject(10_000)) },
      { path: DIDIT_ID },
    );
    const first = await gw.query(DIDIT_QUERY, { id: DIDIT_ID });
    const second = await gw.query(DIDIT_QUERY, { id: DIDIT_ID });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body).toEqual(diditAnswer(undefined));
    expect(second.body).toEqual(diditAnswer(undefined));
    expect(gw.simulator('DIDIT').requestCount(DIDIT_ID)).toBe(1);
  });
});

describe('the JSON scalar', () => {
  it('fails its own field with a coded error, never a RangeError, for a value too deep to send', () => {
    const deep = JSON.parse(deepObject(10_000));
    expect(() => JSONScalar.serialize(deep)).toThrow(
      expect.objectContaining({
        message: 'This JSON value is too deep or too large to send.',
        extensions: { code: 'UPSTREAM_BAD_RESPONSE' },
      }),
    );
    expect(JSONScalar.serialize(JSON.parse(deepObject(33)))).toEqual(JSON.parse(deepObject(33)));
  });
});
