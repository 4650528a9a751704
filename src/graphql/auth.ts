import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig, Scope } from '../config/index.ts';
import { GatewayError } from '../upstream/errors.ts';

/** Who is calling: the name of their key (safe to log) and their scopes. */
export interface Caller {
  name: string;
  scopes: ReadonlySet<Scope>;
}

interface StoredKey {
  name: string;
  digest: Buffer;
  scopes: ReadonlySet<Scope>;
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Checks `Authorization: Bearer <key>` against the configured keys. Keys are compared as SHA-256 digests with
 * `timingSafeEqual`, so neither the comparison time nor the key length leaks.
 */
export class ApiKeyAuthenticator {
  readonly #keys: StoredKey[];

  constructor(keys: readonly ApiKeyConfig[]) {
    this.#keys = keys.map((k) => ({ name: k.name, digest: sha256(k.key), scopes: new Set(k.scopes) }));
  }

  authenticate(authorization: string | undefined): Caller {
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!match) {
      throw new GatewayError('UNAUTHENTICATED', 'Send an API key as "Authorization: Bearer <key>".', {
        httpStatus: 401,
      });
    }
    const digest = sha256(match[1] as string);
    let found: StoredKey | undefined;
    for (const key of this.#keys) {
      // Compare against every key so the time taken does not tell which one matched.
      if (timingSafeEqual(key.digest, digest) && !found) found = key;
    }
    if (!found) throw new GatewayError('UNAUTHENTICATED', 'The API key is not valid.', { httpStatus: 401 });
    return { name: found.name, scopes: found.scopes };
  }
}

export function requireScope(caller: Caller, scope: Scope): void {
  if (!caller.scopes.has(scope)) {
    throw new GatewayError('FORBIDDEN', `This API key lacks the "${scope}" scope.`);
  }
}
