import { PERSONA_GOVERNMENT_ID_PASSED } from './examples/governmentIdPassed.ts';
import { PERSONA_INQUIRY_APPROVED_EVENT } from './examples/inquiryApprovedWebhook.ts';
import { PERSONA_INQUIRY_RETRIEVE } from './examples/inquiryRetrieve.ts';
import { PERSONA_REPORT_WATCHLIST } from './examples/reportWatchlist.ts';

/**
 * The Persona sandbox catalogue: Persona's documented examples first, then one inquiry per status (each the state a
 * `perform-simulate-actions` action leads to), the edge cases and the failures the adapter handles. Stored as
 * 2025-12-08 kebab-case JSON:API documents; the simulator derives the 2023-01-05 shape and other inflections.
 * Values are fake. The README's scenario table is checked against this list by a test.
 */

export type JsonObject = Record<string, unknown>;
/** `{ data, included }` as `GET /inquiries/{id}` answers it. */
export interface InquiryDocument {
  data: JsonObject & { id: string; attributes: JsonObject };
  included: JsonObject[];
}

export type PersonaStaticBehaviour =
  | { kind: 'inquiry'; document: InquiryDocument }
  | { kind: 'error'; status: number; errors: JsonObject[]; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number; document: InquiryDocument }
  | { kind: 'raw'; status: number; body: string; contentType: string };

export type PersonaBehaviour =
  | PersonaStaticBehaviour
  /** A timed scenario: each step's answer, and the `inquiry.*` event Persona sends as the step begins. */
  | { kind: 'timeline'; steps: ReadonlyArray<{ event: string; behaviour: PersonaStaticBehaviour }> };

export interface PersonaScenario {
  id: string;
  description: string;
  behaviour: PersonaBehaviour;
}

const CREATED = '2026-03-02T09:30:00.000Z';
const at = (minutes: number) => new Date(Date.parse(CREATED) + minutes * 60_000).toISOString();

const clone = <T>(value: T): T => structuredClone(value);

/** A template's standard fields (inquiry.yaml `fields`), with fake values. */
function fields(values: Partial<Record<string, string | null>> = {}): JsonObject {
  const standard: Record<string, [string, string | null]> = {
    'name-first': ['string', 'Jane'],
    'name-middle': ['string', 'Marie'],
    'name-last': ['string', 'Sample'],
    'address-street-1': ['string', '221 Harbor Street'],
    'address-street-2': ['string', 'Apt 4B'],
    'address-city': ['string', 'Portland'],
    'address-subdivision': ['string', 'Oregon'],
    'address-postal-code': ['string', '97205'],
    'address-country-code': ['string', 'US'],
    birthdate: ['date', '1991-04-12'],
    'email-address': ['string', 'jane.sample@example.com'],
    'phone-number': ['string', '+15035550123'],
    'identification-number': ['string', 'D8123456'],
  };
  return Object.fromEntries(
    Object.entries(standard).map(([k, [type, value]]) => [k, { type, value: k in values ? values[k] : value }]),
  );
}

const TIMESTAMPS = [
  'started-at',
  'completed-at',
  'failed-at',
  'marked-for-review-at',
  'decisioned-at',
  'expired-at',
  'redacted-at',
] as const;

/** The timestamps each status implies: the transitions an inquiry went through to reach it. */
const PATH: Record<string, Partial<Record<(typeof TIMESTAMPS)[number], string>>> = {
  created: {},
  pending: { 'started-at': at(1) },
  completed: { 'started-at': at(1), 'completed-at': at(6) },
  failed: { 'started-at': at(1), 'failed-at': at(6) },
  needs_review: { 'started-at': at(1), 'completed-at': at(6), 'marked-for-review-at': at(6) },
  approved: { 'started-at': at(1), 'completed-at': at(6), 'decisioned-at': at(7) },
  declined: { 'started-at': at(1), 'completed-at': at(6), 'decisioned-at': at(30) },
  expired: { 'expired-at': at(24 * 60) },
};

