import { openEventStore } from '../../src/events/open.ts';
import type {
  AppendOptions,
  EventFilter,
  EventStore,
  EventTransaction,
  Observation,
  SessionEvent,
  SessionRef,
} from '../../src/events/store.ts';

/**
 * A real store that can be made to fail on purpose, as a database that went away would: while `broken`, every call
 * rejects before it reaches the engine (nothing is written). Handed to the gateway through `GatewayOptions.eventStore`.
 */
export class BreakableStore implements EventStore {
  readonly #inner: EventStore;
  broken = false;
  /** Calls refused while broken. */
  refused = 0;
  /** While set, every call waits for it before it goes on (a store that stopped answering, then answers). */
  stalled: Promise<void> | null = null;

  constructor(inner: EventStore) {
    this.#inner = inner;
  }

  get engine() {
    return this.#inner.engine;
  }

  async #check(): Promise<void> {
    if (this.stalled) await this.stalled;
    if (!this.broken) return;
    this.refused += 1;
    throw new Error('connection refused (the test broke the store)');
  }

  /** Makes every call wait until the returned function is called. */
  stall(): () => void {
    let release = () => {};
    this.stalled = new Promise<void>((resolve) => {
      release = () => {
        this.stalled = null;
        resolve();
      };
    });
    return release;
  }

  async append(observations: readonly Observation[], options?: AppendOptions): Promise<SessionEvent[]> {
    await this.#check();
    return this.#inner.append(observations, options);
  }
  async sessionEvents(ref: SessionRef, afterSequence: number, limit: number): Promise<SessionEvent[]> {
    await this.#check();
    return this.#inner.sessionEvents(ref, afterSequence, limit);
  }
  async feed(filter: EventFilter, beforeId: number | null, limit: number): Promise<SessionEvent[]> {
    await this.#check();
    return this.#inner.feed(filter, beforeId, limit);
  }
  async prune(before: string, limit: number): Promise<number> {
    await this.#check();
    return this.#inner.prune(before, limit);
  }
  async transaction<T>(work: (tx: EventTransaction) => Promise<T>): Promise<T> {
    await this.#check();
    return this.#inner.transaction(work);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

/** A second connection to a test database (`DATABASE_URL` form), to look at what the gateway wrote. */
export function openTestStore(url: string): Promise<EventStore> {
  return Promise.resolve(
    openEventStore(
      url.startsWith('sqlite:') ? { engine: 'sqlite', path: url.slice('sqlite:'.length) } : { engine: 'postgres', url },
    ),
  );
}
