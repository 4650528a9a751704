/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query ProvidersOverview {\n  providers {\n    provider\n    sandbox\n    healthy\n    circuit\n  }\n}": typeof types.ProvidersOverviewDocument,
    "fragment SessionSummary on Session {\n  provider\n  providerSessionId\n  status\n  providerStatus\n  isTerminal\n  reasonCode\n  applicant {\n    fullName\n  }\n  kyc {\n    documentType\n    issuingCountry\n    expirationDate\n  }\n  face {\n    faceMatchScore\n    faceMatchPassed\n  }\n}\n\nquery SessionStatus($provider: Provider!, $id: String!) {\n  session(provider: $provider, id: $id) {\n    id\n    ...SessionSummary\n  }\n}\n\nquery SessionsByRef($refs: [SessionRefInput!]!) {\n  sessions(refs: $refs) {\n    id\n    ...SessionSummary\n  }\n}": typeof types.SessionSummaryFragmentDoc,
    "subscription WatchSession($provider: Provider!, $id: String!) {\n  sessionUpdated(provider: $provider, id: $id) {\n    id\n    ...SessionSummary\n  }\n}": typeof types.WatchSessionDocument,
};
const documents: Documents = {
    "query ProvidersOverview {\n  providers {\n    provider\n    sandbox\n    healthy\n    circuit\n  }\n}": types.ProvidersOverviewDocument,
    "fragment SessionSummary on Session {\n  provider\n  providerSessionId\n  status\n  providerStatus\n  isTerminal\n  reasonCode\n  applicant {\n    fullName\n  }\n  kyc {\n    documentType\n    issuingCountry\n    expirationDate\n  }\n  face {\n    faceMatchScore\n    faceMatchPassed\n  }\n}\n\nquery SessionStatus($provider: Provider!, $id: String!) {\n  session(provider: $provider, id: $id) {\n    id\n    ...SessionSummary\n  }\n}\n\nquery SessionsByRef($refs: [SessionRefInput!]!) {\n  sessions(refs: $refs) {\n    id\n    ...SessionSummary\n  }\n}": types.SessionSummaryFragmentDoc,
    "subscription WatchSession($provider: Provider!, $id: String!) {\n  sessionUpdated(provider: $provider, id: $id) {\n    id\n    ...SessionSummary\n  }\n}": types.WatchSessionDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProvidersOverview {\n  providers {\n    provider\n    sandbox\n    healthy\n    circuit\n  }\n}"): (typeof documents)["query ProvidersOverview {\n  providers {\n    provider\n    sandbox\n    healthy\n    circuit\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "fragment SessionSummary on Session {\n  provider\n  providerSessionId\n  status\n  providerStatus\n  isTerminal\n  reasonCode\n  applicant {\n    fullName\n  }\n  kyc {\n    documentType\n    issuingCountry\n    expirationDate\n  }\n  face {\n    faceMatchScore\n    faceMatchPassed\n  }\n}\n\nquery SessionStatus($provider: Provider!, $id: String!) {\n  session(provider: $provider, id: $id) {\n    id\n    ...SessionSummary\n  }\n}\n\nquery SessionsByRef($refs: [SessionRefInput!]!) {\n  sessions(refs: $refs) {\n    id\n    ...SessionSummary\n  }\n}"): (typeof documents)["fragment SessionSummary on Session {\n  provider\n  providerSessionId\n  status\n  providerStatus\n  isTerminal\n  reasonCode\n  applicant {\n    fullName\n  }\n  kyc {\n    documentType\n    issuingCountry\n    expirationDate\n  }\n  face {\n    faceMatchScore\n    faceMatchPassed\n  }\n}\n\nquery SessionStatus($provider: Provider!, $id: String!) {\n  session(provider: $provider, id: $id) {\n    id\n    ...SessionSummary\n  }\n}\n\nquery SessionsByRef($refs: [SessionRefInput!]!) {\n  sessions(refs: $refs) {\n    id\n    ...SessionSummary\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription WatchSession($provider: Provider!, $id: String!) {\n  sessionUpdated(provider: $provider, id: $id) {\n    id\n    ...SessionSummary\n  }\n}"): (typeof documents)["subscription WatchSession($provider: Provider!, $id: String!) {\n  sessionUpdated(provider: $provider, id: $id) {\n    id\n    ...SessionSummary\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;