/** An inquiry document; `relationships` lists what `included` holds, as Persona's do. */
export function inquiryDocument(
  id: string,
  status: string,
  options: { attributes?: JsonObject; included?: JsonObject[]; reviewer?: JsonObject | null } = {},
): InquiryDocument {
  const timestamps = Object.fromEntries(TIMESTAMPS.map((k) => [k, PATH[status]?.[k] ?? null]));
  const included = options.included ?? [];
  const refs = (test: (type: string) => boolean) =>
    included.filter((o) => test(String(o.type))).map((o) => ({ type: o.type, id: o.id }));
  return {
    data: {
      type: 'inquiry',
      id,
      attributes: {
        status,
        'reference-id': `crm-${id}`,
        note: null,
        behaviors: { 'request-spoof-attempts': 0, 'user-agent-spoof-attempts': 0, 'distraction-events': 0 },
        tags: ['sandbox'],
        creator: 'API',
        'reviewer-comment': null,
        'created-at': CREATED,
        'updated-at': at(30),
        'expires-at': at(24 * 60),
        ...timestamps,
        'previous-step-name': status === 'created' ? null : 'start',
        'next-step-name': status === 'created' ? 'start' : 'success',
        fields: fields(),
        ...options.attributes,
      },
      relationships: {
        account: { data: { type: 'account', id: 'act_SandboxAccount0001' } },
        template: { data: null },
        'inquiry-template': { data: { type: 'inquiry-template', id: 'itmpl_SandboxKyc0001' } },
        'inquiry-template-version': { data: { type: 'inquiry-template-version', id: 'itmplv_SandboxKyc0001' } },
        reviewer: { data: options.reviewer ?? null },
        reports: { data: refs((t) => t.startsWith('report/')) },
        verifications: { data: refs((t) => t.startsWith('verification/')) },
        sessions: { data: refs((t) => t === 'inquiry-session') },
        documents: { data: [] },
        selfies: { data: [] },
      },
    },
    included,
  };
}

const check = (name: string, status = 'passed', reasons: string[] = [], requirement = 'required') => ({
  name,
  status,
  reasons,
  requirement,
  metadata: {},
});
const ID_CHECKS = ['id_compromised_detection', 'id_disallowed_country_detection', 'id_expired_detection'];

/** A government-id verification like the spec's `verification-government-id-passed` example, for `inquiry`. */
function governmentId(id: string, inquiry: string, status = 'passed', attributes: JsonObject = {}): JsonObject {
  const example = clone(PERSONA_GOVERNMENT_ID_PASSED.data) as JsonObject & {
    attributes: JsonObject;
    relationships: JsonObject;
  };
  return {
    ...example,
    id,
    attributes: {
      ...example.attributes,
      status,
      'created-at': at(2),
      'submitted-at': at(3),
      'completed-at': at(4),
      checks: ID_CHECKS.map((name) => check(name)),
      'name-first': 'JANE',
      'name-middle': 'MARIE',
      'name-last': 'SAMPLE',
      birthdate: '1991-04-12',
      'address-street-1': '221 HARBOR ST',
      'address-street-2': 'APT 4B',
      'address-city': 'PORTLAND',
      'address-subdivision': 'OR',
      'address-postal-code': '97205',
      'issuing-subdivision': 'OR',
      'issue-date': '2023-04-12',
      'expiration-date': '2031-04-12',
      'identification-number': 'D8123456',
      sex: 'Female',
      ...attributes,
    },
    relationships: { ...example.relationships, inquiry: { data: { type: 'inquiry', id: inquiry } } },
  };
}

function selfie(id: string, inquiry: string, status = 'passed', comparison = 'passed', score = 0.94): JsonObject {
  return {
    type: 'verification/selfie',
    id,
    attributes: {
      status,
      'created-at': at(4),
      'created-at-ts': Math.floor(Date.parse(at(4)) / 1000),
      'submitted-at': at(5),
      'completed-at': at(5),
      'redacted-at': null,
      'country-code': null,
      tags: [],
      checks: [
        check('selfie_id_comparison', comparison, comparison === 'failed' ? ['no_face_match'] : []),
        check('selfie_pose_detection'),
        check('selfie_liveness_detection', 'passed', [], 'not_required'),
      ],
      'capture-method': 'video',
      'center-photo-face-coordinates': null,
      'center-photo-url': `https://files.withpersona.test/${id}/center.jpg`,
      'document-similarity-score': score,
      'entity-confidence-reasons': [],
      'left-photo-url': null,
      'right-photo-url': null,
      'from-reusable-persona': false,
      'photo-urls': [],
      'selfie-similarity-score-left': null,
      'selfie-similarity-score-right': null,
      'video-url': null,
    },
    relationships: { inquiry: { data: { type: 'inquiry', id: inquiry } } },
  };
}

