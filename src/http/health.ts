import type { ProviderInfo } from '../model/session.ts';
import { isRead, writeJson } from './respond.ts';
import type { Route } from './route.ts';

export interface HealthState {
  /** True from the moment shutdown starts: /readyz says 503 so balancers stop sending new requests. */
  draining(): boolean;
  providers(): ProviderInfo[];
}

/** `/healthz` (the process answers) and `/readyz` (it wants traffic: 503 while draining). */
export function healthRoute(state: HealthState): Route {
  return (req, res, url) => {
    if (!isRead(req)) return false;
    if (url.pathname === '/healthz') {
      writeJson(res, 200, { status: 'ok' });
      return true;
    }
    if (url.pathname === '/readyz') {
      if (state.draining()) writeJson(res, 503, { status: 'draining' });
      else writeJson(res, 200, { status: 'ready', providers: state.providers() });
      return true;
    }
    return false;
  };
}
