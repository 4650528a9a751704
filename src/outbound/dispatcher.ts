import { randomUUID } from 'node:crypto';
import type { OutboundEndpointConfig } from '../config/outbound.ts';
import { Batcher } from '../events/batcher.ts';
import { logger } from '../logger.ts';
import type { AttemptOutcome, Outbox, WebhookDelivery } from './outbox.ts';
import { RETRY_DELAYS_SECONDS, retryDelaySeconds } from './schedule.ts';
import type { OutboundSender, SendResult } from './send.ts';

/** `superseded`: the attempt's outcome came after a redelivery (or a re-claim) took its lease, so it was not recorded. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'failed' | 'gone' | 'superseded';

export interface DispatcherOptions {
  /** Time between two looks at the outbox when nothing woke the dispatcher, ms (default 500). */
  pollIntervalMs?: number;
  /** How long a claimed row is this dispatcher's, ms (default 60 000: four send timeouts). Past it, anyone's again. */
  leaseMs?: number;
  /** Deliveries in flight at once (default 16: the sender's connections per receiver). */
  concurrency?: number;
  /** The retry schedule in seconds (default RETRY_DELAYS_SECONDS; tests shorten it). */
  retryDelaysSeconds?: readonly number[];
  /** How long `stop()` waits for sends in flight, ms (default 5 000). */
  stopGraceMs?: number;
}

export interface DispatcherDeps {
  outbox: Outbox;
  sender: OutboundSender;
  /** Counts each attempt's outcome (`verigate_outbound_deliveries_total`). */
  onOutcome?: (endpoint: string, outcome: DeliveryOutcome) => void;
}

/**
 * Sends the outbox, one per replica: claims due rows with a lease, sends each outside any transaction, records the
 * outcome (delivered; due again on the retry schedule, honouring Retry-After; `failed` after the last attempt; a 410
 * disables the endpoint). Claims are one statement per batch of due rows, and outcomes that finish together are
 * recorded together in one statement (a group commit, batcher.ts). A process killed mid-send leaves its rows leased; when the lease ends, any dispatcher
 * claims them again and sends them with the same `webhook-id` (at-least-once).
 */
export class Dispatcher {
  readonly #deps: DispatcherDeps;
  readonly #options: Required<DispatcherOptions>;
  readonly #inFlight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #looking: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  /** Endpoints a 410 disabled, re-read at most once per poll interval (another replica may have disabled one). */
  #disabled: { names: Set<string>; readAt: number } | null = null;
  /** Outcomes finished while one batch is being written go together in the next: one statement per batch. */
  readonly #outcomes: Batcher<AttemptOutcome, boolean>;

