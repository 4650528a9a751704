import type { ServerResponse } from 'node:http';

/**
 * Every /graphql answer is `private, no-store`: answers carry personal data and depend on the credential, and a
 * CDN or proxy keyed on the URL would hand one caller's session to the next (persisted-query GETs included).
 * Verigate caches sessions itself, per credential (README "Response cache").
 */
export function forbidStorage(res: ServerResponse): void {
  res.setHeader('cache-control', 'private, no-store');
}

/** Adds `header` to the response's `Vary` list once (CORS varies on Origin, compression on Accept-Encoding). */
export function varyOn(res: ServerResponse, header: string): void {
  const current = res.getHeader('vary');
  // The usual case, once per answer: nothing there yet.
  if (current === undefined) {
    res.setHeader('vary', header);
    return;
  }
  const names = String(current)
    .split(',')
    .map((h) => h.trim());
  if (names.some((h) => h.toLowerCase() === header.toLowerCase() || h === '*')) return;
  res.setHeader('vary', [...names, header].filter((h) => h !== '').join(', '));
}
