import type { ProviderModule } from '../types.ts';
import { SumsubAdapter } from './client.ts';
import { type SumsubLive, type SumsubWebhookConfig, sumsubConfig } from './config.ts';
import { sumsubDeclineTables } from './declines.ts';
import { sumsubContract } from './sandbox/contract.ts';
import { SUMSUB_SCENARIOS } from './sandbox/scenarios.ts';
import { SUMSUB_SANDBOX_APP_TOKEN, SUMSUB_SANDBOX_SECRET_KEY, startSumsubSimulator } from './sandbox/simulator.ts';
import { SUMSUB_SANDBOX_LEVEL } from './sandbox/started.ts';
import { sumsubReviewStatus } from './status.ts';
import { sumsubWebhook } from './webhook.ts';

export const sumsubModule: ProviderModule<SumsubLive, SumsubWebhookConfig> = {
  provider: 'SUMSUB',
  name: 'sumsub',
  label: 'Sumsub',
  description: 'Sumsub: an applicant (`GET /resources/applicants/{id}/one`), its review status and verdict.',
  config: sumsubConfig,
  statusTables: [sumsubReviewStatus],
  declineTables: sumsubDeclineTables,
  sandboxFlow: SUMSUB_SANDBOX_LEVEL,
  scenarios: SUMSUB_SCENARIOS.map(({ id, description }) => ({ id, description })),
  // The applicant, then its step breakdown (`requiredIdDocsStatus`) when `reference` or `metadata` is selected.
  callsPerSession: 2,
  async startSandbox(options) {
    const simulator = await startSumsubSimulator({ webhook: options.webhook, timelineStepMs: options.timelineStepMs });
    return {
      simulator,
      live: { baseUrl: simulator.url, appToken: SUMSUB_SANDBOX_APP_TOKEN, secretKey: SUMSUB_SANDBOX_SECRET_KEY },
    };
  },
  createAdapter: (live, options) => new SumsubAdapter(live, options),
  webhook: sumsubWebhook,
  contract: sumsubContract,
};
