import type { VerifaLive } from '../../config/index.ts';
import type { ProviderModule } from '../types.ts';
import { VerifaAdapter } from './client.ts';
import { VERIFA_SCENARIOS } from './sandbox/scenarios.ts';
import { startVerifaSimulator, VERIFA_SANDBOX_API_KEY } from './sandbox/simulator.ts';
import { verifaResultStatus, verifaSessionStatus } from './status.ts';

export const verifaModule: ProviderModule<VerifaLive> = {
  provider: 'VERIFA',
  statusTables: [verifaResultStatus, verifaSessionStatus],
  scenarios: VERIFA_SCENARIOS,
  async startSandbox(options) {
    const simulator = await startVerifaSimulator({
      webhook: options?.webhooks.verifa ?? null,
      timelineStepMs: options?.timelineStepMs,
    });
    return { simulator, live: { baseUrl: `${simulator.url}/`, apiKey: VERIFA_SANDBOX_API_KEY, version: '2026-01-01' } };
  },
  createAdapter: (live, options) => new VerifaAdapter(live, options),
};
