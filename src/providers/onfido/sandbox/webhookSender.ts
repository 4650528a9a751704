import { createHmac } from 'node:crypto';
import { ScenarioClock, type SignedDelivery, type TimelinePace, WebhookOutbox } from '../../../sandbox/webhooks.ts';
import type { OnfidoWebhookConfig } from '../config.ts';
import type { OnfidoBehaviour, OnfidoScenario, OnfidoStaticBehaviour } from './scenarios.ts';

/**
 * Onfido's side of a webhook, for the simulator: the event body and `X-SHA2-Signature`, the hex HMAC-SHA256 of the
 * body under the webhook's token (as the SDKs' WebhookEventVerifier checks it). Onfido signs no timestamp.
 */
export function signOnfidoDelivery(token: string, body: string): SignedDelivery {
  const signature = createHmac('sha256', token).update(body, 'utf8').digest('hex');
  return { body, headers: { 'x-sha2-signature': signature, 'user-agent': 'Onfido-Webhooks' } };
}

/**
 * A `workflow_run.*` or `workflow_task.*` event for run `runId`, shaped as schemas/webhooks/webhook_event.yaml and
 * the SDK's golden events: a task's `object.id` is the task, its run is `workflow_run_id`.
 */
export function onfidoEventBody(action: string, runId: string, status: string, at = new Date()): string {
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const href = `https://api.eu.onfido.com/v3.6/workflow_runs/${runId}`;
  const object = action.startsWith('workflow_task.')
    ? {
        id: 'document_check_75329',
        task_spec_id: 'document_check_75329',
        task_def_id: 'document_check',
        workflow_run_id: runId,
        status: action === 'workflow_task.started' ? 'started' : 'completed',
        [action === 'workflow_task.started' ? 'started_at_iso8601' : 'completed_at_iso8601']: iso,
        href: `${href}/tasks/document_check_75329`,
      }
    : { id: runId, status, completed_at_iso8601: iso, href };
  return JSON.stringify({ payload: { resource_type: action.split('.')[0], action, object } });
}

const statusOf = (b: OnfidoStaticBehaviour | undefined) =>
  b?.kind === 'run' || b?.kind === 'slow' ? String(b.run.status ?? '') : '';

/**
 * The simulator's timed scenarios and their webhooks: a scenario's first read starts its clock; each later step
 * is served from the moment its webhook is sent, signed with the sandbox's webhook token.
 */
export class OnfidoTimelines {
  readonly #outbox = new WebhookOutbox();
  readonly #clock: ScenarioClock;

  readonly #webhook: OnfidoWebhookConfig | null;

  constructor(scenarios: Map<string, OnfidoScenario>, webhook: OnfidoWebhookConfig | null, stepMs: TimelinePace) {
    this.#webhook = webhook;
    this.#clock = new ScenarioClock(stepMs, (id, step) => {
      const b = scenarios.get(id)?.behaviour;
      const current = b?.kind === 'timeline' ? b.steps[step] : undefined;
      if (!webhook || !current) return;
      const body = onfidoEventBody(current.event, id, statusOf(current.behaviour));
      // Onfido retries a failed delivery with the same body and signature.
      this.#outbox.send(() => signOnfidoDelivery(webhook.token, body));
    });
  }

  /** Sends one signed event now (a run moved by the hosted page); nothing without webhook credentials. */
  send(action: string, runId: string, status: string): void {
    const webhook = this.#webhook;
    if (!webhook) return;
    const body = onfidoEventBody(action, runId, status);
    this.#outbox.send(() => signOnfidoDelivery(webhook.token, body));
  }

  get webhooks(): WebhookOutbox {
    return this.#outbox;
  }

  /** What a scenario answers right now. */
  current(id: string, behaviour: OnfidoBehaviour): OnfidoStaticBehaviour {
    if (behaviour.kind !== 'timeline') return behaviour;
    const steps = behaviour.steps;
    return (steps[this.#clock.step(id, steps.length)] ?? steps[0])?.behaviour as OnfidoStaticBehaviour;
  }

  close(): void {
    this.#clock.close();
    this.#outbox.close();
  }
}
