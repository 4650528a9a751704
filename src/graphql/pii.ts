import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLSchema, getNullableType, isListType } from 'graphql';
import type { GatewayContext } from './context.ts';

/** The `PiiMask` enum of schema/base.graphql. */
export type PiiMask = 'REDACT' | 'LAST4' | 'EMAIL' | 'INITIALS';

/** Masks one personal value for a caller without `pii:read`. Anything but a string (a JSON value) is null. */
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
    case 'INITIALS':
      return initials(value);
  }
}

/**
 * `Sam Kim` → `S. K.`, `jean-luc PICARD` → `J.-L. P.`: the first letter of each word (of each part of a hyphenated
 * one), upper-cased, so neither the spelling nor the length of the name shows. Null when no word has a letter.
 */
export function initials(name: string): string | null {
  const words = name
    .split(/\s+/u)
    .map((word) =>
      word
        .split('-')
        .map((part) => part.match(/\p{L}/u)?.[0])
        .filter((letter): letter is string => letter !== undefined)
        .map((letter) => `${letter.toLocaleUpperCase('en')}.`)
        .join('-'),
    )
    .filter((word) => word.length > 0);
  return words.length > 0 ? words.join(' ') : null;
}

/**
 * Masks a list field's items one by one (AML names); an item that masks to null is dropped, since such lists are
 * `[String!]!`.
 */
export function maskList(value: unknown, mask: PiiMask): unknown[] {
  if (!Array.isArray(value)) return [];
  return value.map((item) => maskValue(item, mask)).filter((item) => item !== null);
}

/**
 * Applies `@pii(mask:)` from the schema: fields marked personal are masked unless the caller has `pii:read`.
 * The schema is the single list of personal fields; no resolver has to remember. Every way a field is read goes
 * through this (queries, `_entities`, subscriptions, the timeline's `session`), since it wraps the field itself.
 */
export function applyPiiMasking(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field) => {
      const directive = getDirective(schema, field, 'pii')?.[0];
      if (!directive) return field;
      const mask = (directive.mask ?? 'REDACT') as PiiMask;
      const resolve = field.resolve ?? defaultFieldResolver;
      const masked = isListType(getNullableType(field.type))
        ? (value: unknown) => maskList(value, mask)
        : (value: unknown) => maskValue(value, mask);
      return {
        ...field,
        resolve(parent, args, ctx: GatewayContext, info) {
          if (ctx.caller.scopes.has('pii:read')) return resolve(parent, args, ctx, info);
          // Nothing of a redacted field is sent, so it is not even resolved (Sumsub's `metadata` costs a vendor call).
          if (mask === 'REDACT' && !isListType(getNullableType(field.type))) return null;
          const value = resolve(parent, args, ctx, info);
          return value instanceof Promise ? value.then(masked) : masked(value);
        },
      };
    },
  });
}
