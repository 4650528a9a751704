import type { z } from 'zod';
import type { ProviderMode } from '../config/providers.ts';
import type { Provider, Session, SessionDetails } from '../model/session.ts';
import type { FaultInjector } from '../sandbox/server.ts';
import type { SimulatorWebhooks, TimelinePace } from '../sandbox/webhooks.ts';
import type { UpstreamHttpOptions } from '../upstream/http.ts';
import type { AnyProviderWebhook } from '../webhooks/types.ts';
import type { DeclineTable } from './declines.ts';
import type { StartedSession, StartSessionRequest } from './start.ts';
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
  /**
   * Creates a verification at the vendor (`Mutation.startVerification`); absent: the vendor cannot be started through
   * Verigate. Throws `GatewayError`s: BAD_USER_INPUT for the vendor's 4xx about the input, the UPSTREAM_* codes else.
   */
  startSession?(request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession>;
  /**
   * Mints a fresh hosted link or SDK token for a session started earlier under the same idempotency key (a replayed
   * `startVerification`), where the vendor can for an existing session (Persona's one-time link, Sumsub's WebSDK
   * link); absent: a replay answers `hostedUrl` and `clientToken` null.
   */
  reissueLink?(providerSessionId: string, request: StartSessionRequest, signal?: AbortSignal): Promise<StartedSession>;
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
  /** Moves timed scenario `id` one step now, when started with the `'manual'` pace (tests); false if it could not. */
  advance?(id: string): boolean;
  /** The webhooks it sends (timed scenarios), when it was given credentials to sign them with. */
  readonly webhooks?: SimulatorWebhooks;
  /** Sessions created through the vendor's create call (`startVerification`): how many (a replay makes none). */
  readonly starts?: { created(): number };
  close(): Promise<void>;
}

/** How a sandbox starts: the webhook credentials its simulator signs with, and the pace of timed scenarios. */
export interface SandboxOptions<Hook = unknown> {
  /** This provider's webhook settings (generated for a sandbox); null: its simulator sends no webhooks. */
  webhook: Hook | null;
  /** Time between two steps of a timed scenario, ms (and, for `npm start`, when a finished one starts over). */
  timelineStepMs: TimelinePace;
}

/** What a provider's configuration section sees besides its own variables. */
export interface ProviderConfigContext {
  production: boolean;
}

/**
 * One vendor's environment variables and what they build (STYLE §4: validated once, every problem collected).
 * `Live` is what reaches the real API; `Hook` the inbound webhook settings.
 */
export interface ProviderConfigSection<Live, Hook> {
  /**
   * Every variable of this provider but `<PROVIDER>_RATE_LIMIT_PER_MINUTE` and `<PROVIDER>_DEFAULT_FLOW` (the kit adds
   * those), with its zod schema.
   */
  readonly env: Record<string, z.ZodType>;
  /** README environment-table rows: the variables of each row and what they mean (Markdown). */
  readonly docs: readonly EnvDoc[];
  /**
   * Live when the vendor's base URL (or its equivalent) is set and every credential it needs is there; sandbox when
   * nothing is set outside production; off in production or when half-configured (a problem is pushed).
   * `env` holds the parsed values of `env` above.
   */
  mode(env: Record<string, unknown>, context: ProviderConfigContext, problems: string[]): ProviderMode<Live>;
  /** The vendor's documented request limit per minute for a live provider (null: none documented). */
  readonly documentedRatePerMinute: number | null;
  /**
   * Where the vendor documents none that could be checked: the budget a live provider gets until the operator sets
   * `<PROVIDER>_RATE_LIMIT_PER_MINUTE` to the account's own limit (the docs say it is not documented).
   */
  readonly defaultRatePerMinute?: number;
  /**
   * Inbound webhook settings: null when its endpoint is off. A sandboxed provider with no webhook variables set gets
   * credentials generated here (random per process), which its simulator signs with.
   */
  webhook?(env: Record<string, unknown>, mode: ProviderMode<Live>, problems: string[]): Hook | null;
}

export interface EnvDoc {
  names: readonly string[];
  meaning: string;
}

/**
 * Everything the gateway knows of one vendor, exported by `src/providers/<name>/index.ts`. Wiring a vendor in is one
 * line in `src/providers/registry.ts`; the `Provider` enum, the configuration, `/webhooks/<name>`, the status-mapping
 * docs, the README tables and the playground tabs are derived from these modules.
 */
