import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { StartSessionRequest } from '../../src/providers/start.ts';

/** What a start test needs of one vendor's create path: a request with a checkpoint it can read back. */
export function startRequest(overrides: Partial<StartSessionRequest> = {}): StartSessionRequest & {
  checkpoints: string[];
} {
  const checkpoints: string[] = [];
  return {
    flow: 'flow',
    subjectRef: 'user-42',
    country: 'DE',
    prefill: { givenName: 'Jane', familyName: 'Sample', dateOfBirth: '1991-04-12', email: null, phone: null },
    returnUrl: 'https://app.example.com/done',
    locale: 'en-GB',
    idempotencyKey: 'idem-key-0001',
    resumeFrom: null,
    checkpoint: async (id) => {
      checkpoints.push(id);
    },
    ...overrides,
    checkpoints,
  };
}

/** Presses a button of a simulator's hosted page, as the person's browser posts the form. */
export async function pressHosted(url: string, outcome: string, reason?: string): Promise<number> {
  const form = new URLSearchParams({ outcome, ...(reason ? { reason } : {}) });
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  await res.body.dump();
  return res.statusCode;
}

export interface Delivery {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A loopback receiver for a simulator's webhooks: answers 200 and hands each delivery to whoever waits for it. */
export class DeliveryReceiver {
  readonly deliveries: Delivery[] = [];
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];
  readonly #server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(200).end();
      for (const w of this.#waiters.filter((w) => this.deliveries.length >= w.count)) w.resolve();
    });
  });

  async listen(path: string): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}${path}`;
  }

  /** Resolves once `count` deliveries have arrived in all. */
  received(count: number): Promise<void> {
    if (this.deliveries.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
