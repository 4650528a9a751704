import type { SandboxContract } from '../../types.ts';
import type { VeratadWebhookConfig } from '../config.ts';
import { signVeratadDelivery } from './webhookSender.ts';

const id = (n: number) => `0e1a7ad0-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The shared provider contract suite's handles on VX's sandbox (ids from sandbox/scenarios.ts). */
export const veratadContract: SandboxContract<VeratadWebhookConfig> = {
  notFoundId: id(10),
  unavailableId: id(11),
  malformedIds: ['not-a-uuid', '19fe3b9e-384e-41d1-bded-8de9ef3abac', '../api/anything'],
  statusScenarios: [
    { field: 'status (session result)', value: 'PASS', id: '19fe3b9e-384e-41d1-bded-8de9ef3abacb' },
    { field: 'status (session result)', value: 'FAIL', id: id(1) },
    { field: 'status (session result)', value: 'PENDING', id: id(3) },
    { field: 'dcams_plus.api_processing_error', value: 'true', id: id(4), providerStatus: 'FAIL' },
    { field: 'message (HTTP 202 from the session result)', value: 'IN PROGRESS', id: id(9) },
  ],
  unknownStatus: { id: id(7), providerStatus: 'ON HOLD' },
  piiId: '4ed2ec66-9471-415d-99ce-7bd1742fc2b8',
  // The sandbox's endpoint is protected with HTTP Basic (VX's documented option): it authenticates, it signs nothing.
  signsTimestamp: false,
  signsBody: false,
  signedWebhook(config, sessionId) {
    return signVeratadDelivery(config, JSON.stringify({ status: 'PASS', request_id: sessionId }));
  },
};
