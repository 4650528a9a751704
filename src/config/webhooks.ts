import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { type EnvOf, flag, optionalText } from './parse.ts';
import type { ProvidersConfig } from './providers.ts';

/** Didit's three signature headers (docs.didit.me/integration/webhooks), by the name `DIDIT_WEBHOOK_SIGNATURES` uses. */
export const DIDIT_SIGNATURE_SCHEMES = ['raw', 'v2', 'simple'] as const;
export type DiditSignatureScheme = (typeof DIDIT_SIGNATURE_SCHEMES)[number];

/**
 * Inbound vendor webhooks (DESIGN §6): each endpoint is on only when its credentials are configured. A sandboxed
 * provider gets credentials generated at start (random per process), which its simulator signs with.
 */
export interface WebhooksConfig {
  veratad: VeratadWebhookConfig | null;
  didit: DiditWebhookConfig | null;
  verifa: VerifaWebhookConfig | null;
}
export interface VeratadWebhookConfig {
  /** HTTP Basic credentials VX sends; null: not checked. */
  basic: { username: string; password: string } | null;
  /** An HMAC-SHA256 of the raw body in the header named `header` (VX does not publish its name); null: not checked. */
  hmac: { header: string; secret: string } | null;
  /** Generated for the simulator. */
  sandbox: boolean;
}
export interface DiditWebhookConfig {
  secret: string;
  /** The signature headers a delivery may be verified by (any one suffices). */
  schemes: readonly DiditSignatureScheme[];
  sandbox: boolean;
}
export interface VerifaWebhookConfig {
  secret: string;
  /** Also accept the deprecated bare-hex HMAC of the raw body (endpoints created before 2026-04-17). */
  acceptLegacySignature: boolean;
  sandbox: boolean;
}

export const webhooksEnv = {
  VERATAD_WEBHOOK_USERNAME: optionalText,
  VERATAD_WEBHOOK_PASSWORD: optionalText,
  VERATAD_WEBHOOK_SECRET: optionalText,
  VERATAD_WEBHOOK_SIGNATURE_HEADER: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')
      .optional(),
  ),
  DIDIT_WEBHOOK_SECRET: optionalText,
  DIDIT_WEBHOOK_SIGNATURES: optionalText.pipe(
    z
      .string()
      .transform((v) => v.split(',').map((s) => s.trim().toLowerCase()))
      .pipe(z.array(z.enum(DIDIT_SIGNATURE_SCHEMES, { message: 'must list raw, v2 and/or simple' })).min(1))
      .optional(),
  ),
  VERIFA_WEBHOOK_SECRET: optionalText,
  VERIFA_WEBHOOK_LEGACY_SIGNATURE: flag,
};

type WebhooksEnv = EnvOf<typeof webhooksEnv>;

const generated = (bytes: number) => randomBytes(bytes).toString('base64url');

export function webhooksConfig(env: WebhooksEnv, providers: ProvidersConfig, problems: string[]): WebhooksConfig {
  const off = (name: keyof ProvidersConfig, set: string[]) => {
    if (providers[name].mode !== 'off' || set.length === 0) return false;
    problems.push(
      `${set.join(', ')}: set, but ${name.toUpperCase()} is not configured (webhooks refresh its sessions)`,
    );
    return true;
  };
  const set = (names: Array<keyof WebhooksEnv>) => names.filter((n) => env[n] !== undefined);

  let veratad: VeratadWebhookConfig | null = null;
  const vxNames = set([
    'VERATAD_WEBHOOK_USERNAME',
    'VERATAD_WEBHOOK_PASSWORD',
    'VERATAD_WEBHOOK_SECRET',
    'VERATAD_WEBHOOK_SIGNATURE_HEADER',
  ]);
  if (!off('veratad', vxNames)) {
    const { VERATAD_WEBHOOK_USERNAME: user, VERATAD_WEBHOOK_PASSWORD: pass } = env;
    const { VERATAD_WEBHOOK_SECRET: secret, VERATAD_WEBHOOK_SIGNATURE_HEADER: header } = env;
    if ((user === undefined) !== (pass === undefined))
      problems.push('VERATAD_WEBHOOK_USERNAME and VERATAD_WEBHOOK_PASSWORD: set both, or neither');
    if ((secret === undefined) !== (header === undefined))
      problems.push('VERATAD_WEBHOOK_SECRET and VERATAD_WEBHOOK_SIGNATURE_HEADER: set both, or neither');
    const basic = user && pass ? { username: user, password: pass } : null;
    const hmac = secret && header ? { header: header.toLowerCase(), secret } : null;
    if (basic || hmac) veratad = { basic, hmac, sandbox: false };
    else if (vxNames.length === 0 && providers.veratad.mode === 'sandbox')
      veratad = { basic: { username: 'vx-sandbox', password: generated(24) }, hmac: null, sandbox: true };
  }

  let didit: DiditWebhookConfig | null = null;
  const schemes = env.DIDIT_WEBHOOK_SIGNATURES ?? DIDIT_SIGNATURE_SCHEMES;
  if (!off('didit', set(['DIDIT_WEBHOOK_SECRET']))) {
    if (env.DIDIT_WEBHOOK_SECRET) didit = { secret: env.DIDIT_WEBHOOK_SECRET, schemes, sandbox: false };
    else if (providers.didit.mode === 'sandbox') didit = { secret: generated(32), schemes, sandbox: true };
  }

  let verifa: VerifaWebhookConfig | null = null;
  const acceptLegacySignature = env.VERIFA_WEBHOOK_LEGACY_SIGNATURE ?? false;
  if (!off('verifa', set(['VERIFA_WEBHOOK_SECRET']))) {
    if (env.VERIFA_WEBHOOK_SECRET)
      verifa = { secret: env.VERIFA_WEBHOOK_SECRET, acceptLegacySignature, sandbox: false };
    else if (providers.verifa.mode === 'sandbox')
      verifa = { secret: `whsec_${generated(24)}`, acceptLegacySignature, sandbox: true };
  }
  return { veratad, didit, verifa };
}
