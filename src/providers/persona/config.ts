import { z } from 'zod';
import { httpUrl, optionalText } from '../../config/parse.ts';
import { generatedSecret, type ProviderMode, webhookWhileOff } from '../../config/providerMode.ts';
import type { ProviderConfigSection } from '../types.ts';

/**
 * The `Persona-Version`s Verigate reads (github.com/persona-id/persona-openapi, one folder per version). 2023-01-05
 * still copies the applicant's personal data to the top of an inquiry's attributes; 2025-10-27 and 2025-12-08 keep
 * it under `fields` only (their `inquiry.yaml` are identical).
 */
export const PERSONA_API_VERSIONS = ['2023-01-05', '2025-10-27', '2025-12-08'] as const;
export type PersonaApiVersion = (typeof PERSONA_API_VERSIONS)[number];
export const PERSONA_DEFAULT_VERSION: PersonaApiVersion = '2025-12-08';
export const PERSONA_DEFAULT_BASE_URL = 'https://api.withpersona.com/api/v1';

export interface PersonaLive {
  /** Up to `/api/v1`; the adapter appends `/inquiries/<id>`. */
  baseUrl: string;
  apiKey: string;
  version: PersonaApiVersion;
}

export interface PersonaWebhookConfig {
  /** The endpoint's secret (`wbhsec_…` in Persona's dashboard). */
  secret: string;
  /** Generated for the simulator. */
  sandbox: boolean;
}

const env = {
  PERSONA_BASE_URL: optionalText.pipe(httpUrl.optional()),
  PERSONA_API_KEY: optionalText,
  PERSONA_API_VERSION: optionalText.pipe(
    z.enum(PERSONA_API_VERSIONS, { message: `must be one of ${PERSONA_API_VERSIONS.join(', ')}` }).optional(),
  ),
  PERSONA_WEBHOOK_SECRET: optionalText,
};

interface PersonaEnv {
  PERSONA_BASE_URL?: string;
  PERSONA_API_KEY?: string;
  PERSONA_API_VERSION?: PersonaApiVersion;
  PERSONA_WEBHOOK_SECRET?: string;
}

export const personaConfig: ProviderConfigSection<PersonaLive, PersonaWebhookConfig> = {
  env,
  docs: [
    {
      names: ['PERSONA_API_KEY'],
      meaning:
        'Persona API key, sent as `Authorization: Bearer`; set alone it reaches `https://api.withpersona.com/api/v1`',
    },
    {
      names: ['PERSONA_BASE_URL'],
      meaning: 'Persona API base up to `/api/v1` (default `https://api.withpersona.com/api/v1`)',
    },
    {
      names: ['PERSONA_API_VERSION'],
      meaning: `\`Persona-Version\` sent with every call: ${PERSONA_API_VERSIONS.map((v) => `\`${v}\``).join(', ')} (default \`${PERSONA_DEFAULT_VERSION}\`)`,
    },
    {
      names: ['PERSONA_WEBHOOK_SECRET'],
      meaning:
        'turns on `POST /webhooks/persona`: `Persona-Signature: t=…,v1=…` checked with this secret (both secrets’ signatures during a rotation), ±5 min',
    },
  ],
  // Persona's 429 answer: "You have hit your rate limit of 300 requests / min" (components/responses/too-many-requests.yaml).
  documentedRatePerMinute: 300,
  mode(values, context, problems): ProviderMode<PersonaLive> {
    const e = values as PersonaEnv;
    const version = e.PERSONA_API_VERSION ?? PERSONA_DEFAULT_VERSION;
    if (e.PERSONA_API_KEY !== undefined) {
      return {
        mode: 'live',
        live: { baseUrl: e.PERSONA_BASE_URL ?? PERSONA_DEFAULT_BASE_URL, apiKey: e.PERSONA_API_KEY, version },
      };
    }
    if (e.PERSONA_BASE_URL !== undefined) {
      problems.push('PERSONA_API_KEY: required when PERSONA_BASE_URL is set');
      return { mode: 'off' };
    }
    return context.production ? { mode: 'off' } : { mode: 'sandbox' };
  },
  webhook(values, mode, problems): PersonaWebhookConfig | null {
    if (webhookWhileOff(values, ['PERSONA_WEBHOOK_SECRET'], mode, 'PERSONA', problems)) return null;
    const secret = (values as PersonaEnv).PERSONA_WEBHOOK_SECRET;
    if (secret !== undefined) return { secret, sandbox: false };
    return mode.mode === 'sandbox' ? { secret: `wbhsec_${generatedSecret(24)}`, sandbox: true } : null;
  },
};
