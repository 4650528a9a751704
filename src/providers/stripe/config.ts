import { httpUrl, optionalText } from '../../config/parse.ts';
import { generatedSecret, type ProviderMode, webhookWhileOff } from '../../config/providerMode.ts';
import type { ProviderConfigSection } from '../types.ts';

/**
 * The `Stripe-Version` Verigate reads and sends on every call: the version the official `stripe-node` pins
 * (`src/apiVersion.ts`), so the payload schemas (src/providers/stripe/payload.ts) follow the same generated types.
 */
export const STRIPE_API_VERSION = '2026-07-29.dahlia';
export const STRIPE_DEFAULT_BASE_URL = 'https://api.stripe.com';

export interface StripeLive {
  /** The API origin; the adapter appends `/v1/identity/verification_sessions…`. */
  baseUrl: string;
  /** A secret key (`sk_live_…`, `sk_test_…`) or restricted key (`rk_…`), sent as `Authorization: Bearer`. */
  secretKey: string;
}

export interface StripeWebhookConfig {
  /** The endpoint's signing secret (`whsec_…` in Stripe's dashboard). */
  secret: string;
  /** Generated for the simulator. */
  sandbox: boolean;
}

interface StripeEnv {
  STRIPE_SECRET_KEY?: string;
  STRIPE_BASE_URL?: string;
  STRIPE_WEBHOOK_SECRET?: string;
}

export const stripeConfig: ProviderConfigSection<StripeLive, StripeWebhookConfig> = {
  env: {
    STRIPE_SECRET_KEY: optionalText,
    STRIPE_BASE_URL: optionalText.pipe(httpUrl.optional()),
    STRIPE_WEBHOOK_SECRET: optionalText,
  },
  docs: [
    {
      names: ['STRIPE_SECRET_KEY'],
      meaning: `Stripe secret key, sent as \`Authorization: Bearer\` with \`Stripe-Version: ${STRIPE_API_VERSION}\`; set alone it reaches \`${STRIPE_DEFAULT_BASE_URL}\`. A test-mode key (\`sk_test_…\`) marks its sessions \`sandbox: true\``,
    },
    {
      names: ['STRIPE_BASE_URL'],
      meaning: `Stripe API origin (default \`${STRIPE_DEFAULT_BASE_URL}\`; \`/v1/identity/verification_sessions/{id}\` is appended)`,
    },
    {
      names: ['STRIPE_WEBHOOK_SECRET'],
      meaning:
        'turns on `POST /webhooks/stripe`: the endpoint’s `whsec_…` signing secret; `Stripe-Signature: t=…,v1=…` checked as `stripe-node` does (any `v1` while rotating), 300 s tolerance',
    },
  ],
  // docs.stripe.com/rate-limits: 100 operations/s in live mode (25 in test mode), and "API endpoints have a default
  // limit of 25 requests per second": Verigate reads one endpoint, so 25/s is the limit it meets first.
  documentedRatePerMinute: 25 * 60,
  mode(values, context, problems): ProviderMode<StripeLive> {
    const e = values as StripeEnv;
    if (e.STRIPE_SECRET_KEY !== undefined)
      return {
        mode: 'live',
        live: { baseUrl: e.STRIPE_BASE_URL ?? STRIPE_DEFAULT_BASE_URL, secretKey: e.STRIPE_SECRET_KEY },
      };
    if (e.STRIPE_BASE_URL !== undefined) {
      problems.push('STRIPE_SECRET_KEY: required when STRIPE_BASE_URL is set');
      return { mode: 'off' };
    }
    return context.production ? { mode: 'off' } : { mode: 'sandbox' };
  },
  webhook(values, mode, problems): StripeWebhookConfig | null {
    if (webhookWhileOff(values, ['STRIPE_WEBHOOK_SECRET'], mode, 'STRIPE', problems)) return null;
    const secret = (values as StripeEnv).STRIPE_WEBHOOK_SECRET;
    if (secret !== undefined) return { secret, sandbox: false };
    return mode.mode === 'sandbox' ? { secret: `whsec_${generatedSecret(24)}`, sandbox: true } : null;
  },
};
