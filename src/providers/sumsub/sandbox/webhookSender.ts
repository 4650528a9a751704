import { createHmac, randomUUID } from 'node:crypto';
import { ScenarioClock, type SignedDelivery, type TimelinePace, WebhookOutbox } from '../../../sandbox/webhooks.ts';
import type { SumsubWebhookConfig } from '../config.ts';
import type { SumsubApplicantBehaviour, SumsubBehaviour, SumsubScenario, SumsubStaticBehaviour } from './scenarios.ts';

/**
 * Sumsub's side of a webhook, for the simulator: `X-Payload-Digest` = hex HMAC-SHA256 of the body under the webhook's
 * secret key, `X-Payload-Digest-Alg: HMAC_SHA256_HEX` (Sumsub's default algorithm, docs.sumsub.com/docs/webhook-manager).
 */
export function signSumsubDelivery(secret: string, body: string): SignedDelivery {
  return {
    body,
    headers: {
      'x-payload-digest': createHmac('sha256', secret).update(body, 'utf8').digest('hex'),
      'x-payload-digest-alg': 'HMAC_SHA256_HEX',
    },
  };
}

/** Sumsub's `createdAtMs` format: `2020-02-21 13:23:19.321` (UTC). */
function createdAtMs(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * An applicant event as Sumsub sends it (docs.sumsub.com/docs/receive-and-interpret-results-via-api and
 * /docs/user-verification-webhooks): applicant and inspection ids, your external id, the level, the type, the review
 * status and, once completed, the verdict (comments included, as Sumsub sends them).
 */
export function sumsubEventBody(type: string, applicant: Record<string, unknown>, at = new Date()): string {
  const review = (applicant.review ?? {}) as Record<string, unknown>;
  return JSON.stringify({
    applicantId: applicant.id,
    inspectionId: applicant.inspectionId,
    applicantType: 'individual',
    correlationId: `req-${randomUUID()}`,
    levelName: applicant.levelName,
    sandboxMode: true,
    externalUserId: applicant.externalUserId,
    type,
    ...(review.reviewResult ? { reviewResult: review.reviewResult } : {}),
    reviewStatus: review.reviewStatus,
    createdAtMs: createdAtMs(at),
    clientId: applicant.clientId,
  });
}

/**
 * The simulator's timed scenarios and their webhooks: a scenario's first read starts its clock; each later step is
 * served from the moment its webhook is sent, signed with the sandbox's secret. `testCompleted` sends through the
 * same outbox.
 */
export class SumsubTimelines {
  readonly #outbox = new WebhookOutbox();
  readonly #clock: ScenarioClock;
  readonly #webhook: SumsubWebhookConfig | null;

  constructor(scenarios: Map<string, SumsubScenario>, webhook: SumsubWebhookConfig | null, stepMs: TimelinePace) {
    this.#webhook = webhook;
    this.#clock = new ScenarioClock(stepMs, (id, step) => {
      const b = scenarios.get(id)?.behaviour;
      const current = b?.kind === 'timeline' ? b.steps[step] : undefined;
      if (current) this.send(current.event, current.behaviour.applicant);
    });
  }

  get webhooks(): WebhookOutbox {
    return this.#outbox;
  }

  /** Queues an applicant event, signed at each attempt (nothing when the sandbox has no webhook secret). */
  send(type: string, applicant: Record<string, unknown>): void {
    const webhook = this.#webhook;
    if (!webhook) return;
    const body = sumsubEventBody(type, applicant);
    this.#outbox.send(() => signSumsubDelivery(webhook.secret, body));
  }

  /** What a scenario answers right now. */
  current(id: string, behaviour: SumsubBehaviour): SumsubStaticBehaviour {
    if (behaviour.kind !== 'timeline') return behaviour;
    const steps = behaviour.steps;
    return (steps[this.#clock.step(id, steps.length)] ?? steps[0])?.behaviour as SumsubApplicantBehaviour;
  }

  close(): void {
    this.#clock.close();
    this.#outbox.close();
  }
}
