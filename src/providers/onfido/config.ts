import { z } from 'zod';
import { httpUrl, optionalText } from '../../config/parse.ts';
import { generatedSecret, type ProviderMode, webhookWhileOff } from '../../config/providerMode.ts';
import type { ProviderConfigSection } from '../types.ts';

/**
 * Onfido's variables: its API token, the region (or a whole base URL) and the webhook token. The spec's server is
 * `https://api.{region}.onfido.com/v3.6`, region `eu` (default), `us` or `ca` (onfido-openapi-spec openapi.yaml).
 */

export const ONFIDO_REGIONS = ['eu', 'us', 'ca'] as const;
export type OnfidoRegion = (typeof ONFIDO_REGIONS)[number];

export interface OnfidoLive {
  /** The API base, `/v3.6` included: `/workflow_runs/{id}` is appended. */
  baseUrl: string;
  apiToken: string;
}
export interface OnfidoWebhookConfig {
  /** The webhook's secret token: `X-SHA2-Signature` is the hex HMAC-SHA256 of the raw body under it. */
  token: string;
  /** True when generated for the sandbox (its simulator signs with it). */
  sandbox: boolean;
}

export const onfidoRegionUrl = (region: OnfidoRegion) => `https://api.${region}.onfido.com/v3.6`;

const SETTINGS = ['ONFIDO_BASE_URL', 'ONFIDO_REGION'] as const;

export const onfidoConfig: ProviderConfigSection<OnfidoLive, OnfidoWebhookConfig> = {
  env: {
    ONFIDO_API_TOKEN: optionalText,
    ONFIDO_REGION: optionalText.pipe(z.enum(ONFIDO_REGIONS, { message: 'must be eu, us or ca' }).optional()),
    ONFIDO_BASE_URL: optionalText.pipe(httpUrl.optional()),
    ONFIDO_WEBHOOK_TOKEN: optionalText,
  },
  docs: [
    {
      names: ['ONFIDO_API_TOKEN', 'ONFIDO_REGION', 'ONFIDO_BASE_URL'],
      meaning:
        'Onfido (Entrust) API token (`Authorization: Token token=…`) and its region, `eu` (default), `us` or `ca` (`https://api.<region>.onfido.com/v3.6`); `ONFIDO_BASE_URL` replaces the whole base, `/v3.6` included (proxies, tests). The token alone turns the provider on',
    },
    {
      names: ['ONFIDO_WEBHOOK_TOKEN'],
      meaning:
        "turns on `POST /webhooks/onfido`: the webhook's secret token (`X-SHA2-Signature`, hex HMAC-SHA256 of the raw body). See [Webhooks](#webhooks).",
    },
  ],
  // Not documented where it could be checked: Onfido's API reference has a "Rate limits" section
  // (https://documentation.onfido.com/#rate-limits), whose figure no page Verigate could read states; 400/min is the
  // figure commonly quoted for it, kept as a default until the operator sets ONFIDO_RATE_LIMIT_PER_MINUTE to the
  // account's own limit (Onfido answers 429 `rate_limit` past it either way).
  documentedRatePerMinute: null,
  defaultRatePerMinute: 400,
  mode(env, { production }, problems) {
    const token = env.ONFIDO_API_TOKEN as string | undefined;
    if (token === undefined) {
      // A region or base URL without a token is half-configured: reported, not silently sandboxed.
      const stray = SETTINGS.filter((n) => env[n] !== undefined);
      if (stray.length === 0) return production ? { mode: 'off' } : { mode: 'sandbox' };
      problems.push(`${stray.join(', ')}: set, but ONFIDO_API_TOKEN is not (set it too, or unset them)`);
      return { mode: 'off' };
    }
    const region = (env.ONFIDO_REGION as OnfidoRegion | undefined) ?? 'eu';
    const baseUrl = (env.ONFIDO_BASE_URL as string | undefined) ?? onfidoRegionUrl(region);
    return { mode: 'live', live: { baseUrl, apiToken: token } };
  },
  webhook(env, mode: ProviderMode<OnfidoLive>, problems) {
    if (webhookWhileOff(env, ['ONFIDO_WEBHOOK_TOKEN'], mode, 'ONFIDO', problems)) return null;
    const token = env.ONFIDO_WEBHOOK_TOKEN as string | undefined;
    if (token !== undefined) return { token, sandbox: false };
    // Onfido's webhook tokens are 32 URL-safe characters (the SDK's test token is one).
    return mode.mode === 'sandbox' ? { token: generatedSecret(24), sandbox: true } : null;
  },
};
