import type { DeclineCategory, DeclineReason, SessionTurn } from '../../model/declines.ts';
import type { Journey, VerificationStatus } from '../../model/session.ts';
import { text } from '../../model/values.ts';
import { type DeclineRow, type DeclineSignal, type DeclineTable, declineReasons } from '../declines.ts';

/**
 * VX's `detail` words (`dcams_plus.detail`, each journey stop's `detail`), from the AgeMatch, Scanning Enhanced,
 * Smart 2FA and Phone Verification pages of api.veratad.com (providers.md §1.4c). VX gives no retry signal:
 * every reason takes its category's default.
 */
const row = (code: string, category: DeclineCategory, note?: string): DeclineRow => ({
  code,
  category,
  ...(note ? { note } : {}),
});

export const veratadDetails: DeclineTable = {
  provider: 'VERATAD',
  field: 'detail',
  source:
    'api.veratad.com: AgeMatch US/International, Scanning Enhanced, Smart 2FA, Phone Verification (`detail` values)',
  rows: [
    row('NO MATCH', 'DATA_UNVERIFIED', 'pinned'),
    row('AGE NOT VERIFIED', 'UNDERAGE', 'pinned'),
    row('POSSIBLE MINOR', 'UNDERAGE', 'pinned'),
    row('AGE NOT SUBMITTED', 'DATA_UNVERIFIED', 'no date of birth was given'),
    row('TARGET IS DECEASED', 'FRAUD_SUSPECTED'),
    row('SERVICE CANNOT BE COMPLETED', 'PROVIDER_ERROR', 'VX asks for the transaction to be resubmitted'),
    row('NOT A VALID DOCUMENT', 'DOCUMENT_UNSUPPORTED'),
    row('DOCUMENT NOT VERIFIED', 'DOCUMENT_UNREADABLE', 'the scan could not be verified'),
    row('DOCUMENT IS EXPIRED', 'DOCUMENT_EXPIRED', 'pinned'),
    row('DOCUMENT AGE CHECK FAILED', 'UNDERAGE'),
    row('SELFIE MATCH FAILED', 'FACE_MISMATCH', 'pinned'),
    row('TRANSACTION REQUIRES FURTHER ATTENTION', 'OTHER', 'a manual review'),
    row('FAILED OUT-OF-BAND CHECK', 'DATA_UNVERIFIED', 'the one-time code did not confirm the phone'),
    row('VOIP NOT ALLOWED', 'DATA_UNVERIFIED'),
    row('SUPPRESSED SENDING CODE', 'PROVIDER_ERROR'),
    row('FAILED TO SEND TO NUMBER', 'DATA_UNVERIFIED'),
    row('MORE INFORMATION IS REQUIRED', 'USER_FLOW_INCOMPLETE'),
  ],
};

export const veratadDeclineTables: readonly DeclineTable[] = [veratadDetails];

/** VX's word for a check that passed: never a reason, whatever the session's status. */
const PASSED = 'ALL CHECKS PASSED';

const NOT_PASSED: ReadonlySet<VerificationStatus> = new Set([
  'DECLINED',
  'IN_REVIEW',
  'ERROR',
  'RESUBMISSION_REQUESTED',
]);

/** The session's `detail` (unless it passed), then each journey stop that did not pass, in the journey's order. */
export function veratadDeclineReasons(
  resultStatus: string,
  dcamsDetail: string | null | undefined,
  journey: Journey | null,
): DeclineReason[] {
  const signals: DeclineSignal[] = [];
  const detail = text(dcamsDetail);
  if (resultStatus !== 'PASS' && detail !== null && detail !== PASSED)
    signals.push({ table: veratadDetails, code: detail });
  for (const stop of journey?.stops ?? []) {
    const word = text(stop.detail);
    if (word !== null && word !== PASSED && stop.status !== null && NOT_PASSED.has(stop.status)) {
      signals.push({ table: veratadDetails, code: word });
    }
  }
  return declineReasons(signals);
}

/** A VX session part way through (`PENDING` not in review, HTTP 202) waits on the person: a code, a scan. */
export const veratadTurn: SessionTurn = 'USER';
