import { z } from 'zod';
import { flag, httpUrl, optionalText } from '../../config/parse.ts';
import { generatedSecret, providerMode, webhookWhileOff } from '../../config/providerMode.ts';
import type { ProviderConfigSection } from '../types.ts';

/** Verifa's variables: its API origin and key, an optional API version date, and its webhook secret. */

export interface VerifaLive {
  baseUrl: string;
  apiKey: string;
  version: string | null;
}
export interface VerifaWebhookConfig {
  secret: string;
  /** Also accept the deprecated bare-hex HMAC of the raw body (endpoints created before 2026-04-17). */
  acceptLegacySignature: boolean;
  sandbox: boolean;
}

export const verifaConfig: ProviderConfigSection<VerifaLive, VerifaWebhookConfig> = {
  env: {
    VERIFA_BASE_URL: optionalText.pipe(httpUrl.optional()),
    VERIFA_API_KEY: optionalText,
    VERIFA_VERSION: optionalText.pipe(
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-01')
        .optional(),
    ),
    VERIFA_WEBHOOK_SECRET: optionalText,
    VERIFA_WEBHOOK_LEGACY_SIGNATURE: flag,
  },
  docs: [
    {
      names: ['VERIFA_BASE_URL', 'VERIFA_API_KEY', 'VERIFA_VERSION'],
      meaning:
        'Verifa API origin (`/api/v1/sessions/{id}/result` is appended), its `X-API-Key`, and an optional `Verifa-Version` date',
    },
    {
      names: ['VERIFA_WEBHOOK_SECRET', 'VERIFA_WEBHOOK_LEGACY_SIGNATURE'],
      meaning:
        "turns on `POST /webhooks/verifa`: the endpoint's `whsec_…` secret; `true` also accepts the deprecated bare-hex signature (endpoints from before 2026-04-17). See [Webhooks](#webhooks).",
    },
  ],
  // Verifa: 300/min on its Free plan (providers.md §3.5); set VERIFA_RATE_LIMIT_PER_MINUTE for yours.
  documentedRatePerMinute: 300,
  mode(env, { production }, problems) {
    return providerMode<VerifaLive>(
      env,
      production,
      'VERIFA_BASE_URL',
      ['VERIFA_API_KEY'],
      () => ({
        baseUrl: env.VERIFA_BASE_URL as string,
        apiKey: env.VERIFA_API_KEY as string,
        version: (env.VERIFA_VERSION as string | undefined) ?? null,
      }),
      problems,
    );
  },
  webhook(env, mode, problems) {
    if (webhookWhileOff(env, ['VERIFA_WEBHOOK_SECRET'], mode, 'VERIFA', problems)) return null;
    const acceptLegacySignature = (env.VERIFA_WEBHOOK_LEGACY_SIGNATURE as boolean | undefined) ?? false;
    const secret = env.VERIFA_WEBHOOK_SECRET as string | undefined;
    if (secret) return { secret, acceptLegacySignature, sandbox: false };
    return mode.mode === 'sandbox'
      ? { secret: `whsec_${generatedSecret(24)}`, acceptLegacySignature, sandbox: true }
      : null;
  },
};
