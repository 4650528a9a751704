import type { Redis } from 'ioredis';
import { type Config, modeOf, type ProviderMode } from '../config/index.ts';
import { logger } from '../logger.ts';
import type { Provider, ProviderInfo } from '../model/session.ts';
import { PROVIDERS } from '../model/session.ts';
import type { TimelinePace } from '../sandbox/webhooks.ts';
import { DEFAULT_HTTP_OPTIONS, type UpstreamHttpOptions } from '../upstream/http.ts';
import { DEFAULT_POLICY, ProviderPolicy, type ProviderPolicyOptions } from '../upstream/policy.ts';
import { providerModules } from './registry.ts';
import type { ProviderAdapter, ProviderModule, RunningSimulator, SandboxOptions } from './types.ts';

export { providerModules } from './registry.ts';

export interface RegistryOptions {
  /** Pool, timeout and body-cap settings (tests shorten the timeouts). */
  http?: UpstreamHttpOptions;
  /** Overrides of the resilience policy every provider gets (tests tighten the breaker). */
  policy?: Partial<ProviderPolicyOptions>;
  /** Time between two steps of the simulators' timed scenarios, ms (default 3 500: about ten seconds in all). */
  timelineStepMs?: TimelinePace;
}

/** The providers of one running gateway: adapters for the configured ones, simulators for sandboxed ones. */
export class ProviderRegistry {
  readonly #adapters = new Map<Provider, ProviderAdapter>();
  readonly #simulators = new Map<Provider, RunningSimulator>();
  readonly #policies = new Map<Provider, ProviderPolicy>();
  #rateBudgetRedisTimeoutMs = 50;

  static async start(config: Config, options: RegistryOptions = {}): Promise<ProviderRegistry> {
    const registry = new ProviderRegistry();
    registry.#rateBudgetRedisTimeoutMs = config.upstream.rateBudgetRedisTimeoutMs;
    try {
      for (const module of providerModules()) {
        const sandbox = {
          webhook: config.webhooks[module.name] ?? null,
          timelineStepMs: options.timelineStepMs ?? 3_500,
        };
        await registry.#startOne(
          module,
          modeOf(config.providers, module),
          registry.#httpOptions(config, module, options),
          sandbox,
        );
      }
    } catch (error) {
      await registry.close();
      throw error;
    }
    return registry;
  }

  /** One policy per provider, shared by all of its pools, with the limits config gives it. */
  #httpOptions(config: Config, module: ProviderModule, options: RegistryOptions): UpstreamHttpOptions {
    const base = options.http ?? {
      ...DEFAULT_HTTP_OPTIONS,
      timeouts: { ...DEFAULT_HTTP_OPTIONS.timeouts, totalMs: config.upstream.timeoutMs },
    };
    const policy = new ProviderPolicy(module.provider, {
      ...DEFAULT_POLICY,
      ratePerMinute: config.upstream.ratePerMinute[module.name] ?? null,
      maxConcurrent: config.upstream.maxConcurrency,
      ...options.policy,
    });
    this.#policies.set(module.provider, policy);
    return { ...base, policy };
  }

  async #startOne(
    module: ProviderModule,
    mode: ProviderMode<unknown>,
    http: UpstreamHttpOptions,
    sandbox: SandboxOptions,
  ) {
    if (mode.mode === 'off') return;
    const adapterOptions = { sandbox: mode.mode === 'sandbox', http };
    if (mode.mode === 'live') {
      this.#adapters.set(module.provider, module.createAdapter(mode.live, adapterOptions));
      return;
    }
    const { live, simulator } = await module.startSandbox(sandbox);
    this.#simulators.set(module.provider, simulator);
    this.#adapters.set(module.provider, module.createAdapter(live, adapterOptions));
  }

  /**
   * Shares every provider's rate budget with the other replicas on this Redis, so `*_RATE_LIMIT_PER_MINUTE` is
   * the vendor's limit for the whole deployment; each replica falls back to its own budget while Redis is away.
   */
  shareRateBudgets(redis: Redis): void {
    const timeoutMs = this.#rateBudgetRedisTimeoutMs;
    for (const policy of this.#policies.values()) policy.shareRateBudget(redis, { timeoutMs });
  }

  /**
   * Points every simulator's webhooks at this gateway's endpoints (`base`: its origin, e.g. http://127.0.0.1:4000);
   * null stops them (shutdown).
   */
  deliverWebhooksTo(base: string | null): void {
    for (const module of providerModules())
      this.#simulators
        .get(module.provider)
        ?.webhooks?.deliverTo(base === null ? null : `${base}/webhooks/${module.name}`);
  }

  adapter(provider: Provider): ProviderAdapter | undefined {
    return this.#adapters.get(provider);
  }

  /** The id as the provider's adapter spells it canonically (`ProviderAdapter.canonicalId`); as given otherwise. */
  canonicalId(provider: Provider, id: string): string {
    return this.#adapters.get(provider)?.canonicalId?.(id) ?? id;
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
      const circuit = (adapter && this.#policies.get(provider)?.breaker.state()) ?? 'CLOSED';
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
