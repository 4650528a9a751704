import type { ProviderModule } from '../types.ts';
import { DiditV1Adapter } from './clientV1.ts';
import { DiditV3Adapter } from './clientV3.ts';
import { type DiditLive, type DiditWebhookConfig, diditConfig } from './config.ts';
import { diditDeclineTables } from './declines.ts';
import { diditContract } from './sandbox/contract.ts';
import { DIDIT_SCENARIOS } from './sandbox/scenarios.ts';
import { DIDIT_SANDBOX_API_KEY, startDiditSimulator } from './sandbox/simulator.ts';
import { DIDIT_SANDBOX_WORKFLOWS } from './sandbox/starts.ts';
import { diditFeatureStatus, diditSessionStatus } from './status.ts';
import { diditWebhook } from './webhook.ts';

export const diditModule: ProviderModule<DiditLive, DiditWebhookConfig> = {
  provider: 'DIDIT',
  name: 'didit',
  label: 'Didit',
  description: 'Didit (didit.me) identity verification.',
  config: diditConfig,
  contract: diditContract,
  statusTables: [diditSessionStatus, diditFeatureStatus],
  declineTables: diditDeclineTables,
  scenarios: DIDIT_SCENARIOS,
  sandboxFlow: DIDIT_SANDBOX_WORKFLOWS[0],
  /** The sandbox speaks v3, the API a new Didit customer gets. */
  async startSandbox(options) {
    const simulator = await startDiditSimulator({
      webhook: options.webhook,
      timelineStepMs: options.timelineStepMs,
    });
    return { simulator, live: { version: 'v3', baseUrl: `${simulator.url}/`, apiKey: DIDIT_SANDBOX_API_KEY } };
  },
  webhook: diditWebhook,
  createAdapter: (live, options) =>
    live.version === 'v3' ? new DiditV3Adapter(live, options) : new DiditV1Adapter(live, options),
};
