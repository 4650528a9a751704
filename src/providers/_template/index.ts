import type { ProviderModule } from '../types.ts';
import { TemplateAdapter } from './client.ts';
import { TEMPLATE_PROVIDER, type TemplateLive, type TemplateWebhookConfig, templateConfig } from './config.ts';
import { templateContract } from './sandbox/contract.ts';
import { TEMPLATE_SCENARIOS } from './sandbox/scenarios.ts';
import { startTemplateSimulator, TEMPLATE_SANDBOX_API_KEY } from './sandbox/simulator.ts';
import { templateCheckStatus } from './status.ts';

/**
 * A small, complete vendor module to copy (docs/adding-a-provider.md): config, client, payload, status table,
 * normaliser, a simulator with its scenarios and the contract handles, for a vendor without webhooks. It is not in
 * the registry; the contract suite registers it for its run, so it passes the same suite every vendor passes.
 */
export const templateModule: ProviderModule<TemplateLive, TemplateWebhookConfig> = {
  provider: TEMPLATE_PROVIDER,
  name: 'template',
  label: 'Template vendor',
  description: 'A template vendor (src/providers/_template): a check, by its id (`chk_…`).',
  config: templateConfig,
  statusTables: [templateCheckStatus],
  scenarios: TEMPLATE_SCENARIOS,
  async startSandbox() {
    const simulator = await startTemplateSimulator();
    return { simulator, live: { baseUrl: simulator.url, apiKey: TEMPLATE_SANDBOX_API_KEY } };
  },
  createAdapter: (live, options) => new TemplateAdapter(live, options),
  contract: templateContract,
};
