import { DIDIT_V1_DOCUMENTED_DECISION } from './examples/v1Documented.ts';
import { DIDIT_V3_DOCUMENTED_DECISION } from './examples/v3Documented.ts';
import { DIDIT_V3_OFFICIAL_EXAMPLE } from './examples/v3Official.ts';
import { businessDecision, multiNodeDecision, nullArraysDecision } from './examples/v3Workflows.ts';
import { type FakeSession, fakeV1, fakeV3, type Payload } from './fakes.ts';

/**
 * The Didit sandbox catalogue: one session per status, edge case and failure the adapters handle, each under a
 * fixed UUID. A decision scenario holds the payload each API generation serves (`v1`, `v3`); a generation
 * without one answers 404 for it. Values are fake except Didit's documented examples.
 */

export type DiditBehaviour =
  | DiditStaticBehaviour
  /** A timed scenario: each step's answers, and the status Didit's `status.updated` webhook names as it begins. */
  | { kind: 'timeline'; steps: ReadonlyArray<{ status: string; behaviour: DiditStaticBehaviour }> };

export type DiditStaticBehaviour =
  | { kind: 'decision'; v1?: Payload; v3?: Payload }
  | { kind: 'error'; status: number; detail: string; headers?: Record<string, string> }
  | { kind: 'slow'; delayMs: number; v1: Payload; v3: Payload }
  | { kind: 'raw'; status: number; body: string; contentType: string };

export interface DiditScenario {
  /** Short handle for tests and docs. */
  name: string;
  id: string;
  description: string;
  behaviour: DiditBehaviour;
}

/** A made-up session both generations serve. */
function fake(f: FakeSession): DiditStaticBehaviour {
  return { kind: 'decision', v1: fakeV1(f), v3: fakeV3(f) };
}

const statusId = (n: number) => `d1d10200-0000-4000-8000-${String(n).padStart(12, '0')}`;
const errorId = (n: number) => `d1d10400-0000-4000-8000-${String(n).padStart(12, '0')}`;
const v3OnlyId = (n: number) => `d1d10300-0000-4000-8000-${String(n).padStart(12, '0')}`;

function statusScenario(n: number, f: Omit<FakeSession, 'id'>, description: string): DiditScenario {
  const id = statusId(n);
  const name = `status ${f.status}`;
  return { name, id, description: `\`${f.status}\`: ${description}`, behaviour: fake({ ...f, id }) };
}

const error = (status: number, detail: string, headers?: Record<string, string>): DiditStaticBehaviour => ({
  kind: 'error',
  status,
  detail,
  ...(headers ? { headers } : {}),
});

const timedId = (n: number) => `d1d10500-0000-4000-8000-${String(n).padStart(12, '0')}`;
/** Each step of a timed scenario: the session as Didit serves it then, under the scenario's id. */
const timed = (n: number, steps: Array<Omit<FakeSession, 'id'>>) => ({
  kind: 'timeline' as const,
  steps: steps.map((f) => ({ status: f.status, behaviour: fake({ ...f, id: timedId(n) }) })),
});

