import { z } from 'zod';
import { vendorRefusedInput } from '../../start/vendorInput.ts';
import { statusError, upstreamError } from '../../upstream/errors.ts';
import type { UpstreamResponse } from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartSessionRequest } from '../start.ts';
import { verifaError } from './payload.ts';

/**
 * Verifa's create call (docs.withverifa.com/api-reference/sessions/create-session): `POST /api/v1/sessions`
 * `{external_ref, workflow_id, country, redirect_url}` with `Idempotency-Key` (Verifa keeps it 24 h) → the session:
 * `id`, `capture_url` (the hosted link), `expires_at` (when the capture token lapses; `token_expires_at` on the
 * session object).
 */

export function verifaCreateBody(request: StartSessionRequest): string {
  return JSON.stringify({
    external_ref: request.subjectRef,
    workflow_id: request.flow,
    ...(request.country ? { country: request.country } : {}),
    ...(request.returnUrl ? { redirect_url: request.returnUrl } : {}),
  });
}

const created = z.object({
  id: z.string().min(1).max(128),
  status: z.string().max(64).nullish(),
  capture_url: z.string().max(4_096).nullish(),
  expires_at: z.string().max(64).nullish(),
  token_expires_at: z.string().max(64).nullish(),
});

/** Verifa's field names in its 422 texts, and the input field each comes from. */
const FIELDS = { workflow_id: 'flow', external_ref: 'subjectRef', country: 'country', redirect_url: 'returnUrl' };

export function verifaStarted(res: UpstreamResponse): StartedSession {
  if (res.status === 200 || res.status === 201) {
    const body = parseUpstreamJson('VERIFA', created, res, 'created session');
    const expiry = body.expires_at ?? body.token_expires_at ?? null;
    return {
      providerSessionId: body.id,
      hostedUrl: body.capture_url ?? null,
      clientToken: null,
      expiresAt: expiry && !Number.isNaN(Date.parse(expiry)) ? new Date(expiry).toISOString() : null,
      ...(body.status ? { providerStatus: body.status } : {}),
    };
  }
  const error = errorBody(res);
  if (res.status === 400 && error?.error === 'unsupported_version')
    throw upstreamError.badResponse('VERIFA', 'it rejected the request (HTTP 400); check VERIFA_VERSION');
  if (res.status === 400 || res.status === 422)
    throw vendorRefusedInput('VERIFA', FIELDS, error?.detail ?? null, error?.error ?? null);
  throw statusError('VERIFA', res);
}

function errorBody(res: UpstreamResponse): z.infer<typeof verifaError> | null {
  try {
    const parsed = verifaError.safeParse(JSON.parse(res.body.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
