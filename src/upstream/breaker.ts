import type { CircuitState } from '../model/session.ts';

export interface BreakerOptions {
  /** Rolling window over which the failure rate is measured, ms. Default 10 000. */
  windowMs?: number;
  /** Calls needed in the window before the rate counts (a single failure must not open it). Default 10. */
  minCalls?: number;
  /** Failure share at or above which the circuit opens. Default 0.5. */
  failureRate?: number;
  /** How long the circuit stays open before a probe is allowed, ms. Default 5 000. */
  openMs?: number;
  now?: () => number;
}

const BUCKETS = 10;

/**
 * A circuit breaker for one provider. CLOSED counts outcomes in a rolling window of buckets; at the failure
 * rate it turns OPEN and calls fail fast; after `openMs` it is HALF_OPEN and lets one probe through: success
 * closes it, failure opens it again.
 */
export class CircuitBreaker {
  readonly #windowMs: number;
  readonly #minCalls: number;
  readonly #failureRate: number;
  readonly #openMs: number;
  readonly #now: () => number;
  readonly #onChange: (state: CircuitState) => void;
  #state: CircuitState = 'CLOSED';
  #openedAt = 0;
  #probeInFlight = false;
  readonly #buckets = Array.from({ length: BUCKETS }, () => ({ start: 0, ok: 0, failed: 0 }));

  constructor(options: BreakerOptions = {}, onChange: (state: CircuitState) => void = () => {}) {
    this.#windowMs = options.windowMs ?? 10_000;
    this.#minCalls = options.minCalls ?? 10;
    this.#failureRate = options.failureRate ?? 0.5;
    this.#openMs = options.openMs ?? 5_000;
    this.#now = options.now ?? Date.now;
    this.#onChange = onChange;
  }

  state(): CircuitState {
    if (this.#state === 'OPEN' && this.#now() - this.#openedAt >= this.#openMs) this.#set('HALF_OPEN');
    return this.#state;
  }

  /** Seconds until an open circuit lets a probe through (for clients' retry hints). */
  secondsUntilProbe(): number {
    return Math.max(1, Math.ceil((this.#openedAt + this.#openMs - this.#now()) / 1000));
  }

  /** Whether a call may go out now. In HALF_OPEN only one probe is let through at a time. */
  tryAcquire(): boolean {
    const state = this.state();
    if (state === 'CLOSED') return true;
    if (state === 'OPEN' || this.#probeInFlight) return false;
    this.#probeInFlight = true;
    return true;
  }

  /**
   * Ends a call that `tryAcquire` let through without counting it either way: it said nothing about the vendor's
   * health (one session's bad or slow body). A half-open probe slot is freed for the next call.
   */
  release(): void {
    if (this.#state === 'HALF_OPEN') this.#probeInFlight = false;
  }

  /** Records the outcome of a call that `tryAcquire` let through. */
  record(success: boolean): void {
    if (this.#state === 'HALF_OPEN') {
      this.#probeInFlight = false;
      if (success) {
        this.#reset();
        this.#set('CLOSED');
      } else {
        this.#open();
      }
      return;
    }
    const bucket = this.#bucket();
    if (success) bucket.ok += 1;
    else bucket.failed += 1;
    if (!success && this.#state === 'CLOSED') {
      const { ok, failed } = this.#totals();
      const calls = ok + failed;
      if (calls >= this.#minCalls && failed / calls >= this.#failureRate) this.#open();
    }
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#probeInFlight = false;
    this.#set('OPEN');
  }

  #set(state: CircuitState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#onChange(state);
  }

  #reset(): void {
    for (const b of this.#buckets) Object.assign(b, { start: 0, ok: 0, failed: 0 });
  }

  #bucket() {
    const width = this.#windowMs / BUCKETS;
    const start = Math.floor(this.#now() / width) * width;
    const bucket = this.#buckets[Math.floor(start / width) % BUCKETS] as { start: number; ok: number; failed: number };
    if (bucket.start !== start) Object.assign(bucket, { start, ok: 0, failed: 0 });
    return bucket;
  }

  #totals() {
    const since = this.#now() - this.#windowMs;
    let ok = 0;
    let failed = 0;
    for (const b of this.#buckets) {
      if (b.start > since) {
        ok += b.ok;
        failed += b.failed;
      }
    }
    return { ok, failed };
  }
}
