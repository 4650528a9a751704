import type { SandboxContract } from '../../types.ts';
import type { PersonaWebhookConfig } from '../config.ts';
import { PERSONA_SCENARIOS } from './scenarios.ts';
import { documentOf, personaEventBody, signPersonaDelivery } from './webhookSender.ts';

/** The scenario of `id` from the catalogue (a typo here fails at load, not in a test). */
function scenario(id: string): string {
  if (!PERSONA_SCENARIOS.some((s) => s.id === id)) throw new Error(`no Persona scenario ${id}`);
  return id;
}

export const personaContract: SandboxContract<PersonaWebhookConfig> = {
  notFoundId: scenario('inq_Missing'),
  unavailableId: scenario('inq_Error500'),
  malformedIds: [
    'ver_ABC123',
    'inq_',
    'inq_abc-123',
    `inq_${'a'.repeat(65)}`,
    'INQ_abc123',
    'inq_abc 123',
    '../inquiries',
  ],
  statusScenarios: [
    { field: 'inquiry status', value: 'created', id: scenario('inq_Created') },
    { field: 'inquiry status', value: 'pending', id: scenario('inq_zEx4jL84ShbUyuwX6AzPSqt6') },
    { field: 'inquiry status', value: 'completed', id: scenario('inq_Completed') },
    { field: 'inquiry status', value: 'failed', id: scenario('inq_Failed') },
    { field: 'inquiry status', value: 'needs_review', id: scenario('inq_NeedsReview') },
    { field: 'inquiry status', value: 'approved', id: scenario('inq_Approved') },
    { field: 'inquiry status', value: 'declined', id: scenario('inq_Declined') },
    { field: 'inquiry status', value: 'expired', id: scenario('inq_Expired') },
  ],
  unknownStatus: { id: scenario('inq_Archived'), providerStatus: 'archived' },
  piiId: scenario('inq_Approved'),
  signsTimestamp: true,
  signedWebhook(config, sessionId, nowSeconds) {
    const found = PERSONA_SCENARIOS.find((s) => s.id === sessionId)?.behaviour;
    const document = found && found.kind !== 'timeline' ? documentOf(found) : null;
    return signPersonaDelivery(config.secret, personaEventBody('inquiry.approved', document, sessionId), nowSeconds);
  },
};
