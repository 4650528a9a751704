import type { SandboxContract } from '../../types.ts';
import type { SumsubWebhookConfig } from '../config.ts';
import { sumsubReviewStatus } from '../status.ts';
import { SUMSUB_IDS } from './scenarios.ts';
import { signSumsubDelivery, sumsubEventBody } from './webhookSender.ts';

/** The scenario showing each row of the status table (the table's own values, so the two cannot drift apart). */
const BY_ROW: Record<string, string> = {
  init: SUMSUB_IDS.init,
  pending: SUMSUB_IDS.pending,
  prechecked: SUMSUB_IDS.prechecked,
  queued: SUMSUB_IDS.queued,
  awaitingService: SUMSUB_IDS.awaitingservice,
  awaitingUser: SUMSUB_IDS.awaitinguser,
  onHold: SUMSUB_IDS.onhold,
  'completed/GREEN': SUMSUB_IDS.green,
  'completed/RED/RETRY': SUMSUB_IDS.redretry,
  'completed/RED/FINAL': SUMSUB_IDS.redfinal,
};

export const sumsubContract: SandboxContract<SumsubWebhookConfig> = {
  notFoundId: SUMSUB_IDS.notfound,
  unavailableId: SUMSUB_IDS.unavailable,
  malformedIds: ['5CB56E8E0A975A35F333CB83', '5cb56e8e0a975a35f333cb8', 'sbx-green-000000000000000', '../one'],
  statusScenarios: sumsubReviewStatus.rows.map((row) => ({
    field: sumsubReviewStatus.field,
    value: row.value,
    id: BY_ROW[row.value] as string,
  })),
  unknownStatus: { id: SUMSUB_IDS.unknownstatus, providerStatus: 'reinspection' },
  piiId: SUMSUB_IDS.green,
  signsTimestamp: false,
  signedWebhook(config, sessionId, nowSeconds) {
    const applicant = { id: sessionId, levelName: 'id-and-liveness', review: { reviewStatus: 'pending' } };
    return signSumsubDelivery(
      config.secret,
      sumsubEventBody('applicantPending', applicant, new Date(nowSeconds * 1000)),
    );
  },
};
