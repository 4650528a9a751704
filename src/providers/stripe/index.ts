import type { ProviderModule } from '../types.ts';
import { StripeAdapter } from './client.ts';
import { type StripeLive, type StripeWebhookConfig, stripeConfig } from './config.ts';
import { stripeLastErrorCodes } from './declines.ts';
import { stripeContract } from './sandbox/contract.ts';
import { STRIPE_SCENARIOS } from './sandbox/scenarios.ts';
import { startStripeSandbox } from './sandbox/simulator.ts';
import { stripeSessionStatus } from './status.ts';
import { stripeWebhook } from './webhook.ts';

export const stripeModule: ProviderModule<StripeLive, StripeWebhookConfig> = {
  provider: 'STRIPE',
  name: 'stripe',
  label: 'Stripe',
  description: 'Stripe Identity: a VerificationSession, by its id (`vs_…`).',
  config: stripeConfig,
  statusTables: [stripeSessionStatus],
  declineTables: [stripeLastErrorCodes],
  defaultFlow: 'document',
  scenarios: STRIPE_SCENARIOS,
  startSandbox: startStripeSandbox,
  createAdapter: (live, options) => new StripeAdapter(live, options),
  webhook: stripeWebhook,
  contract: stripeContract,
};
