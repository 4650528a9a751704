import { createHmac, randomBytes } from 'node:crypto';
import { ScenarioClock, type SignedDelivery, type TimelinePace, WebhookOutbox } from '../../../sandbox/webhooks.ts';
import type { VerifaWebhookConfig } from '../config.ts';
import type { VerifaBehaviour, VerifaScenario, VerifaStaticBehaviour } from './scenarios.ts';

/**
 * Verifa's side of a webhook, for the simulator: the event body and `X-Verifa-Signature: t=<unix s>,v1=<hex>`,
 * `v1 = HMAC-SHA256(secret, "<t>.<body>")` (docs.withverifa.com/api-details/webhooks), plus a delivery id.
 */
export function signVerifaDelivery(secret: string, body: string, t = Math.floor(Date.now() / 1000)): SignedDelivery {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');
  return {
    body,
    headers: {
      'x-verifa-signature': `t=${t},v1=${v1}`,
      'x-verifa-delivery-id': `whd_${randomBytes(12).toString('hex')}`,
      'user-agent': 'Verifa-Webhooks/1.0',
    },
  };
}

/** `{ event, data: { session_id, external_ref, status, is_sandbox, created_at }, created_at }`, snake_case keys. */
export function verifaEventBody(event: string, behaviour: VerifaStaticBehaviour): string {
  const session = behaviour.kind === 'session' || behaviour.kind === 'slow' ? behaviour.session : {};
  const result = behaviour.kind === 'session' || behaviour.kind === 'slow' ? behaviour.result : undefined;
  return JSON.stringify({
    event,
    data: {
      session_id: session.id,
      external_ref: session.external_ref ?? null,
      status: result?.status ?? session.status,
      is_sandbox: true,
      created_at: session.created_at,
    },
    created_at: new Date().toISOString(),
  });
}

/**
 * The simulator's timed scenarios and their webhooks: a scenario's first read starts its clock; each later step
 * is served from the moment its webhook is sent, signed with the sandbox's secret.
 */
export class VerifaTimelines {
  readonly #outbox = new WebhookOutbox();
  readonly #clock: ScenarioClock;
  readonly #scenarios: Map<string, VerifaScenario>;

  constructor(scenarios: Map<string, VerifaScenario>, webhook: VerifaWebhookConfig | null, stepMs: TimelinePace) {
    this.#scenarios = scenarios;
    this.#clock = new ScenarioClock(stepMs, (id, step) => {
      const b = this.#scenarios.get(id)?.behaviour;
      const current = b?.kind === 'timeline' ? b.steps[step] : undefined;
      if (!webhook || !current) return;
      this.#outbox.send(() => signVerifaDelivery(webhook.secret, verifaEventBody(current.event, current.behaviour)));
    });
  }

  get webhooks(): WebhookOutbox {
    return this.#outbox;
  }

  /** What a scenario answers right now. */
  current(id: string, behaviour: VerifaBehaviour): VerifaStaticBehaviour {
    if (behaviour.kind !== 'timeline') return behaviour;
    const steps = behaviour.steps;
    return (steps[this.#clock.step(id, steps.length)] ?? steps[0])?.behaviour as VerifaStaticBehaviour;
  }

  /** Manual pace: scenario `id` moves to its next step now (ScenarioClock.advance). */
  advance(id: string): boolean {
    return this.#clock.advance(id);
  }

  close(): void {
    this.#clock.close();
    this.#outbox.close();
  }
}