/** The spec's `report-watchlist` example, with or without a match. */
function watchlist(id: string, matched: boolean): JsonObject {
  const example = clone(PERSONA_REPORT_WATCHLIST.data) as JsonObject & { attributes: JsonObject };
  return {
    ...example,
    id,
    attributes: {
      ...example.attributes,
      'created-at': at(6),
      'completed-at': at(6),
      'name-last': 'Sample',
      term: 'Jane Sample',
      'has-match': matched,
      'matched-lists': matched
        ? [
            {
              name: 'OFAC - Specially Designated Nationals',
              url: 'https://sanctionssearch.ofac.treas.gov/',
              'list-type': 'sanction',
              'list-types': ['sanction'],
              slug: 'us-ofac-sdn',
              'flag-code': 'US',
              entities: [{ name: 'Jane M. Sample', 'alias-type': 'primary_name', birthdates: [] }],
            },
          ]
        : [],
    },
  };
}

/** The inquiry session of the spec's `inquiry-retrieve` example (a desktop Chrome in California). */
function inquirySession(id: string, inquiry: string): JsonObject {
  const example = clone(PERSONA_INQUIRY_RETRIEVE.included[0]) as JsonObject & { attributes: JsonObject };
  return {
    ...example,
    id,
    attributes: {
      ...example.attributes,
      status: 'completed',
      'created-at': at(1),
      'started-at': at(1),
      'expired-at': null,
      'ip-address': '198.51.100.23',
    },
    relationships: { inquiry: { data: { type: 'inquiry', id: inquiry } } },
  };
}

/** A full inquiry: government id, selfie, watchlist report and session. */
function full(
  id: string,
  status: string,
  options: {
    attributes?: JsonObject;
    govId?: JsonObject;
    selfie?: JsonObject;
    matched?: boolean;
    reviewer?: JsonObject | null;
  } = {},
): PersonaStaticBehaviour {
  const key = id.slice(4);
  return {
    kind: 'inquiry',
    document: inquiryDocument(id, status, {
      attributes: options.attributes,
      reviewer: options.reviewer,
      included: [
        options.govId ?? governmentId(`ver_Gov${key}`, id),
        options.selfie ?? selfie(`ver_Self${key}`, id),
        watchlist(`rep_Wl${key}`, options.matched ?? false),
        inquirySession(`iqse_${key}`, id),
      ],
    }),
  };
}

const bare = (id: string, status: string, attributes: JsonObject = {}): PersonaStaticBehaviour => ({
  kind: 'inquiry',
  document: inquiryDocument(id, status, { attributes }),
});

const error = (
  status: number,
  title: string,
  details?: string,
  headers?: Record<string, string>,
): PersonaStaticBehaviour => ({
  kind: 'error',
  status,
  errors: [{ title, ...(details ? { details } : {}) }],
  ...(headers ? { headers } : {}),
});

/** The spec's documented `inquiry.approved` event's inquiry, with the verifications and reports it names included. */
function documentedApproved(): PersonaStaticBehaviour {
  const data = clone(PERSONA_INQUIRY_APPROVED_EVENT.data.attributes.payload.data) as unknown as InquiryDocument['data'];
  const id = data.id;
  const govId = governmentId('ver_X3kHmRqV9YpZ2nBwL5tGdJcE', id, 'passed', {
    'created-at': '2024-03-15T18:32:00.000Z',
    'submitted-at': '2024-03-15T18:32:10.000Z',
    'completed-at': '2024-03-15T18:32:20.000Z',
  });
  const session = inquirySession('iqse_NkPwRtQv5xB8cYm2L4jZdHsF', id);
  return { kind: 'inquiry', document: { data, included: [govId, session] } };
}

const USER_REVIEWER = { type: 'user', id: 'user_SandboxReviewer01' };
const WORKFLOW_REVIEWER = { type: 'workflow-run', id: 'wfr_SandboxWorkflow001' };

