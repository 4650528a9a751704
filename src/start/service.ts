import { createHash } from 'node:crypto';
import { defaultFlowName, routingFor, type StartConfig } from '../config/start.ts';
import type { EventStore } from '../events/store.ts';
import { logger } from '../logger.ts';
import { noParts, type Provider, type Session, TERMINAL_STATUSES } from '../model/session.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { StartedSession, StartSessionRequest } from '../providers/start.ts';
import type { ProviderAdapter } from '../providers/types.ts';
import { GatewayError, providerName, upstreamError } from '../upstream/errors.ts';
import { badField, inputHash, type RawStartInput, type StartInput, validateStartInput } from './input.ts';
import type { AttemptRecord, RecordKey, StartRecords } from './records.ts';

/**
 * `Mutation.startVerification` behind the resolver (DESIGN §8 "Start a verification"): the input checked, the
 * candidates chosen (the explicit provider alone, else `VERIFICATION_ROUTING` by country), the idempotency record
 * claimed, then each candidate tried in turn, falling back only when the vendor could not start it.
 * `hostedUrl` and `clientToken` pass through here to the answer and nowhere else: not logged, not stored, not cached.
 */

/** The codes that say the vendor could not start it (not that the input is wrong): the next candidate may. */
export const FALLBACK_CODES: ReadonlySet<string> = new Set([
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_AUTH_FAILED',
]);

export interface StartResult {
  /** The new session (NOT_STARTED), or, for a replay, null: the caller loads it. */
  session: Session | null;
  provider: Provider;
  providerSessionId: string;
  hostedUrl: string | null;
  clientToken: string | null;
  expiresAt: string | null;
  replayed: boolean;
  attempts: AttemptRecord[];
}

export interface StartServiceDeps {
  registry: ProviderRegistry;
  /** The timeline: what a replay's session shows while its vendor cannot be read. */
  events: EventStore | null;
  records: StartRecords;
  config: StartConfig;
  production: boolean;
  /** `verigate_start_attempts_total`. */
  onAttempt(provider: Provider, outcome: string): void;
}

interface Candidate {
  provider: Provider;
  adapter: ProviderAdapter & Required<Pick<ProviderAdapter, 'startSession'>>;
  flow: string;
}

export class StartService {
  readonly #deps: StartServiceDeps;

  constructor(deps: StartServiceDeps) {
    this.#deps = deps;
  }

