import type { SandboxContract } from '../../types.ts';
import type { TemplateWebhookConfig } from '../config.ts';

/**
 * The shared contract suite's handles on the sandbox (ids from scenarios.ts). No webhooks, so no `signsTimestamp`
 * or `signedWebhook`: the suite skips its webhook cases.
 */
export const templateContract: SandboxContract<TemplateWebhookConfig> = {
  notFoundId: 'chk_missing',
  unavailableId: 'chk_error_500',
  malformedIds: ['chk_', 'chk_../x', 'ses_abc', `chk_${'a'.repeat(65)}`],
  statusScenarios: [
    { field: 'check status', value: 'pending', id: 'chk_pending' },
    { field: 'check status', value: 'processing', id: 'chk_processing' },
    { field: 'check status', value: 'review', id: 'chk_review' },
    { field: 'check status', value: 'approved', id: 'chk_approved' },
    { field: 'check status', value: 'declined', id: 'chk_declined' },
    { field: 'check status', value: 'expired', id: 'chk_expired' },
  ],
  unknownStatus: { id: 'chk_unknown', providerStatus: 'on_hold' },
  piiId: 'chk_approved',
};
