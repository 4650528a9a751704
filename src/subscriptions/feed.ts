import { createHash } from 'node:crypto';
import type { GatewayContext } from '../graphql/context.ts';
import { SessionLoader } from '../graphql/loaders.ts';
import { logger } from '../logger.ts';
import type { Provider, Session } from '../model/session.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { SessionStore } from '../sessions/store.ts';
import { GatewayError } from '../upstream/errors.ts';

/** What a feed yields: a session to send, or the end of the subscription's lifetime (sent as an error). */
export type FeedEvent = { kind: 'session'; session: Session } | { kind: 'expired' };

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
 * only when the session differs from the last one sent, and done after a terminal status. Each reload uses a
 * fresh per-event loader, set on the subscription's context before the event is executed, so access checks,
 * masking and deferred details are those of this caller, now. A hand-written iterator rather than an async
 * generator: `return()` must end a feed that is waiting for a change at once, not at its next yield.
 */
export class SessionFeed implements AsyncIterableIterator<FeedEvent> {
  readonly #source: FeedSource;
  readonly #ctx: GatewayContext;
  readonly #provider: Provider;
  readonly #id: string;
  #first: Session | null;
  /** A digest of the last session sent, not its JSON: ten thousand idle feeds would each hold a copy. */
  #lastSent = '';
  #changed = false;
  #expired = false;
  #done = false;
  #wakeWaiter: (() => void) | null = null;
  #cleanup: Array<() => void> = [];
  #expiry: NodeJS.Timeout;

  constructor(source: FeedSource, ctx: GatewayContext, ref: { provider: Provider; id: string }, lifetimeMs: number) {
    this.#source = source;
    this.#ctx = ctx;
    this.#provider = ref.provider;
    this.#id = ref.id;
    this.#first = null;
    // Watching starts before the first load, so no change between that load and the first event is missed.
    this.#cleanup.push(source.watch(ref.provider, ref.id, () => this.#wake()));
    this.#expiry = setTimeout(() => {
      this.#expired = true;
      this.#wakeWaiter?.();
    }, lifetimeMs);
    this.#expiry.unref();
  }

  /** Loads the first state with the context's own loader; rejects (and ends the feed) when that fails. */
  async start(): Promise<this> {
    try {
      this.#first = await this.#ctx.sessions.load(this.#provider, this.#id);
    } catch (error) {
      this.#finish();
      throw error;
    }
    if (!this.#first.isTerminal) this.#cleanup.push(this.#source.poll(this.#provider, this.#id));
    return this;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<FeedEvent>> {
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
    // After a terminal status has been sent, the next pull ends the stream.
    if (session.isTerminal) this.#stopAfterThis();
    return { done: false, value: { kind: 'session', session } };
  }

  #stopAfterThis(): void {
    this.#release();
    this.#done = true;
  }

  /** A fresh loader per event: a reload really reloads (through the store's cache), with this caller's checks. */
  async #reload(): Promise<Session | null> {
    const loader = new SessionLoader(this.#source.registry, this.#source.store, this.#ctx.caller);
    try {
      const session = await loader.load(this.#provider, this.#id);
      this.#ctx.sessions = loader;
      return session;
    } catch (error) {
      // A change we could not read now is read at the next hint (or the poller's next round); nothing is sent.
      const code = error instanceof GatewayError ? error.code : 'INTERNAL';
      logger.warn({ provider: this.#provider, code }, 'subscription: reload after a change failed');
      return null;
    }
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
    for (const stop of this.#cleanup.splice(0)) stop();
  }
}

const digest = (session: Session) => createHash('sha256').update(JSON.stringify(session)).digest('base64');
