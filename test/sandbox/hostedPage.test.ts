import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostedAction, serveHostedPage } from '../../src/sandbox/hostedPage.ts';
import { type Simulator, sendJson, startSimulator } from '../../src/sandbox/server.ts';

const states = new Map<string, string>([['vs_started1', 'requires_input']]);
const moves: [string, HostedAction][] = [];
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator(async (req, res, url) => {
    const handled = await serveHostedPage(req, res, url, {
      label: 'Example',
      prefix: '/hosted',
      declineReasons: [{ code: 'document_expired', label: 'Document expired' }],
      state: (id) => states.get(id) ?? null,
      move: (id, action) => {
        moves.push([id, action]);
        states.set(id, action.outcome === 'approve' ? 'verified' : action.outcome);
      },
    });
    if (!handled) sendJson(res, 404, { error: 'not_found' });
  });
});
afterAll(() => sim.close());

const post = (path: string, form: string) =>
  request(`${sim.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });

describe('the sandbox hosted page', () => {
  it('shows the session and its four choices, not cached and under a strict CSP', async () => {
    const res = await request(`${sim.url}/hosted/vs_started1`);
    const html = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(html).toContain('<strong data-state>requires_input</strong>');
    expect(html.match(/name="outcome" value="(\w+)"/g)).toEqual([
      'name="outcome" value="approve"',
      'name="outcome" value="decline"',
      'name="outcome" value="resubmit"',
      'name="outcome" value="abandon"',
    ]);
  });

  it('moves the session on a choice and redirects back to the page', async () => {
    const res = await post('/hosted/vs_started1', 'outcome=decline&reason=document_expired');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/hosted/vs_started1');
    expect(moves.at(-1)).toEqual(['vs_started1', { outcome: 'decline', reason: 'document_expired' }]);
    const html = await (await request(`${sim.url}/hosted/vs_started1`)).body.text();
    expect(html).toContain('<strong data-state>decline</strong>');
  });

  it('refuses a reason the page did not offer, an unknown outcome and an unknown id', async () => {
    const before = moves.length;
    expect((await post('/hosted/vs_started1', 'outcome=decline&reason=made_up')).statusCode).toBe(400);
    expect((await post('/hosted/vs_started1', 'outcome=explode')).statusCode).toBe(400);
    expect((await request(`${sim.url}/hosted/vs_nobody`)).statusCode).toBe(404);
    expect((await request(`${sim.url}/hosted/%3Cscript%3E`)).statusCode).toBe(404);
    expect(moves.length).toBe(before);
  });
});
