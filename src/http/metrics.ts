import { type GatewayMetrics, serveMetrics } from '../observability/metrics.ts';
import { isRead } from './respond.ts';
import type { Route } from './route.ts';

/** `/metrics` in Prometheus text, behind METRICS_TOKEN when one is configured. */
export function metricsRoute(metrics: GatewayMetrics, token: string | null): Route {
  return async (req, res, url) => {
    if (url.pathname !== '/metrics' || !isRead(req)) return false;
    await serveMetrics(req, res, metrics, token);
    return true;
  };
}
