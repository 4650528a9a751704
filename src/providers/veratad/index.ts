import type { ProviderModule } from '../types.ts';
import { VeratadAdapter } from './client.ts';
import { type VeratadLive, type VeratadWebhookConfig, veratadConfig } from './config.ts';
import { veratadDeclineTables } from './declines.ts';
import { veratadContract } from './sandbox/contract.ts';
import { VERATAD_SCENARIOS } from './sandbox/scenarios.ts';
import {
  startVeratadSimulator,
  VERATAD_SANDBOX_CLIENT_ID,
  VERATAD_SANDBOX_CLIENT_SECRET,
} from './sandbox/simulator.ts';
import { VERATAD_STATUS_TABLES } from './status.ts';
import { veratadWebhook } from './webhook.ts';

export const veratadModule: ProviderModule<VeratadLive, VeratadWebhookConfig> = {
  provider: 'VERATAD',
  name: 'veratad',
  label: 'Veratad VX',
  description: "Veratad VX (Verification Experience), Veratad Technologies' orchestrated verification journey.",
  config: veratadConfig,
  contract: veratadContract,
  statusTables: VERATAD_STATUS_TABLES,
  declineTables: veratadDeclineTables,
  scenarios: VERATAD_SCENARIOS,
  async startSandbox(options) {
    const simulator = await startVeratadSimulator({
      webhook: options.webhook,
      timelineStepMs: options.timelineStepMs,
    });
    return {
      simulator,
      live: {
        baseUrl: simulator.url,
        authUrl: `${simulator.url}/oauth/token`,
        clientId: VERATAD_SANDBOX_CLIENT_ID,
        clientSecret: VERATAD_SANDBOX_CLIENT_SECRET,
      },
    };
  },
  webhook: veratadWebhook,
  createAdapter: (live, options) => new VeratadAdapter(live, options),
};
