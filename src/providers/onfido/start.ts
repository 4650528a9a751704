import { z } from 'zod';
import { vendorRefusedInput } from '../../start/vendorInput.ts';
import { statusError, upstreamError } from '../../upstream/errors.ts';
import type { UpstreamHttp, UpstreamResponse } from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartSessionRequest } from '../start.ts';

/**
 * Starting an Onfido Studio workflow run (onfido-openapi-spec `paths/applicants.yaml` then `paths/workflow_runs.yaml`):
 * an applicant, checkpointed, then a run of the workflow `flow` for it, whose `link.url` is the hosted flow and whose
 * `sdk_token` loads it in Onfido's SDKs. A retry under the same key resumes at the run with the same applicant.
 */

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** `id` of schemas/applicants/definitions.yaml `applicant_response`. */
const createdApplicant = z.object({ id: z.string().regex(UUID) });
/** `workflow_run_response` and `workflow_run_link` of schemas/workflow_runs/definitions.yaml. */
const createdRun = z.object({
  id: z.string().regex(UUID),
  status: z.string().max(64).nullish(),
  sdk_token: z.string().nullish(),
  link: z.object({ url: z.string().nullish(), expires_at: z.string().nullish() }).nullish(),
});

/** `workflow_run_link.language`'s enum: a locale maps to it by language and region, else by language alone. */
const LANGUAGES = ['en_US', 'de_DE', 'es_ES', 'fr_FR', 'it_IT', 'pt_PT', 'nl_NL'];

export function onfidoLanguage(locale: string | null): string | null {
  if (!locale) return null;
  const [language, region] = locale.split('-');
  const exact = `${language?.toLowerCase()}_${region?.toUpperCase()}`;
  return (
    LANGUAGES.find((l) => l === exact) ?? LANGUAGES.find((l) => l.startsWith(`${language?.toLowerCase()}_`)) ?? null
  );
}

/** Refusals Verigate can tell before any call: Onfido's workflow ids are UUIDs, an applicant needs both names. */
function checkInput(request: StartSessionRequest): void {
  if (!UUID.test(request.flow)) throw upstreamError.badInput('flow: Onfido workflow ids are UUIDs.', 'ONFIDO');
  if (request.resumeFrom === null && (!request.prefill?.givenName || !request.prefill.familyName))
    throw upstreamError.badInput(
      'prefill: Onfido needs givenName and familyName to create the applicant (applicant_create requires them).',
      'ONFIDO',
    );
}

export function applicantBody(request: StartSessionRequest): string {
  const p = request.prefill;
  const body: Record<string, unknown> = { first_name: p?.givenName, last_name: p?.familyName };
  if (p?.dateOfBirth) body.dob = p.dateOfBirth;
  if (p?.email) body.email = p.email;
  if (p?.phone) body.phone_number = p.phone;
  return JSON.stringify(body);
}

export function workflowRunBody(request: StartSessionRequest, applicantId: string): string {
  const link: Record<string, string> = {};
  if (request.returnUrl) link.completed_redirect_url = request.returnUrl;
  const language = onfidoLanguage(request.locale);
  if (language) link.language = language;
  return JSON.stringify({
    workflow_id: request.flow,
    applicant_id: applicantId,
    customer_user_id: request.subjectRef,
    ...(Object.keys(link).length > 0 ? { link } : {}),
  });
}

export async function startOnfidoWorkflowRun(
  http: UpstreamHttp,
  headers: Record<string, string>,
  request: StartSessionRequest,
  signal?: AbortSignal,
): Promise<StartedSession> {
  checkInput(request);
  const json = { ...headers, 'content-type': 'application/json' };
  let applicantId = request.resumeFrom;
  if (applicantId === null) {
    const res = await http.request({
      method: 'POST',
      path: '/applicants',
      headers: json,
      body: applicantBody(request),
      signal,
    });
    if (res.status !== 201 && res.status !== 200) throw startFailure(res);
    applicantId = parseUpstreamJson('ONFIDO', createdApplicant, res, 'created applicant').id;
    await request.checkpoint(applicantId);
  }
  const res = await http.request({
    method: 'POST',
    path: '/workflow_runs',
    headers: json,
    body: workflowRunBody(request, applicantId),
    signal,
  });
  if (res.status !== 201 && res.status !== 200) throw startFailure(res);
  const run = parseUpstreamJson('ONFIDO', createdRun, res, 'created workflow run');
  return {
    providerSessionId: run.id.toLowerCase(),
    hostedUrl: run.link?.url ?? null,
    clientToken: run.sdk_token ?? null,
    expiresAt: run.link?.expires_at ? new Date(run.link.expires_at).toISOString() : null,
    providerStatus: run.status ?? 'awaiting_input',
  };
}

/** Onfido's field names in its `error.fields`, and the input field each comes from. */
const FIELDS = {
  workflow_id: 'flow',
  first_name: 'prefill.givenName',
  last_name: 'prefill.familyName',
  dob: 'prefill.dateOfBirth',
  email: 'prefill.email',
  phone_number: 'prefill.phone',
  completed_redirect_url: 'returnUrl',
  customer_user_id: 'subjectRef',
};

/** Onfido's error body (responses/default_error.yaml): `{ error: { type, message, fields } }`. */
const onfidoError = z.object({ error: z.object({ type: z.string().nullish(), fields: z.unknown().optional() }) });

/** A 4xx about what was sent (`validation_error`, an unknown workflow) is the input's fault; the rest by status. */
function startFailure(res: UpstreamResponse): Error {
  if (res.status !== 400 && res.status !== 404 && res.status !== 409 && res.status !== 422)
    return statusError('ONFIDO', res);
  let error: z.infer<typeof onfidoError>['error'] | null = null;
  try {
    const parsed = onfidoError.safeParse(JSON.parse(res.body.toString('utf8')));
    error = parsed.success ? parsed.data.error : null;
  } catch {
    // not JSON: refused all the same
  }
  // Only the field names are matched (the values they hold may be what was sent).
  const names = error?.fields && typeof error.fields === 'object' ? Object.keys(error.fields).join(' ') : null;
  return vendorRefusedInput('ONFIDO', FIELDS, names, error?.type ?? null);
}
