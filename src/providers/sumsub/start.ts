import { z } from 'zod';
import { vendorRefusedInput } from '../../start/vendorInput.ts';
import { statusError } from '../../upstream/errors.ts';
import type { UpstreamResponse } from '../../upstream/http.ts';
import { parseUpstreamJson } from '../../upstream/parse.ts';
import type { StartedSession, StartSessionRequest } from '../start.ts';

/**
 * Starting a Sumsub verification (docs.sumsub.com: "Create applicant", "Generate external WebSDK link", "Generate
 * access token"): an applicant for the level `flow` keyed by the caller's `externalUserId`, checkpointed, then a
 * WebSDK link and an SDK access token for that user and level, both minted with the same lifetime. A retry resumes at
 * the link; an applicant that already exists for the user (409) is looked up instead of created twice.
 */

/** How long the link and the token last: Sumsub's own default for links is 1 800 s; an hour gives a mobile user room. */
export const SUMSUB_START_TTL_SECONDS = 3_600;

const applicantId = z.object({ id: z.string().regex(/^[0-9a-z]{24}$/) });
const websdkLink = z.object({ url: z.url() });
const accessToken = z.object({ token: z.string().min(1) });

export function applicantBody(request: StartSessionRequest): string {
  const p = request.prefill;
  const fixedInfo = Object.fromEntries(
    Object.entries({ firstName: p?.givenName, lastName: p?.familyName, dob: p?.dateOfBirth }).filter(
      (e) => typeof e[1] === 'string',
    ),
  );
  return JSON.stringify({
    externalUserId: request.subjectRef,
    ...(p?.email ? { email: p.email } : {}),
    ...(p?.phone ? { phone: p.phone } : {}),
    ...(request.locale ? { lang: request.locale.split('-')[0]?.toLowerCase() } : {}),
    ...(Object.keys(fixedInfo).length > 0 ? { fixedInfo } : {}),
  });
}

export type SumsubSend = (
  method: 'GET' | 'POST',
  pathWithQuery: string,
  body: string | null,
  signal?: AbortSignal,
) => Promise<UpstreamResponse>;

export async function startSumsubApplicant(
  send: SumsubSend,
  request: StartSessionRequest,
  signal?: AbortSignal,
): Promise<StartedSession> {
  const level = encodeURIComponent(request.flow);
  let id = request.resumeFrom;
  if (id === null) {
    const res = await send('POST', `/resources/applicants?levelName=${level}`, applicantBody(request), signal);
    id =
      res.status === 409
        ? await existingApplicant(send, request.subjectRef, signal)
        : parseCreated(res, 'created applicant');
    await request.checkpoint(id);
  }
  const identifiers = {
    ...(request.prefill?.email ? { email: request.prefill.email } : {}),
    ...(request.prefill?.phone ? { phone: request.prefill.phone } : {}),
  };
  const common = { levelName: request.flow, userId: request.subjectRef, ttlInSecs: SUMSUB_START_TTL_SECONDS };
  const lang = request.locale ? `?lang=${encodeURIComponent(request.locale.split('-')[0]?.toLowerCase() ?? '')}` : '';
  const redirect = request.returnUrl
    ? { redirect: { successUrl: request.returnUrl, rejectUrl: request.returnUrl } }
    : {};
  const minted = Date.now();
  const [link, token] = await Promise.all([
    send(
      'POST',
      `/resources/sdkIntegrations/levels/-/websdkLink${lang}`,
      JSON.stringify({ ...common, applicantIdentifiers: identifiers, ...redirect }),
      signal,
    ),
    send(
      'POST',
      '/resources/accessTokens/sdk',
      JSON.stringify({ ...common, applicantIdentifiers: identifiers }),
      signal,
    ),
  ]);
  return {
    providerSessionId: id,
    hostedUrl: parseOk(link, websdkLink, 'WebSDK link').url,
    clientToken: parseOk(token, accessToken, 'SDK access token').token,
    expiresAt: new Date(minted + SUMSUB_START_TTL_SECONDS * 1000).toISOString(),
    providerStatus: 'init',
  };
}

/** Sumsub's words in its error `description`, and the input field each comes from. */
const FIELDS = {
  levelName: 'flow',
  level: 'flow',
  externalUserId: 'subjectRef',
  email: 'prefill.email',
  phone: 'prefill.phone',
  dob: 'prefill.dateOfBirth',
};
const sumsubError = z.object({ description: z.string().nullish(), errorName: z.string().nullish() });

/** A 4xx about what was sent is the input's fault (never Sumsub's own text); the rest by status. */
function startFailure(res: UpstreamResponse): Error {
  if (res.status !== 400 && res.status !== 404 && res.status !== 409 && res.status !== 422)
    return statusError('SUMSUB', res);
  let error: z.infer<typeof sumsubError> | null = null;
  try {
    const parsed = sumsubError.safeParse(JSON.parse(res.body.toString('utf8')));
    error = parsed.success ? parsed.data : null;
  } catch {
    // not JSON: refused all the same
  }
  return vendorRefusedInput('SUMSUB', FIELDS, error?.description ?? null, error?.errorName ?? null);
}

function parseCreated(res: UpstreamResponse, what: string): string {
  return parseOk(res, applicantId, what).id;
}

function parseOk<T extends z.ZodType>(res: UpstreamResponse, schema: T, what: string): z.infer<T> {
  if (res.status !== 200 && res.status !== 201) throw startFailure(res);
  return parseUpstreamJson('SUMSUB', schema, res, what);
}

/** `GET /resources/applicants/-;externalUserId={id}/one`: the applicant an earlier, unrecorded attempt made. */
async function existingApplicant(send: SumsubSend, externalUserId: string, signal?: AbortSignal): Promise<string> {
  const res = await send(
    'GET',
    `/resources/applicants/-;externalUserId=${encodeURIComponent(externalUserId)}/one`,
    null,
    signal,
  );
  return parseCreated(res, 'existing applicant');
}
