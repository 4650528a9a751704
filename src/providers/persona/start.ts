import { z } from 'zod';
import { vendorRefusedInput } from '../../start/vendorInput.ts';
import { parseRetryAfter, statusError } from '../../upstream/errors.ts';
import type { UpstreamHttp, UpstreamResponse } from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartSessionRequest } from '../start.ts';

/**
 * Starting a Persona inquiry (persona-openapi `paths/inquiries.yaml` "create-an-inquiry", then
 * `paths/inquiries_{inquiry-id}_generate-one-time-link.yaml`): two calls, so the inquiry's id is checkpointed between
 * them and a retry under the same key resumes at the link instead of creating a second inquiry.
 */

/** `data.id` of the created inquiry (components/examples/inquiry*.yaml); the rest is not read. */
const createdInquiry = z.object({ data: z.object({ id: z.string().regex(/^inq_[A-Za-z0-9]{1,64}$/) }) });
/** `meta.one-time-link` of components/examples/inquiry-one-time-link.yaml. */
const oneTimeLink = z.object({ meta: z.object({ 'one-time-link': z.url() }) });

/** The template field by the id's prefix: `itmpl_` inquiry template, `itmplv_` its version, `tmpl_` legacy. */
function templateField(flow: string): string {
  if (flow.startsWith('itmplv_')) return 'inquiry-template-version-id';
  if (flow.startsWith('tmpl_')) return 'template-id';
  return 'inquiry-template-id';
}

/** Prefill as the inquiry's `fields` (Persona's standard field names); absent values are not sent. */
function prefillFields(request: StartSessionRequest): Record<string, string> {
  const p = request.prefill;
  const fields: Record<string, string | null | undefined> = {
    'name-first': p?.givenName,
    'name-last': p?.familyName,
    birthdate: p?.dateOfBirth,
    'email-address': p?.email,
    'phone-number': p?.phone,
    'address-country-code': request.country,
  };
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function createInquiryBody(request: StartSessionRequest): string {
  const attributes: Record<string, unknown> = {
    [templateField(request.flow)]: request.flow,
    'reference-id': request.subjectRef,
    fields: prefillFields(request),
  };
  if (request.returnUrl) attributes['redirect-uri'] = request.returnUrl;
  return JSON.stringify({ data: { attributes } });
}

export async function startPersonaInquiry(
  http: UpstreamHttp,
  headers: Record<string, string>,
  request: StartSessionRequest,
  signal?: AbortSignal,
): Promise<StartedSession> {
  const json = { ...headers, 'content-type': 'application/json' };
  let id = request.resumeFrom;
  if (id === null) {
    const res = await http.request({
      method: 'POST',
      path: '/inquiries',
      headers: { ...json, 'idempotency-key': request.idempotencyKey },
      body: createInquiryBody(request),
      signal,
    });
    if (res.status !== 201 && res.status !== 200) throw startFailure(res);
    id = parseUpstreamJson('PERSONA', createdInquiry, res, 'created inquiry').data.id;
    await request.checkpoint(id);
  }
  const res = await http.request({
    method: 'POST',
    path: `/inquiries/${encodeURIComponent(id)}/generate-one-time-link`,
    headers: json,
    body: '{}',
    signal,
  });
  if (res.status !== 200 && res.status !== 201) throw startFailure(res);
  const link = parseUpstreamJson('PERSONA', oneTimeLink, res, 'one-time link').meta['one-time-link'];
  // The link's lifetime is the template's setting (24 h by default); Persona does not say it in the answer.
  return { providerSessionId: id, hostedUrl: link, clientToken: null, expiresAt: null, providerStatus: 'created' };
}

/** Persona's field names in its error `details`, and the input field each comes from. */
const FIELDS = {
  template: 'flow',
  'reference-id': 'subjectRef',
  'redirect-uri': 'returnUrl',
  birthdate: 'prefill.dateOfBirth',
  'email-address': 'prefill.email',
  'phone-number': 'prefill.phone',
  'name-first': 'prefill.givenName',
  'name-last': 'prefill.familyName',
};

/** A 4xx about what was sent is the input's fault (never Persona's own text); the rest by status. */
function startFailure(res: UpstreamResponse): Error {
  if (res.status === 400 || res.status === 404 || res.status === 409 || res.status === 422) {
    const details = errorDetails(res);
    return vendorRefusedInput('PERSONA', FIELDS, details, null);
  }
  // Persona's 429 carries `RateLimit-Reset` (seconds until the window resets).
  return statusError('PERSONA', res, parseRetryAfter(res.headers['ratelimit-reset'], 60));
}

const personaErrors = z.object({ errors: z.array(z.object({ details: z.string().nullish() })).min(1) });

function errorDetails(res: UpstreamResponse): string | null {
  try {
    const parsed = personaErrors.safeParse(JSON.parse(res.body.toString('utf8')));
    return parsed.success ? parsed.data.errors.map((e) => e.details ?? '').join(' ') : null;
  } catch {
    return null;
  }
}
