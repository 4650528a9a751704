import { createHash, sign } from 'node:crypto';
import { ScenarioClock, type SignedDelivery, type TimelinePace, WebhookOutbox } from '../../../sandbox/webhooks.ts';
import type { PlaidSigner } from '../config.ts';
import type { PlaidBehaviour, PlaidScenario, PlaidStaticBehaviour, PlaidWebhookCode } from './scenarios.ts';

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/**
 * Plaid's side of a webhook, for the simulator and tests (plaid.com/docs/api/webhooks/webhook-verification/):
 * `Plaid-Verification` is a compact JWS, ES256 over `base64url(header).base64url(payload)`, the header naming the key
 * (`kid`), the payload `{ iat, request_body_sha256 }` (SHA-256 hex of the body). Signed with node:crypto so it is
 * synchronous (the outbox builds each attempt anew); `dsaEncoding: 'ieee-p1363'` is JWS's `r || s`.
 */
export function signPlaidDelivery(
  signer: PlaidSigner,
  body: string,
  iat = Math.floor(Date.now() / 1000),
): SignedDelivery {
  const header = b64url(JSON.stringify({ alg: 'ES256', kid: signer.kid, typ: 'JWT' }));
  const digest = createHash('sha256').update(body, 'utf8').digest('hex');
  const payload = b64url(JSON.stringify({ iat, request_body_sha256: digest }));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), {
    key: signer.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return { body, headers: { 'plaid-verification': `${header}.${payload}.${b64url(signature)}` } };
}

/** An identity verification webhook (`IdentityVerificationStatusUpdatedWebhook` and its siblings). */
export function plaidWebhookBody(code: PlaidWebhookCode, id: string, environment = 'sandbox'): string {
  return JSON.stringify({
    webhook_type: 'IDENTITY_VERIFICATION',
    webhook_code: code,
    identity_verification_id: id,
    environment,
  });
}

/**
 * The simulator's timed scenarios and its webhooks: a scenario's first read starts its clock; each later step is
 * served from the moment its webhook is sent, signed with the simulator's key.
 */
export class PlaidTimelines {
  readonly #outbox = new WebhookOutbox();
  readonly #clock: ScenarioClock;
  readonly #signer: () => PlaidSigner | null;

  constructor(scenarios: Map<string, PlaidScenario>, signer: () => PlaidSigner | null, stepMs: TimelinePace) {
    this.#signer = signer;
    this.#clock = new ScenarioClock(stepMs, (id, step) => {
      const b = scenarios.get(id)?.behaviour;
      const current = b?.kind === 'timeline' ? b.steps[step] : undefined;
      if (current) this.send(current.code, id);
    });
  }

  get webhooks(): WebhookOutbox {
    return this.#outbox;
  }

  /** Queues a signed webhook for verification `id` (nothing without a signing key). */
  send(code: PlaidWebhookCode, id: string): void {
    const signer = this.#signer();
    if (!signer) return;
    const body = plaidWebhookBody(code, id);
    this.#outbox.send(() => signPlaidDelivery(signer, body));
  }

  /** What a scenario answers right now. */
  current(id: string, behaviour: PlaidBehaviour): PlaidStaticBehaviour {
    if (behaviour.kind !== 'timeline') return behaviour;
    const steps = behaviour.steps;
    return (steps[this.#clock.step(id, steps.length)] ?? steps[0])?.behaviour as PlaidStaticBehaviour;
  }

  close(): void {
    this.#clock.close();
    this.#outbox.close();
  }
}
