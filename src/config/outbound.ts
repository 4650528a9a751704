import { z } from 'zod';
import { PROVIDERS } from '../generated/providers.ts';
import { isPrivateHost } from '../outbound/addresses.ts';
import { secretKey } from '../outbound/signature.ts';
import { type EnvOf, flag, formatIssue, optionalText } from './parse.ts';

/** Outbound events for backends (DESIGN §7): the endpoints Verigate tells of every status change. */

export const OUTBOUND_EVENT_TYPES = ['verification.session.status_changed', 'verification.test'] as const;
export type OutboundEventType = (typeof OUTBOUND_EVENT_TYPES)[number];

export interface OutboundEndpointConfig {
  /** Unique, stable: deliveries are recorded under it. */
  name: string;
  url: string;
  /** Key bytes of each active secret (several while one rotates: every delivery is signed with each). */
  keys: Buffer[];
  /** Event types sent (null: every one). */
  events: OutboundEventType[] | null;
  /** Providers whose sessions are reported (null: every one). */
  providers: string[] | null;
}

export interface OutboundConfig {
  endpoints: OutboundEndpointConfig[];
  /** Loopback and private receivers allowed (always outside production; `OUTBOUND_WEBHOOKS_ALLOW_PRIVATE` in it). */
  allowPrivate: boolean;
}

export const outboundEnv = {
  OUTBOUND_WEBHOOKS: optionalText,
  OUTBOUND_WEBHOOKS_ALLOW_PRIVATE: flag,
};

const whsec = z.string().refine((s) => secretKey(s) !== null, {
  message: 'secret must be "whsec_" followed by the base64 of 16 to 64 random bytes',
});

const endpointsSchema = z
  .array(
    z.strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'name must be 1 to 64 letters, digits, "_", "." or "-"'),
      url: z.url({ protocol: /^https?$/, message: 'url must be an absolute http(s) URL' }),
      secret: z.union([whsec, z.array(whsec).min(1, 'secret must list at least one secret').max(4)]),
      events: z.array(z.enum(OUTBOUND_EVENT_TYPES)).min(1).optional(),
      providers: z.array(z.enum(PROVIDERS)).min(1).optional(),
    }),
  )
  .max(50, 'at most 50 endpoints')
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [i, e] of list.entries()) {
      if (seen.has(e.name))
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `name "${e.name}" is used twice` });
      seen.add(e.name);
    }
  });

type OutboundEnv = EnvOf<typeof outboundEnv> & { NODE_ENV: 'production' | 'development' | 'test' };

export function outboundConfig(env: OutboundEnv, problems: string[]): OutboundConfig {
  const production = env.NODE_ENV === 'production';
  const allowPrivate = !production || env.OUTBOUND_WEBHOOKS_ALLOW_PRIVATE === true;
  if (env.OUTBOUND_WEBHOOKS === undefined) return { endpoints: [], allowPrivate };
  let json: unknown;
  try {
    json = JSON.parse(env.OUTBOUND_WEBHOOKS);
  } catch {
    problems.push('OUTBOUND_WEBHOOKS: must be a JSON array of { name, url, secret, events?, providers? }');
    return { endpoints: [], allowPrivate };
  }
  const parsed = endpointsSchema.safeParse(json);
  if (!parsed.success) {
    // Issues name the path and the rule, never a secret's value.
    problems.push(...parsed.error.issues.map((i) => formatIssue(i, 'OUTBOUND_WEBHOOKS: ')));
    return { endpoints: [], allowPrivate };
  }
  const endpoints = parsed.data.map((e, i) => {
    const url = new URL(e.url);
    if (production && url.protocol !== 'https:')
      problems.push(`OUTBOUND_WEBHOOKS: ${i}.url: must be https in production (endpoint "${e.name}")`);
    if (!allowPrivate && isPrivateHost(url.hostname))
      problems.push(
        `OUTBOUND_WEBHOOKS: ${i}.url: a loopback or private address (endpoint "${e.name}"); set OUTBOUND_WEBHOOKS_ALLOW_PRIVATE=true to allow it`,
      );
    const secrets = Array.isArray(e.secret) ? e.secret : [e.secret];
    return {
      name: e.name,
      url: url.toString(),
      keys: secrets.map((s) => secretKey(s) as Buffer),
      events: e.events ?? null,
      providers: e.providers ?? null,
    };
  });
  return { endpoints, allowPrivate };
}
