import type { SandboxContract } from '../../types.ts';
import type { OnfidoWebhookConfig } from '../config.ts';
import { ONFIDO_DOCUMENTED_RUN_ID, onfidoScenarioId } from './scenarios.ts';
import { onfidoEventBody, signOnfidoDelivery } from './webhookSender.ts';

/** The shared provider contract suite's handles on Onfido's sandbox (ids from sandbox/scenarios.ts). */
export const onfidoContract: SandboxContract<OnfidoWebhookConfig> = {
  notFoundId: onfidoScenarioId(404),
  unavailableId: onfidoScenarioId(500),
  malformedIds: ['not-a-uuid', 'b48fdff9-66a1-405d-9912-54780799bd6', '../workflow_runs/x', `${'a'.repeat(36)}`],
  statusScenarios: [
    ['processing', 1],
    ['awaiting_input', 2],
    ['awaiting_client_input', 3],
    ['review', 4],
    ['approved', 5],
    ['declined', 6],
    ['abandoned', 8],
    ['error', 9],
  ].map(([value, n]) => ({ field: 'workflow run status', value: value as string, id: onfidoScenarioId(n as number) })),
  unknownStatus: { id: onfidoScenarioId(11), providerStatus: 'on_hold' },
  piiId: ONFIDO_DOCUMENTED_RUN_ID,
  signsTimestamp: false,
  signedWebhook(config, sessionId, nowSeconds) {
    const body = onfidoEventBody('workflow_run.completed', sessionId, 'approved', new Date(nowSeconds * 1000));
    return signOnfidoDelivery(config.token, body);
  },
};
