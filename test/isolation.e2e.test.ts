import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_OPTIONS } from '../src/upstream/http.ts';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

/** What a healthy Verifa session looks like, and the circuit beside it. */
const HEALTHY = `{
  intact: session(provider: VERIFA, id: "ses_abc123") { status providerStatus face { faceMatchScore } }
  providers { provider healthy circuit }
}`;

const HEALTHY_ANSWER = {
  data: {
    intact: { status: 'IN_REVIEW', providerStatus: 'needs_review', face: { faceMatchScore: 0.91 } },
    providers: expect.arrayContaining([{ provider: 'VERIFA', healthy: true, circuit: 'CLOSED' }]),
  },
};

const badResponse = (message: string, path: string) => ({
  message: `Verifa sent a response Verigate cannot read: ${message}.`,
  locations: expect.any(Array),
  path: [path],
  extensions: { code: 'UPSTREAM_BAD_RESPONSE', provider: 'VERIFA' },
});

describe("one session's bad response is that session's error, not evidence that Verifa is down", () => {
  let gw: TestGateway;
  // A gateway per case with the default breaker (10 calls in its window, half of them failing, open it), so a
  // circuit one case opened cannot fail the next.
  beforeEach(async () => {
    gw = await startTestGateway();
  });
  afterEach(() => gw.close());

  it("an oversized body 12 times over is that session's error each time, and the circuit stays closed", async () => {
    const sim = gw.simulator('VERIFA');
    sim.faults.inject({ kind: 'oversize', bytes: 3 * 1024 * 1024 }, { path: 'ses_approved' });
    for (let i = 0; i < 12; i += 1) {
      const { body } = await gw.query('{ big: session(provider: VERIFA, id: "ses_approved") { status } }');
      expect(body).toEqual({
        data: { big: null },
        errors: [badResponse('the response body is too large', 'big')],
      });
    }
    // Each was one call: nothing retried a body that would come back the same.
    expect(sim.requestCount('ses_approved')).toBe(12);
    const { body } = await gw.query(HEALTHY);
    expect(body).toEqual(HEALTHY_ANSWER);
  });

  it('bodies that are not JSON or not of the documented shape, 12 times over, leave the circuit closed', async () => {
    const sim = gw.simulator('VERIFA');
    for (let i = 0; i < 12; i += 1) {
      const { body } = await gw.query(`{
        malformed: session(provider: VERIFA, id: "ses_malformed") { status }
        shape: session(provider: VERIFA, id: "ses_invalid_shape") { status }
      }`);
      expect(body).toEqual({
        data: { malformed: null, shape: null },
        errors: [
          badResponse('the result payload body is not JSON', 'malformed'),
          badResponse("the result payload does not match Verifa's documented shape", 'shape'),
        ],
      });
    }
    expect(sim.requestCount('ses_malformed')).toBe(12);
    expect(sim.requestCount('ses_invalid_shape')).toBe(12);
    const { body } = await gw.query(HEALTHY);
    expect(body).toEqual(HEALTHY_ANSWER);
  });

  it('a 200 labelled text/html is refused for that session only, once, and never opens the circuit', async () => {
    const sim = gw.simulator('VERIFA');
    sim.faults.inject({ kind: 'content_type', contentType: 'text/html; charset=utf-8' }, { path: 'ses_approved' });
    for (let i = 0; i < 12; i += 1) {
      const { body } = await gw.query('{ html: session(provider: VERIFA, id: "ses_approved") { status } }');
      expect(body).toEqual({
        data: { html: null },
        errors: [badResponse('the result payload is not labelled as JSON', 'html')],
      });
    }
    expect(sim.requestCount('ses_approved')).toBe(12);
    const { body } = await gw.query(HEALTHY);
    expect(body).toEqual(HEALTHY_ANSWER);
  });

  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON;charset=UTF-8',
    'application/vnd.verifa.v1+json',
    'application/problem+json; charset=utf-8',
  ])('accepts a 200 labelled %s', async (contentType) => {
    gw.simulator('VERIFA').faults.inject({ kind: 'content_type', contentType }, { path: 'ses_approved' });
    const { body } = await gw.query('{ session(provider: VERIFA, id: "ses_approved") { status } }');
    expect(body).toEqual({ data: { session: { status: 'APPROVED' } } });
  });
});

describe('bodies trickling in cannot starve the pool', () => {
  // The finding as it was reported: default pool (32 connections), deadline (8 s) and body-silence timeout (5 s),
  // 40 sessions whose bodies come a byte at a time, often enough that the silence timeout never fires.
  const TRICKLING = 40;
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({}, { http: DEFAULT_HTTP_OPTIONS });
  });
  afterAll(() => gw.close());

  it('with many trickling sessions in flight, a healthy session on the same provider is answered', async () => {
    const sim = gw.simulator('VERIFA');
    sim.faults.inject({ kind: 'trickle', everyMs: 250 }, { path: 'ses_trickle_' });
    // Distinct ids, as an attacker would use, so in-flight dedup cannot merge them; the healthy session comes last,
    // so its call waits behind every trickling one with the same deadline.
    const refs = [
      ...Array.from({ length: TRICKLING }, (_, i) => ({ provider: 'VERIFA', id: `ses_trickle_${i}` })),
      { provider: 'VERIFA', id: 'ses_approved' },
    ];
    const list = gw.query('query ($refs: [SessionRefInput!]!) { sessions(refs: $refs) { status } }', { refs });
    while (sim.requestCount('ses_trickle_') < DEFAULT_HTTP_OPTIONS.connections) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // Another client, meanwhile, on its own.
    const { body } = await gw.query(HEALTHY);
    expect(body).toEqual(HEALTHY_ANSWER);

    const slow = (i: number) => ({
      message: 'Verifa is unavailable: the response body arrived too slowly.',
      locations: expect.any(Array),
      path: ['sessions', i],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', provider: 'VERIFA' },
    });
    const { body: listed } = await list;
    expect(listed).toEqual({
      data: { sessions: [...Array.from({ length: TRICKLING }, () => null), { status: 'APPROVED' }] },
      errors: expect.arrayContaining(Array.from({ length: TRICKLING }, (_, i) => slow(i))),
    });
    expect(listed.errors).toHaveLength(TRICKLING);
    // Each trickled body was one call (never retried), and none of them counted against Verifa.
    expect(sim.requestCount('ses_trickle_')).toBe(TRICKLING);
    const after = await gw.query(HEALTHY);
    expect(after.body).toEqual(HEALTHY_ANSWER);
  });
});
