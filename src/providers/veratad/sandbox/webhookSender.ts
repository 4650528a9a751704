import { createHmac } from 'node:crypto';
import { ScenarioClock, type SignedDelivery, type TimelinePace, WebhookOutbox } from '../../../sandbox/webhooks.ts';
import type { VeratadWebhookConfig } from '../config.ts';
import type { VeratadBehaviour, VeratadScenario, VeratadStaticBehaviour } from './scenarios.ts';

/**
 * VX's side of a webhook, for the simulator: the session result body, "the same as the result endpoint"
 * (api.veratad.com/vx/api-methods/webhook), with HTTP Basic credentials and, when a header is configured, the hex
 * HMAC-SHA256 of the body in it (VX's own header name is not public: the gateway's setting names it).
 */
export function signVeratadDelivery(config: VeratadWebhookConfig, body: string): SignedDelivery {
  const headers: Record<string, string> = { 'user-agent': 'VX-Webhook' };
  if (config.basic) {
    const { username, password } = config.basic;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  }
  if (config.hmac) headers[config.hmac.header] = createHmac('sha256', config.hmac.secret).update(body).digest('hex');
  return { body, headers };
}

/** The simulator's timed scenarios: after each step begins, VX posts that step's result body. */
export class VeratadTimelines {
  readonly #outbox = new WebhookOutbox();
  readonly #clock: ScenarioClock;

  constructor(scenarios: Map<string, VeratadScenario>, webhook: VeratadWebhookConfig | null, stepMs: TimelinePace) {
    this.#clock = new ScenarioClock(stepMs, (id, step) => {
      const b = scenarios.get(id)?.behaviour;
      const current = b?.kind === 'timeline' ? b.steps[step] : undefined;
      if (!webhook || !current) return;
      const body = JSON.stringify(current.behaviour.body);
      this.#outbox.send(() => signVeratadDelivery(webhook, body));
    });
  }

  get webhooks(): WebhookOutbox {
    return this.#outbox;
  }

  current(id: string, behaviour: VeratadBehaviour): VeratadStaticBehaviour {
    if (behaviour.kind !== 'timeline') return behaviour;
    const steps = behaviour.steps;
    return (steps[this.#clock.step(id, steps.length)] ?? steps[0])?.behaviour as VeratadStaticBehaviour;
  }

  close(): void {
    this.#clock.close();
    this.#outbox.close();
  }
}
