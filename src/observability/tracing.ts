import type { IncomingHttpHeaders } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { TelemetryConfig } from '../config/index.ts';
import { logger } from '../logger.ts';
import { onUpstreamEvent } from '../upstream/events.ts';

const TRACER = 'verigate';

/** A running trace pipeline; `close` flushes what is buffered and unregisters it. */
export interface Tracing {
  close(): Promise<void>;
}

let active: Tracing | null = null;

/**
 * Starts exporting spans over OTLP/HTTP when an endpoint is configured; otherwise nothing is registered and every
 * span below is OpenTelemetry's no-op. One pipeline per process (OpenTelemetry's globals are per process).
 *
 * Spans: one SERVER span per /graphql request (`query OperationName` once known, continuing an incoming W3C
 * `traceparent`), and one CLIENT span per upstream attempt, built from the upstream events (start and end from the
 * attempt's own timing) under the operation that caused it. Cache hits, dedups and rejections are span events.
 * Attributes carry provider, outcome, status and codes only: no ids, no URLs, no personal data.
 */
export function startTracing(config: TelemetryConfig): Tracing | null {
  if (!config.otlpEndpoint) return null;
  if (active) {
    logger.warn('tracing already started in this process; this gateway shares it');
    return null;
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${config.otlpEndpoint.replace(/\/$/, '')}/v1/traces` }),
      }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  const unsubscribe = onUpstreamEvent((event) => {
    if (event.type === 'upstream_request') {
      const end = Date.now();
      const span = trace.getTracer(TRACER).startSpan(
        `upstream ${event.provider}`,
        {
          kind: SpanKind.CLIENT,
          startTime: end - event.durationMs,
          attributes: {
            'verigate.provider': event.provider,
            'verigate.upstream.outcome': event.outcome,
            'verigate.upstream.attempt': event.attempt,
            ...(event.status === null ? {} : { 'http.response.status_code': event.status }),
          },
        },
        context.active(),
      );
      if (event.outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: event.outcome });
      span.end(end);
      return;
    }
    const span = trace.getActiveSpan();
    if (!span) return;
    if (event.type === 'cache') span.addEvent(`cache ${event.result}`, { provider: event.provider, tier: event.tier });
    else if (event.type === 'dedup') span.addEvent('joined call in flight', { provider: event.provider });
    else if (event.type === 'rejected')
      span.addEvent('upstream call refused', { provider: event.provider, reason: event.reason });
  });
  logger.info({ serviceName: config.serviceName }, 'tracing on: spans are exported over OTLP/HTTP');
  const tracing: Tracing = {
    async close() {
      unsubscribe();
      try {
        await provider.shutdown();
      } catch (error) {
        logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'trace export failed on close');
      }
      trace.disable();
      propagation.disable();
      context.disable();
      active = null;
    },
  };
  active = tracing;
  return tracing;
}

/**
 * Runs one /graphql request inside its SERVER span (a no-op span unless tracing is on). The operation plugin names
 * it once the operation is known; `run` reports the HTTP status and the error codes it answered with.
 */
export function withOperationSpan(
  headers: IncomingHttpHeaders,
  run: () => Promise<{ status: number; errorCodes: readonly string[] }>,
): Promise<void> {
  const parent = propagation.extract(context.active(), headers);
  return trace.getTracer(TRACER).startActiveSpan('graphql', { kind: SpanKind.SERVER }, parent, async (span) => {
    try {
      const { status, errorCodes } = await run();
      span.setAttribute('http.response.status_code', status);
      if (status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: errorCodes.join(',') });
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'internal error' });
      throw error;
    } finally {
      span.end();
    }
  });
}
