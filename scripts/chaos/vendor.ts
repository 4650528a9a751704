import { request } from 'undici';
import { PERSONA_DEFAULT_VERSION } from '../../src/providers/persona/config.ts';
import { PERSONA_SANDBOX_API_KEY, startPersonaSimulator } from '../../src/providers/persona/sandbox/simulator.ts';
import { PERSONA_SANDBOX_TEMPLATE_ID } from '../../src/providers/persona/sandbox/started.ts';
import { personaEventBody, signPersonaDelivery } from '../../src/providers/persona/sandbox/webhookSender.ts';
import type { Simulator } from '../../src/sandbox/server.ts';
import type { Gateway } from './gateways.ts';

/**
 * The vendor of the chaos run: Persona's simulator holds the inquiries; each change is made there with Persona's own
 * sandbox control and then announced with a signed `inquiry.*` webhook, sent as Persona sends them: to the
 * deployment (here a gateway picked at random, as a load balancer would), retried until answered 2xx.
 */

export interface Ack {
  sessionId: string;
  event: string;
  /** The inquiry's status when the webhook was sent: what the timeline must hold once it is acknowledged. */
  status: string;
  attempts: number;
}

export class ChaosVendor {
  readonly acks: Ack[] = [];
  /** Deliveries answered non-2xx or not at all (each then retried). */
  refused = 0;
  readonly #simulator: Simulator;
  readonly #secret: string;

  private constructor(simulator: Simulator, secret: string) {
    this.#simulator = simulator;
    this.#secret = secret;
  }

  static async start(secret: string): Promise<ChaosVendor> {
    const simulator = await startPersonaSimulator({ webhook: null, timelineStepMs: 3_600_000 });
    return new ChaosVendor(simulator, secret);
  }

  get baseUrl(): string {
    return `${this.#simulator.url}/api/v1`;
  }

  readonly apiKey = PERSONA_SANDBOX_API_KEY;

  async createInquiry(n: number): Promise<string> {
    const res = await this.#call('POST', '/inquiries', {
      data: { attributes: { 'inquiry-template-id': PERSONA_SANDBOX_TEMPLATE_ID, 'reference-id': `chaos-${n}` } },
    });
    return (res as { data: { id: string } }).data.id;
  }

  /** Moves the inquiry with a sandbox action, then sends its signed webhook until a gateway answers 2xx. */
  async change(id: string, action: string, event: string, gateways: () => Gateway[]): Promise<void> {
    const doc = (await this.#call('POST', `/inquiries/${id}/perform-simulate-actions`, {
      meta: { 'simulate-actions': [{ type: action }] },
    })) as { data: { type: string; id: string; attributes: Record<string, unknown> } };
    const body = personaEventBody(event, { data: doc.data, included: [] }, id);
    const attempts = await this.#deliver(body, gateways);
    this.acks.push({ sessionId: id, event, status: String(doc.data.attributes.status), attempts });
  }

  async #deliver(body: string, gateways: () => Gateway[]): Promise<number> {
    for (let attempt = 1; attempt <= 60; attempt += 1) {
      const alive = gateways().filter((g) => g.alive());
      const target = alive[Math.floor(Math.random() * alive.length)];
      if (target) {
        const { headers } = signPersonaDelivery(this.#secret, body);
        try {
          const res = await request(`${target.url}/webhooks/persona`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body,
            headersTimeout: 10_000,
          });
          await res.body.dump();
          if (res.statusCode >= 200 && res.statusCode < 300) return attempt;
        } catch {
          // a killed gateway or a refused connection: Persona retries
        }
      }
      this.refused += 1;
      await new Promise((r) => setTimeout(r, Math.min(5_000, 200 * attempt)));
    }
    throw new Error('a webhook was not acknowledged after 60 attempts');
  }

  async #call(method: string, path: string, json: unknown): Promise<unknown> {
    const res = await request(`${this.baseUrl}${path}`, {
      method: method as 'POST',
      headers: {
        authorization: `Bearer ${PERSONA_SANDBOX_API_KEY}`,
        'content-type': 'application/json',
        'key-inflection': 'kebab',
        'persona-version': PERSONA_DEFAULT_VERSION,
      },
      body: JSON.stringify(json),
    });
    if (res.statusCode >= 300) throw new Error(`simulator ${method} ${path}: HTTP ${res.statusCode}`);
    return res.body.json();
  }

  close(): Promise<void> {
    return this.#simulator.close();
  }
}
