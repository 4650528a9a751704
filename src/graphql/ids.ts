import { PROVIDERS, type Provider } from '../model/session.ts';

/**
 * Relay global ids: base64url (no padding) of `Session:<PROVIDER>:<provider session id>`.
 * Opaque to clients, stable across releases, and decoded strictly (non-canonical encodings are rejected).
 */
export interface SessionRef {
  provider: Provider;
  id: string;
}

const MAX_GLOBAL_ID_LENGTH = 512;

export function toGlobalId(ref: SessionRef): string {
  return Buffer.from(`Session:${ref.provider}:${ref.id}`, 'utf8').toString('base64url');
}

/** The session a global id names, or null when the id is not one Verigate issued. */
export function fromGlobalId(globalId: string): SessionRef | null {
  if (globalId.length === 0 || globalId.length > MAX_GLOBAL_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(globalId))
    return null;
  const decoded = Buffer.from(globalId, 'base64url');
  if (decoded.toString('base64url') !== globalId) return null;
  const text = decoded.toString('utf8');
  const [type, provider, ...rest] = text.split(':');
  const id = rest.join(':');
  if (type !== 'Session' || !PROVIDERS.includes(provider as Provider) || id === '') return null;
  return { provider: provider as Provider, id };
}
