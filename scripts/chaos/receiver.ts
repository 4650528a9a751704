import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

/**
 * The backend the gateways deliver to: verifies every attempt with the `standardwebhooks` package, as a receiver
 * would, and can be taken down (its port closed: connections refused) and brought back on the same port.
 */

export interface Arrival {
  webhookId: string;
  sessionId: string;
  sequence: number;
  status: string;
}

export class ChaosReceiver {
  readonly arrivals: Arrival[] = [];
  unverified = 0;
  readonly #webhook: Webhook;
  #server: Server | null = null;
  #port = 0;

  constructor(secret: string) {
    this.#webhook = new Webhook(secret);
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hooks`;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const body = this.#webhook.verify(
            Buffer.concat(chunks).toString('utf8'),
            req.headers as Record<string, string>,
          ) as {
            type: string;
            data: { sessionId?: string; sequence?: number; status?: string };
          };
          if (body.type === 'verification.session.status_changed')
            this.arrivals.push({
              webhookId: String(req.headers['webhook-id']),
              sessionId: String(body.data.sessionId),
              sequence: Number(body.data.sequence),
              status: String(body.data.status),
            });
          res.writeHead(200).end();
        } catch {
          this.unverified += 1;
          res.writeHead(401).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
