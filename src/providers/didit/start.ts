import { z } from 'zod';
import { vendorRefusedInput } from '../../start/vendorInput.ts';
import { statusError } from '../../upstream/errors.ts';
import type { UpstreamResponse } from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartSessionRequest } from '../start.ts';

/**
 * Didit v3's create call (docs.didit.me/sessions-api/create-session): `POST /v3/session/` `{workflow_id, vendor_data,
 * callback, language, contact_details, expected_details}` with `x-api-key` → `{session_id, session_number,
 * session_token, url, status: "Not Started", workflow_id}`: `url` is the hosted flow, `session_token` what Didit's
 * SDKs take. Didit says nothing of an expiry at creation. It takes no idempotency key.
 */

export function diditCreateBody(request: StartSessionRequest): string {
  const prefill = request.prefill;
  const contact =
    prefill && (prefill.email || prefill.phone)
      ? { email: prefill.email ?? undefined, phone: prefill.phone ?? undefined }
      : null;
  const expected =
    prefill && (prefill.givenName || prefill.familyName || prefill.dateOfBirth)
      ? {
          first_name: prefill.givenName ?? undefined,
          last_name: prefill.familyName ?? undefined,
          date_of_birth: prefill.dateOfBirth ?? undefined,
        }
      : null;
  return JSON.stringify({
    workflow_id: request.flow,
    vendor_data: request.subjectRef,
    ...(request.returnUrl ? { callback: request.returnUrl } : {}),
    // Didit takes an ISO 639-1 language for its flow.
    ...(request.locale ? { language: (request.locale.split('-')[0] as string).toLowerCase() } : {}),
    ...(contact ? { contact_details: contact } : {}),
    ...(expected ? { expected_details: expected } : {}),
  });
}

const created = z.object({
  session_id: z.string().min(1).max(64),
  session_token: z.string().max(4_096).nullish(),
  url: z.string().max(4_096).nullish(),
  status: z.string().max(64).nullish(),
});

/** Didit's field names in its DRF 400 bodies (`{"workflow_id": ["…"]}`), and the input field each comes from. */
const FIELDS = {
  workflow_id: 'flow',
  vendor_data: 'subjectRef',
  callback: 'returnUrl',
  language: 'locale',
  contact_details: 'prefill',
  expected_details: 'prefill',
};

export function diditStarted(res: UpstreamResponse): StartedSession {
  if (res.status === 200 || res.status === 201) {
    const body = parseUpstreamJson('DIDIT', created, res, 'created session');
    return {
      providerSessionId: body.session_id,
      hostedUrl: body.url ?? null,
      clientToken: body.session_token ?? null,
      expiresAt: null,
      ...(body.status ? { providerStatus: body.status } : {}),
    };
  }
  if (res.status === 400 || res.status === 422 || res.status === 404)
    throw vendorRefusedInput('DIDIT', FIELDS, res.body.toString('utf8').slice(0, 2_000), null);
  throw statusError('DIDIT', res);
}
