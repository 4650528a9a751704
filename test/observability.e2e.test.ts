import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './support/gateway.ts';

/** Scrapes /metrics into `name{label="value",…}` (labels sorted) -> value. */
async function scrape(gw: TestGateway, token?: string): Promise<Map<string, number>> {
  const res = await request(gw.gateway.url.replace(/\/graphql$/, '/metrics'), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await res.body.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)]
      .map((m) => `${m[1]}="${m[2]}"`)
      .sort()
      .join(',');
    samples.set(labels ? `${match[1]}{${labels}}` : (match[1] as string), Number(match[3]));
  }
  return samples;
}

const VX_SLOW = '0e1a7ad0-0000-4000-8000-000000000016';
const DIDIT_OK = 'd1d10200-0000-4000-8000-000000000003';

describe('Prometheus metrics at /metrics', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(
      { CACHE_TERMINAL_TTL_SECONDS: '300', VERIFA_RATE_LIMIT_PER_MINUTE: '3' },
      { policy: { breaker: { minCalls: 4, openMs: 60_000 } } },
    );
  });
  afterAll(() => gw.close());

  it('counts operations, upstream calls, cache lookups, rejections, circuit state and requests in flight', async () => {
    const verifa = gw.simulator('VERIFA');
    const didit = gw.simulator('DIDIT');
    const status = (provider: string, id: string) => `{ session(provider: ${provider}, id: "${id}") { status } }`;

    // Verifa: a terminal session twice (the second from cache), a missing one, then past Verigate's own budget.
    await gw.query(status('VERIFA', 'ses_approved'));
    // Another selection of the same session: not the same operation (no response reuse), so a session-cache hit.
    await gw.query(`{ session(provider: VERIFA, id: "ses_approved") { status isTerminal } }`);
    await gw.query(status('VERIFA', 'ses_missing'));
    const limited = await gw.query(status('VERIFA', 'ses_rejected'));
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('UPSTREAM_RATE_LIMITED');
    // Didit: failing until its circuit opens, then refused without a call.
    didit.faults.inject({ kind: 'status', status: 502 });
    for (let i = 0; i < 3; i += 1) await gw.query(status('DIDIT', DIDIT_OK));
    didit.faults.clear();
    // One request without credentials.
    await gw.query(status('VERIFA', 'ses_approved'), undefined, null);

    // A slow VX call is in flight while /metrics is read.
    const slow = gw.query(status('VERATAD', VX_SLOW));
    await new Promise((r) => setTimeout(r, 200));
    const during = await scrape(gw);
    expect(during.get('verigate_http_requests_in_flight')).toBe(1);
    await slow;

    const m = await scrape(gw);
    expect(m.get('verigate_http_requests_in_flight')).toBe(0);
    // Every upstream attempt is one observation, and matches what the simulators saw.
    expect(m.get('verigate_upstream_request_duration_seconds_count{outcome="ok",provider="VERIFA"}')).toBe(
      verifa.requestCount(),
    );
    expect(m.get('verigate_upstream_request_duration_seconds_count{outcome="server_error",provider="DIDIT"}')).toBe(
      didit.requestCount(),
    );
    expect(m.get('verigate_upstream_request_duration_seconds_count{outcome="timeout",provider="VERATAD"}')).toBe(1);
    expect(m.get('verigate_upstream_rejections_total{provider="VERIFA",reason="rate_budget"}')).toBe(1);
    expect(m.get('verigate_upstream_rejections_total{provider="DIDIT",reason="circuit_open"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(m.get('verigate_cache_lookups_total{provider="VERIFA",result="hit",tier="memory"}')).toBe(1);
    expect(m.get('verigate_cache_lookups_total{provider="VERIFA",result="miss",tier="memory"}')).toBe(3);
    expect(m.get('verigate_circuit_state{provider="DIDIT",state="OPEN"}')).toBe(1);
    expect(m.get('verigate_circuit_state{provider="DIDIT",state="CLOSED"}')).toBe(0);
    expect(m.get('verigate_circuit_state{provider="VERIFA",state="CLOSED"}')).toBe(1);
    expect(m.get('verigate_circuit_transitions_total{provider="DIDIT",state="OPEN"}')).toBe(1);
    expect(m.get('verigate_graphql_operation_duration_seconds_count{operation_type="query",outcome="ok"}')).toBe(2);
    expect(m.get('verigate_graphql_operation_duration_seconds_count{operation_type="query",outcome="errors"}')).toBe(6);
    expect(m.get('verigate_graphql_operation_duration_seconds_count{operation_type="none",outcome="rejected"}')).toBe(
      1,
    );
    expect(m.get('verigate_graphql_errors_total{code="NOT_FOUND"}')).toBe(1);
    expect(m.get('verigate_graphql_errors_total{code="UPSTREAM_RATE_LIMITED"}')).toBe(1);
    expect(m.get('verigate_graphql_errors_total{code="UPSTREAM_UNAVAILABLE"}')).toBe(4);
    expect(m.get('verigate_graphql_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    // Node's own numbers come along.
    expect(m.has('process_cpu_user_seconds_total')).toBe(true);
    expect(m.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('labels nothing with an id, a key or a URL', async () => {
    const res = await request(gw.gateway.url.replace(/\/graphql$/, '/metrics'));
    const text = await res.body.text();
    for (const secret of ['ses_approved', 'ses_missing', DIDIT_OK, VX_SLOW, 'test-key', '127.0.0.1']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('/metrics with a token', () => {
  const TOKEN = 'metrics-scraper-token-0001';
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ METRICS_TOKEN: TOKEN });
  });
  afterAll(() => gw.close());

  it('answers 401 without the token or with another one, and the metrics with it', async () => {
    const url = gw.gateway.url.replace(/\/graphql$/, '/metrics');
    for (const authorization of [undefined, 'Bearer nope', `Bearer ${TOKEN}x`]) {
      const res = await request(url, { headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      await res.body.dump();
    }
    expect((await scrape(gw, TOKEN)).get('verigate_http_requests_in_flight')).toBe(0);
  });
});

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status?: { code?: number; message?: string };
}

describe('OpenTelemetry spans over OTLP/HTTP', () => {
  let collector: Server;
  const bodies: string[] = [];
  let endpoint = '';
  beforeAll(async () => {
    // A stand-in OTLP collector on loopback: it keeps what the exporter posts to /v1/traces.
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        if (req.url === '/v1/traces') bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => collector.close(resolve)));

  it('exports a SERVER span per operation, continuing the caller’s trace, with one CLIENT span per upstream call', async () => {
    const gw = await startTestGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'verigate-test' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await request(gw.gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer test-key-full-access-0001',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({
        query: 'query SessionScreen { session(provider: VERIFA, id: "ses_abc123") { status applicant { fullName } } }',
      }),
    });
    expect(await res.body.json()).toEqual({
      data: { session: { status: 'IN_REVIEW', applicant: { fullName: 'Jane Sample' } } },
    });
    const calls = gw.simulator('VERIFA').requestCount();
    const refused = await gw.query('{ providers { provider } }', undefined, null);
    expect(refused.status).toBe(401);
    await gw.close(); // flushes the batch

    const spans = bodies.flatMap((b) => {
      const parsed = JSON.parse(b) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: OtlpSpan[] }>;
        }>;
      };
      for (const r of parsed.resourceSpans) {
        expect(r.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'verigate-test' } });
      }
      return parsed.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    });
    const server = spans.find((s) => s.name === 'query SessionScreen');
    expect(server).toMatchObject({ traceId, parentSpanId: '00f067aa0ba902b7', kind: 2 });
    expect(server?.attributes).toEqual(
      expect.arrayContaining([
        { key: 'graphql.operation.type', value: { stringValue: 'query' } },
        { key: 'graphql.operation.name', value: { stringValue: 'SessionScreen' } },
        { key: 'http.response.status_code', value: { intValue: 200 } },
      ]),
    );
    // A request refused before any operation ran keeps the generic name, failed, with its status and code.
    const unnamed = spans.find((s) => s.name === 'graphql');
    expect(unnamed).toMatchObject({ kind: 2, status: { code: 2, message: 'UNAUTHENTICATED' } });
    expect(unnamed?.attributes).toContainEqual({ key: 'http.response.status_code', value: { intValue: 401 } });
    const upstream = spans.filter((s) => s.name === 'upstream VERIFA');
    expect(upstream).toHaveLength(calls);
    for (const span of upstream) {
      expect(span).toMatchObject({ traceId, parentSpanId: server?.spanId, kind: 3 });
      expect(BigInt(span.startTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(server?.startTimeUnixNano ?? 0));
      expect(BigInt(span.endTimeUnixNano)).toBeLessThanOrEqual(BigInt(server?.endTimeUnixNano ?? 0));
      expect(span.attributes).toEqual(
        expect.arrayContaining([
          { key: 'verigate.provider', value: { stringValue: 'VERIFA' } },
          { key: 'verigate.upstream.outcome', value: { stringValue: 'ok' } },
          { key: 'http.response.status_code', value: { intValue: 200 } },
        ]),
      );
    }
    // No session id, personal value, key or URL in any span.
    const exported = bodies.join('\n');
    for (const secret of ['ses_abc123', 'Jane', 'test-key-full-access', '/api/v1/sessions']) {
      expect(exported).not.toContain(secret);
    }
  });

  it('is a no-op without an endpoint: nothing is exported', async () => {
    bodies.length = 0;
    const gw = await startTestGateway();
    await gw.query('{ session(provider: VERIFA, id: "ses_abc123") { status } }');
    await gw.close();
    expect(bodies).toEqual([]);
  });
});