  constructor(deps: DispatcherDeps, options: DispatcherOptions = {}) {
    this.#deps = deps;
    this.#outcomes = new Batcher((outcomes) => deps.outbox.record(outcomes));
    this.#options = {
      pollIntervalMs: options.pollIntervalMs ?? 500,
      leaseMs: options.leaseMs ?? 60_000,
      concurrency: options.concurrency ?? 16,
      retryDelaysSeconds: options.retryDelaysSeconds ?? RETRY_DELAYS_SECONDS,
      stopGraceMs: options.stopGraceMs ?? 5_000,
    };
  }

  start(): void {
    this.wake();
  }

  /** Looks at the outbox now (rows were just queued on this replica), not at the next poll. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#looking) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#looking = this.#look().finally(() => {
      this.#looking = null;
      if (this.#again) {
        this.#again = false;
        this.wake();
      } else this.#sleep();
    });
  }

  /**
   * Stops claiming and waits for the sends in flight, `graceMs` at most: a send still running past it keeps its
   * lease, and another dispatcher sends the row again once the lease ends.
   */
  async stop(graceMs = this.#options.stopGraceMs): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([this.#looking, ...this.#inFlight]), grace]);
    clearTimeout(timer);
  }

  #sleep(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.wake(), this.#options.pollIntervalMs);
    this.#timer.unref();
  }

  /** Claims as many due rows as there are free slots and starts sending them; each freed slot wakes the next look. */
  async #look(): Promise<void> {
    const free = this.#options.concurrency - this.#inFlight.size;
    // Claims in batches: with sends in flight, wait until half the slots are free (each completion wakes a look).
    if (free <= 0 || (this.#inFlight.size > 0 && free < this.#options.concurrency / 2)) return;
    const { outbox } = this.#deps;
    let claimed: WebhookDelivery[];
    const token = randomUUID();
    try {
      const disabled = await this.#disabledEndpoints();
      const active = outbox.endpoints.map((e) => e.name).filter((name) => !disabled.has(name));
      claimed = await outbox.claim(active, free, this.#options.leaseMs, token);
    } catch (error) {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'outbound: claim failed');
      return;
    }
    for (const delivery of claimed) {
      const sending = this.#deliver(delivery, token).finally(() => {
        this.#inFlight.delete(sending);
        this.wake();
      });
      this.#inFlight.add(sending);
    }
    if (claimed.length === free) this.#again = true; // more may be due
  }

  async #disabledEndpoints(): Promise<Set<string>> {
    if (!this.#disabled || Date.now() - this.#disabled.readAt >= this.#options.pollIntervalMs)
      this.#disabled = { names: await this.#deps.outbox.disabled(), readAt: Date.now() };
    return this.#disabled.names;
  }

  async #deliver(delivery: WebhookDelivery, token: string): Promise<void> {
    const endpoint = this.#deps.outbox.endpoint(delivery.endpoint) as OutboundEndpointConfig;
    const message = { id: delivery.id, body: delivery.body };
    const result = await this.#deps.sender.send(endpoint.url, endpoint.keys, message, Math.floor(Date.now() / 1000));
    // Cut short by shutdown: the row keeps its lease and is sent again once it ends, here or by another replica.
    if (this.#stopped && result.outcome === 'retry') return;
    try {
      const outcome = await this.#record(delivery, token, endpoint, result);
      this.#deps.onOutcome?.(endpoint.name, outcome);
    } catch (error) {
      // The lease runs out and the row is sent again: at-least-once.
      logger.warn(
        { endpoint: endpoint.name, err: error instanceof Error ? error.message : String(error) },
        'outbound: recording a delivery failed',
      );
    }
  }

  async #record(
    delivery: WebhookDelivery,
    token: string,
    endpoint: OutboundEndpointConfig,
    result: SendResult,
  ): Promise<DeliveryOutcome> {
    const { outbox } = this.#deps;
    if (result.outcome === 'delivered') {
      const { statusCode } = result;
      const recorded = await this.#outcomes.add({
        id: delivery.id,
        token,
        delivered: true,
        statusCode,
        error: null,
        nextAttemptAt: null,
      });
      // Not recorded: a redelivery superseded this attempt (its lease is gone), so its outcome must not count.
      return recorded ? 'delivered' : 'superseded';
    }
    if (result.outcome === 'gone') {
      if (!(await outbox.gone(delivery.id, token, endpoint))) return 'superseded';
      this.#disabled?.names.add(endpoint.name);
      // No URL: the endpoint's name says which receiver.
      logger.warn({ endpoint: endpoint.name }, 'outbound: the receiver answered 410 Gone; endpoint disabled');
      return 'gone';
    }
    const delay = retryDelaySeconds(delivery.attempts + 1, result.retryAfterSeconds, this.#options.retryDelaysSeconds);
    const nextAttemptAt = delay === null ? null : new Date(Date.now() + delay * 1000).toISOString();
    const { statusCode, error } = result;
    const recorded = await this.#outcomes.add({
      id: delivery.id,
      token,
      delivered: false,
      statusCode,
      error,
      nextAttemptAt,
    });
    if (!recorded) return 'superseded';
    if (delay !== null) return 'retry';
    logger.warn(
      { endpoint: endpoint.name, attempts: delivery.attempts + 1, statusCode: result.statusCode, error: result.error },
      'outbound: delivery failed after its last attempt',
    );
    return 'failed';
  }
}
