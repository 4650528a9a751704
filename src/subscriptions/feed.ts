import { createHash } from 'node:crypto';
import type { GatewayContext } from '../graphql/context.ts';
import { SessionLoader } from '../graphql/loaders.ts';
import { logger } from '../logger.ts';
import type { Provider, Session } from '../model/session.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { SessionStore } from '../sessions/store.ts';
import { GatewayError } from '../upstream/errors.ts';
import { newOperationScope, runInOperationScope } from '../upstream/events.ts';

/**
 * What a feed yields: a session to send, a first load that failed for a while (sent as an error, the stream stays
 * open), or the end of the subscription's lifetime (sent as an error).
 */
export type FeedEvent =
  | { kind: 'session'; session: Session }
  | { kind: 'unavailable'; error: GatewayError }
  | { kind: 'expired' };

/** How one subscriber's feed behaves. */
export interface FeedOptions {
  /** Ends the stream after the first terminal status (true), or follows the session past it, e.g. an overturn. */
  untilTerminal: boolean;
  /** The subscription's lifetime, ms. */
  lifetimeMs: number;
  /** The first and the longest wait between two retries of a first load that failed, ms. */
  retryMinMs: number;
  retryMaxMs: number;
}

/** Codes of a first load that may succeed later (the vendor's trouble): the feed retries instead of ending. */
const PASSING_CODES: ReadonlySet<string> = new Set([
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_BAD_RESPONSE',
]);

export interface FeedSource {
  registry: ProviderRegistry;
  store: SessionStore;
  /** Calls `wake` whenever the session may have changed; returns the stop. */
  watch(provider: Provider, id: string, wake: () => void): () => void;
  /** Keeps the session polled while this feed lives, where its provider sends no webhooks; returns the leave. */
  poll(provider: Provider, id: string): () => void;
}

/**
 * One subscriber's `sessionUpdated`: the first state, then a reload through the store on each change hint, sent
 * only when the session differs from the last one sent, and done after a terminal status unless `untilTerminal` is
 * false. A first load that fails with the vendor's trouble is sent as an error and retried (backing off, and at each
 * change hint) until it succeeds: the stream does not end while the session may not be final. Each reload uses a
 * fresh per-event loader, set on the subscription's context before the event is executed, so access checks,
 * masking and deferred details are those of this caller, now. A hand-written iterator rather than an async
 * generator: `return()` must end a feed that is waiting for a change at once, not at its next yield.
 */
export class SessionFeed implements AsyncIterableIterator<FeedEvent> {
  readonly #source: FeedSource;
  readonly #ctx: GatewayContext;
  readonly #provider: Provider;
  readonly #id: string;
  readonly #options: FeedOptions;
  #first: Session | null;
  /** The first load's failure, to send once; then retried until a load succeeds. */
  #unavailable: GatewayError | null = null;
  #loaded = false;
  #retryMs = 0;
  #retry: NodeJS.Timeout | null = null;
  /** A digest of the last session sent, not its JSON: ten thousand idle feeds would each hold a copy. */
  #lastSent = '';
  #changed = false;
  #expired = false;
  #done = false;
  #wakeWaiter: (() => void) | null = null;
  #cleanup: Array<() => void> = [];
  #expiry: NodeJS.Timeout;

