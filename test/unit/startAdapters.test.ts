import { describe, expect, it } from 'vitest';
import { diditCreateBody, diditStarted } from '../../src/providers/didit/start.ts';
import type { StartSessionRequest } from '../../src/providers/start.ts';
import { verifaCreateBody, verifaStarted } from '../../src/providers/verifa/start.ts';
import type { GatewayError } from '../../src/upstream/errors.ts';
import type { UpstreamResponse } from '../../src/upstream/http.ts';

/**
 * The create calls' bodies and answers, against the vendors' documented shapes (providers.md: Didit "Create session"
 * `POST /v3/session/`, Verifa `POST /api/v1/sessions` and its session object).
 */

const json = (status: number, body: unknown): UpstreamResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from(JSON.stringify(body)),
});

const request: StartSessionRequest = {
  flow: 'wf-1',
  subjectRef: 'user-1',
  country: 'DE',
  prefill: { givenName: 'Ana', familyName: 'Lopez', dateOfBirth: '1990-01-02', email: 'ana@example.com', phone: null },
  returnUrl: 'https://app.example.com/done',
  locale: 'pt-BR',
  idempotencyKey: 'vg_x',
  resumeFrom: null,
  checkpoint: async () => {},
};

describe('Didit v3 create', () => {
  it('sends workflow_id, vendor_data, callback, language and the prefill where Didit takes it', () => {
    expect(JSON.parse(diditCreateBody(request))).toEqual({
      workflow_id: 'wf-1',
      vendor_data: 'user-1',
      callback: 'https://app.example.com/done',
      language: 'pt',
      contact_details: { email: 'ana@example.com' },
      expected_details: { first_name: 'Ana', last_name: 'Lopez', date_of_birth: '1990-01-02' },
    });
  });

  it('reads the documented answer: session_id, url, session_token', () => {
    const documented = {
      session_id: '11111111-2222-3333-4444-555555555555',
      session_number: 1234,
      session_token: 'tok_abc',
      url: 'https://verify.didit.me/session/tok_abc',
      status: 'Not Started',
      workflow_id: 'wf-1',
    };
    expect(diditStarted(json(201, documented))).toEqual({
      providerSessionId: documented.session_id,
      hostedUrl: documented.url,
      clientToken: 'tok_abc',
      expiresAt: null,
      providerStatus: 'Not Started',
    });
  });

  it('a 400 naming workflow_id is BAD_USER_INPUT naming flow, without Didit’s text', () => {
    const error = (() => {
      try {
        return diditStarted(json(400, { workflow_id: ['Workflow ana@example.com not found.'] }));
      } catch (e) {
        return e as GatewayError;
      }
    })() as GatewayError;
    expect([error.code, error.extensions.field, error.message]).toEqual([
      'BAD_USER_INPUT',
      'flow',
      'Didit refused input.flow; check it against your Didit account.',
    ]);
  });

  it('403 is UPSTREAM_AUTH_FAILED, 503 UPSTREAM_UNAVAILABLE', () => {
    expect(() => diditStarted(json(403, { detail: 'no' }))).toThrow(
      expect.objectContaining({ code: 'UPSTREAM_AUTH_FAILED' }),
    );
    expect(() => diditStarted(json(503, { detail: 'no' }))).toThrow(
      expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE' }),
    );
  });
});

describe('Verifa create', () => {
  it('sends external_ref, workflow_id, country and redirect_url (snake_case, as Verifa requires)', () => {
    expect(JSON.parse(verifaCreateBody(request))).toEqual({
      external_ref: 'user-1',
      workflow_id: 'wf-1',
      country: 'DE',
      redirect_url: 'https://app.example.com/done',
    });
  });

  it('reads id, capture_url and expires_at (or the session object’s token_expires_at)', () => {
    expect(
      verifaStarted(
        json(201, { id: 'ses_1', status: 'pending', capture_url: 'https://c/1', expires_at: '2026-03-02T09:50:00Z' }),
      ),
    ).toEqual({
      providerSessionId: 'ses_1',
      hostedUrl: 'https://c/1',
      clientToken: null,
      expiresAt: '2026-03-02T09:50:00.000Z',
      providerStatus: 'pending',
    });
    expect(
      verifaStarted(json(200, { id: 'ses_2', status: 'pending', token_expires_at: '2026-03-02T09:50:00Z' })).expiresAt,
    ).toBe('2026-03-02T09:50:00.000Z');
  });

  it('422 and an idempotency mismatch are BAD_USER_INPUT; 400 unsupported_version is UPSTREAM_BAD_RESPONSE', () => {
    expect(() =>
      verifaStarted(json(422, { error: 'validation_error', detail: 'country: bad', status_code: 422 })),
    ).toThrow(
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        message: 'Verifa refused input.country (validation_error); check it against your Verifa account.',
      }),
    );
    expect(() => verifaStarted(json(422, { error: 'idempotency_mismatch', detail: 'x', status_code: 422 }))).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
    expect(() => verifaStarted(json(400, { error: 'unsupported_version', detail: 'x', status_code: 400 }))).toThrow(
      expect.objectContaining({ code: 'UPSTREAM_BAD_RESPONSE' }),
    );
  });
});