export const DIDIT_SCENARIOS: readonly DiditScenario[] = [
  {
    name: 'documented',
    id: '11111111-2222-3333-4444-555555555555',
    description:
      'Didit’s documented example (v1 payload as documented; v3 payload describing the same checks): `Declined` after a manual review, AML `In Review` with one hit, face match 97.99 → DECLINED, reasonCode POSSIBLE_MATCH_FOUND (declineReasons SANCTIONS_MATCH: the hit is on a sanctions dataset; userAction CONTACT_SUPPORT), aml.totalHits 1, face.faceMatchScore 0.9799',
    behaviour: { kind: 'decision', v1: DIDIT_V1_DOCUMENTED_DECISION, v3: DIDIT_V3_DOCUMENTED_DECISION },
  },
  {
    name: 'official v3 example',
    id: '00000000-0000-4000-8000-000000000001',
    description:
      'v3 only. The example of Didit’s OpenAPI (fake values): every feature array, NFC, phone, email, proof of address and database validation → IN_REVIEW, face IN_REVIEW (face match 0.6543)',
    behaviour: { kind: 'decision', v3: DIDIT_V3_OFFICIAL_EXAMPLE },
  },
  {
    name: 'multi-node',
    id: v3OnlyId(1),
    description:
      'v3 only. A workflow with a step-up: two documents, two liveness checks, two AML screenings (the second with a hit), two IP analyses (the second over a VPN); the parts are the latest run, `checks` lists them all → IN_REVIEW, reasonCode POSSIBLE_MATCH_FOUND',
    behaviour: { kind: 'decision', v3: multiNodeDecision(v3OnlyId(1)) },
  },
  {
    name: 'null arrays',
    id: v3OnlyId(2),
    description:
      'v3 only. Just opened, in Didit’s sandbox environment: feature arrays null, one liveness item with withheld (null) attributes and a status word Verigate does not know → IN_PROGRESS, sandbox true',
    behaviour: { kind: 'decision', v3: nullArraysDecision(v3OnlyId(2)) },
  },
  {
    name: 'business',
    id: v3OnlyId(3),
    description:
      'v3 only. A KYB (`session_kind: business`) decision: `IN_REVIEW`, registry and document checks `APPROVED`, key people `IN_REVIEW`, a company AML screening → IN_REVIEW, reasonCode KEY_PERSON_VERIFICATION_PENDING',
    behaviour: { kind: 'decision', v3: businessDecision(v3OnlyId(3)) },
  },
  statusScenario(1, { status: 'Not Started' }, 'created, link not opened; no check has run → NOT_STARTED'),
  statusScenario(
    2,
    { status: 'In Progress', kyc: 'Approved', face: 'Not Finished' },
    'document read, selfie not finished → IN_PROGRESS',
  ),
  statusScenario(
    3,
    { status: 'Approved', kyc: 'Approved', face: 'Approved', aml: 'Approved', ip: 'Approved' },
    'every check approved, no warning → APPROVED',
  ),
  statusScenario(
    4,
    {
      status: 'Declined',
      kyc: 'Declined',
      face: 'Approved',
      ip: 'In Review',
      warnings: [
        { feature: 'ID_VERIFICATION', risk: 'QR_NOT_DETECTED', logType: 'information' },
        { feature: 'ID_VERIFICATION', risk: 'DOCUMENT_EXPIRED', logType: 'error' },
        { feature: 'ID_VERIFICATION', risk: 'SCREEN_CAPTURE_DETECTED', logType: 'error' },
        { feature: 'LOCATION', risk: 'COUNTRY_FROM_DOCUMENT_DOES_NOT_MATCH_COUNTRY_FROM_IP', logType: 'warning' },
      ],
      reviews: [{ new_status: 'Declined', comment: 'Expired passport.' }],
    },
    'document declined; the first `error` warning outranks an earlier `information` and a later `warning` → DECLINED, reasonCode DOCUMENT_EXPIRED; userAction START_OVER, declineReasons DOCUMENT_EXPIRED, DOCUMENT_NOT_ORIGINAL, DATA_MISMATCH (retryable in a new session)',
  ),
  statusScenario(
    5,
    {
      status: 'In Review',
      kyc: 'Approved',
      face: 'Approved',
      aml: 'In Review',
      warnings: [
        { feature: 'ID_VERIFICATION', risk: 'QR_NOT_DETECTED', logType: 'information' },
        { feature: 'AML', risk: 'POSSIBLE_MATCH_FOUND', logType: 'warning' },
      ],
    },
    'AML needs a human; a `warning` outranks an earlier `information` → IN_REVIEW, reasonCode POSSIBLE_MATCH_FOUND',
  ),
  statusScenario(6, { status: 'Awaiting User' }, 'KYB waiting for related parties’ sessions → IN_PROGRESS'),
  statusScenario(
    7,
    {
      status: 'Resubmitted',
      kyc: 'Approved',
      face: 'Resub Requested',
      warnings: [{ feature: 'LIVENESS', risk: 'NO_FACE_DETECTED', logType: 'error' }],
      reviews: [{ new_status: 'Resubmitted', comment: 'Please retake the selfie.' }],
    },
    'the user was asked to redo the selfie → RESUBMISSION_REQUESTED, userAction RETRY, declineReasons SELFIE_UNUSABLE (`NO_FACE_DETECTED`, retry in the same session: Didit’s `Resubmitted`)',
  ),
  statusScenario(8, { status: 'Expired' }, 'the link was never opened in time → EXPIRED'),
  statusScenario(9, { status: 'Abandoned', kyc: 'Not Finished' }, 'started, not finished in time → ABANDONED'),
  statusScenario(
    10,
    {
      status: 'Kyc Expired',
      kyc: 'Approved',
      face: 'Approved',
      warnings: [{ feature: 'ID_VERIFICATION', risk: 'DOCUMENT_EXPIRED', logType: 'warning' }],
    },
    'approved earlier, the document has since expired → EXPIRED, reasonCode KYC_EXPIRED (before any warning)',
  ),
  statusScenario(11, { status: 'NOT_STARTED' }, 'KYB form → NOT_STARTED'),
  statusScenario(12, { status: 'IN_PROGRESS' }, 'KYB form → IN_PROGRESS'),
  statusScenario(13, { status: 'AWAITING_USER' }, 'KYB form → IN_PROGRESS'),
  statusScenario(14, { status: 'IN_REVIEW' }, 'KYB form → IN_REVIEW'),
  statusScenario(15, { status: 'RESUBMITTED' }, 'KYB form → RESUBMISSION_REQUESTED'),
  statusScenario(16, { status: 'APPROVED' }, 'KYB form → APPROVED'),
  statusScenario(17, { status: 'DECLINED' }, 'KYB form → DECLINED'),
  statusScenario(18, { status: 'EXPIRED' }, 'KYB form → EXPIRED'),
  statusScenario(19, { status: 'ABANDONED' }, 'KYB form → ABANDONED'),
  statusScenario(
    20,
    { status: 'On Hold', kyc: 'Pending Review' },
    'a session status and a check status Verigate does not know → UNKNOWN, raw values kept',
  ),
  {
    name: 'not found',
    id: errorId(404),
    description: 'Didit answers 404 `{"detail": "Not found."}` (any id not in this table does the same) → NOT_FOUND',
    behaviour: error(404, 'Not found.'),
  },
  {
    name: 'error 401',
    id: errorId(401),
    description: 'Didit answers 401 even to a fresh token → UPSTREAM_AUTH_FAILED (v1 retries once first)',
    behaviour: error(401, 'Authentication credentials were not provided or are invalid.'),
  },
  {
    name: 'error 403',
    id: errorId(403),
    description: 'Didit answers 403 (no permission, or no credits left) → UPSTREAM_AUTH_FAILED',
    behaviour: error(403, 'You do not have permission to perform this action.'),
  },
  {
    name: 'rate limited',
    id: errorId(429),
    description: 'Didit answers 429 with `Retry-After: 17` → UPSTREAM_RATE_LIMITED, retryAfterSeconds 17',
    behaviour: error(429, 'Request was throttled. Expected available in 17 seconds.', { 'retry-after': '17' }),
  },
  {
    name: 'error 500',
    id: errorId(500),
    description: 'Didit answers 500 → UPSTREAM_UNAVAILABLE',
    behaviour: error(500, 'A server error occurred.'),
  },
  {
    name: 'slow',
    id: errorId(30),
    description: 'Didit takes 30 s to answer → UPSTREAM_UNAVAILABLE once Verigate’s timeout passes',
    behaviour: {
      kind: 'slow',
      delayMs: 30_000,
      v1: fakeV1({ id: errorId(30), status: 'Approved', kyc: 'Approved' }),
      v3: fakeV3({ id: errorId(30), status: 'Approved', kyc: 'Approved' }),
    },
  },
  {
    name: 'malformed',
    id: errorId(1),
    description: 'Didit answers 200 with a body that is not JSON → UPSTREAM_BAD_RESPONSE',
    behaviour: { kind: 'raw', status: 200, body: '{"session_id": "d1d10400-', contentType: 'application/json' },
  },
  {
    name: 'invalid shape',
    id: errorId(2),
    description: 'Didit answers 200 with JSON of the wrong shape (`status` is a number) → UPSTREAM_BAD_RESPONSE',
    behaviour: {
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ session_id: errorId(2), status: 3, kyc: 'approved' }),
      contentType: 'application/json',
    },
  },
  {
    name: 'html 404',
    id: errorId(3),
    description: 'Didit’s router answers an HTML 404 page (as it does for ids it cannot route) → NOT_FOUND',
    behaviour: {
      kind: 'raw',
      status: 404,
      body: '<!doctype html><html><head><title>Not Found</title></head><body><h1>Not Found</h1></body></html>',
      contentType: 'text/html; charset=utf-8',
    },
  },
  {
    name: 'timeline',
    id: timedId(1),
    description:
      'timed, with webhooks: `In Progress` when first read → IN_PROGRESS; a few seconds later `status.updated` to `In Review` → IN_REVIEW; then `Approved` → APPROVED',
    behaviour: timed(1, [
      { status: 'In Progress' },
      { status: 'In Review', kyc: 'Approved', face: 'Approved', aml: 'In Review' },
      { status: 'Approved', kyc: 'Approved', face: 'Approved', aml: 'Approved' },
    ]),
  },
  {
    name: 'overturned',
    id: timedId(2),
    description:
      'timed, with webhooks: `Approved` when first read → APPROVED (terminal, cached); a few seconds later a reviewer sets it to `Declined` (`status.updated`) → DECLINED',
    behaviour: timed(2, [
      { status: 'Approved', kyc: 'Approved', face: 'Approved' },
      {
        status: 'Declined',
        kyc: 'Declined',
        face: 'Approved',
        reviews: [{ new_status: 'Declined', comment: 'Overturned by a reviewer.' }],
      },
    ]),
  },
];

/** A scenario by its `name` (tests and docs). */
export function diditScenario(name: string): DiditScenario {
  const found = DIDIT_SCENARIOS.find((s) => s.name === name);
  if (!found) throw new Error(`no Didit scenario named ${name}`);
  return found;
}
