import DataLoader from 'dataloader';
import type { Provider, Session, SessionDetails } from '../model/session.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import { GatewayError, providerName, upstreamError } from '../upstream/errors.ts';

const keyOf = (provider: Provider, id: string) => `${provider}\u0000${id}`;
const splitKey = (key: string) => {
  const at = key.indexOf('\u0000');
  return { provider: key.slice(0, at) as Provider, id: key.slice(at + 1) };
};

/**
 * Per-request session loading. Every (provider, id) is fetched at most once per operation, whatever the
 * aliases, duplicates in `sessions(refs)` and `node` lookups; ids are validated before anything is sent.
 */
export class SessionLoader {
  readonly #registry: ProviderRegistry;
  readonly #sessions: DataLoader<string, Session>;
  readonly #details: DataLoader<string, SessionDetails>;

  constructor(registry: ProviderRegistry, signal?: AbortSignal) {
    this.#registry = registry;
    this.#sessions = new DataLoader((keys) => this.#loadAll(keys, (a, id) => a.fetchSession(id, signal)));
    this.#details = new DataLoader((keys) =>
      this.#loadAll(keys, (a, id) => {
        if (!a.fetchSessionDetails) throw new Error(`${a.provider} has no deferred details`);
        return a.fetchSessionDetails(id, signal);
      }),
    );
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
    const adapter = this.#registry.adapter(provider);
    if (!adapter) {
      throw new GatewayError('UPSTREAM_UNAVAILABLE', `${providerName(provider)} is not configured on this gateway.`, {
        provider,
      });
    }
    const problem = adapter.checkId(id);
    if (problem) throw upstreamError.badInput(`Malformed ${providerName(provider)} session id: ${problem}`, provider);
  }

  #loadAll<T>(
    keys: readonly string[],
    fetch: (adapter: NonNullable<ReturnType<ProviderRegistry['adapter']>>, id: string) => Promise<T>,
  ): Promise<Array<T | Error>> {
    return Promise.all(
      keys.map(async (key) => {
        const { provider, id } = splitKey(key);
        const adapter = this.#registry.adapter(provider);
        if (!adapter) return new Error(`unknown provider ${provider}`);
        try {
          return await fetch(adapter, id);
        } catch (error) {
          return error instanceof Error ? error : new Error(String(error));
        }
      }),
    );
  }
}
