/**
 * Every `extensions.code` Verigate answers with: the one list. `formatError` lets exactly these through (all but
 * INTERNAL_SERVER_ERROR, which replaces anything else), `npm run docs` publishes them as docs/errors.md, and a test
 * fails when src/ uses a code that is not here.
 */

/** Whether a client should send the same request again, and when. */
export type RetryAdvice =
  | 'no'
  | 'after retryAfterSeconds'
  | 'after Retry-After'
  | 'yes, with backoff'
  | 'yes, at once'
  | 'with a new credential'
  | 'with the query text';

export interface ErrorCodeInfo {
  readonly code: string;
  /** The HTTP status when the whole request is refused; "200" when the error sits on one field of an answer. */
  readonly http: string;
  /** When it happens (Markdown). */
  readonly when: string;
  readonly retry: RetryAdvice;
  /** Whether `extensions.retryAfterSeconds` comes with it (and what it means then). */
  readonly retryAfterSeconds: string | null;
  /** What an app's user should see. */
  readonly frontend: string;
}

export const ERROR_CODES = [
  {
    code: 'NOT_FOUND',
    http: '200 (404 for an unknown path)',
    when: 'The vendor has no such session (`extensions.provider` names it); `redeliverWebhook` of an unknown delivery id; a path other than the served ones.',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: '"We could not find this verification": offer to start a new one.',
  },
  {
    code: 'BAD_USER_INPUT',
    http: '200 (400 for a variable of the wrong type)',
    when: 'An argument Verigate refuses before calling anyone: a session id the provider’s id check rejects, more than 50 `refs` or representations, a `first` out of range, a cursor that is not the field’s, an unknown webhook endpoint, a variable of the wrong type or enum value.',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: 'A bug in the app, not the user’s doing: a generic "something went wrong", and report it.',
  },
  {
    code: 'UNAUTHENTICATED',
    http: '401',
    when: 'No `Authorization`, an unknown key, or a JWT that is expired, forged, too long-lived or for another issuer or audience. A WebSocket closes with `4401` instead.',
    retry: 'with a new credential',
    retryAfterSeconds: null,
    frontend: 'Mint a fresh token from your backend and retry once; if that fails, ask the user to sign in again.',
  },
  {
    code: 'FORBIDDEN',
    http: '200 (403 before execution)',
    when: 'The credential lacks the scope (`sessions:read`, `webhooks:admin`), a JWT bound to other sessions asks for this one, or a browser page on an origin CORS does not allow opens a WebSocket. A WebSocket without `sessions:read` closes with `4403`.',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: '"You do not have access to this verification."',
  },
  {
    code: 'UPSTREAM_AUTH_FAILED',
    http: '200',
    when: 'The vendor refused Verigate’s own credentials (its 401 or 403): an operator must fix the configuration.',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: '"Verification is unavailable right now"; alert your operators (the metrics and logs name the provider).',
  },
  {
    code: 'UPSTREAM_RATE_LIMITED',
    http: '200',
    when: 'The vendor answered 429, or Verigate’s own budget for it (`*_RATE_LIMIT_PER_MINUTE`) is spent, in which case no call was made.',
    retry: 'after retryAfterSeconds',
    retryAfterSeconds:
      'always: seconds until a call may succeed (the vendor’s `Retry-After`, or until the budget’s oldest call leaves its minute)',
    frontend: '"Busy, retrying…": wait `retryAfterSeconds`, then retry; keep showing the last known status.',
  },
  {
    code: 'UPSTREAM_UNAVAILABLE',
    http: '200 (503 when the JWKS cannot be fetched)',
    when: 'The vendor answered 5xx, timed out or refused the connection; its circuit is open (too many recent failures); too many calls to it are in flight; the provider is off on this gateway; the timeline’s or the outbox’s database failed; the JWT issuer’s JWKS cannot be fetched.',
    retry: 'yes, with backoff',
    retryAfterSeconds: 'when the circuit is open: seconds until Verigate tries the vendor again',
    frontend:
      '"Temporarily unavailable, retrying": retry after a few seconds (or `retryAfterSeconds`), doubling the wait.',
  },
  {
    code: 'UPSTREAM_BAD_RESPONSE',
    http: '200',
    when: 'The vendor answered something Verigate cannot read: not JSON, the wrong shape, an unexpected status; or one passed-through JSON value too deep to send (that field only).',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: '"Verification is unavailable right now"; it will not fix itself on retry, so report it.',
  },
  {
    code: 'GRAPHQL_PARSE_FAILED',
    http: '400',
    when: 'The document is not GraphQL, or has more than `GRAPHQL_MAX_TOKENS` tokens.',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: 'A bug in the app: a generic error, and report it.',
  },
  {
    code: 'GRAPHQL_VALIDATION_FAILED',
    http: '400',
    when: 'The document does not validate against the schema, is over an operation limit (depth, aliases, root fields, directives, cost; the message names it), or is a subscription sent as a plain HTTP request.',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: 'A bug in the app: a generic error, and report it.',
  },
  {
    code: 'BAD_REQUEST',
    http: '400, 405, 408, 413 or 415',
    when: 'The HTTP request itself is wrong: a body that is not JSON or not UTF-8, over `GRAPHQL_MAX_BODY_BYTES`, too slow to arrive, a batch (array), a GET mutation, a persisted-query hash that does not match its text, a subscription field outside SSE and WebSocket.',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: 'A bug in the app (or a network that cut the body short): a generic error.',
  },
  {
    code: 'OPERATION_RESOLUTION_FAILURE',
    http: '400',
    when: 'The request’s `operationName` names no operation of the document (Apollo Server’s code).',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: 'A bug in the app: a generic error.',
  },
  {
    code: 'PERSISTED_QUERY_NOT_FOUND',
    http: '200 (400 with `TRUSTED_DOCUMENTS`)',
    when: 'An automatic persisted query’s hash this gateway does not know (yet); with `TRUSTED_DOCUMENTS`, an id not in the manifest.',
    retry: 'with the query text',
    retryAfterSeconds: null,
    frontend: 'Nothing: Apollo Client’s persisted-queries link re-sends the text by itself.',
  },
  {
    code: 'PERSISTED_QUERY_NOT_SUPPORTED',
    http: '200 or 400 (Apollo Server decides)',
    when: 'A persisted query sent while `APQ_ENABLED=false` (Apollo Server’s code).',
    retry: 'with the query text',
    retryAfterSeconds: null,
    frontend: 'Nothing: Apollo Client’s link stops hashing and sends the text.',
  },
  {
    code: 'PERSISTED_QUERY_NOT_IN_LIST',
    http: '400',
    when: 'With `TRUSTED_DOCUMENTS`, a document that is not in the manifest (and the credential has no `router` scope).',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: 'An app build the gateway does not know: ask the user to update the app.',
  },
  {
    code: 'PERSISTED_QUERY_TOO_LARGE',
    http: '400',
    when: 'A persisted-query registration of a document over `APQ_MAX_DOCUMENT_BYTES`.',
    retry: 'with the query text',
    retryAfterSeconds: null,
    frontend: 'Nothing to show: send that document without `extensions.persistedQuery`.',
  },
  {
    code: 'PERSISTED_QUERY_REGISTRATION_LIMITED',
    http: '429 with Retry-After',
    when: 'One credential made more than `APQ_REGISTRATIONS_PER_MINUTE` persisted-query registrations in a minute.',
    retry: 'after Retry-After',
    retryAfterSeconds: 'no: the HTTP `Retry-After` header says when',
    frontend: 'Nothing to show: retry after `Retry-After`, or send the query without `extensions.persistedQuery`.',
  },
  {
    code: 'SUBSCRIPTION_LIMIT_REACHED',
    http: '200 (an error event)',
    when: 'More than `SUBSCRIPTIONS_PER_CONNECTION` on one WebSocket, `SUBSCRIPTIONS_PER_CREDENTIAL` for one credential on one replica, or `SUBSCRIPTIONS_MAX` on the replica (`extensions.limit`: `connection`, `credential` or `replica`; `extensions.max`).',
    retry: 'yes, with backoff',
    retryAfterSeconds: null,
    frontend: 'Fall back to polling the query now and then; end subscriptions the screen no longer shows.',
  },
  {
    code: 'SUBSCRIPTION_EXPIRED',
    http: '200 (the last event)',
    when: 'A subscription older than `SUBSCRIPTION_MAX_LIFETIME_SECONDS` ends with it.',
    retry: 'yes, at once',
    retryAfterSeconds: null,
    frontend: 'Nothing: subscribe again.',
  },
  {
    code: 'SHUTTING_DOWN',
    http: '503',
    when: 'A subscription asked of a replica that is stopping (SSE, or a WebSocket upgrade).',
    retry: 'yes, at once',
    retryAfterSeconds: null,
    frontend: 'Nothing: reconnect (the load balancer sends it to another replica).',
  },
  {
    code: 'SSE_SINGLE_CONNECTION_NOT_SUPPORTED',
    http: '405 or 400',
    when: 'graphql-sse’s single-connection mode (`PUT` to reserve a stream, or a request carrying a stream token).',
    retry: 'no',
    retryAfterSeconds: null,
    frontend: 'A client setting: use graphql-sse’s default distinct-connections mode.',
  },
  {
    code: 'INTERNAL_SERVER_ERROR',
    http: '200 or 500',
    when: 'A bug in Verigate: any error without one of the codes above, its message replaced by "Internal server error." (the original is logged, without personal data).',
    retry: 'yes, with backoff',
    retryAfterSeconds: null,
    frontend: '"Something went wrong"; retry once, then report it.',
  },
] as const satisfies readonly ErrorCodeInfo[];

export type KnownErrorCode = (typeof ERROR_CODES)[number]['code'];

/** The codes whose messages are written for clients (`formatError` passes them through as they are). */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set(
  ERROR_CODES.map((c) => c.code).filter((c) => c !== 'INTERNAL_SERVER_ERROR'),
);
