import { z } from 'zod';
import { type EnvOf, httpUrl, optionalText } from './parse.ts';

/** Logs, metrics and traces. */

export interface TelemetryConfig {
  /** OTLP/HTTP endpoint for traces (`/v1/traces` is appended); null: tracing is a no-op. */
  otlpEndpoint: string | null;
  serviceName: string;
  /** Bearer token /metrics requires; null: /metrics is open (keep it off the public load balancer). */
  metricsToken: string | null;
}

export const telemetryEnv = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(httpUrl.optional()),
  OTEL_SERVICE_NAME: optionalText.pipe(z.string().default('verigate')),
};

export function telemetryConfig(env: EnvOf<typeof telemetryEnv>): TelemetryConfig {
  return {
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT ?? null,
    serviceName: env.OTEL_SERVICE_NAME,
    metricsToken: env.METRICS_TOKEN ?? null,
  };
}
