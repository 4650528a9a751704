import { createHmac, randomBytes } from 'node:crypto';
import { ScenarioClock, type SignedDelivery, type TimelinePace, WebhookOutbox } from '../../../sandbox/webhooks.ts';
import { STRIPE_API_VERSION, type StripeWebhookConfig } from '../config.ts';
import { expandedSession } from './expand.ts';
import type { StripeBehaviour, StripeObject, StripeScenario, StripeStaticBehaviour } from './scenarios.ts';

/**
 * Stripe's side of a webhook, for the simulator: `Stripe-Signature: t=<unix s>,v1=<hex>`, `v1 = HMAC-SHA256(secret,
 * "<t>.<body>")` (stripe-node `src/Webhooks.ts`, what `generateTestHeaderString` builds).
 */
export function signStripeDelivery(secret: string, body: string, t = Math.floor(Date.now() / 1000)): SignedDelivery {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return {
    body,
    headers: { 'stripe-signature': `t=${t},v1=${v1}`, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
  };
}

/** An `Event` (`object: "event"`) whose `data.object` is the session as of the event, unexpanded as Stripe sends it. */
export function stripeEventBody(
  type: string,
  session: StripeObject,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  return JSON.stringify({
    id: `evt_${randomBytes(12).toString('hex')}`,
    object: 'event',
    api_version: STRIPE_API_VERSION,
    created: nowSeconds,
    data: { object: expandedSession(session, []) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
}

export const sessionOf = (b: StripeStaticBehaviour): StripeObject | null =>
  b.kind === 'session' || b.kind === 'slow' ? b.session : null;

/**
 * The simulator's webhooks: the timed scenarios' (a scenario's first read starts its clock; each later step is served
 * from the moment its event is sent) and those of sessions moved on the hosted page, signed with the sandbox's secret.
 */
export class StripeTimelines {
  readonly #outbox = new WebhookOutbox();
  readonly #clock: ScenarioClock;
  readonly #webhook: StripeWebhookConfig | null;

  constructor(scenarios: Map<string, StripeScenario>, webhook: StripeWebhookConfig | null, stepMs: TimelinePace) {
    this.#webhook = webhook;
    this.#clock = new ScenarioClock(stepMs, (id, step) => {
      const b = scenarios.get(id)?.behaviour;
      const current = b?.kind === 'timeline' ? b.steps[step] : undefined;
      const session = current ? sessionOf(current.behaviour) : null;
      if (current && session) this.send(current.event, session);
    });
  }

  get webhooks(): WebhookOutbox {
    return this.#outbox;
  }

  /** Queues a signed event about `session` (nothing without a webhook secret). */
  send(type: string, session: StripeObject): void {
    const webhook = this.#webhook;
    if (!webhook) return;
    const body = stripeEventBody(type, session);
    this.#outbox.send(() => signStripeDelivery(webhook.secret, body));
  }

  /** What a scenario answers right now. */
  current(id: string, behaviour: StripeBehaviour): StripeStaticBehaviour {
    if (behaviour.kind !== 'timeline') return behaviour;
    const steps = behaviour.steps;
    return (steps[this.#clock.step(id, steps.length)] ?? steps[0])?.behaviour as StripeStaticBehaviour;
  }

  close(): void {
    this.#clock.close();
    this.#outbox.close();
  }
}
