import type { ApolloServerPlugin } from '@apollo/server';
import { SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * Names the request's SERVER span after its operation (`query SessionScreen`, OpenTelemetry's GraphQL
 * convention) and marks it failed when the response carries errors, with their codes. A no-op without tracing.
 * The document itself is not recorded: it may carry ids and literals.
 */
export const operationSpanPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    const span = trace.getActiveSpan();
    if (!span) return;
    return {
      async didResolveOperation({ operation, operationName }) {
        if (!operation) return;
        span.updateName(operationName ? `${operation.operation} ${operationName}` : operation.operation);
        span.setAttribute('graphql.operation.type', operation.operation);
        if (operationName) span.setAttribute('graphql.operation.name', operationName);
      },
      async willSendResponse({ response }) {
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        if (!errors?.length) return;
        const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
        span.setAttribute('verigate.error_codes', codes);
        span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(',') });
      },
    };
  },
};
