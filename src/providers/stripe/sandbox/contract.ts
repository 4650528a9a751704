import type { SandboxContract } from '../../types.ts';
import type { StripeWebhookConfig } from '../config.ts';
import { STRIPE_SCENARIOS } from './scenarios.ts';
import { sessionOf, signStripeDelivery, stripeEventBody } from './webhookSender.ts';

/** The scenario of `id` from the catalogue (a typo here fails at load, not in a test). */
function scenario(id: string): string {
  if (!STRIPE_SCENARIOS.some((s) => s.id === id)) throw new Error(`no Stripe scenario ${id}`);
  return id;
}

const FIELD = 'verification session status';

export const stripeContract: SandboxContract<StripeWebhookConfig> = {
  notFoundId: scenario('vs_Missing'),
  unavailableId: scenario('vs_Error500'),
  malformedIds: [
    'vr_1Pgc76B7WZ01zgkWq9Rp33Dj',
    'vs_',
    'vs_abc_123',
    'VS_abc',
    'vs_abc 123',
    `vs_${'a'.repeat(129)}`,
    '../v1',
  ],
  statusScenarios: [
    { field: FIELD, value: 'requires_input', id: scenario('vs_RequiresInput') },
    {
      field: FIELD,
      value: 'requires_input/last_error',
      id: scenario('vs_DocumentExpired'),
      providerStatus: 'requires_input',
    },
    { field: FIELD, value: 'processing', id: scenario('vs_Processing') },
    { field: FIELD, value: 'verified', id: scenario('vs_Verified') },
    { field: FIELD, value: 'canceled', id: scenario('vs_Canceled') },
  ],
  unknownStatus: { id: scenario('vs_Unknown'), providerStatus: 'requires_review' },
  piiId: scenario('vs_Verified'),
  signsTimestamp: true,
  signedWebhook(config, sessionId, nowSeconds) {
    const found = STRIPE_SCENARIOS.find((s) => s.id === sessionId)?.behaviour;
    const session = (found && found.kind !== 'timeline' ? sessionOf(found) : null) ?? { id: sessionId };
    const body = stripeEventBody('identity.verification_session.verified', session, nowSeconds);
    return signStripeDelivery(config.secret, body, nowSeconds);
  },
};
