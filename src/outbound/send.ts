import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { isPrivateAddress } from './addresses.ts';
import { parseRetryAfter } from './schedule.ts';
import { signWebhook } from './signature.ts';

/** One HTTP attempt of one outbound delivery, outside any transaction: what happened, as the dispatcher needs it. */

/** A delivery attempt's whole time, connection included (DESIGN §7). */
export const SEND_TIMEOUT_MS = 15_000;

export type SendResult =
  /** 2xx: done. */
  | { outcome: 'delivered'; statusCode: number }
  /** 410 Gone: the receiver asks never to be sent anything again. */
  | { outcome: 'gone'; statusCode: number }
  /** Anything else (non-2xx, timeout, refused, a private address): try again later. */
  | { outcome: 'retry'; statusCode: number | null; retryAfterSeconds: number | null; error: string | null };

export interface OutboundMessage {
  /** `webhook-id`: the same on every attempt of one event. */
  id: string;
  body: string;
}

/**
 * The connect-time half of the SSRF guard: every address a receiver's name resolves to is checked, so a public
 * name pointing at 127.0.0.1 (or changing to it after start) is refused.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const allowed = addresses.filter((a) => !isPrivateAddress(a.address));
    if (allowed.length === 0)
      return callback(Object.assign(new Error('receiver resolves to a private address'), { code: 'EPRIVATE' }), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
    const first = allowed[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};

export class OutboundSender {
  readonly #agent: Agent;

  constructor(options: { allowPrivate: boolean }) {
    this.#agent = new Agent({
      connections: 16,
      connectTimeout: 5_000,
      headersTimeout: SEND_TIMEOUT_MS,
      bodyTimeout: SEND_TIMEOUT_MS,
      ...(options.allowPrivate ? {} : { connect: { lookup: publicOnlyLookup } }),
    });
  }

  /** POSTs one signed attempt; never throws. */
  async send(url: string, keys: readonly Buffer[], message: OutboundMessage, nowSeconds: number): Promise<SendResult> {
    const signal = AbortSignal.timeout(SEND_TIMEOUT_MS);
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.#agent,
        signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Verigate-Webhooks/1.0',
          'webhook-id': message.id,
          'webhook-timestamp': String(nowSeconds),
          'webhook-signature': signWebhook(keys, message.id, nowSeconds, message.body),
        },
        body: message.body,
      });
      // The answer's body is not read past a few KiB: receivers owe us nothing but a status.
      await res.body.dump({ limit: 16 * 1024 }).catch(() => undefined);
      if (res.statusCode >= 200 && res.statusCode < 300) return { outcome: 'delivered', statusCode: res.statusCode };
      if (res.statusCode === 410) return { outcome: 'gone', statusCode: 410 };
      const retryAfterSeconds = parseRetryAfter(res.headers['retry-after']);
      return { outcome: 'retry', statusCode: res.statusCode, retryAfterSeconds, error: null };
    } catch (error) {
      const code = (error as { code?: string }).code ?? (signal.aborted ? 'TIMEOUT' : 'ERROR');
      return { outcome: 'retry', statusCode: null, retryAfterSeconds: null, error: code };
    }
  }

  /** Aborts whatever is still in flight (shutdown, after the dispatcher's grace): those rows keep their lease. */
  close(): Promise<void> {
    return this.#agent.destroy();
  }
}
