import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A secret for test endpoints (32 bytes of 0x2a). */
export const RECEIVER_SECRET = `whsec_${Buffer.alloc(32, 42).toString('base64')}`;

/** One event the receiver verified with the `standardwebhooks` package and accepted. */
export interface ReceivedEvent {
  id: string;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** What the receiver answers to one verified attempt: a status, and headers (Retry-After). */
export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

export interface TestReceiver {
  url: string;
  /** Events answered 2xx, in arrival order. */
  events: ReceivedEvent[];
  /** Every verified attempt's webhook-id and the status answered, in order. */
  attempts: Array<{ id: string; status: number | 'hang' }>;
  /** Attempts whose signature did not verify (answered 401). */
  unverified: number;
  /** Decides the answer to each verified attempt (default 200); a promise holds the answer until it settles. */
  answer: (event: ReceivedEvent, attempt: number) => Answer | Promise<Answer>;
  close(): Promise<void>;
}

/** A real receiver on loopback that verifies every attempt as a backend would, with `standardwebhooks`. */
export async function startReceiver(secret = RECEIVER_SECRET): Promise<TestReceiver> {
  const webhook = new Webhook(secret);
  const seen = new Map<string, number>();
  const receiver: TestReceiver = {
    url: '',
    events: [],
    attempts: [],
    unverified: 0,
    answer: () => ({ status: 200 }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer(async (req, res) => {
    const raw = await text(req);
    let event: ReceivedEvent;
    try {
      const body = webhook.verify(raw, req.headers as Record<string, string>) as ReceivedEvent['body'];
      event = { id: String(req.headers['webhook-id']), body };
    } catch {
      receiver.unverified += 1;
      res.writeHead(401).end();
      return;
    }
    const attempt = (seen.get(event.id) ?? 0) + 1;
    seen.set(event.id, attempt);
    const answer = await receiver.answer(event, attempt);
    receiver.attempts.push({ id: event.id, status: answer === 'hang' ? 'hang' : answer.status });
    if (answer === 'hang') return;
    if (answer.status >= 200 && answer.status < 300) receiver.events.push(event);
    res.writeHead(answer.status, answer.headers ?? {}).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The OUTBOUND_WEBHOOKS value of one endpoint per receiver. */
export function outboundEnv(
  endpoints: Array<{ name: string; url: string; secret?: string; events?: string[]; providers?: string[] }>,
): string {
  return JSON.stringify(endpoints.map((e) => ({ secret: RECEIVER_SECRET, ...e })));
}
