import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from './context.ts';

type PiiMask = 'REDACT' | 'LAST4' | 'EMAIL';

/** Masks one personal value for a caller without `pii:read`. */
export function maskValue(value: unknown, mask: PiiMask): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') return null;
  switch (mask) {
    case 'REDACT':
      return null;
    case 'LAST4':
      // A fixed-length mask: `*****4567` for a 9-character number would tell its length. Under 8 characters, the
      // last four would be most of it: nothing is shown.
      return value.length >= 8 ? `****${value.slice(-4)}` : '********';
    case 'EMAIL': {
      const at = value.lastIndexOf('@');
      if (at <= 0) return null;
      return `${value[0]}***${value.slice(at)}`;
    }
  }
}

/**
 * Applies `@pii(mask:)` from the schema: fields marked personal are masked unless the caller has `pii:read`.
 * The schema is the single list of personal fields; no resolver has to remember.
 */
export function applyPiiMasking(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => {
      const directive = getDirective(schema, field, 'pii')?.[0];
      if (!directive) return field;
      const mask = (directive.mask ?? 'REDACT') as PiiMask;
      const resolve = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        resolve(parent, args, ctx: GatewayContext, info) {
          const value = resolve(parent, args, ctx, info);
          if (ctx.caller.scopes.has('pii:read')) return value;
          return value instanceof Promise ? value.then((v) => maskValue(v, mask)) : maskValue(value, mask);
        },
      };
    },
  });
}