  /** The routing in force: `VERIFICATION_ROUTING`, or every provider that can start one, in registry order. */
  routing(): { default: readonly Provider[]; byCountry: Readonly<Record<string, readonly Provider[]>> } {
    const { routing, defaultFlows } = this.#deps.config;
    if (routing) return routing;
    const able = this.#deps.registry
      .info()
      .filter((p) => p.configured && this.#deps.registry.adapter(p.provider)?.startSession && defaultFlows[p.provider])
      .map((p) => p.provider);
    return { default: able, byCountry: {} };
  }

  /**
   * Problems with the routing that only the running providers can tell (a routed provider whose adapter cannot start
   * verifications, e.g. Didit on its legacy v1 API, or VX): reported at start-up.
   */
  routingProblems(): string[] {
    const routing = this.#deps.config.routing;
    if (!routing) return [];
    const lists = [
      ['default', routing.default] as const,
      ...Object.entries(routing.byCountry).map(([c, l]) => [`byCountry.${c}`, l] as const),
    ];
    const problems: string[] = [];
    for (const [where, list] of lists)
      for (const provider of list)
        if (!this.#deps.registry.adapter(provider)?.startSession)
          problems.push(`VERIFICATION_ROUTING.${where}: ${provider} cannot start verifications through Verigate`);
    return problems;
  }

  async start(apiKey: string, raw: RawStartInput, signal?: AbortSignal): Promise<StartResult> {
    const input = validateStartInput(raw, { production: this.#deps.production });
    const candidates = this.#candidates(input);
    const key: RecordKey = { apiKey, idempotencyKey: input.idempotencyKey };
    const claim = await this.#deps.records.claim(key, inputHash(input), signal);
    if (claim.kind === 'started') return this.#replay(input, key, claim.record, signal);
    const attempts: AttemptRecord[] = [];
    // A start taken over from a dead owner goes back to the provider holding its first step, before any other.
    const ordered = claim.resume ? resumeFirst(candidates, claim.resume.provider) : candidates;
    try {
      for (const [index, candidate] of ordered.entries()) {
        const resumeFrom = claim.resume?.provider === candidate.provider ? claim.resume.firstStepId : null;
        await this.#deps.records.attempting(key, claim.token, candidate.provider);
        const started = await this.#attempt(candidate, input, key, claim.token, resumeFrom, signal).catch(
          (error: unknown) => {
            const code = error instanceof GatewayError ? error.code : 'INTERNAL_SERVER_ERROR';
            attempts.push({ provider: candidate.provider, code });
            this.#deps.onAttempt(candidate.provider, code.toLowerCase());
            const last = index === ordered.length - 1;
            if (last || !FALLBACK_CODES.has(code)) throw withAttempts(error, attempts);
            logger.info({ provider: candidate.provider, code }, 'start: falling back to the next provider');
            return null;
          },
        );
        if (!started) continue;
        attempts.push({ provider: candidate.provider, code: null });
        this.#deps.onAttempt(candidate.provider, 'started');
        const providerSessionId =
          candidate.adapter.canonicalId?.(started.providerSessionId) ?? started.providerSessionId;
        await this.#deps.records.started(key, claim.token, {
          provider: candidate.provider,
          providerSessionId,
          attempts,
          expiresAt: started.expiresAt,
        });
        return {
          session: newSession(candidate, providerSessionId, started.providerStatus ?? 'created'),
          provider: candidate.provider,
          providerSessionId,
          hostedUrl: started.hostedUrl,
          clientToken: started.clientToken,
          expiresAt: started.expiresAt,
          replayed: false,
          attempts,
        };
      }
      throw new Error('no candidate'); // unreachable: the last candidate's failure is thrown above
    } catch (error) {
      await this.#deps.records
        .failed(key, claim.token)
        .catch((e: unknown) =>
          logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'start: idempotency record not released'),
        );
      throw error;
    }
  }

