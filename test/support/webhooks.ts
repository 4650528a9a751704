import { request } from 'undici';
import type { SignedDelivery } from '../../src/sandbox/webhooks.ts';

/** POSTs a delivery to a gateway's webhook endpoint as the vendor would; the status and the JSON answer. */
export async function postWebhook(
  origin: string,
  provider: string,
  delivery: SignedDelivery | { body: string | Buffer; headers: Record<string, string> },
): Promise<{ status: number; body: unknown }> {
  const res = await request(`${origin}/webhooks/${provider}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...delivery.headers },
    body: delivery.body,
  });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON (a 404 from another route would be, but keep whatever came)
  }
  return { status: res.statusCode, body };
}

/** Polls `condition` every 50 ms until it holds or `boundMs` passes; true when it held. */
export async function waitFor(condition: () => boolean | Promise<boolean>, boundMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until `read` returns the same value twice `quietMs` apart (nothing more is happening); that value. */
export async function settled<T>(read: () => T, quietMs: number, boundMs = 20_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  let last = read();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = read();
    if (now === last || Date.now() > deadline) return now;
    last = now;
  }
}

/** The gateway's origin from its /graphql URL. */
export const originOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '');
