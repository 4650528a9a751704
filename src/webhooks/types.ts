import type { IncomingHttpHeaders } from 'node:http';
import type { Provider } from '../model/session.ts';

/** What one vendor's webhook dialect gives the route: a check of a delivery, then a reading of its body. */

/** Why a delivery failed verification (logged and counted; never sent back in detail). */
export type VerifyFailure =
  | 'missing_signature' // no header the configured scheme needs
  | 'malformed_signature' // a header that cannot be read
  | 'stale_timestamp' // signed too long ago (or in the future)
  | 'bad_signature'; // signed with another secret, or the body was changed

export type Verification =
  | {
      ok: true;
      /**
       * What was signed, as a digest (`deliveryDigest`): the signed content and the signed timestamp, never the
       * header text, so a replay with the signature re-cased, an unsigned header changed or another of the vendor's
       * signatures presented is the same delivery.
       */
      deliveryId: string;
      /** The ids of the delivery under the other signatures it carries that verified: recorded with it. */
      aliases?: readonly string[];
      /** What verified. */
      scheme: string;
    }
  | { ok: false; reason: VerifyFailure };

/** A verified body: a session to refresh, an event Verigate has no use for, or a refusal. */
export type WebhookReading =
  | {
      kind: 'session';
      event: string;
      sessionId: string;
      /** The vendor's own id of the event, where its body has one (kept in the inbox row; never personal data). */
      eventId?: string;
    }
  | { kind: 'ignored'; event: string }
  | { kind: 'invalid'; reason: 'invalid_payload' | 'unknown_event' | 'stale_timestamp' };

export interface ProviderWebhook {
  readonly provider: Provider;
  /** How long an accepted delivery is remembered, so a replay of it changes nothing (s): the tolerance window, twice. */
  readonly replayWindowSeconds: number;
  /** A secret of this endpoint, keying the replay log's names (so they say nothing about sessions). */
  readonly replayKey: string;
  /** Checks the delivery as the vendor specifies, before its body is trusted for anything. */
  verify(headers: IncomingHttpHeaders, rawBody: Buffer, nowSeconds: number): Verification;
  /** Reads a verified body (already JSON-parsed). */
  read(body: unknown, nowSeconds: number): WebhookReading;
}

/**
 * A dialect whose check needs I/O before it can answer (Plaid fetches its signing key by `kid`): the route awaits it.
 */
export interface AsyncProviderWebhook extends Omit<ProviderWebhook, 'verify'> {
  verify(headers: IncomingHttpHeaders, rawBody: Buffer, nowSeconds: number): Promise<Verification>;
}

/** Either kind of dialect, as the route holds them. */
export type AnyProviderWebhook = ProviderWebhook | AsyncProviderWebhook;