  #attempt(
    candidate: Candidate,
    input: StartInput,
    key: RecordKey,
    token: string,
    resumeFrom: string | null,
    signal: AbortSignal | undefined,
  ): Promise<StartedSession> {
    const request = this.#request(candidate, input, key, resumeFrom, (firstStepId) =>
      this.#deps.records.checkpoint(key, token, candidate.provider, firstStepId),
    );
    return candidate.adapter.startSession(request, signal).then((started) => {
      // The id must be one a follow-up `session(provider:, id:)` accepts, or the answer would point nowhere.
      if (candidate.adapter.checkId(started.providerSessionId) !== null)
        throw upstreamError.badResponse(candidate.provider, 'the created session id is not one it issues');
      return started;
    });
  }

  #request(
    candidate: Candidate,
    input: StartInput,
    key: RecordKey,
    resumeFrom: string | null,
    checkpoint: (firstStepId: string) => Promise<void>,
  ): StartSessionRequest {
    return {
      flow: candidate.flow,
      subjectRef: input.subjectRef,
      country: input.country,
      prefill: input.prefill,
      returnUrl: input.returnUrl,
      locale: input.locale,
      idempotencyKey: vendorKey(key, candidate.provider),
      resumeFrom,
      checkpoint,
    };
  }

  /** The same key and input again: the session it started, a fresh link only where the vendor mints one. */
  async #replay(
    input: StartInput,
    key: RecordKey,
    record: { provider: Provider; providerSessionId: string; attempts: AttemptRecord[]; expiresAt: string | null },
    signal: AbortSignal | undefined,
  ): Promise<StartResult> {
    this.#deps.onAttempt(record.provider, 'replayed');
    const base: StartResult = {
      session: null,
      provider: record.provider,
      providerSessionId: record.providerSessionId,
      hostedUrl: null,
      clientToken: null,
      expiresAt: null,
      replayed: true,
      attempts: record.attempts,
    };
    const adapter = this.#deps.registry.adapter(record.provider);
    if (!adapter?.reissueLink) return base;
    const flow = input.flow ?? this.#deps.config.defaultFlows[record.provider] ?? '';
    const candidate = { provider: record.provider, adapter: adapter as Candidate['adapter'], flow };
    const request = this.#request(candidate, input, key, null, async () => {});
    const fresh = await adapter.reissueLink(record.providerSessionId, request, signal);
    return { ...base, hostedUrl: fresh.hostedUrl, clientToken: fresh.clientToken, expiresAt: fresh.expiresAt };
  }

  /**
   * A replayed start's session while its vendor cannot be read right now: the latest state the timeline holds of it,
   * else as it was created. The replay still answers (its point is to say which session the key made).
   */
  async replayedSession(provider: Provider, providerSessionId: string): Promise<Session> {
    const adapter = this.#deps.registry.adapter(provider);
    const latest = await this.#deps.events
      ?.feed({ sessions: [{ provider, id: providerSessionId }] }, null, 1)
      .then((entries) => entries[0])
      .catch(() => undefined);
    const session = newSession(
      { provider, adapter: adapter as Candidate['adapter'], flow: '' },
      providerSessionId,
      latest?.providerStatus ?? 'created',
    );
    if (!latest) return session;
    return {
      ...session,
      status: latest.status,
      isTerminal: TERMINAL_STATUSES.has(latest.status),
      reasonCode: latest.reasonCode,
    };
  }

  /** The providers to try, each with its flow, checked before anything is claimed or sent. */
  #candidates(input: StartInput): Candidate[] {
    if (input.provider !== null) return [this.#candidate(input.provider, input.flow, true)];
    const routed = routingFor(this.routing(), input.country);
    if (routed.length === 0) {
      throw badField(
        'provider',
        input.country
          ? `VERIFICATION_ROUTING names no provider for ${input.country} and no default: pass provider.`
          : 'VERIFICATION_ROUTING names no default provider: pass provider or country.',
      );
    }
    return routed.map((provider) => this.#candidate(provider, null, false));
  }

  #candidate(provider: Provider, flow: string | null, explicit: boolean): Candidate {
    const adapter = this.#deps.registry.adapter(provider);
    if (!adapter) {
      if (explicit)
        throw badField('provider', `${providerName(provider)} is not configured on this gateway.`, provider);
      throw new GatewayError('UPSTREAM_UNAVAILABLE', `${providerName(provider)} is not configured on this gateway.`, {
        provider,
      });
    }
    if (!adapter.startSession) {
      throw badField(
        'provider',
        `${providerName(provider)} cannot start verifications through Verigate; start them at the vendor and read them here.`,
        provider,
      );
    }
    const chosen = flow ?? this.#deps.config.defaultFlows[provider];
    if (!chosen) {
      const module = { provider } as Parameters<typeof defaultFlowName>[0];
      throw badField(
        'flow',
        `${providerName(provider)} has no default flow: pass flow or set ${defaultFlowName(module)}.`,
        provider,
      );
    }
    return { provider, adapter: adapter as Candidate['adapter'], flow: chosen };
  }
}

/**
 * The idempotency key a vendor gets: derived from the caller's key, its API key and the provider, so a retry sends the
 * same one to the same vendor (which answers the same session) and two callers' keys never meet at a vendor.
 */
export function vendorKey(key: RecordKey, provider: Provider): string {
  const digest = createHash('sha256')
    .update(`${key.apiKey}\u0000${key.idempotencyKey}\u0000${provider}`, 'utf8')
    .digest('base64url');
  return `vg_${digest.slice(0, 40)}`;
}

/** What the answer's `session` is before anyone reads it back: created, nothing done yet. No secret in it. */
function newSession(candidate: Candidate, providerSessionId: string, providerStatus: string): Session {
  return {
    provider: candidate.provider,
    providerSessionId,
    status: 'NOT_STARTED',
    providerStatus,
    isTerminal: false,
    reasonCode: null,
    reasonDescription: null,
    createdAt: new Date().toISOString(),
    sandbox: candidate.adapter?.sandbox ?? false,
    sensitiveDataExpired: false,
    reference: null,
    metadata: null,
    ...noParts(),
  };
}

function resumeFirst(candidates: readonly Candidate[], provider: Provider): Candidate[] {
  const first = candidates.filter((c) => c.provider === provider);
  return [...first, ...candidates.filter((c) => c.provider !== provider)];
}

/** The error of the last attempt, telling every attempt made (`extensions.attempts`). */
function withAttempts(error: unknown, attempts: readonly AttemptRecord[]): unknown {
  if (error instanceof GatewayError) error.extensions.attempts = attempts.map((a) => ({ ...a }));
  return error;
}
