import type { ProviderModule } from '../types.ts';
import { PersonaAdapter } from './client.ts';
import { type PersonaLive, type PersonaWebhookConfig, personaConfig } from './config.ts';
import { personaDeclineTables } from './declines.ts';
import { personaContract } from './sandbox/contract.ts';
import { PERSONA_SCENARIOS } from './sandbox/scenarios.ts';
import { startPersonaSandbox } from './sandbox/simulator.ts';
import { PERSONA_SANDBOX_TEMPLATE_ID } from './sandbox/started.ts';
import { personaInquiryStatus } from './status.ts';
import { personaWebhook } from './webhook.ts';

export const personaModule: ProviderModule<PersonaLive, PersonaWebhookConfig> = {
  provider: 'PERSONA',
  name: 'persona',
  label: 'Persona',
  description: 'Persona (withpersona.com): an inquiry, by its id (`inq_…`).',
  config: personaConfig,
  statusTables: [personaInquiryStatus],
  declineTables: personaDeclineTables,
  sandboxFlow: PERSONA_SANDBOX_TEMPLATE_ID,
  scenarios: PERSONA_SCENARIOS,
  startSandbox: startPersonaSandbox,
  createAdapter: (live, options) => new PersonaAdapter(live, options),
  webhook: personaWebhook,
  contract: personaContract,
};
