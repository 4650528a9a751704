import type { DeclineReason, SessionTurn } from '../../model/declines.ts';
import { type DeclineSignal, type DeclineTable, declineReasons } from '../declines.ts';
import type { PlaidDocument, PlaidIdentityVerification, PlaidSelfie } from './payload.ts';
import { FAILED_STEP_STATUSES } from './status.ts';

/**
 * Why Plaid failed a verification, from its steps and their analysis (plaid-openapi 2020-09-14.yml: `DocumentAnalysis`,
 * `SelfieAnalysis`, `KYCCheckDetails`, `IdentityVerificationStepSummary`). Codes are `<field>:<value>` exactly as
 * Plaid sends them, or `<step>:failed` where no analysis value explains a failed step. A failing `watchlist_screening`
 * or `risk_check` step is Plaid's signal that no retry helps (DESIGN §8); the other steps take the category default.
 */
const SPEC = 'plaid-openapi 2020-09-14.yml';

export const plaidDocumentDeclines: DeclineTable = {
  provider: 'PLAID',
  field: 'documentary_verification analysis',
  source: `${SPEC}: DocumentAnalysis, PhysicalDocumentExtractedDataAnalysis`,
  rows: [
    { code: 'authenticity:no_match', category: 'DOCUMENT_TAMPERED', note: 'fails the jurisdiction’s security checks' },
    { code: 'authenticity:partial_match', category: 'DOCUMENT_NOT_ORIGINAL' },
    { code: 'image_quality:low', category: 'DOCUMENT_UNREADABLE' },
    { code: 'expiration_date:expired', category: 'DOCUMENT_EXPIRED' },
    { code: 'name:no_match', category: 'DATA_MISMATCH', note: 'the name on the document against the one given' },
    { code: 'date_of_birth:no_match', category: 'DATA_MISMATCH' },
    { code: 'issuing_country:no_match', category: 'DATA_MISMATCH' },
    { code: 'documentary_verification:failed', category: 'DOCUMENT_UNREADABLE', note: 'no analysis value explains it' },
  ],
};

export const plaidSelfieDeclines: DeclineTable = {
  provider: 'PLAID',
  field: 'selfie_check analysis',
  source: `${SPEC}: SelfieAnalysis`,
  rows: [
    { code: 'document_comparison:no_match', category: 'FACE_MISMATCH' },
    { code: 'liveness_check:failed', category: 'LIVENESS_FAILED' },
    { code: 'selfie_check:failed', category: 'SELFIE_UNUSABLE', note: 'no analysis value explains it' },
  ],
};

const KYC_FIELDS = ['name', 'date_of_birth', 'id_number', 'address', 'phone_number'] as const;

export const plaidKycDeclines: DeclineTable = {
  provider: 'PLAID',
  field: 'kyc_check summary',
  source: `${SPEC}: KYCCheckDetails, MatchSummaryCode`,
  rows: [
    ...KYC_FIELDS.flatMap((f) => [
      { code: `${f}:no_match`, category: 'DATA_MISMATCH' as const },
      { code: `${f}:no_data`, category: 'DATA_UNVERIFIED' as const },
    ]),
    { code: 'kyc_check:failed', category: 'DATA_UNVERIFIED', note: 'no field summary explains it' },
  ],
};

export const plaidScreeningDeclines: DeclineTable = {
  provider: 'PLAID',
  field: 'watchlist_screening step',
  source: `${SPEC}: IdentityVerificationStepSummary`,
  rows: [
    {
      code: 'watchlist_screening:failed',
      category: 'SANCTIONS_MATCH',
      retry: 'NONE',
      note: 'the hit’s lists are on the screening (its id in metadata), which Verigate does not read',
    },
    { code: 'watchlist_screening:manually_rejected', category: 'SANCTIONS_MATCH', retry: 'NONE' },
    { code: 'watchlist_screening:pending_review', category: 'SANCTIONS_MATCH', retry: 'NONE', note: 'IN_REVIEW' },
  ],
};

export const plaidRiskDeclines: DeclineTable = {
  provider: 'PLAID',
  field: 'risk_check',
  source: `${SPEC}: RiskCheckDetails`,
  rows: [
    { code: 'bot_detected:yes', category: 'FRAUD_SUSPECTED', retry: 'NONE' },
    { code: 'fraud_ring_detected:yes', category: 'FRAUD_SUSPECTED', retry: 'NONE' },
    {
      code: 'facial_duplicates',
      category: 'DUPLICATE',
      retry: 'NONE',
      note: 'the face was seen on another verification',
    },
    { code: 'risk_check:failed', category: 'FRAUD_SUSPECTED', retry: 'NONE', note: 'no signal explains it' },
    { code: 'risk_check:manually_rejected', category: 'FRAUD_SUSPECTED', retry: 'NONE' },
  ],
};

