import { createHmac } from 'node:crypto';

/**
 * Sumsub's request signature (docs.sumsub.com/reference/authentication; SUMSUB/agent-skills
 * `skills/sumsub-api-auth/SKILL.md` and `references/signing-pitfalls.md`; SumSubstance/AppTokenUsageExamples
 * `GoLang/GoLangAppTokensHmacSha256.go` `sign`): `X-App-Access-Sig` is the lower-case hex HMAC-SHA256, under the
 * app token's secret key, of the timestamp, the upper-case method, the request URI without the host (from its first
 * slash, query string included, exactly as sent) and the body bytes exactly as sent (nothing for a GET).
 */

export interface SignedRequest {
  /** `X-App-Access-Ts`: unix seconds, as a string of digits. */
  ts: string;
  method: string;
  /** The request target as sent on the wire: `/resources/applicants/…/one?…`. */
  pathWithQuery: string;
  /** The body bytes as sent; '' for none. */
  body: string | Buffer;
}

export function signSumsubRequest(secretKey: string, req: SignedRequest): string {
  const prefix = `${req.ts}${req.method.toUpperCase()}${req.pathWithQuery}`; // ts + METHOD + URI (docs: "Sign requests")
  return createHmac('sha256', secretKey).update(prefix, 'utf8').update(req.body).digest('hex');
}

/** The three `X-App-*` headers of one request signed now (or at `nowSeconds`). */
export function sumsubAuthHeaders(
  credentials: { appToken: string; secretKey: string },
  method: string,
  pathWithQuery: string,
  body: string | Buffer = '',
  nowSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const ts = String(nowSeconds);
  return {
    'x-app-token': credentials.appToken,
    'x-app-access-ts': ts,
    'x-app-access-sig': signSumsubRequest(credentials.secretKey, { ts, method, pathWithQuery, body }),
  };
}
