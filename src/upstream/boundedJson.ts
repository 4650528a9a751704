import { z } from 'zod';
import { logger } from '../logger.ts';
import type { Provider } from '../model/session.ts';

/**
 * Bounds on JSON Verigate passes through without reading it (Didit `metadata` and warnings' `additional_data`,
 * Verifa `metadata`, VX `additionalData`). JSON.parse reads a 10 000-deep body, but serialising it again throws
 * (V8's JSON.stringify overflows its stack), so an unbounded value could fail whole answers and sit in the cache.
 */
export interface JsonLimits {
  /** Nested objects and arrays: `{}` is 1 deep, `{"a":[]}` 2; scalars are 0. */
  maxDepth: number;
  /** Values of any kind (objects, arrays, strings, numbers, booleans, null), the root included. */
  maxNodes: number;
  /** About the length of the value's JSON text: strings and keys with their quotes, numbers, punctuation. */
  maxBytes: number;
}

/**
 * What one vendor value may hold. Integrator metadata and vendor diagnostics are a few keys in practice; these
 * leave two orders of magnitude of room: 32 levels, 10 000 nodes, 64 KiB.
 */
export const VENDOR_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxNodes: 10_000, maxBytes: 64 * 1024 };

export type JsonExcess = 'depth' | 'nodes' | 'bytes';

/**
 * The first limit `value` exceeds, or null when it is within all of them. Iterative (no recursion, so any depth
 * is safe) and stops at the first excess, so it costs at most `maxNodes` steps whatever the value.
 */
export function jsonExcess(value: unknown, limits: JsonLimits): JsonExcess | null {
  const stack: Array<[unknown, number]> = [[value, 0]];
  let nodes = 0;
  let bytes = 0;
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    nodes += 1;
    if (nodes > limits.maxNodes) return 'nodes';
    if (typeof current === 'string') bytes += current.length + 2;
    else if (current === null || typeof current !== 'object') bytes += String(current).length;
    else {
      if (depth + 1 > limits.maxDepth) return 'depth';
      bytes += 2;
      if (Array.isArray(current)) {
        if (stack.length + current.length > limits.maxNodes) return 'nodes';
        for (const item of current) stack.push([item, depth + 1]);
        bytes += current.length; // commas
      } else {
        for (const key in current) {
          if (!Object.hasOwn(current, key)) continue;
          bytes += key.length + 4; // quotes, colon, comma
          stack.push([(current as Record<string, unknown>)[key], depth + 1]);
          if (stack.length > limits.maxNodes) return 'nodes';
        }
      }
    }
    if (bytes > limits.maxBytes) return 'bytes';
  }
  return null;
}

/**
 * A pass-through field of a vendor payload: `schema`, but a value over VENDOR_JSON_LIMITS is dropped (read as null)
 * with a warning naming the provider, the field and the limit, never the value. Dropped rather than failing the
 * session: the decision, the checks and the rest of the session do not depend on these extras, and a caller
 * should not lose a KYC outcome to an oversized blob it cannot fix.
 */
export function boundedJson<T extends z.ZodType>(provider: Provider, field: string, schema: T) {
  return z
    .unknown()
    .transform((value) => {
      const excess = jsonExcess(value, VENDOR_JSON_LIMITS);
      if (excess === null) return value;
      logger.warn({ provider, field, limit: excess }, 'vendor JSON value over its bounds dropped');
      return null;
    })
    .pipe(schema)
    .optional(); // a missing key stays missing (zod asks every object key's schema whether it may be absent)
}