  constructor(source: FeedSource, ctx: GatewayContext, ref: { provider: Provider; id: string }, options: FeedOptions) {
    this.#source = source;
    this.#ctx = ctx;
    this.#provider = ref.provider;
    this.#id = ref.id;
    this.#options = options;
    this.#retryMs = options.retryMinMs;
    this.#first = null;
    // Watching starts before the first load, so no change between that load and the first event is missed.
    this.#cleanup.push(source.watch(ref.provider, ref.id, () => this.#wake()));
    this.#expiry = setTimeout(() => {
      this.#expired = true;
      this.#wakeWaiter?.();
    }, options.lifetimeMs);
    this.#expiry.unref();
  }

  /**
   * Loads the first state with the context's own loader. A failure that may pass (the vendor's) is kept to be sent
   * and retried; any other (NOT_FOUND, FORBIDDEN, …) rejects and ends the feed, as the operation's error.
   */
  async start(): Promise<this> {
    try {
      this.#first = await this.#ctx.sessions.load(this.#provider, this.#id);
    } catch (error) {
      if (!(error instanceof GatewayError && PASSING_CODES.has(error.code))) {
        this.#finish();
        throw error;
      }
      this.#unavailable = error;
      this.#scheduleRetry();
      return this;
    }
    this.#loadedOnce(this.#first);
    return this;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<FeedEvent>> {
    if (this.#unavailable) {
      const error = this.#unavailable;
      this.#unavailable = null;
      return { done: false, value: { kind: 'unavailable', error } };
    }
    if (this.#first) {
      const session = this.#first;
      this.#first = null;
      return this.#send(session);
    }
    while (!this.#done) {
      if (this.#expired) {
        this.#finish();
        return { done: false, value: { kind: 'expired' } };
      }
      if (!this.#changed) {
        await new Promise<void>((resolve) => {
          this.#wakeWaiter = resolve;
        });
        this.#wakeWaiter = null;
        continue;
      }
      this.#changed = false;
      const session = await this.#reload();
      if (this.#done) break;
      if (session && digest(session) !== this.#lastSent) return this.#send(session);
    }
    return { done: true, value: undefined };
  }

  async return(): Promise<IteratorResult<FeedEvent>> {
    this.#finish();
    return { done: true, value: undefined };
  }

  async throw(error?: unknown): Promise<IteratorResult<FeedEvent>> {
    this.#finish();
    throw error;
  }

  #send(session: Session): IteratorResult<FeedEvent> {
    this.#lastSent = digest(session);
    // After a terminal status has been sent, the next pull ends the stream (unless the client follows overturns).
    if (session.isTerminal && this.#options.untilTerminal) this.#stopAfterThis();
    return { done: false, value: { kind: 'session', session } };
  }

  #stopAfterThis(): void {
    this.#release();
    this.#done = true;
  }

  /** A fresh loader per event: a reload really reloads (through the store's cache), with this caller's checks. */
  async #reload(): Promise<Session | null> {
    const loader = new SessionLoader(this.#source.registry, this.#source.store, this.#ctx.caller);
    // A vendor call made for this subscriber spends its credential's fair share of the budget, as a query does.
    const scope = { ...newOperationScope(), credential: this.#ctx.caller.name };
    try {
      const session = await runInOperationScope(scope, () => loader.load(this.#provider, this.#id));
      this.#ctx.sessions = loader;
      if (!this.#loaded) this.#loadedOnce(session);
      return session;
    } catch (error) {
      // A change we could not read now is read at the next hint (or the poller's next round); nothing is sent.
      const code = error instanceof GatewayError ? error.code : 'INTERNAL';
      logger.warn({ provider: this.#provider, code }, 'subscription: reload after a change failed');
      if (!this.#loaded) this.#scheduleRetry();
      return null;
    }
  }

  /** The first state is known: poll from now on where the provider sends no webhooks and the session may change. */
  #loadedOnce(session: Session): void {
    this.#loaded = true;
    if (!session.isTerminal) this.#cleanup.push(this.#source.poll(this.#provider, this.#id));
  }

  /** Retries a first load that failed, waiting twice as long each time up to the longest wait. */
  #scheduleRetry(): void {
    if (this.#done) return;
    if (this.#retry) clearTimeout(this.#retry);
    const wait = this.#retryMs;
    this.#retryMs = Math.min(wait * 2, this.#options.retryMaxMs);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#wake();
    }, wait);
    this.#retry.unref();
  }

  #wake(): void {
    this.#changed = true;
    this.#wakeWaiter?.();
  }

  #finish(): void {
    this.#release();
    this.#done = true;
    this.#wakeWaiter?.();
  }

  #release(): void {
    clearTimeout(this.#expiry);
    if (this.#retry) clearTimeout(this.#retry);
    for (const stop of this.#cleanup.splice(0)) stop();
  }
}

const digest = (session: Session) => createHash('sha256').update(JSON.stringify(session)).digest('base64');
