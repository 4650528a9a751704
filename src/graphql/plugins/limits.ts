import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError, type GraphQLSchema, type ParseOptions, type ValidationRule } from 'graphql';
import type { GraphQLLimits } from '../../config/index.ts';
import { costLimitPlugin } from './cost.ts';
import { knownOperationTypeRule, maxRootFieldsRule, subscriptionsOnlyRule } from './rootFields.ts';

/** What Apollo Server needs to enforce the operation limits. */
export interface OperationLimits {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  /** The same limits for subscriptions over SSE and WebSocket, which accept nothing but subscriptions. */
  subscriptionValidationRules: ValidationRule[];
  parseOptions: ParseOptions;
}

/** Reports a graphql-armor rejection as a validation error (400), without armor's misleading "Syntax Error:". */
const report: GraphQLArmorRejectCallback = (context, error) => {
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
};

/**
 * Every limit runs before execution, so a rejected operation never reaches a resolver, a cache or a vendor:
 * - tokens: graphql-js's own parser option, which stops lexing at the limit (a huge document is never parsed
 *   whole); answered as GRAPHQL_PARSE_FAILED;
 * - depth, aliases, directives: graphql-armor validation rules; root fields: `maxRootFieldsRule`; all answered
 *   as GRAPHQL_VALIDATION_FAILED;
 * - cost: `costLimitPlugin`, once the variables are known (so `sessions(refs:)` is priced by its refs).
 * graphql-armor's own token plugin answers HTTP 500 on Apollo Server 5 and its cost rule cannot see variables,
 * so those two are off in favour of the above.
 */
export function operationLimits(schema: GraphQLSchema, limits: GraphQLLimits): OperationLimits {
  const armor = new ApolloArmor({
    // Fragments do not add a level: `node(id:) { ... on Session { … } }` is as deep as `session { … }`.
    maxDepth: { n: limits.maxDepth, flattenFragments: true, propagateOnRejection: false, onReject: [report] },
    maxAliases: { n: limits.maxAliases, propagateOnRejection: false, onReject: [report] },
    maxDirectives: { n: limits.maxDirectives, propagateOnRejection: false, onReject: [report] },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    // Apollo's own `hideSchemaDetailsFromClientErrors` removes suggestions more cleanly (see server.ts).
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    // The armor protections in use are all validation rules (its plugins are the ones turned off above).
    plugins: [costLimitPlugin(schema, limits.maxCost, limits.maxUpstreamCalls)],
    validationRules: [knownOperationTypeRule, ...armor.validationRules, maxRootFieldsRule(limits.maxRootFields)],
    subscriptionValidationRules: [
      subscriptionsOnlyRule,
      ...armor.validationRules,
      maxRootFieldsRule(limits.maxRootFields),
    ],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
