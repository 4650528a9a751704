import type { ProviderModule } from '../types.ts';
import { VerifaAdapter } from './client.ts';
import { type VerifaLive, type VerifaWebhookConfig, verifaConfig } from './config.ts';
import { verifaDeclineTables } from './declines.ts';
import { verifaContract } from './sandbox/contract.ts';
import { VERIFA_SCENARIOS } from './sandbox/scenarios.ts';
import { startVerifaSimulator, VERIFA_SANDBOX_API_KEY } from './sandbox/simulator.ts';
import { VERIFA_SANDBOX_WORKFLOWS } from './sandbox/starts.ts';
import { verifaResultStatus, verifaSessionStatus } from './status.ts';
import { verifaWebhook } from './webhook.ts';

export const verifaModule: ProviderModule<VerifaLive, VerifaWebhookConfig> = {
  provider: 'VERIFA',
  name: 'verifa',
  label: 'Verifa',
  description: 'Verifa (withverifa.com) identity verification.',
  config: verifaConfig,
  contract: verifaContract,
  statusTables: [verifaResultStatus, verifaSessionStatus],
  declineTables: verifaDeclineTables,
  scenarios: VERIFA_SCENARIOS,
  // The result, then the session itself when there is no result yet (or no such session).
  callsPerSession: 2,
  sandboxFlow: VERIFA_SANDBOX_WORKFLOWS[0],
  async startSandbox(options) {
    const simulator = await startVerifaSimulator({
      webhook: options.webhook,
      timelineStepMs: options.timelineStepMs,
    });
    return { simulator, live: { baseUrl: `${simulator.url}/`, apiKey: VERIFA_SANDBOX_API_KEY, version: '2026-01-01' } };
  },
  webhook: verifaWebhook,
  createAdapter: (live, options) => new VerifaAdapter(live, options),
};
