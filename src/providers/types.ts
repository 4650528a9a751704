import type { WebhooksConfig } from '../config/index.ts';
import type { Provider, Session, SessionDetails } from '../model/session.ts';
import type { FaultInjector } from '../sandbox/server.ts';
import type { SimulatorWebhooks } from '../sandbox/webhooks.ts';
import type { UpstreamHttpOptions } from '../upstream/http.ts';
import type { StatusTable } from './status.ts';

/**
 * What the gateway needs from a provider. An adapter is the only code that knows its vendor's URLs,
 * headers and field names; it throws `GatewayError`s with the codes of DESIGN §3.
 */
export interface ProviderAdapter {
  readonly provider: Provider;
  /** True when the adapter talks to Verigate's embedded simulator. */
  readonly sandbox: boolean;
  /** Null when `id` is a well-formed session id for this provider, else a reason safe to show the caller. */
  checkId(id: string): string | null;
  /**
   * The one spelling of a session id under which Verigate caches, dedups and watches it, applied once where an id
   * enters (queries, `_entities`, subscriptions, webhooks). Vendors whose ids are case-insensitive UUIDs (VX, Didit)
   * lower-case them; absent: ids are case-sensitive and kept as given (Verifa).
   */
  canonicalId?(id: string): string;
  /** Fetches and normalises one session. `id` has passed `checkId`. */
  fetchSession(id: string, signal?: AbortSignal): Promise<Session>;
  /** For sessions built with `detailsDeferred`: fetches `reference` and `metadata`. */
  fetchSessionDetails?(id: string, signal?: AbortSignal): Promise<SessionDetails>;
  /** Closes upstream connections. */
  close(): Promise<void>;
}

/** One sandbox scenario: the session id to ask for, and what it shows. */
export interface ScenarioInfo {
  id: string;
  description: string;
}

/** A running simulator: a real HTTP server on loopback speaking one vendor's dialect. */
export interface RunningSimulator {
  readonly url: string;
  /** Upstream requests it has served, by path (for tests and benchmarks). */
  requestCount(pathIncludes?: string): number;
  resetCount(): void;
  /** Fault injection for resilience tests and benchmarks. */
  readonly faults: FaultInjector;
  /** The webhooks it sends (timed scenarios), when it was given credentials to sign them with. */
  readonly webhooks?: SimulatorWebhooks;
  close(): Promise<void>;
}

/** How a sandbox starts: the webhook credentials its simulator signs with, and the pace of timed scenarios. */
export interface SandboxOptions {
  /** The gateway's webhook settings; a simulator sends webhooks only when its provider's are set. */
  webhooks: WebhooksConfig;
  /** Time between two steps of a timed scenario, ms. */
  timelineStepMs: number;
}

/** What a provider folder exports so the registry can wire it without knowing anything else about it. */
export interface ProviderModule<Live> {
  readonly provider: Provider;
  /** The status tables the normaliser uses (published as docs/status-mapping.md). */
  readonly statusTables: readonly StatusTable[];
  /** The simulator's scenario catalogue (listed in the README). */
  readonly scenarios?: readonly ScenarioInfo[];
  /** Starts the provider's simulator on a free loopback port and returns the live settings that reach it. */
  startSandbox(options?: SandboxOptions): Promise<{ live: Live; simulator: RunningSimulator }>;
  /** `http` carries the provider's shared resilience policy: pass it to every pool the adapter opens. */
  createAdapter(live: Live, options: { sandbox: boolean; http: UpstreamHttpOptions }): ProviderAdapter;
}
