import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSimulator } from '../providers/types.ts';
import type { SimulatorWebhooks } from './webhooks.ts';

export type SimulatorHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface Simulator extends RunningSimulator {
  readonly port: number;
}

/** A fault a simulator can be told to inject into its next responses (issue: resilience fault tests). */
export type Fault =
  /** Wait this long, then answer normally. */
  | { kind: 'latency'; ms: number }
  /** Answer with this HTTP status and a JSON error body. */
  | { kind: 'status'; status: number }
  /** Answer 429 with `Retry-After`. */
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  /** Destroy the connection without answering. */
  | { kind: 'reset' }
  /** Send headers and the start of a body, then nothing more. */
  | { kind: 'stall' }
  /** Answer 200 with a JSON body of this many bytes. */
  | { kind: 'oversize'; bytes: number }
  /** Answer 200 with bytes that are not JSON. */
  | { kind: 'garbage' }
  /** Answer 200 with this JSON text for the request's path: vendor payloads no scenario holds (deep or huge fields). */
  | { kind: 'payload'; body: (path: string) => string }
  /** Answer 200 with a JSON body of `bytes` (default 4 096), sent `chunkBytes` (default 1) every `everyMs`. */
  | { kind: 'trickle'; everyMs: number; chunkBytes?: number; bytes?: number }
  /** Answer as usual, but label the response with this content type. */
  | { kind: 'content_type'; contentType: string };

export interface FaultInjector {
  /** Injects `fault` into the next `times` requests (default: until cleared) whose path includes `path`. */
  inject(fault: Fault, options?: { times?: number; path?: string }): void;
  clear(): void;
}

interface ArmedFault {
  fault: Fault;
  remaining: number;
  path: string;
}

/** Applies the first armed fault matching the request; returns true when the response is fully handled. */
async function applyFault(
  armed: ArmedFault[],
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  const index = armed.findIndex((a) => path.includes(a.path));
  if (index < 0) return false;
  const entry = armed[index] as ArmedFault;
  entry.remaining -= 1;
  if (entry.remaining <= 0) armed.splice(index, 1);
  const { fault } = entry;
  switch (fault.kind) {
    case 'latency':
      await sleep(fault.ms);
      return res.destroyed;
    case 'status':
      sendJson(res, fault.status, { error: 'injected_fault', detail: `Injected HTTP ${fault.status}.` });
      return true;
    case 'rate_limit':
      sendJson(
        res,
        429,
        { error: 'rate_limited', detail: 'Injected rate limit.' },
        { 'retry-after': fault.retryAfterSeconds },
      );
      return true;
    case 'reset':
      req.socket.destroy();
      return true;
    case 'stall':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096 });
      res.write('{"session_id": "');
      return true;
    case 'oversize': {
      const filler = 'x'.repeat(Math.max(0, fault.bytes - 20));
      sendRaw(res, 200, `{"padding": "${filler}"}`, 'application/json');
      return true;
    }
    case 'garbage':
      sendRaw(res, 200, '\u0000<html>not json{', 'application/json');
      return true;
    case 'payload':
      sendRaw(res, 200, fault.body(path), 'application/json');
      return true;
    case 'trickle':
      trickle(res, fault.bytes ?? 4096, fault.chunkBytes ?? 1, fault.everyMs);
      return true;
    case 'content_type':
      relabel(res, fault.contentType);
      return false;
  }
}

/** Sends a JSON body of `bytes` a few bytes at a time, until it is done or the client goes away. */
function trickle(res: ServerResponse, bytes: number, chunkBytes: number, everyMs: number): void {
  const body = Buffer.from(`{"padding": "${'x'.repeat(Math.max(0, bytes - 15))}"}`);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(body.subarray(sent, sent + chunkBytes));
    sent += chunkBytes;
    if (sent >= body.length) {
      clearInterval(timer);
      res.end();
    }
  }, everyMs);
  res.once('close', () => clearInterval(timer));
}

/** Makes the handler's own response go out under another content type (the simulators use `writeHead`). */
function relabel(res: ServerResponse, contentType: string): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: OutgoingHttpHeaders) => ServerResponse;
  res.writeHead = ((status: number, headers?: OutgoingHttpHeaders) =>
    writeHead(status, { ...headers, 'content-type': contentType })) as typeof res.writeHead;
}

/**
 * Starts a vendor simulator on 127.0.0.1 (a free port unless one is given). It counts every request it
 * receives, so tests and benchmarks can assert how many upstream calls Verigate made.
 */
export async function startSimulator(handler: SimulatorHandler, port = 0): Promise<Simulator> {
  const paths: string[] = [];
  const armed: ArmedFault[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    paths.push(url.pathname);
    const handled = armed.length > 0 ? applyFault(armed, req, res, url.pathname) : Promise.resolve(false);
    handled
      .then((done) => (done ? undefined : handler(req, res, url)))
      .catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: 'simulator_failure', detail: String(error) });
        else res.destroy();
      });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    requestCount: (pathIncludes) =>
      pathIncludes === undefined ? paths.length : paths.filter((p) => p.includes(pathIncludes)).length,
    resetCount: () => {
      paths.length = 0;
    },
    faults: {
      inject: (fault, options = {}) => {
        armed.push({ fault, remaining: options.times ?? Number.POSITIVE_INFINITY, path: options.path ?? '' });
      },
      clear: () => {
        armed.length = 0;
      },
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function sendRaw(
  res: ServerResponse,
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string | number> = {},
): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** Splits `/api/v1/sessions/abc/result` into decoded segments, or null when a segment is not valid encoding. */
export function pathSegments(pathname: string): string[] | null {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

/** A simulator's request body as JSON (64 KiB at most); null when larger or not JSON, as a vendor answers 400/422. */
export async function readJsonBody(req: IncomingMessage, maxBytes = 64 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return null;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a simulator's timed scenarios need from it: where their webhooks go, and a stop for their clocks. */
export interface SimulatorTimelines {
  readonly webhooks: SimulatorWebhooks;
  /** Moves a timed scenario one step now (a simulator started with the `'manual'` pace). */
  advance?(id: string): boolean;
  close(): void;
}

/** A simulator whose timed scenarios send webhooks: their outbox is exposed, and closing it stops their clocks. */
export function withTimelines(simulator: Simulator, timelines: SimulatorTimelines): Simulator {
  return {
    ...simulator,
    webhooks: timelines.webhooks,
    ...(timelines.advance ? { advance: (id: string) => timelines.advance?.(id) ?? false } : {}),
    close: () => {
      timelines.close();
      return simulator.close();
    },
  };
}

/** A simulator's fixed one-minute window of requests, for the rate-limit headers its vendor sends. */
export function minuteWindow(): (now: number) => { used: number; resetAt: number } {
  let start = Date.now();
  let used = 0;
  return (now) => {
    if (now - start >= 60_000) {
      start = now;
      used = 0;
    }
    used += 1;
    return { used, resetAt: start + 60_000 };
  };
}
