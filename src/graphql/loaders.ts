import DataLoader from 'dataloader';
import type { EventStore } from '../events/store.ts';
import type { Provider, Session, SessionDetails } from '../model/session.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { SessionStore } from '../sessions/store.ts';
import { GatewayError, providerName, upstreamError } from '../upstream/errors.ts';
import { type Caller, requireSessionAccess } from './auth.ts';

const keyOf = (provider: Provider, id: string) => `${provider}\u0000${id}`;
const splitKey = (key: string) => {
  const at = key.indexOf('\u0000');
  return { provider: key.slice(0, at) as Provider, id: key.slice(at + 1) };
};

/**
 * Per-request session loading. Every (provider, id) is asked of the store at most once per operation, whatever
 * the aliases, duplicates in `sessions(refs)`, `node` lookups and spellings of one id (`ABC…` and `abc…` for a
 * case-insensitive vendor: ids are canonicalised here, where they enter); ids are validated before anything is sent.
 */
export class SessionLoader {
  readonly #registry: ProviderRegistry;
  readonly #caller: Caller;
  readonly #sessions: DataLoader<string, Session>;
  readonly #details: DataLoader<string, SessionDetails>;
  /** The sessions' timelines, read by `Session.events` and `Query.sessionEvents`; null: none is kept. */
  readonly events: EventStore | null;

  constructor(registry: ProviderRegistry, store: SessionStore, caller: Caller) {
    this.#registry = registry;
    this.events = store.events;
    this.#caller = caller;
    this.#sessions = new DataLoader((keys) => settleAll(keys, ({ provider, id }) => store.session(provider, id)));
    this.#details = new DataLoader((keys) => settleAll(keys, ({ provider, id }) => store.details(provider, id)));
  }

  /** Loads one session; rejects with a GatewayError (BAD_USER_INPUT for a malformed id, before any I/O). */
  async load(provider: Provider, id: string): Promise<Session> {
    return this.#sessions.load(keyOf(provider, this.#check(provider, id)));
  }

  /**
   * Makes `session` what this operation reads for its id (a session `startVerification` just created: its vendor
   * has nothing more to say yet). Only this request's loader: nothing is cached beyond it.
   */
  prime(session: Session): void {
    const id = this.#registry.canonicalId(session.provider, session.providerSessionId);
    this.#sessions.prime(keyOf(session.provider, id), session);
  }

  async loadDetails(provider: Provider, id: string): Promise<SessionDetails> {
    return this.#details.load(keyOf(provider, this.#check(provider, id)));
  }

  /** The canonical id, once `id` is found readable by this caller and well-formed. */
  #check(provider: Provider, id: string): string {
    const spell = (v: string) => this.#registry.canonicalId(provider, v);
    // A token bound to its user's sessions reads nothing else (however it spells them): refused before the id is
    // even looked at.
    requireSessionAccess(this.#caller, provider, id, spell);
    const adapter = this.#registry.adapter(provider);
    if (!adapter) {
      throw new GatewayError('UPSTREAM_UNAVAILABLE', `${providerName(provider)} is not configured on this gateway.`, {
        provider,
      });
    }
    const problem = adapter.checkId(id);
    if (problem) throw upstreamError.badInput(`Malformed ${providerName(provider)} session id: ${problem}`, provider);
    return spell(id);
  }
}

/** One result per key, in order: the value, or the Error that key failed with (DataLoader's batch contract). */
function settleAll<T>(
  keys: readonly string[],
  fetch: (ref: { provider: Provider; id: string }) => Promise<T>,
): Promise<Array<T | Error>> {
  return Promise.all(
    keys.map((key) =>
      fetch(splitKey(key)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
    ),
  );
}