export interface ProviderModule<Live = unknown, Hook = unknown> {
  readonly provider: Provider;
  /** Lower-case key: the config section's name and the webhook route's last segment (`/webhooks/<name>`). */
  readonly name: string;
  /** The vendor as people call it (`Onfido`), used in error messages and docs. */
  readonly label: string;
  /** One sentence for the `Provider` enum value's description. */
  readonly description: string;
  readonly config: ProviderConfigSection<Live, Hook>;
  /** The status tables the normaliser uses (published as docs/status-mapping.md). */
  readonly statusTables: readonly StatusTable[];
  /** The vendor's decline vocabularies and their unified categories (published as docs/decline-reasons.md). */
  readonly declineTables?: readonly DeclineTable[];
  /**
   * Vendor calls one session read can take at most (Verifa: the result, then the session when there is none); 1
   * where unset. The per-request cap on vendor calls (`GRAPHQL_MAX_UPSTREAM_CALLS`) counts with it.
   */
  readonly callsPerSession?: number;
  /** `<PROVIDER>_DEFAULT_FLOW`'s default, where the vendor has one that always exists (Stripe `document`). */
  readonly defaultFlow?: string;
  /**
   * The flow id the simulator knows, `<PROVIDER>_DEFAULT_FLOW`'s default while the provider runs on its sandbox (so
   * `npm start` can start verifications with no configuration); absent: none.
   */
  readonly sandboxFlow?: string;
  /** The simulator's scenario catalogue (listed in the README; the first is the playground tab's example). */
  readonly scenarios: readonly ScenarioInfo[];
  /** Starts the provider's simulator on a free loopback port and returns the live settings that reach it. */
  startSandbox(options: SandboxOptions<Hook>): Promise<{ live: Live; simulator: RunningSimulator }>;
  /** `http` carries the provider's shared resilience policy: pass it to every pool the adapter opens. */
  createAdapter(live: Live, options: { sandbox: boolean; http: UpstreamHttpOptions }): ProviderAdapter;
  /** The inbound webhook dialect, built from this provider's webhook settings; absent: no webhooks. */
  webhook?(config: Hook): AnyProviderWebhook;
  /** The shared contract suite's handles on this vendor's sandbox. */
  readonly contract: SandboxContract<Hook>;
}

/**
 * What the shared provider contract suite (test/providers/contract.test.ts) needs to drive one vendor's sandbox: the
 * simulator's scenario ids for each case and, for a vendor with webhooks, a way to sign a delivery as the vendor
 * does. Exported by the module (`ProviderModule.contract`), built from its own sandbox catalogue so the two cannot
 * drift. A vendor without webhooks (`Hook` = `never`, no `ProviderModule.webhook`) leaves the webhook handles out,
 * and the suite skips its webhook cases (src/providers/_template is one).
 */
export type SandboxContract<Hook = unknown> = SandboxScenarios &
  ([Hook] extends [never] ? Partial<WebhookContract<Hook>> : WebhookContract<Hook>);

/** The scenario ids every vendor's sandbox gives the suite. */
export interface SandboxScenarios {
  /** A well-formed id the simulator answers "no such session" for (→ `NOT_FOUND`). */
  notFoundId: string;
  /** A scenario the vendor answers with a 5xx (→ `UPSTREAM_UNAVAILABLE`). */
  unavailableId: string;
  /** Ids `checkId` refuses (→ `BAD_USER_INPUT`, no vendor call). */
  malformedIds: readonly string[];
  /**
   * For every row of every status table, a scenario showing it: the suite checks `status` is the table's and
   * `providerStatus` is `providerStatus` (defaults to `value`).
   */
  statusScenarios: readonly { field: string; value: string; id: string; providerStatus?: string }[];
  /** A scenario whose status word is in no table (→ `UNKNOWN`, the raw word kept in `providerStatus`). */
  unknownStatus: { id: string; providerStatus: string };
  /** A scenario with an applicant's name, date of birth and a document number (masked without `pii:read`). */
  piiId: string;
}

/** How the suite signs a webhook delivery as the vendor does. */
export interface WebhookContract<Hook> {
  /** Whether the vendor's signature covers a timestamp (then a delivery signed an hour ago is refused as stale). */
  signsTimestamp: boolean;
  /** False where the sandbox's scheme authenticates the sender but not the body (VX Basic): no tampering check. */
  signsBody?: boolean;
  /** A delivery of a session event for `sessionId`, signed as the vendor does at `nowSeconds`. */
  signedWebhook(config: Hook, sessionId: string, nowSeconds: number): { body: string; headers: Record<string, string> };
}
