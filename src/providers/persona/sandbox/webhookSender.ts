import { createHmac, randomBytes } from 'node:crypto';
import { ScenarioClock, type SignedDelivery, type TimelinePace, WebhookOutbox } from '../../../sandbox/webhooks.ts';
import type { PersonaWebhookConfig } from '../config.ts';
import type { InquiryDocument, PersonaBehaviour, PersonaScenario, PersonaStaticBehaviour } from './scenarios.ts';

/**
 * Persona's side of a webhook, for the simulator: `Persona-Signature: t=<unix s>,v1=<hex>`, `v1 = HMAC-SHA256(secret,
 * "<t>.<body>")` (docs.withpersona.com/docs/webhooks-best-practices), plus the attempt headers of
 * components/parameters/persona-webhook-*.yaml.
 */
export function signPersonaDelivery(secret: string, body: string, t = Math.floor(Date.now() / 1000)): SignedDelivery {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return {
    body,
    headers: {
      'persona-signature': `t=${t},v1=${v1}`,
      'persona-webhook-attempts-made': '1',
      'persona-webhook-attempts-left': '7',
      'user-agent': 'Persona-Webhooks/1.0',
    },
  };
}

/** An event (components/schemas/event.yaml) whose payload is the inquiry, as the `inquiry.*` webhooks carry it. */
export function personaEventBody(name: string, document: InquiryDocument | null, inquiryId: string): string {
  return JSON.stringify({
    data: {
      type: 'event',
      id: `evt_${randomBytes(12).toString('hex')}`,
      attributes: {
        name,
        payload: { data: document?.data ?? { type: 'inquiry', id: inquiryId }, included: [] },
        'created-at': new Date().toISOString(),
      },
    },
  });
}

export const documentOf = (b: PersonaStaticBehaviour): InquiryDocument | null =>
  b.kind === 'inquiry' || b.kind === 'slow' ? b.document : null;

/**
 * The simulator's timed scenarios and their webhooks: a scenario's first read starts its clock; each later step is
 * served from the moment its `inquiry.*` webhook is sent, signed with the sandbox's secret.
 */
export class PersonaTimelines {
  readonly #outbox = new WebhookOutbox();
  readonly #clock: ScenarioClock;
  readonly #webhook: PersonaWebhookConfig | null;

  constructor(scenarios: Map<string, PersonaScenario>, webhook: PersonaWebhookConfig | null, stepMs: TimelinePace) {
    this.#webhook = webhook;
    this.#clock = new ScenarioClock(stepMs, (id, step) => {
      const b = scenarios.get(id)?.behaviour;
      const current = b?.kind === 'timeline' ? b.steps[step] : undefined;
      if (current) this.send(current.event, id, documentOf(current.behaviour));
    });
  }

  get webhooks(): WebhookOutbox {
    return this.#outbox;
  }

  /** Queues a signed `name` event for inquiry `id` (nothing without webhook credentials). */
  send(name: string, id: string, document: InquiryDocument | null): void {
    const webhook = this.#webhook;
    if (!webhook) return;
    const body = personaEventBody(name, document, id);
    this.#outbox.send(() => signPersonaDelivery(webhook.secret, body));
  }

  /** What a scenario answers right now. */
  current(id: string, behaviour: PersonaBehaviour): PersonaStaticBehaviour {
    if (behaviour.kind !== 'timeline') return behaviour;
    const steps = behaviour.steps;
    return (steps[this.#clock.step(id, steps.length)] ?? steps[0])?.behaviour as PersonaStaticBehaviour;
  }

  close(): void {
    this.#clock.close();
    this.#outbox.close();
  }
}
