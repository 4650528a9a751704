import { httpUrl, optionalText } from '../../config/parse.ts';
import { generatedSecret, type ProviderMode, webhookWhileOff } from '../../config/providerMode.ts';
import type { ProviderConfigSection } from '../types.ts';

/** Sumsub's one API host, for sandbox and production alike: the app token decides the mode (docs.sumsub.com/reference/authentication). */
export const SUMSUB_DEFAULT_BASE_URL = 'https://api.sumsub.com';

/** What reaches Sumsub's API: every request is signed with the secret key (signer.ts). */
export interface SumsubLive {
  baseUrl: string;
  appToken: string;
  secretKey: string;
}

/** The inbound webhook's secret key (Sumsub's "Secret key" of the webhook, docs.sumsub.com/docs/webhook-manager). */
export interface SumsubWebhookConfig {
  secret: string;
}

const env = {
  SUMSUB_BASE_URL: optionalText.pipe(httpUrl.optional()),
  SUMSUB_APP_TOKEN: optionalText,
  SUMSUB_SECRET_KEY: optionalText,
  SUMSUB_WEBHOOK_SECRET: optionalText,
};

const CREDENTIALS = ['SUMSUB_APP_TOKEN', 'SUMSUB_SECRET_KEY'] as const;

/**
 * Live as soon as a credential or the base URL is set (the base URL has a default, so the token and key alone are
 * enough); then both credentials are required. Nothing set: the simulator outside production, off in production.
 */
function mode(values: Record<string, unknown>, context: { production: boolean }, problems: string[]) {
  const set = (name: string) => typeof values[name] === 'string';
  if (!set('SUMSUB_BASE_URL') && !CREDENTIALS.some(set)) {
    return (context.production ? { mode: 'off' } : { mode: 'sandbox' }) satisfies ProviderMode<SumsubLive>;
  }
  const missing = CREDENTIALS.filter((name) => !set(name));
  const given = ['SUMSUB_BASE_URL', ...CREDENTIALS].filter(set).join(', ');
  for (const name of missing) problems.push(`${name}: required when ${given} is set (Sumsub signs every request)`);
  if (missing.length > 0) return { mode: 'off' } satisfies ProviderMode<SumsubLive>;
  return {
    mode: 'live',
    live: {
      baseUrl: (values.SUMSUB_BASE_URL as string | undefined) ?? SUMSUB_DEFAULT_BASE_URL,
      appToken: values.SUMSUB_APP_TOKEN as string,
      secretKey: values.SUMSUB_SECRET_KEY as string,
    },
  } satisfies ProviderMode<SumsubLive>;
}

/** The webhook is on with its secret; a sandbox without one gets a random secret its simulator signs with. */
function webhook(
  values: Record<string, unknown>,
  current: ProviderMode<SumsubLive>,
  problems: string[],
): SumsubWebhookConfig | null {
  if (webhookWhileOff(values, ['SUMSUB_WEBHOOK_SECRET'], current, 'SUMSUB', problems)) return null;
  const secret = values.SUMSUB_WEBHOOK_SECRET as string | undefined;
  if (secret !== undefined) return { secret };
  return current.mode === 'sandbox' ? { secret: generatedSecret(32) } : null;
}

export const sumsubConfig: ProviderConfigSection<SumsubLive, SumsubWebhookConfig> = {
  env,
  docs: [
    {
      names: ['SUMSUB_APP_TOKEN', 'SUMSUB_SECRET_KEY'],
      meaning:
        'Sumsub app token and its secret key (Dev space → App tokens). Either one set makes Sumsub live; both are required. Every request is signed with the key (HMAC-SHA256); Sumsub refuses a timestamp more than 1 minute off, so keep this host’s clock in sync.',
    },
    {
      names: ['SUMSUB_BASE_URL'],
      meaning: `Sumsub API base URL (default \`${SUMSUB_DEFAULT_BASE_URL}\`, for sandbox and production: the token decides). Set it for a proxy or a test server; the signature covers the whole path sent.`,
    },
    {
      names: ['SUMSUB_WEBHOOK_SECRET'],
      meaning:
        'Secret key of the Sumsub webhook: enables `POST /webhooks/sumsub` (`X-Payload-Digest`, HMAC SHA-256, SHA-512 or the legacy SHA-1 by `X-Payload-Digest-Alg`). Generated for a sandbox.',
    },
  ],
  // docs.sumsub.com/reference/rate-limits: GET requests 300 per 5 seconds (POST 50 per 5 s; Verigate only reads).
  documentedRatePerMinute: 3_600,
  mode,
  webhook,
};
