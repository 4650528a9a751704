import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningSimulator } from '../providers/types.ts';

export type SimulatorHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface Simulator extends RunningSimulator {
  readonly port: number;
}

/**
 * Starts a vendor simulator on 127.0.0.1 (a free port unless one is given). It counts every request it
 * receives, so tests and benchmarks can assert how many upstream calls Verigate made.
 */
export async function startSimulator(handler: SimulatorHandler, port = 0): Promise<Simulator> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator.local');
    paths.push(url.pathname);
    Promise.resolve(handler(req, res, url)).catch((error: unknown) => {
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
