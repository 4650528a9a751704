import type { DiditLive } from '../../config/index.ts';
import type { ProviderModule } from '../types.ts';
import { DiditV1Adapter } from './clientV1.ts';
import { DIDIT_SCENARIOS } from './scenarios.ts';
import {
  DIDIT_SANDBOX_CLIENT_ID,
  DIDIT_SANDBOX_CLIENT_SECRET,
  DIDIT_TOKEN_PATH,
  startDiditSimulator,
} from './simulator.ts';
import { diditFeatureStatus, diditSessionStatus } from './status.ts';

export const diditModule: ProviderModule<DiditLive> = {
  provider: 'DIDIT',
  statusTables: [diditSessionStatus, diditFeatureStatus],
  scenarios: DIDIT_SCENARIOS,
  async startSandbox() {
    const simulator = await startDiditSimulator();
    return {
      simulator,
      live: {
        baseUrl: `${simulator.url}/`,
        authUrl: `${simulator.url}${DIDIT_TOKEN_PATH}`,
        clientId: DIDIT_SANDBOX_CLIENT_ID,
        clientSecret: DIDIT_SANDBOX_CLIENT_SECRET,
      },
    };
  },
  createAdapter: (live, options) => new DiditV1Adapter(live, options),
};
