import { GraphQLError, Kind, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Refuses an operation that selects more than `max` fields at its root (fragments on the root type expanded,
 * `__typename` not counted). Every root field of this schema can start its own upstream work, so their number is
 * bounded on its own, not only through aliases. graphql-armor has no such rule; this one is a dozen lines.
 */
export function maxRootFieldsRule(max: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(operation) {
      const count = countFields(operation.selectionSet, context, new Set());
      if (count > max) {
        context.reportError(
          new GraphQLError(`Root fields limit of ${max} exceeded, found ${count}.`, { nodes: [operation] }),
        );
      }
    },
  });
}

function countFields(selectionSet: SelectionSetNode, context: ValidationContext, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countFields(selection.selectionSet, context, seen);
    } else {
      // Fragment cycles are reported by graphql's own NoFragmentCyclesRule; here they are only not followed twice.
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      if (!fragment || seen.has(name)) continue;
      seen.add(name);
      count += countFields(fragment.selectionSet, context, seen);
    }
  }
  return count;
}

/**
 * Refuses an operation type the schema has no root for (graphql-js 16 leaves that to execution, which answers with
 * an uncoded error), and a subscription sent as a plain HTTP request: `sessionUpdated` is served over SSE and WebSocket
 * only (src/http/subscriptions.ts, src/http/websocket.ts), which validate with `subscriptionsOnlyRule` instead.
 */
export const knownOperationTypeRule: ValidationRule = (context: ValidationContext) => ({
  OperationDefinition(operation) {
    if (operation.operation === 'subscription' && context.getSchema().getSubscriptionType()) {
      context.reportError(
        new GraphQLError(
          'Subscriptions are served on /graphql over SSE (Accept: text/event-stream) or WebSocket (graphql-transport-ws), not as a plain HTTP request.',
          { nodes: [operation] },
        ),
      );
      return;
    }
    if (context.getSchema().getRootType(operation.operation)) return;
    context.reportError(
      new GraphQLError(`This API has no ${operation.operation} operations; it serves queries and subscriptions only.`, {
        nodes: [operation],
      }),
    );
  },
});

/** Over SSE and WebSocket, subscriptions only: queries are answered by the HTTP route (caching, persisted queries). */
export const subscriptionsOnlyRule: ValidationRule = (context: ValidationContext) => ({
  OperationDefinition(operation) {
    if (operation.operation === 'subscription') return;
    context.reportError(
      new GraphQLError(
        `This transport serves subscriptions only; send a ${operation.operation} as an HTTP POST or GET to /graphql.`,
        { nodes: [operation] },
      ),
    );
  },
});
