import { z } from 'zod';
import { httpUrl, optionalText } from '../../config/parse.ts';
import { generatedSecret, providerMode, type SectionEnv, webhookWhileOff } from '../../config/providerMode.ts';
import type { ProviderConfigSection } from '../types.ts';

/** Veratad VX's variables: its API origin, its OAuth client, and the webhook credentials VX sends. */

export interface VeratadLive {
  baseUrl: string;
  authUrl: string;
  clientId: string;
  clientSecret: string;
}
export interface VeratadWebhookConfig {
  /** HTTP Basic credentials VX sends; null: not checked. */
  basic: { username: string; password: string } | null;
  /** An HMAC-SHA256 of the raw body in the header named `header` (VX does not publish its name); null: not checked. */
  hmac: { header: string; secret: string } | null;
  /** Generated for the simulator. */
  sandbox: boolean;
}

const CREDENTIALS = ['VERATAD_AUTH_URL', 'VERATAD_CLIENT_ID', 'VERATAD_CLIENT_SECRET'] as const;
const WEBHOOK_NAMES = [
  'VERATAD_WEBHOOK_USERNAME',
  'VERATAD_WEBHOOK_PASSWORD',
  'VERATAD_WEBHOOK_SECRET',
  'VERATAD_WEBHOOK_SIGNATURE_HEADER',
] as const;

export const veratadConfig: ProviderConfigSection<VeratadLive, VeratadWebhookConfig> = {
  env: {
    VERATAD_BASE_URL: optionalText.pipe(httpUrl.optional()),
    VERATAD_AUTH_URL: optionalText.pipe(httpUrl.optional()),
    VERATAD_CLIENT_ID: optionalText,
    VERATAD_CLIENT_SECRET: optionalText,
    VERATAD_WEBHOOK_USERNAME: optionalText,
    VERATAD_WEBHOOK_PASSWORD: optionalText,
    VERATAD_WEBHOOK_SECRET: optionalText,
    VERATAD_WEBHOOK_SIGNATURE_HEADER: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')
        .optional(),
    ),
  },
  docs: [
    {
      names: ['VERATAD_BASE_URL', 'VERATAD_AUTH_URL', 'VERATAD_CLIENT_ID', 'VERATAD_CLIENT_SECRET'],
      meaning:
        'Veratad VX API origin (the gateway appends `/api/session/result/{id}`) and its OAuth client-credentials token endpoint (full URL)',
    },
    {
      names: ['VERATAD_WEBHOOK_USERNAME', 'VERATAD_WEBHOOK_PASSWORD'],
      meaning: 'turns on `POST /webhooks/veratad` with the HTTP Basic credentials VX sends',
    },
    {
      names: ['VERATAD_WEBHOOK_SECRET', 'VERATAD_WEBHOOK_SIGNATURE_HEADER'],
      meaning: 'turns it on (or adds to Basic) with an HMAC-SHA256 of the raw body, hex, in the header Veratad names',
    },
  ],
  // VX documents no request limit.
  documentedRatePerMinute: null,
  mode(env, { production }, problems) {
    return providerMode<VeratadLive>(
      env,
      production,
      'VERATAD_BASE_URL',
      CREDENTIALS,
      () => ({
        baseUrl: env.VERATAD_BASE_URL as string,
        authUrl: env.VERATAD_AUTH_URL as string,
        clientId: env.VERATAD_CLIENT_ID as string,
        clientSecret: env.VERATAD_CLIENT_SECRET as string,
      }),
      problems,
    );
  },
  webhook(env, mode, problems) {
    if (webhookWhileOff(env, WEBHOOK_NAMES, mode, 'VERATAD', problems)) return null;
    return veratadWebhookConfig(env, mode.mode === 'sandbox', problems);
  },
};

function veratadWebhookConfig(env: SectionEnv, sandboxed: boolean, problems: string[]): VeratadWebhookConfig | null {
  const user = env.VERATAD_WEBHOOK_USERNAME as string | undefined;
  const pass = env.VERATAD_WEBHOOK_PASSWORD as string | undefined;
  const secret = env.VERATAD_WEBHOOK_SECRET as string | undefined;
  const header = env.VERATAD_WEBHOOK_SIGNATURE_HEADER as string | undefined;
  if ((user === undefined) !== (pass === undefined))
    problems.push('VERATAD_WEBHOOK_USERNAME and VERATAD_WEBHOOK_PASSWORD: set both, or neither');
  if ((secret === undefined) !== (header === undefined))
    problems.push('VERATAD_WEBHOOK_SECRET and VERATAD_WEBHOOK_SIGNATURE_HEADER: set both, or neither');
  const basic = user && pass ? { username: user, password: pass } : null;
  const hmac = secret && header ? { header: header.toLowerCase(), secret } : null;
  if (basic || hmac) return { basic, hmac, sandbox: false };
  const anySet = WEBHOOK_NAMES.some((n) => env[n] !== undefined);
  return !anySet && sandboxed
    ? { basic: { username: 'vx-sandbox', password: generatedSecret(24) }, hmac: null, sandbox: true }
    : null;
}
