import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  type GraphQLFieldResolver,
  type GraphQLScalarType,
  type GraphQLSchema,
  getNamedType,
  getNullableType,
  isListType,
  isScalarType,
  isSpecifiedScalarType,
  locatedError,
} from 'graphql';

/**
 * The schema as graphql-jit is given it: every resolver's promise, and every promise among the items of a list a
 * resolver returns, hands jit a failure as a resolved `Error` value (one microtask after it happened) instead of
 * a rejection. jit then answers exactly what graphql-js answers:
 *
 * - A rejected list item. graphql-jit (0.8.9, and its main branch) writes an item that resolves at its index, but
 *   one that rejects with `resultArray.push(null)` (compileListType's item handler). Items settle in any order,
 *   so that null lands at the wrong index: a failing last item that rejects before the others resolve is dropped
 *   from the list (a FORBIDDEN ref of `sessions(refs:)`), one that rejects after later items resolved adds a
 *   trailing null. A resolved `Error` takes the ordinary path: null at its own index, with its own path and
 *   original error, as graphql-js does for a rejected item.
 * - The order of errors. graphql-js completes a resolved value one microtask after it settles but handles a
 *   rejection one microtask later than that (`.then(complete).then(undefined, handleError)`); jit handles both
 *   at once. Delaying the failure by that microtask keeps errors that happen together in graphql-js's order.
 * - A custom scalar whose `serialize` throws. jit keeps only the message of that error, so `JSON`'s coded
 *   refusal (UPSTREAM_BAD_RESPONSE) would lose its code. Fields of a custom scalar serialize in their resolver
 *   here, handing jit the error as a value, and jit's own serializer for them is the identity
 *   (`jitSerializers`).
 *
 * Only fields with their own resolver can hand jit promises: default resolvers read the normalised model, which
 * holds none. Left as jit does it: several errors raised synchronously in different parts of one answer come in
 * its evaluation order (fields without a resolver first); here only scalar refusals are raised that way, and no
 * vendor payload reaches them (test/jit.differential.e2e.test.ts compares those answers in path order).
 */
export function schemaForJit(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const type = getNullableType(field.type);
      if (!isCustomScalar(type) && isCustomScalar(getNamedType(field.type))) {
        throw new Error(`schemaForJit does not serialize lists of custom scalars (${typeName}.${fieldName}).`);
      }
      if (isCustomScalar(type)) return { ...field, resolve: serialized(field.resolve ?? defaultFieldResolver, type) };
      const resolve = field.resolve;
      if (!resolve) return field;
      return { ...field, resolve: isListType(type) ? settledList(resolve) : settled(resolve) };
    },
  });
}

/** jit's serializers for `schemaForJit`: custom scalars arrive serialized already. */
export function jitSerializers(schema: GraphQLSchema): Record<string, (value: unknown) => unknown> {
  const customScalars = Object.values(schema.getTypeMap()).filter(isCustomScalar);
  return Object.fromEntries(customScalars.map((type) => [type.name, same]));
}

function isCustomScalar(type: unknown): type is GraphQLScalarType {
  return isScalarType(type) && !isSpecifiedScalarType(type);
}

type Resolver = GraphQLFieldResolver<unknown, unknown>;

function settled(resolve: Resolver): Resolver {
  return (source, args, context, info) => {
    const value = resolve(source, args, context, info);
    return isPromise(value) ? failuresAsValues(value, same) : value;
  };
}

function serialized(resolve: Resolver, type: GraphQLScalarType): Resolver {
  const serialize = (value: unknown) => serializeOrError(type, value);
  return (source, args, context, info) => {
    const value = resolve(source, args, context, info);
    return isPromise(value) ? failuresAsValues(value, serialize) : serialize(value);
  };
}

/**
 * graphql-js's completeLeafValue, with its failure as a value. (A serialize that returns nothing fails the field
 * without a code: clients see "Internal server error.", so the message need not match graphql-js's word for word.)
 */
function serializeOrError(type: GraphQLScalarType, value: unknown): unknown {
  if (value == null || value instanceof Error) return value;
  try {
    const result = type.serialize(value);
    return result != null ? result : new Error(`Expected \`${type.name}.serialize\` to return a non-nullable value.`);
  } catch (error) {
    return asError(error);
  }
}

function settledList(resolve: Resolver): Resolver {
  return (source, args, context, info) => {
    const list = resolve(source, args, context, info);
    return isPromise(list) ? failuresAsValues(list, settleItems) : settleItems(list);
  };
}

function settleItems(list: unknown): unknown {
  if (!Array.isArray(list) || !list.some(isPromise)) return list;
  return list.map((item) => (isPromise(item) ? failuresAsValues(item, same) : item));
}

/** What jit waits on (it tells a promise by its `then`): a value, never a rejection. */
interface Settling {
  then(onSettled: (value: unknown) => unknown): void;
}

/**
 * The value when the promise resolves (mapped, in the same microtask), or the failure as an `Error` value one
 * microtask after it rejects.
 */
function failuresAsValues(promise: PromiseLike<unknown>, map: (value: unknown) => unknown): Settling {
  return {
    // biome-ignore lint/suspicious/noThenProperty: a thenable is exactly what jit is handed here
    then(onSettled) {
      promise.then(
        (value) => onSettled(map(value)),
        (reason) => Promise.resolve(asError(reason)).then(onSettled),
      );
    },
  };
}

const same = (value: unknown) => value;

/** graphql-js's own reading of a rejection that is not an Error ("Unexpected error value: …"). */
function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : locatedError(reason, undefined);
}

function isPromise(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}
