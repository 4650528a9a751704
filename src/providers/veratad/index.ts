import type { VeratadLive } from '../../config/index.ts';
import type { ProviderModule } from '../types.ts';
import { VeratadAdapter } from './client.ts';
import { VERATAD_SCENARIOS } from './sandbox/scenarios.ts';
import {
  startVeratadSimulator,
  VERATAD_SANDBOX_CLIENT_ID,
  VERATAD_SANDBOX_CLIENT_SECRET,
} from './sandbox/simulator.ts';
import { VERATAD_STATUS_TABLES } from './status.ts';

export const veratadModule: ProviderModule<VeratadLive> = {
  provider: 'VERATAD',
  statusTables: VERATAD_STATUS_TABLES,
  scenarios: VERATAD_SCENARIOS,
  async startSandbox(options) {
    const simulator = await startVeratadSimulator({
      webhook: options?.webhooks.veratad ?? null,
      timelineStepMs: options?.timelineStepMs,
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
  createAdapter: (live, options) => new VeratadAdapter(live, options),
};