export const plaidSessionDeclines: DeclineTable = {
  provider: 'PLAID',
  field: 'identity verification status',
  source: `${SPEC}: IdentityVerificationStatus`,
  rows: [
    { code: 'expired', category: 'USER_FLOW_INCOMPLETE' },
    { code: 'canceled', category: 'USER_FLOW_INCOMPLETE' },
    { code: 'failed', category: 'OTHER', note: 'no failed step explains it' },
  ],
};

export const PLAID_DECLINE_TABLES = [
  plaidDocumentDeclines,
  plaidSelfieDeclines,
  plaidKycDeclines,
  plaidScreeningDeclines,
  plaidRiskDeclines,
  plaidSessionDeclines,
];

const failed = (status: string | null | undefined) => status != null && FAILED_STEP_STATUSES.has(status);

function documentSignals(doc: PlaidDocument): string[] {
  const a = doc.analysis;
  const data = a?.extracted_data;
  const codes = [
    a?.authenticity === 'no_match' || a?.authenticity === 'partial_match' ? `authenticity:${a.authenticity}` : null,
    a?.image_quality === 'low' ? 'image_quality:low' : null,
    data?.expiration_date === 'expired' ? 'expiration_date:expired' : null,
    ...(['name', 'date_of_birth', 'issuing_country'] as const).map((f) =>
      data?.[f] === 'no_match' ? `${f}:no_match` : null,
    ),
  ];
  return codes.filter((c): c is string => c !== null);
}

function selfieSignals(selfie: PlaidSelfie): string[] {
  const a = selfie.analysis;
  return [
    a?.document_comparison === 'no_match' ? 'document_comparison:no_match' : null,
    a?.liveness_check === 'failed' ? 'liveness_check:failed' : null,
  ].filter((c): c is string => c !== null);
}

/** Codes of one step's analysis, or `<step>:failed` when none explains the failure. */
const orStep = (codes: string[], step: string) => (codes.length > 0 ? codes : [`${step}:failed`]);

/** The signals of every failed step, in Plaid's step order. */
function failedStepSignals(v: PlaidIdentityVerification): DeclineSignal[] {
  const steps = v.steps ?? {};
  const signals: DeclineSignal[] = [];
  const add = (table: DeclineTable, codes: string[]) => {
    for (const code of codes) signals.push({ table, code });
  };
  if (failed(steps.kyc_check)) {
    const k = v.kyc_check;
    const codes = KYC_FIELDS.map((f) => {
      const s = k?.[f]?.summary;
      return s === 'no_match' || s === 'no_data' ? `${f}:${s}` : null;
    }).filter((c): c is string => c !== null);
    add(plaidKycDeclines, orStep(codes, 'kyc_check'));
  }
  if (failed(steps.documentary_verification)) {
    const docs = (v.documentary_verification?.documents ?? []).filter((d) => d.status === 'failed');
    add(plaidDocumentDeclines, orStep(docs.flatMap(documentSignals), 'documentary_verification'));
  }
  if (failed(steps.selfie_check)) {
    const selfies = (v.selfie_check?.selfies ?? []).filter((s) => s.status === 'failed');
    add(plaidSelfieDeclines, orStep(selfies.flatMap(selfieSignals), 'selfie_check'));
  }
  const screening = steps.watchlist_screening;
  if (failed(screening)) add(plaidScreeningDeclines, [`watchlist_screening:${screening}`]);
  const risk = steps.risk_check;
  if (failed(risk)) {
    const r = v.risk_check;
    const codes = [
      r?.behavior?.bot_detected === 'yes' ? 'bot_detected:yes' : null,
      r?.behavior?.fraud_ring_detected === 'yes' ? 'fraud_ring_detected:yes' : null,
      (r?.facial_duplicates?.length ?? 0) > 0 ? 'facial_duplicates' : null,
    ].filter((c): c is string => c !== null);
    add(plaidRiskDeclines, codes.length > 0 ? codes : [`risk_check:${risk}`]);
  }
  return signals;
}

/**
 * The verification's decline reasons (DESIGN §8): a failed one's failed steps, a pending review's screening hit, an
 * expired or canceled one's unfinished flow; none while it is active or passed.
 */
export function plaidDeclineReasons(v: PlaidIdentityVerification): DeclineReason[] {
  switch (v.status) {
    case 'failed': {
      const signals = failedStepSignals(v);
      return declineReasons(signals.length > 0 ? signals : [{ table: plaidSessionDeclines, code: 'failed' }]);
    }
    case 'pending_review':
      return v.steps?.watchlist_screening === 'pending_review'
        ? declineReasons([{ table: plaidScreeningDeclines, code: 'watchlist_screening:pending_review' }])
        : [];
    case 'expired':
    case 'canceled':
      return declineReasons([{ table: plaidSessionDeclines, code: v.status }]);
    default:
      return [];
  }
}

/**
 * Whose move an active verification waits on: the person's while a step is theirs (`active`) or still to come,
 * Plaid's once every step has run.
 */
export function plaidTurn(v: PlaidIdentityVerification): SessionTurn {
  const words = Object.values(v.steps ?? {});
  return words.some((w) => w === 'active' || w === 'waiting_for_prerequisite') ? 'USER' : 'VENDOR';
}
