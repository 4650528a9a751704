import type { SandboxContract } from '../../types.ts';
import type { DiditWebhookConfig } from '../config.ts';
import { diditStatusBody, signDiditDelivery } from './webhookSender.ts';

const id = (n: number) => `d1d10200-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The shared provider contract suite's handles on Didit's sandbox (ids from sandbox/scenarios.ts). */
export const diditContract: SandboxContract<DiditWebhookConfig> = {
  notFoundId: 'd1d10400-0000-4000-8000-000000000404',
  unavailableId: 'd1d10400-0000-4000-8000-000000000500',
  malformedIds: ['not-a-uuid', '11111111-2222-3333-4444-55555555555', '../../v2/anything'],
  statusScenarios: [
    ['Not Started', 1],
    ['In Progress', 2],
    ['Approved', 3],
    ['Declined', 4],
    ['In Review', 5],
    ['Awaiting User', 6],
    ['Resubmitted', 7],
    ['Expired', 8],
    ['Abandoned', 9],
    ['Kyc Expired', 10],
    ['NOT_STARTED', 11],
    ['IN_PROGRESS', 12],
    ['AWAITING_USER', 13],
    ['IN_REVIEW', 14],
    ['RESUBMITTED', 15],
    ['APPROVED', 16],
    ['DECLINED', 17],
    ['EXPIRED', 18],
    ['ABANDONED', 19],
  ].map(([value, n]) => ({ field: 'session status', value: value as string, id: id(n as number) })),
  unknownStatus: { id: id(20), providerStatus: 'On Hold' },
  piiId: '11111111-2222-3333-4444-555555555555',
  signsTimestamp: true,
  signedWebhook(config, sessionId, nowSeconds) {
    return signDiditDelivery(config.secret, diditStatusBody(sessionId, 'Approved', undefined, nowSeconds), nowSeconds);
  },
};
