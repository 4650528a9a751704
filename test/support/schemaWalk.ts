import { getDirective } from '@graphql-tools/utils';
import { type GraphQLObjectType, type GraphQLSchema, getNamedType, isObjectType } from 'graphql';

/**
 * The session's timeline is Verigate's own store, appended to after each answer: a walk of a session's data leaves it
 * out (it would differ between two reads of one session); test/events/ walks it.
 */
export const TIMELINE_FIELDS: ReadonlySet<string> = new Set(['Session.events']);

/**
 * A selection of every field of `type`, nested objects included. A field leading back to a type already on the path
 * is left out, and so are the `skip`ped fields (`Type.field`).
 */
export function selectAll(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  skip: ReadonlySet<string> = TIMELINE_FIELDS,
  path: ReadonlySet<string> = new Set([type.name]),
): string {
  return Object.values(type.getFields())
    .filter((field) => !skip.has(`${type.name}.${field.name}`) && !path.has(getNamedType(field.type).name))
    .map((field) => {
      const named = getNamedType(field.type);
      return isObjectType(named)
        ? `${field.name} { ${selectAll(schema, named, skip, new Set([...path, named.name]))} }`
        : field.name;
    })
    .join(' ');
}

/** `Type.field` -> mask, for every field marked `@pii`. */
export function piiFields(schema: GraphQLSchema): Map<string, string> {
  const marks = new Map<string, string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const pii = getDirective(schema, field, 'pii')?.[0];
      if (pii) marks.set(`${type.name}.${field.name}`, String(pii.mask ?? 'REDACT'));
    }
  }
  return marks;
}
