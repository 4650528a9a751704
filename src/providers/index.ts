import type { Config, ProviderMode } from '../config/index.ts';
import { logger } from '../logger.ts';
import type { Provider, ProviderInfo } from '../model/session.ts';
import { PROVIDERS } from '../model/session.ts';
import type { UpstreamHttpOptions } from '../upstream/http.ts';
import type { ProviderAdapter, ProviderModule, RunningSimulator } from './types.ts';
import { verifaModule } from './verifa/index.ts';

/**
 * Every provider Verigate can speak to, with the config section that drives it. Adding a provider means a new
 * folder under src/providers/ and one line here.
 */
const MODULES: { [P in keyof Config['providers']]: ProviderModule<LiveOf<Config['providers'][P]>> | null } = {
  veratad: null,
  didit: null,
  verifa: verifaModule,
};

/** Every provider module that is wired in (for docs and tests). */
export function providerModules(): ProviderModule<unknown>[] {
  return Object.values(MODULES).filter((m): m is NonNullable<typeof m> => m !== null) as ProviderModule<unknown>[];
}

type LiveOf<M> = M extends ProviderMode<infer L> ? L : never;

export interface RegistryOptions {
  http?: UpstreamHttpOptions;
}

/** The providers of one running gateway: adapters for the configured ones, simulators for sandboxed ones. */
export class ProviderRegistry {
  readonly #adapters = new Map<Provider, ProviderAdapter>();
  readonly #simulators = new Map<Provider, RunningSimulator>();

  static async start(config: Config, options: RegistryOptions = {}): Promise<ProviderRegistry> {
    const registry = new ProviderRegistry();
    try {
      for (const key of Object.keys(MODULES) as Array<keyof Config['providers']>) {
        await registry.#startOne(MODULES[key] as ProviderModule<unknown> | null, config.providers[key], options);
      }
    } catch (error) {
      await registry.close();
      throw error;
    }
    return registry;
  }

  async #startOne(module: ProviderModule<unknown> | null, mode: ProviderMode<unknown>, options: RegistryOptions) {
    if (!module || mode.mode === 'off') return;
    const adapterOptions = { sandbox: mode.mode === 'sandbox', ...(options.http ? { http: options.http } : {}) };
    if (mode.mode === 'live') {
      this.#adapters.set(module.provider, module.createAdapter(mode.live, adapterOptions));
      return;
    }
    const { live, simulator } = await module.startSandbox();
    this.#simulators.set(module.provider, simulator);
    this.#adapters.set(module.provider, module.createAdapter(live, adapterOptions));
  }

  adapter(provider: Provider): ProviderAdapter | undefined {
    return this.#adapters.get(provider);
  }

  simulator(provider: Provider): RunningSimulator | undefined {
    return this.#simulators.get(provider);
  }

  sandboxed(): Provider[] {
    return [...this.#simulators.keys()];
  }

  info(): ProviderInfo[] {
    return PROVIDERS.map((provider) => {
      const adapter = this.#adapters.get(provider);
      const circuit = adapter?.circuit() ?? 'CLOSED';
      return {
        provider,
        configured: adapter !== undefined,
        sandbox: adapter?.sandbox ?? false,
        healthy: adapter !== undefined && circuit !== 'OPEN',
        circuit,
      };
    });
  }

  async close(): Promise<void> {
    const closing = [...this.#adapters.values()].map((a) => a.close());
    closing.push(...[...this.#simulators.values()].map((s) => s.close()));
    const results = await Promise.allSettled(closing);
    for (const r of results) if (r.status === 'rejected') logger.warn({ err: String(r.reason) }, 'close failed');
  }
}
