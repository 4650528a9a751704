import { z } from 'zod';
import { httpUrl, optionalText } from '../../config/parse.ts';
import {
  generatedSecret,
  type ProviderMode,
  providerMode,
  type SectionEnv,
  webhookWhileOff,
} from '../../config/providerMode.ts';
import type { ProviderConfigSection } from '../types.ts';

/**
 * Didit is reached through one of its two API generations: v3 with an API key (`x-api-key`; what a Didit
 * application gets today), or the legacy v1 with client credentials exchanged for a Bearer token at `authUrl`.
 */
export type DiditLive =
  | { version: 'v3'; baseUrl: string; apiKey: string }
  | { version: 'v1'; baseUrl: string; authUrl: string; clientId: string; clientSecret: string };

/** Didit's three signature headers (docs.didit.me/integration/webhooks), by the name `DIDIT_WEBHOOK_SIGNATURES` uses. */
export const DIDIT_SIGNATURE_SCHEMES = ['raw', 'v2', 'simple'] as const;
export type DiditSignatureScheme = (typeof DIDIT_SIGNATURE_SCHEMES)[number];

export interface DiditWebhookConfig {
  secret: string;
  /** The signature headers a delivery may be verified by (any one suffices). */
  schemes: readonly DiditSignatureScheme[];
  sandbox: boolean;
}

const DIDIT_V1_NAMES = ['DIDIT_AUTH_URL', 'DIDIT_CLIENT_ID', 'DIDIT_CLIENT_SECRET'] as const;

export const diditConfig: ProviderConfigSection<DiditLive, DiditWebhookConfig> = {
  env: {
    DIDIT_BASE_URL: optionalText.pipe(httpUrl.optional()),
    DIDIT_AUTH_URL: optionalText.pipe(httpUrl.optional()),
    DIDIT_CLIENT_ID: optionalText,
    DIDIT_CLIENT_SECRET: optionalText,
    DIDIT_API_KEY: optionalText,
    DIDIT_WEBHOOK_SECRET: optionalText,
    DIDIT_WEBHOOK_SIGNATURES: optionalText.pipe(
      z
        .string()
        .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()))
        .pipe(z.array(z.enum(DIDIT_SIGNATURE_SCHEMES, { message: 'must list raw, v2 and/or simple' })).min(1))
        .optional(),
    ),
  },
  docs: [
    {
      names: ['DIDIT_BASE_URL', 'DIDIT_API_KEY'],
      meaning:
        "Didit's current API (v3): origin (`/v3/session/{id}/decision/` is appended) and the `x-api-key` from Didit's Business Console. **Choose this** unless your Didit application is a legacy one without an API key.",
    },
    {
      names: ['DIDIT_AUTH_URL', 'DIDIT_CLIENT_ID', 'DIDIT_CLIENT_SECRET'],
      meaning:
        "Didit's legacy v1 API instead (with `DIDIT_BASE_URL`): the client-credentials token endpoint (full URL) and the client id and secret. Setting these together with `DIDIT_API_KEY` is a configuration error. Both versions give the same unified answer.",
    },
    {
      names: ['DIDIT_WEBHOOK_SECRET', 'DIDIT_WEBHOOK_SIGNATURES'],
      meaning:
        "turns on `POST /webhooks/didit`: the Console's webhook secret key; the signature headers accepted, any of `raw,v2,simple` (default all three)",
    },
  ],
  // Didit: decision GETs 100/min per key (providers.md §2.6).
  documentedRatePerMinute: 100,
  mode: diditMode,
  webhook(env, mode, problems) {
    if (webhookWhileOff(env, ['DIDIT_WEBHOOK_SECRET'], mode, 'DIDIT', problems)) return null;
    const schemes = (env.DIDIT_WEBHOOK_SIGNATURES as DiditSignatureScheme[] | undefined) ?? DIDIT_SIGNATURE_SCHEMES;
    const secret = env.DIDIT_WEBHOOK_SECRET as string | undefined;
    if (secret) return { secret, schemes, sandbox: false };
    return mode.mode === 'sandbox' ? { secret: generatedSecret(32), schemes, sandbox: true } : null;
  },
};

/**
 * `DIDIT_API_KEY` selects the v3 API; `DIDIT_CLIENT_ID`, `DIDIT_CLIENT_SECRET` and `DIDIT_AUTH_URL` keep the legacy
 * v1 API. Both at once is ambiguous, so it is reported rather than guessed.
 */
function diditMode(
  env: SectionEnv,
  { production }: { production: boolean },
  problems: string[],
): ProviderMode<DiditLive> {
  const v1Set = DIDIT_V1_NAMES.filter((n) => env[n] !== undefined);
  if (env.DIDIT_API_KEY !== undefined && v1Set.length > 0) {
    problems.push(
      `DIDIT_API_KEY and ${v1Set.join(', ')}: set together; configure either the API key (v3 API) or the client credentials (v1 API), not both`,
    );
    return { mode: 'off' };
  }
  if (v1Set.length > 0) {
    return providerMode<DiditLive>(
      env,
      production,
      'DIDIT_BASE_URL',
      DIDIT_V1_NAMES,
      () => ({
        version: 'v1',
        baseUrl: env.DIDIT_BASE_URL as string,
        authUrl: env.DIDIT_AUTH_URL as string,
        clientId: env.DIDIT_CLIENT_ID as string,
        clientSecret: env.DIDIT_CLIENT_SECRET as string,
      }),
      problems,
    );
  }
  if (env.DIDIT_BASE_URL !== undefined && env.DIDIT_API_KEY === undefined) {
    problems.push(
      'DIDIT_API_KEY: required when DIDIT_BASE_URL is set (or DIDIT_CLIENT_ID, DIDIT_CLIENT_SECRET and DIDIT_AUTH_URL for the legacy v1 API)',
    );
    return { mode: 'off' };
  }
  return providerMode<DiditLive>(
    env,
    production,
    'DIDIT_BASE_URL',
    ['DIDIT_API_KEY'],
    () => ({ version: 'v3', baseUrl: env.DIDIT_BASE_URL as string, apiKey: env.DIDIT_API_KEY as string }),
    problems,
  );
}
