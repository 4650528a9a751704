import { type Simulator, sendJson, startSimulator } from '../../src/sandbox/server.ts';
import { DEFAULT_HTTP_OPTIONS, UpstreamHttp, type UpstreamHttpOptions } from '../../src/upstream/http.ts';
import { DEFAULT_POLICY, ProviderPolicy, type ProviderPolicyOptions } from '../../src/upstream/policy.ts';

/** A plain JSON server on loopback: every path answers 200 `{"ok":true}` unless a fault is injected. */
export function startEcho(): Promise<Simulator> {
  return startSimulator((_req, res) => sendJson(res, 200, { ok: true }));
}

export function client(
  sim: Simulator,
  policy: Partial<ProviderPolicyOptions> = {},
  http: Partial<UpstreamHttpOptions> = {},
): { http: UpstreamHttp; policy: ProviderPolicy } {
  const p = new ProviderPolicy('VERIFA', {
    ...DEFAULT_POLICY,
    retry: { ...DEFAULT_POLICY.retry, baseDelayMs: 5 },
    ...policy,
  });
  const options: UpstreamHttpOptions = {
    ...DEFAULT_HTTP_OPTIONS,
    timeouts: { connectMs: 300, headersMs: 300, bodyMs: 300, totalMs: 1_500 },
    ...http,
    policy: p,
  };
  return { http: new UpstreamHttp('VERIFA', sim.url, options), policy: p };
}
