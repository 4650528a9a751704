import type { SandboxContract } from '../../types.ts';
import type { PlaidWebhookConfig } from '../config.ts';
import { PLAID_SCENARIOS } from './scenarios.ts';
import { plaidWebhookBody, signPlaidDelivery } from './webhookSender.ts';

/** The scenario of `id` from the catalogue (a typo here fails at load, not in a test). */
function scenario(id: string): string {
  if (!PLAID_SCENARIOS.some((s) => s.id === id)) throw new Error(`no Plaid scenario ${id}`);
  return id;
}

const FIELD = 'identity verification status';

export const plaidContract: SandboxContract<PlaidWebhookConfig> = {
  notFoundId: scenario('idv_Missing'),
  unavailableId: scenario('idv_Error500'),
  malformedIds: [
    'scr_52xR9LKo77r1Np',
    'idv_',
    'idv_abc-123',
    `idv_${'a'.repeat(65)}`,
    'IDV_abc123',
    'idv_abc 123',
    '../get',
  ],
  statusScenarios: [
    { field: FIELD, value: 'active', id: scenario('idv_Active') },
    { field: FIELD, value: 'success', id: scenario('idv_52xR9LKo77r1Np') },
    { field: FIELD, value: 'failed', id: scenario('idv_FailedDocument') },
    { field: FIELD, value: 'expired', id: scenario('idv_Expired') },
    { field: FIELD, value: 'canceled', id: scenario('idv_Canceled') },
    { field: FIELD, value: 'pending_review', id: scenario('idv_PendingReview') },
  ],
  unknownStatus: { id: scenario('idv_Archived'), providerStatus: 'archived' },
  piiId: scenario('idv_52xR9LKo77r1Np'),
  signsTimestamp: true,
  signedWebhook(config, sessionId, nowSeconds) {
    if (!config.signer) throw new Error('the Plaid sandbox has no signing key');
    return signPlaidDelivery(config.signer, plaidWebhookBody('STATUS_UPDATED', sessionId), nowSeconds);
  },
};
