import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Hosted-link tokens → session ids: a simulator's hosted link is a bearer credential, as a vendor's is, not the id. */
export class HostedLinks {
  readonly #links = new Map<string, string>();

  /** A fresh single-purpose token for a session's hosted page (the path segment of its link). */
  link(id: string): string {
    const token = randomBytes(18).toString('base64url');
    this.#links.set(token, id);
    return token;
  }

  /** The session a hosted-link token opens, or undefined. */
  byLink(token: string): string | undefined {
    return this.#links.get(token);
  }
}

/**
 * What a simulator keeps of the sessions created through its vendor's create call (`startVerification` in the
 * sandbox): the sessions by id, how many creates made a new one (tests assert a replay made none), and the vendor's
 * `Idempotency-Key` replay where the vendor documents one (the same key and body answer the same session; another
 * body under the key is the vendor's mismatch error).
 */
export class StartedSessions<S> {
  readonly #sessions = new Map<string, S>();
  readonly #keys = new Map<string, { bodyHash: string; id: string }>();
  readonly #links = new HostedLinks();
  #created = 0;

  /** Sessions created so far (a replayed idempotency key does not count). */
  created(): number {
    return this.#created;
  }

  add(id: string, session: S): void {
    this.#sessions.set(id, session);
    this.#created += 1;
  }

  get(id: string): S | undefined {
    return this.#sessions.get(id);
  }

  set(id: string, session: S): void {
    if (this.#sessions.has(id)) this.#sessions.set(id, session);
  }

  /** A fresh single-purpose token for a session's hosted page (the path segment of its link). */
  link(id: string): string {
    return this.#links.link(id);
  }

  /** The session a hosted-link token opens, or undefined. */
  byLink(token: string): string | undefined {
    return this.#links.byLink(token);
  }

  /** The session an earlier create under `key` made, `mismatch` when that create had another body, else null. */
  replay(key: string | undefined, body: string): { id: string } | 'mismatch' | null {
    if (!key) return null;
    const seen = this.#keys.get(key);
    if (!seen) return null;
    return seen.bodyHash === hash(body) ? { id: seen.id } : 'mismatch';
  }

  remember(key: string | undefined, body: string, id: string): void {
    if (key) this.#keys.set(key, { bodyHash: hash(body), id });
  }
}

const hash = (body: string) => createHash('sha256').update(body, 'utf8').digest('hex');

/** A request body of at most `maxBytes` as text; null past it. */
export async function readBodyText(req: IncomingMessage, maxBytes = 16_384): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON object body, or null when it is not one. */
export function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The origin a client reached the simulator at, for the hosted links it hands out. */
export function originOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}
