import { type GatewayMetrics, serveMetrics } from '../observability/metrics.ts';
import { isRead } from './respond.ts';
import type { Route } from './route.ts';

/** `/metrics` in Prometheus text, behind METRICS_TOKEN when one is configured. */
export function metricsRoute(metrics: GatewayMetrics, token: string | null): Route {
  const serve: Route = async (req, res) => {
    await serveMetrics(req, res, metrics, token);
    return true;
  };
  // Declines synchronously (no promise) for every other request.
  return (req, res, url) => (url.pathname === '/metrics' && isRead(req) ? serve(req, res, url) : false);
}
