import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { httpUrl, optionalText } from '../../config/parse.ts';
import { generatedSecret, type ProviderMode } from '../../config/providerMode.ts';
import type { ProviderConfigSection } from '../types.ts';

/**
 * Plaid's variables (DESIGN §8 "Plaid Identity Verification"): client id and secret, the environment, and an
 * optional base URL. The servers are those of plaid-openapi `2020-09-14.yml` (`servers`).
 */
export const PLAID_ENVIRONMENTS = ['sandbox', 'production'] as const;
export type PlaidEnvironment = (typeof PLAID_ENVIRONMENTS)[number];
export const PLAID_BASE_URLS: Record<PlaidEnvironment, string> = {
  sandbox: 'https://sandbox.plaid.com',
  production: 'https://production.plaid.com',
};
/** The API version every call pins (`Plaid-Version`): the spec file Verigate reads. */
export const PLAID_API_VERSION = '2020-09-14';
/** An unknown `kid` is fetched at most once per this long per replica (DESIGN: "at most once per few seconds"). */
export const PLAID_KEY_REFETCH_INTERVAL_MS = 5_000;

export interface PlaidLive {
  /** Origin the paths (`/identity_verification/get`, …) are appended to. */
  baseUrl: string;
  clientId: string;
  secret: string;
  /** `sandbox` marks every session `sandbox: true`. */
  environment: PlaidEnvironment;
}

/** Where webhook verification keys come from: the same API and credentials as the sessions. */
export interface PlaidKeyServer {
  /**
   * The API origin; on the sandbox null until its simulator starts (its port is chosen then) and sets it, so the
   * webhook endpoint fetches keys from the simulator that signs.
   */
  baseUrl: string | null;
  clientId: string;
  secret: string;
}

/** The sandbox's ES256 signing key (generated per process): its simulator signs with it and serves its public half. */
export interface PlaidSigner {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface PlaidWebhookConfig {
  keyServer: PlaidKeyServer;
  /** See `PLAID_KEY_REFETCH_INTERVAL_MS`. */
  keyRefetchIntervalMs: number;
  /** Generated for the simulator. */
  sandbox: boolean;
  /** The simulator's signing key; null when Plaid itself signs. */
  signer: PlaidSigner | null;
}

interface PlaidEnv {
  PLAID_CLIENT_ID?: string;
  PLAID_SECRET?: string;
  PLAID_ENV?: PlaidEnvironment;
  PLAID_BASE_URL?: string;
}

/** A fresh ES256 (P-256) key pair under a random kid, for a simulator. */
export function generatePlaidSigner(): PlaidSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid: randomUUID(), privateKey, publicKey };
}

export const plaidConfig: ProviderConfigSection<PlaidLive, PlaidWebhookConfig> = {
  env: {
    PLAID_CLIENT_ID: optionalText,
    PLAID_SECRET: optionalText,
    PLAID_ENV: optionalText.pipe(
      z.enum(PLAID_ENVIRONMENTS, { message: `must be one of ${PLAID_ENVIRONMENTS.join(', ')}` }).optional(),
    ),
    PLAID_BASE_URL: optionalText.pipe(httpUrl.optional()),
  },
  docs: [
    {
      names: ['PLAID_CLIENT_ID', 'PLAID_SECRET'],
      meaning:
        'Plaid API keys, sent as `PLAID-CLIENT-ID` / `PLAID-SECRET` with `Plaid-Version: 2020-09-14`; both together turn the provider on. They also fetch the keys that verify `POST /webhooks/plaid` (ES256 JWTs in `Plaid-Verification`), so that endpoint is on with them. See [Webhooks](#webhooks).',
    },
    {
      names: ['PLAID_ENV'],
      meaning:
        '`sandbox` (default: `https://sandbox.plaid.com`, sessions marked `sandbox: true`) or `production` (`https://production.plaid.com`)',
    },
    {
      names: ['PLAID_BASE_URL'],
      meaning:
        'replaces the environment’s origin (proxies, tests); `PLAID_ENV` still says whether sessions are sandbox data',
    },
  ],
  // plaid.com/docs/errors/rate-limit-exceeded/ ("Production rate limits"): /identity_verification/get 500 per minute per client.
  documentedRatePerMinute: 500,
  mode(values, context, problems): ProviderMode<PlaidLive> {
    const e = values as PlaidEnv;
    const credentials = [e.PLAID_CLIENT_ID, e.PLAID_SECRET];
    if (credentials.every((v) => v !== undefined)) {
      const environment = e.PLAID_ENV ?? 'sandbox';
      return {
        mode: 'live',
        live: {
          baseUrl: e.PLAID_BASE_URL ?? PLAID_BASE_URLS[environment],
          clientId: e.PLAID_CLIENT_ID as string,
          secret: e.PLAID_SECRET as string,
          environment,
        },
      };
    }
    const set = (['PLAID_CLIENT_ID', 'PLAID_SECRET', 'PLAID_ENV', 'PLAID_BASE_URL'] as const).filter(
      (n) => e[n] !== undefined,
    );
    if (set.length === 0) return context.production ? { mode: 'off' } : { mode: 'sandbox' };
    for (const n of ['PLAID_CLIENT_ID', 'PLAID_SECRET'] as const)
      if (e[n] === undefined)
        problems.push(`${n}: required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set`);
    return { mode: 'off' };
  },
  webhook(_values, mode): PlaidWebhookConfig | null {
    if (mode.mode === 'live') {
      const { baseUrl, clientId, secret } = mode.live;
      return {
        keyServer: { baseUrl, clientId, secret },
        keyRefetchIntervalMs: PLAID_KEY_REFETCH_INTERVAL_MS,
        sandbox: false,
        signer: null,
      };
    }
    if (mode.mode !== 'sandbox') return null;
    return {
      keyServer: { baseUrl: null, clientId: generatedSecret(12), secret: generatedSecret(24) },
      keyRefetchIntervalMs: PLAID_KEY_REFETCH_INTERVAL_MS,
      sandbox: true,
      signer: generatePlaidSigner(),
    };
  },
};
