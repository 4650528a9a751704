import { createHmac } from 'node:crypto';
import { ScenarioClock, type SignedDelivery, type TimelinePace, WebhookOutbox } from '../../../sandbox/webhooks.ts';
import type { DiditWebhookConfig } from '../config.ts';
import { canonicalJson } from '../webhook.ts';
import type { Payload } from './fakes.ts';
import type { DiditBehaviour, DiditScenario, DiditStaticBehaviour } from './scenarios.ts';

/** Statuses whose webhook carries the `decision` (Didit's webhook docs list these). */
const WITH_DECISION = new Set(['Approved', 'Declined', 'In Review', 'Abandoned']);

const hex = (secret: string, message: string) => createHmac('sha256', secret).update(message, 'utf8').digest('hex');

/**
 * Didit's side of a webhook, for the simulator, with all three signatures Didit sends
 * (docs.didit.me/integration/webhooks): `X-Signature` over the raw body; `X-Signature-V2` as Didit's skill code
 * builds it, over `"<timestamp>:<canonical JSON>"` (sorted keys, compact, non-ASCII kept); `X-Signature-Simple`
 * over `"<timestamp>:<session_id>:<status>:<webhook_type>"`; and `X-Timestamp`.
 */
export function signDiditDelivery(
  secret: string,
  payload: Payload,
  timestamp = Math.floor(Date.now() / 1000),
): SignedDelivery {
  const body = JSON.stringify(payload);
  const field = (k: string) => (typeof payload[k] === 'string' ? (payload[k] as string) : '');
  return {
    body,
    headers: {
      'x-timestamp': String(timestamp),
      'x-signature': hex(secret, body),
      'x-signature-v2': hex(secret, `${timestamp}:${canonicalJson(payload)}`),
      'x-signature-simple': hex(
        secret,
        `${timestamp}:${field('session_id')}:${field('status')}:${field('webhook_type')}`,
      ),
      'user-agent': 'DiditWebhook/2.0 +https://didit.me',
    },
  };
}

/** A `status.updated` body: `{session_id, status, webhook_type, vendor_data, timestamp, created_at, decision?}`. */
export function diditStatusBody(
  id: string,
  status: string,
  decision?: Payload,
  timestamp = Math.floor(Date.now() / 1000),
): Payload {
  return {
    session_id: id,
    status,
    webhook_type: 'status.updated',
    vendor_data: `user-${id.slice(-4)}`,
    timestamp,
    created_at: timestamp,
    ...(decision && WITH_DECISION.has(status) ? { decision } : {}),
  };
}

/** The simulator's timed scenarios and their `status.updated` webhooks, signed with the sandbox's secret. */
export class DiditTimelines {
  readonly #outbox = new WebhookOutbox();
  readonly #clock: ScenarioClock;

  constructor(scenarios: Map<string, DiditScenario>, webhook: DiditWebhookConfig | null, stepMs: TimelinePace) {
    this.#clock = new ScenarioClock(stepMs, (id, step) => {
      const b = scenarios.get(id)?.behaviour;
      const current = b?.kind === 'timeline' ? b.steps[step] : undefined;
      if (!webhook || !current) return;
      const decision = current.behaviour.kind === 'decision' ? current.behaviour.v3 : undefined;
      this.#outbox.send(() => {
        const now = Math.floor(Date.now() / 1000);
        return signDiditDelivery(webhook.secret, diditStatusBody(id, current.status, decision, now), now);
      });
    });
  }

  get webhooks(): WebhookOutbox {
    return this.#outbox;
  }

  current(id: string, behaviour: DiditBehaviour): DiditStaticBehaviour {
    if (behaviour.kind !== 'timeline') return behaviour;
    const steps = behaviour.steps;
    return (steps[this.#clock.step(id, steps.length)] ?? steps[0])?.behaviour as DiditStaticBehaviour;
  }

  close(): void {
    this.#clock.close();
    this.#outbox.close();
  }
}
