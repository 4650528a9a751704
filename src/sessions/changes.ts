import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { deriveKey, open, seal } from '../cache/crypto.ts';
import { logConnectionState } from '../cache/redisClient.ts';
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

/** What travels on the channel with a key: the change sealed (AES-256-GCM), and the publishing replica's name. */
const sealedSchema = z.object({ sealed: z.string().min(1).max(1024), replica: z.string().max(64) });

/**
 * Every replica: PUBLISH on the shared connection, and a second connection in subscriber mode (a connection that
 * has SUBSCRIBEd can run nothing else) that feeds this replica's listeners, its own publications included.
 *
 * With `key` (from CACHE_ENCRYPTION_KEY, which production requires beside REDIS_URL), a change is sealed before it
 * is published, so whoever can read the channel learns neither a vendor session id nor its status, as with the
 * cache's keys and values; only messages sealed with the same key are followed. Without one (development), changes
 * travel in clear.
 */
export class RedisSessionChanges implements SessionChanges {
  /** Tells this replica's own publications from the others' when they come back on the channel. */
  readonly #replica = randomUUID();
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #listeners = new Listeners();

  /** Seals changes on the channel; null: in clear. */
  readonly #key: Buffer | null;

  constructor(publisher: Redis, key: Buffer | null = null) {
    this.#publisher = publisher;
    this.#key = key && deriveKey(key, 'verigate session changes');
    // Subscriber mode needs the offline queue: SUBSCRIBE is replayed by ioredis on every reconnect.
    this.#subscriber = publisher.duplicate({ enableOfflineQueue: true, commandTimeout: undefined });
    logConnectionState(this.#subscriber, 'session changes subscriber');
    this.#subscriber.on('message', (_channel: string, message: string) => this.#receive(message));
    this.#subscriber.subscribe(SESSION_CHANGES_CHANNEL).catch((error: unknown) => {
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'session changes: subscribe failed');
    });
  }

  async publish(change: SessionChange): Promise<void> {
    const { provider, id, status } = change;
    const replica = this.#replica;
    const sealed = this.#key && seal(this.#key, SESSION_CHANGES_CHANNEL, JSON.stringify({ provider, id, status }));
    const message = sealed ? { sealed: sealed.toString('base64'), replica } : { provider, id, status, replica };
    await this.#publisher.publish(SESSION_CHANGES_CHANNEL, JSON.stringify(message));
  }

  subscribe(listener: SessionChangeListener): () => void {
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    this.#subscriber.disconnect();
  }

  #receive(message: string): void {
    const json = this.#unwrap(message);
    if (json === undefined) return;
    const change = changeSchema.safeParse(json);
    if (change.success) {
      const { replica, ...published } = change.data;
      this.#listeners.emit({ ...published, local: replica === this.#replica });
    } else logger.warn('session changes: a message on the channel is not a session change; ignored');
  }

  /** The change as published (with its replica's name), or undefined for a message this replica cannot read. */
  #unwrap(message: string): unknown {
    const json = parseJson(message);
    if (!this.#key || json === undefined) return json;
    const envelope = sealedSchema.safeParse(json);
    // Sealed with another key, in clear, or tampered with: not from a replica sharing this one's key.
    if (!envelope.success) return undefined;
    const opened = open(this.#key, SESSION_CHANGES_CHANNEL, Buffer.from(envelope.data.sealed, 'base64'));
    const change = opened === null ? undefined : parseJson(opened);
    return typeof change === 'object' ? { ...change, replica: envelope.data.replica } : undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `key`: CACHE_ENCRYPTION_KEY, to seal changes on the Redis channel (see RedisSessionChanges). */
export function createSessionChanges(redis: Redis | null, key: Buffer | null = null): SessionChanges {
  return redis ? new RedisSessionChanges(redis, key) : new MemorySessionChanges();
}
