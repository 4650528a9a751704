/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** The state of a provider's circuit breaker. */
export type CircuitState =
  /** Calls flow normally. */
  | 'CLOSED'
  /** A few probe calls are let through to see whether the provider has recovered. */
  | 'HALF_OPEN'
  /** Too many recent calls failed: calls fail fast with `UPSTREAM_UNAVAILABLE` until a probe is allowed. */
  | 'OPEN';

/** The identity-verification providers Verigate speaks to. */
export type Provider =
  /** Didit (didit.me) identity verification. */
  | 'DIDIT'
  /** Onfido (Entrust) Studio workflow runs: the session id is the workflow run id. */
  | 'ONFIDO'
  /** Persona (withpersona.com): an inquiry, by its id (`inq_…`). */
  | 'PERSONA'
  /** Plaid Identity Verification (plaid.com): an identity verification, by its id (`idv_…`). */
  | 'PLAID'
  /** Stripe Identity: a VerificationSession, by its id (`vs_…`). */
  | 'STRIPE'
  /** Sumsub: an applicant (`GET /resources/applicants/{id}/one`), its review status and verdict. */
  | 'SUMSUB'
  /** Veratad VX (Verification Experience), Veratad Technologies' orchestrated verification journey. */
  | 'VERATAD'
  /** Verifa (withverifa.com) identity verification. */
  | 'VERIFA';

/** A reference to one provider session. */
export type SessionRefInput = {
  /** The provider's own session id. */
  id: string;
  /** The provider that ran the session. */
  provider: Provider;
};

/** One status vocabulary for every provider. The provider's own word is always kept beside it in `providerStatus`. */
export type VerificationStatus =
  /** The user started but did not finish in time. */
  | 'ABANDONED'
  /** Final positive decision. Providers may still change it later through a manual review. */
  | 'APPROVED'
  /** Final negative decision. Providers may still change it later through a manual review. */
  | 'DECLINED'
  /** The provider failed to process the session. */
  | 'ERROR'
  /** Timed out before completion, or a previously approved document has since expired. */
  | 'EXPIRED'
  /** The user or the provider is still working (capture, processing, waiting for a one-time code or an external gate). */
  | 'IN_PROGRESS'
  /** Waiting for a human review. */
  | 'IN_REVIEW'
  /** The session was created; the user has not engaged yet. */
  | 'NOT_STARTED'
  /** The user was asked to redo some steps. */
  | 'RESUBMISSION_REQUESTED'
  /** A value Verigate does not know yet. The raw value is in `providerStatus`. */
  | 'UNKNOWN';

export type ProvidersOverviewQueryVariables = Exact<{ [key: string]: never; }>;


export type ProvidersOverviewQuery = { providers: Array<{ provider: Provider, sandbox: boolean, healthy: boolean, circuit: CircuitState }> };

export type SessionSummaryFragment = { provider: Provider, providerSessionId: string, status: VerificationStatus, providerStatus: string, isTerminal: boolean, reasonCode: string | null, applicant: { fullName: string | null } | null, kyc: { documentType: string | null, issuingCountry: string | null, expirationDate: string | null } | null, face: { faceMatchScore: number | null, faceMatchPassed: boolean | null } | null } & { ' $fragmentName'?: 'SessionSummaryFragment' };

export type SessionStatusQueryVariables = Exact<{
  provider: Provider;
  id: string;
}>;


export type SessionStatusQuery = { session: (
    { id: string }
    & { ' $fragmentRefs'?: { 'SessionSummaryFragment': SessionSummaryFragment } }
  ) | null };

export type SessionsByRefQueryVariables = Exact<{
  refs: Array<SessionRefInput> | SessionRefInput;
}>;


export type SessionsByRefQuery = { sessions: Array<(
    { id: string }
    & { ' $fragmentRefs'?: { 'SessionSummaryFragment': SessionSummaryFragment } }
  ) | null> };

export type WatchSessionSubscriptionVariables = Exact<{
  provider: Provider;
  id: string;
}>;


export type WatchSessionSubscription = { sessionUpdated: (
    { id: string }
    & { ' $fragmentRefs'?: { 'SessionSummaryFragment': SessionSummaryFragment } }
  ) };

export const SessionSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Session"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"providerSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"providerStatus"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"applicant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"kyc"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"documentType"}},{"kind":"Field","name":{"kind":"Name","value":"issuingCountry"}},{"kind":"Field","name":{"kind":"Name","value":"expirationDate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"face"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"faceMatchScore"}},{"kind":"Field","name":{"kind":"Name","value":"faceMatchPassed"}}]}}]}}]} as unknown as DocumentNode<SessionSummaryFragment, unknown>;
export const ProvidersOverviewDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ProvidersOverview"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"providers"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"sandbox"}},{"kind":"Field","name":{"kind":"Name","value":"healthy"}},{"kind":"Field","name":{"kind":"Name","value":"circuit"}}]}}]}}]} as unknown as DocumentNode<ProvidersOverviewQuery, ProvidersOverviewQueryVariables>;
export const SessionStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionStatus"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Provider"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"session"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}},{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionSummary"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Session"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"providerSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"providerStatus"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"applicant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"kyc"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"documentType"}},{"kind":"Field","name":{"kind":"Name","value":"issuingCountry"}},{"kind":"Field","name":{"kind":"Name","value":"expirationDate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"face"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"faceMatchScore"}},{"kind":"Field","name":{"kind":"Name","value":"faceMatchPassed"}}]}}]}}]} as unknown as DocumentNode<SessionStatusQuery, SessionStatusQueryVariables>;
export const SessionsByRefDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SessionsByRef"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"refs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SessionRefInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessions"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"refs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"refs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionSummary"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Session"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"providerSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"providerStatus"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"applicant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"kyc"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"documentType"}},{"kind":"Field","name":{"kind":"Name","value":"issuingCountry"}},{"kind":"Field","name":{"kind":"Name","value":"expirationDate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"face"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"faceMatchScore"}},{"kind":"Field","name":{"kind":"Name","value":"faceMatchPassed"}}]}}]}}]} as unknown as DocumentNode<SessionsByRefQuery, SessionsByRefQueryVariables>;
export const WatchSessionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"WatchSession"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"provider"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Provider"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sessionUpdated"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"provider"},"value":{"kind":"Variable","name":{"kind":"Name","value":"provider"}}},{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SessionSummary"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SessionSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Session"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"provider"}},{"kind":"Field","name":{"kind":"Name","value":"providerSessionId"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"providerStatus"}},{"kind":"Field","name":{"kind":"Name","value":"isTerminal"}},{"kind":"Field","name":{"kind":"Name","value":"reasonCode"}},{"kind":"Field","name":{"kind":"Name","value":"applicant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fullName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"kyc"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"documentType"}},{"kind":"Field","name":{"kind":"Name","value":"issuingCountry"}},{"kind":"Field","name":{"kind":"Name","value":"expirationDate"}}]}},{"kind":"Field","name":{"kind":"Name","value":"face"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"faceMatchScore"}},{"kind":"Field","name":{"kind":"Name","value":"faceMatchPassed"}}]}}]}}]} as unknown as DocumentNode<WatchSessionSubscription, WatchSessionSubscriptionVariables>;