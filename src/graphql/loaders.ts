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
 * the aliases, duplicates in `sessions(refs)` and `node` lookups; ids are validated before anything is sent.
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
    this.#check(provider, id);
    return this.#sessions.load(keyOf(provider, id));
  }

  async loadDetails(provider: Provider, id: string): Promise<SessionDetails> {
    this.#check(provider, id);
    return this.#details.load(keyOf(provider, id));
  }

  #check(provider: Provider, id: string): void {
    // A token bound to its user's sessions reads nothing else: refused before the id is even looked at.
    requireSessionAccess(this.#caller, provider, id);
    const adapter = this.#registry.adapter(provider);
    if (!adapter) {
      throw new GatewayError('UPSTREAM_UNAVAILABLE', `${providerName(provider)} is not configured on this gateway.`, {
        provider,
      });
    }
    const problem = adapter.checkId(id);
    if (problem) throw upstreamError.badInput(`Malformed ${providerName(provider)} session id: ${problem}`, provider);
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
