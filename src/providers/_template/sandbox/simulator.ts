import { pathSegments, type Simulator, sendJson, sendRaw, startSimulator } from '../../../sandbox/server.ts';
import { TEMPLATE_SCENARIOS } from './scenarios.ts';

/** The key the simulator accepts; the module's `startSandbox` hands it to the adapter. */
export const TEMPLATE_SANDBOX_API_KEY = 'tk_sandbox_verigate_simulator';

/**
 * The vendor's API on loopback, as its spec says it answers: `GET /v1/checks/{id}` with `Authorization: Bearer`,
 * JSON errors `{ "error": { "code", "message" } }`. Mirror the vendor's own sandbox controls where it has them.
 */
export function startTemplateSimulator(): Promise<Simulator> {
  const scenarios = new Map(TEMPLATE_SCENARIOS.map((s) => [s.id, s.behaviour]));
  const fail = (status: number, code: string) => ({ error: { code, message: `HTTP ${status}` } });
  return startSimulator((req, res, url) => {
    if (req.headers.authorization !== `Bearer ${TEMPLATE_SANDBOX_API_KEY}`)
      return sendJson(res, 401, fail(401, 'unauthorized'));
    const segments = pathSegments(url.pathname);
    const id = segments?.length === 3 && segments[0] === 'v1' && segments[1] === 'checks' ? segments[2] : undefined;
    const behaviour = id === undefined ? undefined : scenarios.get(id);
    if (req.method !== 'GET' || id === undefined || behaviour === undefined)
      return sendJson(res, 404, fail(404, 'not_found'));
    switch (behaviour.kind) {
      case 'check':
        return sendJson(res, 200, { id, ...behaviour.check });
      case 'error':
        return sendJson(res, behaviour.status, fail(behaviour.status, 'error'), behaviour.headers);
      case 'raw':
        return sendRaw(res, 200, behaviour.body, 'application/json');
    }
  });
}
