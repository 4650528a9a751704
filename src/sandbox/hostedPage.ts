import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The hosted verification page every simulator serves for a session started through `startVerification` (DESIGN §8
 * "Start a verification", sandbox): what the vendor's hosted flow is to a real user, reduced to four buttons that move
 * the session as a finished flow would, after which the simulator fires the vendor's signed webhook. Plain HTML forms,
 * no script, so it works in any browser, an in-app browser and `curl`.
 */

export const HOSTED_OUTCOMES = ['approve', 'decline', 'resubmit', 'abandon'] as const;
export type HostedOutcome = (typeof HOSTED_OUTCOMES)[number];

/** What the person chose: an outcome and, for decline and resubmit, one of the vendor's own codes. */
export interface HostedAction {
  outcome: HostedOutcome;
  /** One of `HostedPageOptions.reasons`' codes, or null. */
  reason: string | null;
}

/** A vendor code the page offers for decline / resubmit, with a label for the person choosing. */
export interface HostedReason {
  code: string;
  label: string;
}

export interface HostedPageOptions {
  /** The vendor as people call it (`Stripe`). */
  label: string;
  /** Path prefix the simulator serves pages under (`/hosted`): `GET <prefix>/<id>`, `POST <prefix>/<id>`. */
  prefix: string;
  /** The vendor's codes offered for a decline. */
  declineReasons: readonly HostedReason[];
  /** The vendor's codes offered for a resubmission request (defaults to the decline ones). */
  resubmitReasons?: readonly HostedReason[];
  /** The session's current state in the vendor's words, or null when the simulator has no such started session. */
  state(id: string): string | null;
  /** Moves the session (and queues its signed webhook). */
  move(id: string, action: HostedAction): Promise<void> | void;
}

const MAX_FORM_BYTES = 4_096;

/**
 * Serves the page and its form posts when `url` is under the prefix; returns false otherwise (the simulator answers
 * the request itself). An unknown id is 404; a bad form is 400; a post redirects back to the page (303).
 */
export async function serveHostedPage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: HostedPageOptions,
): Promise<boolean> {
  if (!url.pathname.startsWith(`${options.prefix}/`)) return false;
  const id = decodeURIComponent(url.pathname.slice(options.prefix.length + 1));
  const state = /^[A-Za-z0-9_-]{1,128}$/.test(id) ? options.state(id) : null;
  if (state === null) {
    sendHtml(res, 404, page(options.label, '<p>No such verification. The link may have expired.</p>'));
    return true;
  }
  if (req.method === 'POST') {
    const action = parseAction(await readForm(req), options);
    if (!action) {
      sendHtml(res, 400, page(options.label, '<p>Choose one of the buttons on the page.</p>'));
      return true;
    }
    await options.move(id, action);
    res.writeHead(303, { location: `${options.prefix}/${encodeURIComponent(id)}` }).end();
    return true;
  }
  if (req.method !== 'GET') {
    res.writeHead(405, { allow: 'GET, POST' }).end();
    return true;
  }
  sendHtml(res, 200, page(options.label, body(id, options.state(id) ?? state, options)));
  return true;
}

function parseAction(form: URLSearchParams | null, options: HostedPageOptions): HostedAction | null {
  const outcome = form?.get('outcome');
  if (!form || !HOSTED_OUTCOMES.includes(outcome as HostedOutcome)) return null;
  const reason = form.get('reason');
  const offered = outcome === 'resubmit' ? (options.resubmitReasons ?? options.declineReasons) : options.declineReasons;
  if (outcome === 'decline' || outcome === 'resubmit') {
    if (!reason || !offered.some((r) => r.code === reason)) return null;
    return { outcome: outcome as HostedOutcome, reason };
  }
  return { outcome: outcome as HostedOutcome, reason: null };
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function body(id: string, state: string, options: HostedPageOptions): string {
  const action = `${options.prefix}/${encodeURIComponent(id)}`;
  const select = (reasons: readonly HostedReason[]) =>
    `<select name="reason">${reasons.map((r) => `<option value="${escapeHtml(r.code)}">${escapeHtml(r.label)} (${escapeHtml(r.code)})</option>`).join('')}</select>`;
  const form = (outcome: HostedOutcome, label: string, extra = '') =>
    `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="outcome" value="${outcome}">${extra}<button type="submit">${label}</button></form>`;
  return [
    `<p>Verification <code>${escapeHtml(id)}</code> is <strong data-state>${escapeHtml(state)}</strong>.</p>`,
    '<p>This page stands in for the vendor’s hosted flow: each button finishes it as a person would, and the vendor’s signed webhook follows.</p>',
    form('approve', 'Approve'),
    form('decline', 'Decline', select(options.declineReasons)),
    form('resubmit', 'Ask to resubmit', select(options.resubmitReasons ?? options.declineReasons)),
    form('abandon', 'Abandon'),
  ].join('\n');
}

function page(label: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(label)} sandbox verification</title><style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}form{margin:.75rem 0}button{font:inherit;padding:.4rem .9rem}select{font:inherit;margin-right:.5rem}</style></head><body><h1>${escapeHtml(label)} sandbox</h1>\n${content}\n</body></html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  });
  res.end(html);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
