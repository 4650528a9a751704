import type { ProviderModule } from '../types.ts';
import { PlaidAdapter } from './client.ts';
import { type PlaidLive, type PlaidWebhookConfig, plaidConfig } from './config.ts';
import { PLAID_DECLINE_TABLES } from './declines.ts';
import { plaidContract } from './sandbox/contract.ts';
import { PLAID_SCENARIOS } from './sandbox/scenarios.ts';
import { startPlaidSandbox } from './sandbox/simulator.ts';
import { plaidVerificationStatus } from './status.ts';
import { plaidWebhook } from './webhook.ts';

export const plaidModule: ProviderModule<PlaidLive, PlaidWebhookConfig> = {
  provider: 'PLAID',
  name: 'plaid',
  label: 'Plaid',
  description: 'Plaid Identity Verification (plaid.com): an identity verification, by its id (`idv_…`).',
  config: plaidConfig,
  statusTables: [plaidVerificationStatus],
  // The spec's example template, which the simulator knows: PLAID_DEFAULT_FLOW on the sandbox (none live: templates are per account).
  sandboxFlow: 'idvtmp_4FrXJvfQU3zGUR',
  declineTables: PLAID_DECLINE_TABLES,
  scenarios: PLAID_SCENARIOS,
  startSandbox: startPlaidSandbox,
  createAdapter: (live, options) => new PlaidAdapter(live, options),
  webhook: plaidWebhook,
  contract: plaidContract,
};
