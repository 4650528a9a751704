import type { SandboxContract } from '../../types.ts';
import type { VerifaWebhookConfig } from '../config.ts';
import { signVerifaDelivery } from './webhookSender.ts';

/** The shared provider contract suite's handles on Verifa's sandbox (ids from sandbox/scenarios.ts). */
export const verifaContract: SandboxContract<VerifaWebhookConfig> = {
  notFoundId: 'ses_missing',
  unavailableId: 'ses_error_500',
  malformedIds: ['-leading-dash', 'ses/../x', `ses_${'a'.repeat(200)}`],
  statusScenarios: [
    { field: 'result status', value: 'approved', id: 'ses_approved' },
    { field: 'result status', value: 'rejected', id: 'ses_rejected' },
    { field: 'result status', value: 'needs_review', id: 'ses_abc123' },
    { field: 'result status', value: 'resubmission_required', id: 'ses_resubmission' },
    { field: 'result status', value: 'declined', id: 'ses_result_declined' },
    { field: 'result status', value: 'failed', id: 'ses_result_failed' },
    { field: 'result status', value: 'passed', id: 'ses_result_passed' },
    { field: 'session status', value: 'pending', id: 'ses_pending' },
    { field: 'session status', value: 'capturing', id: 'ses_capturing' },
    { field: 'session status', value: 'processing', id: 'ses_processing' },
    { field: 'session status', value: 'awaiting_external', id: 'ses_awaiting_external' },
    { field: 'session status', value: 'sandbox_pending', id: 'ses_sandbox_pending' },
    { field: 'session status', value: 'under_review', id: 'ses_under_review' },
    { field: 'session status', value: 'completed', id: 'ses_completed_no_result' },
    { field: 'session status', value: 'expired', id: 'ses_expired' },
    { field: 'session status', value: 'failed', id: 'ses_failed' },
  ],
  unknownStatus: { id: 'ses_result_unknown', providerStatus: 'escalated' },
  piiId: 'ses_approved',
  signsTimestamp: true,
  signedWebhook(config, sessionId, nowSeconds) {
    const body = JSON.stringify({
      event: 'session.approved',
      data: { session_id: sessionId, status: 'approved' },
      created_at: new Date(nowSeconds * 1000).toISOString(),
    });
    return signVerifaDelivery(config.secret, body, nowSeconds);
  },
};
