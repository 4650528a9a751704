import type { ProviderModule } from '../types.ts';
import { OnfidoAdapter } from './client.ts';
import { type OnfidoLive, type OnfidoWebhookConfig, onfidoConfig } from './config.ts';
import { onfidoDeclineTables } from './declines.ts';
import { onfidoContract } from './sandbox/contract.ts';
import { ONFIDO_SCENARIOS } from './sandbox/scenarios.ts';
import { ONFIDO_API_VERSION_PATH, ONFIDO_SANDBOX_API_TOKEN, startOnfidoSimulator } from './sandbox/simulator.ts';
import { ONFIDO_SANDBOX_WORKFLOW_ID } from './sandbox/started.ts';
import { onfidoReportResult, onfidoWorkflowRunStatus } from './status.ts';
import { onfidoWebhook } from './webhook.ts';

export const onfidoModule: ProviderModule<OnfidoLive, OnfidoWebhookConfig> = {
  provider: 'ONFIDO',
  name: 'onfido',
  label: 'Onfido',
  description: 'Onfido (Entrust) Studio workflow runs: the session id is the workflow run id.',
  config: onfidoConfig,
  contract: onfidoContract,
  statusTables: [onfidoWorkflowRunStatus, onfidoReportResult],
  declineTables: onfidoDeclineTables,
  sandboxFlow: ONFIDO_SANDBOX_WORKFLOW_ID,
  scenarios: ONFIDO_SCENARIOS,
  async startSandbox(options) {
    const simulator = await startOnfidoSimulator({
      webhook: options.webhook,
      timelineStepMs: options.timelineStepMs,
    });
    return {
      simulator,
      live: { baseUrl: `${simulator.url}${ONFIDO_API_VERSION_PATH}`, apiToken: ONFIDO_SANDBOX_API_TOKEN },
    };
  },
  webhook: onfidoWebhook,
  createAdapter: (live, options) => new OnfidoAdapter(live, options),
};
