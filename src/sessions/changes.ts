import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { logger } from '../logger.ts';
import { PROVIDERS, type Provider, VERIFICATION_STATUSES, type VerificationStatus } from '../model/session.ts';

/**
 * `sessionChanged`: a session may have changed at its vendor (a webhook said so, or a poller saw it). Only the
 * provider, the vendor's session id and the status the hint names travel, never session data: every consumer
 * reloads through the store, so masking and access checks stay per caller.
 */
export interface SessionChange {
  provider: Provider;
  /** The vendor's session id (providerSessionId). */
  id: string;
  /** The status the source reported, when it reported one it is sure of; a hint, not data. */
  status: VerificationStatus | null;
}

/** A change as a listener receives it: `local` when this replica published it (it has acted on it already). */
export interface ReceivedSessionChange extends SessionChange {
  local: boolean;
}

export type SessionChangeListener = (change: ReceivedSessionChange) => void;

/** Publishes changes to every replica (Redis pub/sub) or to this process only (memory). */
export interface SessionChanges {
  /** Resolves once the change is handed to every replica's bus; rejects when it cannot be (Redis down). */
  publish(change: SessionChange): Promise<void>;
  /** Every change published by any replica, this one included; returns the unsubscribe. */
  subscribe(listener: SessionChangeListener): () => void;
  close(): Promise<void>;
}

const changeSchema = z.object({
  provider: z.enum(PROVIDERS),
  id: z.string().min(1).max(256),
  status: z.enum(VERIFICATION_STATUSES).nullable(),
  /** The publishing replica's random name (absent from replicas older than it: read as another replica). */
  replica: z.string().max(64).optional(),
});

/** The Redis channel every replica listens on. */
export const SESSION_CHANGES_CHANNEL = 'verigate:session-changed';

class Listeners {
  readonly #listeners = new Set<SessionChangeListener>();
  add(listener: SessionChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  emit(change: ReceivedSessionChange): void {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'session change listener failed');
      }
    }
  }
}

/** One process: publish calls the listeners directly. */
export class MemorySessionChanges implements SessionChanges {
  readonly #listeners = new Listeners();
  async publish(change: SessionChange): Promise<void> {
    this.#listeners.emit({ ...change, local: true });
  }
  subscribe(listener: SessionChangeListener): () => void {
    return this.#listeners.add(listener);
  }
  async close(): Promise<void> {}
}

/**
 * Every replica: PUBLISH on the shared connection, and a second connection in subscriber mode (a connection that
 * has SUBSCRIBEd can run nothing else) that feeds this replica's listeners, its own publications included.
 */
export class RedisSessionChanges implements SessionChanges {
  /** Tells this replica's own publications from the others' when they come back on the channel. */
  readonly #replica = randomUUID();
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #listeners = new Listeners();

  constructor(publisher: Redis) {
    this.#publisher = publisher;
    // Subscriber mode needs the offline queue: SUBSCRIBE is replayed by ioredis on every reconnect.
    this.#subscriber = publisher.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    this.#subscriber.on('message', (_channel: string, message: string) => this.#receive(message));
    this.#subscriber.subscribe(SESSION_CHANGES_CHANNEL).catch((error: unknown) => {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'session changes: subscribe failed');
    });
  }

  async publish(change: SessionChange): Promise<void> {
    const { provider, id, status } = change;
    await this.#publisher.publish(
      SESSION_CHANGES_CHANNEL,
      JSON.stringify({ provider, id, status, replica: this.#replica }),
    );
  }

  subscribe(listener: SessionChangeListener): () => void {
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    this.#subscriber.disconnect();
  }

  #receive(message: string): void {
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return;
    }
    const change = changeSchema.safeParse(json);
    if (change.success) {
      const { replica, ...published } = change.data;
      this.#listeners.emit({ ...published, local: replica === this.#replica });
    } else logger.warn('session changes: a message on the channel is not a session change; ignored');
  }
}

export function createSessionChanges(redis: Redis | null): SessionChanges {
  return redis ? new RedisSessionChanges(redis) : new MemorySessionChanges();
}
