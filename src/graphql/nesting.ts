/**
 * Brackets (`{`, `[`, `(`) a document may nest. graphql-js parses recursively, so 5 000 nested `[` overflow its
 * stack ("Maximum call stack size exceeded") long before the token limit stops it; this is checked first, in one
 * linear scan. The deepest legitimate operation nests about a dozen (selection depth is capped at `GRAPHQL_MAX_DEPTH`).
 */
export const MAX_NESTING = 64;

/** The refusal's message, the same over HTTP, SSE and WebSocket. */
export const TOO_DEEPLY_NESTED = `Query too deeply nested: more than ${MAX_NESTING} nested brackets.`;

/** True when `query` nests brackets deeper than `max`, strings and comments aside. */
export function tooDeeplyNested(query: string, max = MAX_NESTING): boolean {
  let depth = 0;
  for (let i = 0; i < query.length; i += 1) {
    const c = query.charCodeAt(i);
    if (c === 0x23 /* # */) {
      while (i < query.length && query[i] !== '\n' && query[i] !== '\r') i += 1;
    } else if (c === 0x22 /* " */) {
      i = endOfString(query, i);
    } else if (c === 0x7b || c === 0x5b || c === 0x28 /* { [ ( */) {
      depth += 1;
      if (depth > max) return true;
    } else if (c === 0x7d || c === 0x5d || c === 0x29 /* } ] ) */) {
      depth = Math.max(0, depth - 1);
    }
  }
  return false;
}

/** The index of the closing quote of the string starting at `start` (a block string `"""…"""` or a plain one). */
function endOfString(query: string, start: number): number {
  if (query.startsWith('"""', start)) {
    const end = query.indexOf('"""', start + 3);
    return end === -1 ? query.length : end + 2;
  }
  for (let i = start + 1; i < query.length; i += 1) {
    if (query[i] === '\\') i += 1;
    else if (query[i] === '"' || query[i] === '\n') return i;
  }
  return query.length;
}
