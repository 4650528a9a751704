import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errorCodes.ts';

/** The one list of error codes (src/errorCodes.ts) holds every code src/ answers with, and docs/errors.md is it. */

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Where src/ names an `extensions.code`: object literals, the error builders, the HTTP refusals, the code lists. */
const PATTERNS = [
  /\bcode:\s*'([A-Z][A-Z_]*)'/g,
  /\b(?:GatewayError|subscriptionError)\(\s*'([A-Z][A-Z_]*)'/g,
  /\bwriteErrors\(\s*\w+,\s*[^,]+,\s*'([A-Z][A-Z_]*)'/g,
  /\brefuseUpgrade\(\s*\w+,\s*'[^']*',\s*'([A-Z][A-Z_]*)'/g,
  /\breject\(\s*\d+,\s*'([A-Z][A-Z_]*)'/g,
  /\bcode \?\? '([A-Z][A-Z_]*)'/g,
];
/** Code lists (`SUBSCRIPTION_CODES = [...]`) and the `ErrorCode` union: each of their literals. */
const LISTS = [/_CODES\s*=\s*\[([^\]]*)\]/g, /type ErrorCode\s*=([^;]*);/g];

/** Not `extensions.code`s: a Node-style errno on an outbound socket, a span attribute for an error without code. */
const NOT_ERROR_CODES: Record<string, string> = {
  EPRIVATE: 'src/outbound/send.ts',
  UNKNOWN: 'src/graphql/plugins/tracing.ts',
  // An inbox row's retry reason (its last_error and a metric label), never sent to a client.
  STORE_UNAVAILABLE: 'src/inbox/worker.ts',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'sandbox' || entry.name === 'generated' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && entry.name !== 'errorCodes.ts' ? [path] : [];
  });
}

/** Every code named in src/ (vendor simulators, which speak the vendors' words, aside), with where. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const where = `src/${relative(SRC, file)}`;
    for (const pattern of PATTERNS) for (const m of text.matchAll(pattern)) found.set(m[1] as string, where);
    for (const pattern of LISTS)
      for (const m of text.matchAll(pattern))
        for (const literal of (m[1] as string).matchAll(/'([A-Z][A-Z_]*)'/g)) found.set(literal[1] as string, where);
  }
  return found;
}

describe('error codes', () => {
  const listed = ERROR_CODES.map((c) => c.code as string);

  it('lists every code src/ answers with', () => {
    const found = codesInSource();
    expect(found.size).toBeGreaterThan(15);
    const missing = [...found]
      .filter(([code, where]) => !listed.includes(code) && NOT_ERROR_CODES[code] !== where)
      .map(([code, where]) => `${code} (${where})`);
    expect(missing, 'add them to src/errorCodes.ts, then npm run docs').toEqual([]);
  });

  it('lists each code once, with every column filled', () => {
    expect(new Set(listed).size).toBe(listed.length);
    for (const c of ERROR_CODES)
      for (const v of [c.when, c.http, c.frontend]) expect(v.length, c.code).toBeGreaterThan(0);
  });

  it('are what docs/errors.md documents, and the README links it', () => {
    const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
    for (const code of listed) expect(doc).toContain(`## ${code}\n`);
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).toContain('(docs/errors.md)');
  });
});