export const PERSONA_SCENARIOS: readonly PersonaScenario[] = [
  {
    id: 'inq_zEx4jL84ShbUyuwX6AzPSqt6',
    description:
      'Persona’s documented `GET /inquiries/{id}` example: `pending`, with its inquiry session → IN_PROGRESS',
    behaviour: { kind: 'inquiry', document: clone(PERSONA_INQUIRY_RETRIEVE) as unknown as InquiryDocument },
  },
  {
    id: 'inq_kT4xVnR2bPmYwL9sTgD3cExZ',
    description:
      'the inquiry of Persona’s documented `inquiry.approved` event, with its government-id verification and session → APPROVED',
    behaviour: documentedApproved(),
  },
  {
    id: 'inq_Created',
    description: '`created` (before `start_inquiry`): the user has not begun → NOT_STARTED',
    behaviour: bare('inq_Created', 'created', {
      fields: fields({
        'name-first': null,
        'name-middle': null,
        'name-last': null,
        birthdate: null,
        'address-street-1': null,
        'address-street-2': null,
        'address-city': null,
        'address-subdivision': null,
        'address-postal-code': null,
        'address-country-code': null,
        'email-address': null,
        'phone-number': null,
        'identification-number': null,
      }),
    }),
  },
  {
    id: 'inq_Completed',
    description: '`completed` (after `complete_inquiry`): government id, selfie, watchlist all passed → APPROVED',
    behaviour: full('inq_Completed', 'completed'),
  },
  {
    id: 'inq_Approved',
    description: '`approved` (after `approve_inquiry`) by a workflow run, full verifications → APPROVED',
    behaviour: full('inq_Approved', 'approved', { reviewer: WORKFLOW_REVIEWER }),
  },
  {
    id: 'inq_Failed',
    description:
      '`failed` (after `fail_inquiry`): the government id failed `id_expired_detection` → DECLINED, reasonCode `id_expired_detection`; declineReasons DOCUMENT_EXPIRED (retryable in a new inquiry), userAction START_OVER',
    behaviour: full('inq_Failed', 'failed', {
      govId: governmentId('ver_GovFailed', 'inq_Failed', 'failed', {
        checks: [
          check('id_compromised_detection'),
          check('id_expired_detection', 'failed', ['expired']),
          check('id_disallowed_country_detection', 'not_applicable', [], 'not_required'),
        ],
        'expiration-date': '2024-01-31',
      }),
    }),
  },
  {
    id: 'inq_RequiresRetry',
    description:
      '`pending`: the government id `requires_retry` (`id_blur_detection` failed) → IN_PROGRESS, userAction CONTINUE: Persona’s own flow asks the person to retake the photo in this inquiry; declineReasons stay empty while IN_PROGRESS',
    behaviour: full('inq_RequiresRetry', 'pending', {
      govId: governmentId('ver_GovRetry', 'inq_RequiresRetry', 'requires_retry', {
        checks: [check('id_blur_detection', 'failed', ['blurry']), check('id_expired_detection')],
      }),
    }),
  },
  {
    id: 'inq_NeedsReview',
    description:
      '`needs_review` (after `mark_for_review_inquiry`): the watchlist report has a sanctions match → IN_REVIEW',
    behaviour: full('inq_NeedsReview', 'needs_review', { matched: true }),
  },
  {
    id: 'inq_Declined',
    description:
      '`declined` (after `decline_inquiry`) by a reviewer: the selfie does not match the id → DECLINED, with the reviewer’s comment; declineReasons FACE_MISMATCH, userAction CONTACT_SUPPORT (the reviewer’s comment is no userMessage)',
    behaviour: full('inq_Declined', 'declined', {
      selfie: selfie('ver_SelfDeclined', 'inq_Declined', 'failed', 'failed', 0.21),
      reviewer: USER_REVIEWER,
      attributes: { 'reviewer-comment': 'Selfie does not match the ID portrait.' },
    }),
  },
  {
    id: 'inq_Expired',
    description: '`expired` (after `expire_inquiry`): the user never finished → EXPIRED',
    behaviour: bare('inq_Expired', 'expired', {
      'previous-step-name': 'start',
      'next-step-name': 'verification_government_id',
    }),
  },
  {
    id: 'inq_Archived',
    description: 'a status word Persona may add (`archived`; its list "is not static") → UNKNOWN, the raw word kept',
    behaviour: full('inq_Archived', 'archived'),
  },
  {
    id: 'inq_Redacted',
    description:
      '`approved`, then redacted (`redacted-at` set): fields already null, the verification not yet → personal fields null even with `pii:read`',
    behaviour: full('inq_Redacted', 'approved', {
      reviewer: WORKFLOW_REVIEWER,
      attributes: {
        'redacted-at': at(60 * 24 * 30),
        'reference-id': null,
        fields: fields(Object.fromEntries(Object.keys(fields()).map((k) => [k, null]))),
      },
    }),
  },
  {
    id: 'inq_Unmapped',
    description:
      '`approved` with objects Verigate does not map (a `verification/database`, a new `report/crypto-address-watchlist`) and a selfie of an unexpected shape → listed in `metadata.unmapped`, nothing fails',
    behaviour: {
      kind: 'inquiry',
      document: inquiryDocument('inq_Unmapped', 'approved', {
        included: [
          governmentId('ver_GovUnmapped', 'inq_Unmapped'),
          { type: 'verification/database', id: 'ver_DbUnmapped', attributes: { status: 'passed', checks: [] } },
          { type: 'report/crypto-address-watchlist', id: 'rep_CryptoUnmapped', attributes: { status: 'ready' } },
          { type: 'verification/selfie', id: 'ver_SelfOdd', attributes: { status: 'passed', checks: 'all good' } },
        ],
      }),
    },
  },
  {
    id: 'inq_Missing',
    description: 'Persona answers 404 `Record not found` (any id not in this table does the same) → NOT_FOUND',
    behaviour: error(404, 'Record not found'),
  },
  {
    id: 'inq_Error401',
    description: 'Persona answers 401 (as for a revoked key) → UPSTREAM_AUTH_FAILED',
    behaviour: error(401, 'Must be authenticated to access this endpoint'),
  },
  {
    id: 'inq_Error403',
    description: 'Persona answers 403 (IP not allowed for the environment) → UPSTREAM_AUTH_FAILED',
    behaviour: error(403, 'Forbidden', 'IP address is not permitted access to current environment'),
  },
  {
    id: 'inq_RateLimited',
    description: 'Persona answers 429 with `RateLimit-Reset: 12` → UPSTREAM_RATE_LIMITED, retryAfterSeconds 12',
    behaviour: error(
      429,
      'Rate limit exceeded',
      'You have hit your rate limit of 300 requests / min. Please reach out to support@withpersona.com if you need this changed.',
      { 'ratelimit-reset': '12', 'ratelimit-remaining': '0' },
    ),
  },
  {
    id: 'inq_Error500',
    description: 'Persona answers 500 → UPSTREAM_UNAVAILABLE',
    behaviour: error(500, 'Internal server error'),
  },
  {
    id: 'inq_Unavailable',
    description: 'Persona answers 503 `Service unavailable` → UPSTREAM_UNAVAILABLE',
    behaviour: error(503, 'Service unavailable'),
  },
  {
    id: 'inq_Slow',
    description: 'Persona takes 30 s to answer → UPSTREAM_UNAVAILABLE once Verigate’s timeout passes',
    behaviour: { kind: 'slow', delayMs: 30_000, document: inquiryDocument('inq_Slow', 'approved') },
  },
  {
    id: 'inq_Malformed',
    description: 'Persona answers 200 with a body that is not JSON → UPSTREAM_BAD_RESPONSE',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: '{"data": {"type": "inquiry", "id": ',
      contentType: 'application/json',
    },
  },
  {
    id: 'inq_InvalidShape',
    description: 'Persona answers 200 with JSON of the wrong shape (`status` is a number) → UPSTREAM_BAD_RESPONSE',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ data: { type: 'inquiry', id: 'inq_InvalidShape', attributes: { status: 7 } } }),
      contentType: 'application/json; charset=utf-8',
    },
  },
  {
    id: 'inq_Timeline',
    description:
      'timed, with signed webhooks: `created` when first read → NOT_STARTED; then `inquiry.started` → IN_PROGRESS, `inquiry.completed` → APPROVED, `inquiry.approved` → APPROVED',
    behaviour: {
      kind: 'timeline',
      steps: [
        { event: 'inquiry.created', behaviour: bare('inq_Timeline', 'created') },
        { event: 'inquiry.started', behaviour: bare('inq_Timeline', 'pending') },
        { event: 'inquiry.completed', behaviour: full('inq_Timeline', 'completed') },
        { event: 'inquiry.approved', behaviour: full('inq_Timeline', 'approved', { reviewer: WORKFLOW_REVIEWER }) },
      ],
    },
  },
  {
    id: 'inq_Overturned',
    description:
      'timed, with signed webhooks: `approved` when first read → APPROVED (terminal, cached); then a reviewer declines it, `inquiry.declined` → DECLINED',
    behaviour: {
      kind: 'timeline',
      steps: [
        { event: 'inquiry.approved', behaviour: full('inq_Overturned', 'approved', { reviewer: WORKFLOW_REVIEWER }) },
        {
          event: 'inquiry.declined',
          behaviour: full('inq_Overturned', 'declined', {
            reviewer: USER_REVIEWER,
            attributes: { 'reviewer-comment': 'Overturned after a manual review.' },
          }),
        },
      ],
    },
  },
];
