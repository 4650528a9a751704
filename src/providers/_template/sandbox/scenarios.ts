import type { ScenarioInfo } from '../../types.ts';
import type { TemplateCheck } from '../payload.ts';

/** How the simulator answers one id: a check, a vendor error, or bytes that are not what the spec says. */
export type TemplateBehaviour =
  | { kind: 'check'; check: Omit<TemplateCheck, 'id'> }
  | { kind: 'error'; status: number; headers?: Record<string, string> }
  | { kind: 'raw'; body: string };

export interface TemplateScenario extends ScenarioInfo {
  behaviour: TemplateBehaviour;
}

/** A person and a document, fake but well-formed: the contract suite checks they are masked without `pii:read`. */
const person = { first_name: 'Jane', last_name: 'Sample', date_of_birth: '1990-01-31' };
const document = { type: 'passport', number: 'X1234567', country: 'GB', expires_on: '2031-01-31' };
const check = (status: string, extra: Partial<TemplateCheck> = {}): TemplateBehaviour => ({
  kind: 'check',
  check: { status, created_at: '2026-01-15T09:30:00Z', ...extra },
});

/**
 * The sandbox catalogue, listed in the README once registered (the first is the playground's example). The contract
 * suite needs one id per status row, one with a word in no table, one answered with a 5xx and one with personal data.
 */
export const TEMPLATE_SCENARIOS: readonly TemplateScenario[] = [
  {
    id: 'chk_approved',
    description: '`approved`, with a person and a passport → APPROVED',
    behaviour: check('approved', { person, document }),
  },
  { id: 'chk_pending', description: '`pending`: created, not begun → NOT_STARTED', behaviour: check('pending') },
  {
    id: 'chk_processing',
    description: '`processing`: the person is capturing → IN_PROGRESS',
    behaviour: check('processing'),
  },
  {
    id: 'chk_review',
    description: '`review`: a reviewer looks at it → IN_REVIEW',
    behaviour: check('review', { person }),
  },
  {
    id: 'chk_declined',
    description: '`declined` with reason `document_expired` → DECLINED, reasonCode `document_expired`',
    behaviour: check('declined', { reason: 'document_expired', person, document }),
  },
  { id: 'chk_expired', description: '`expired`: never finished → EXPIRED', behaviour: check('expired') },
  {
    id: 'chk_unknown',
    description: 'a status word Verigate does not know (`on_hold`) → UNKNOWN, the raw word kept',
    behaviour: check('on_hold'),
  },
  {
    id: 'chk_missing',
    description: 'HTTP 404 (any id not in this table does the same) → NOT_FOUND',
    behaviour: { kind: 'error', status: 404 },
  },
  { id: 'chk_error_500', description: 'HTTP 500 → UPSTREAM_UNAVAILABLE', behaviour: { kind: 'error', status: 500 } },
  {
    id: 'chk_rate_limited',
    description: 'HTTP 429 with `Retry-After: 9` → UPSTREAM_RATE_LIMITED, retryAfterSeconds 9',
    behaviour: { kind: 'error', status: 429, headers: { 'retry-after': '9' } },
  },
  { id: 'chk_unauthorized', description: 'HTTP 401 → UPSTREAM_AUTH_FAILED', behaviour: { kind: 'error', status: 401 } },
  {
    id: 'chk_garbage',
    description: 'HTTP 200 with a body that is not JSON → UPSTREAM_BAD_RESPONSE',
    behaviour: { kind: 'raw', body: '<html>oops</html>' },
  },
];
