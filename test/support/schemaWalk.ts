import { getDirective } from '@graphql-tools/utils';
import { type GraphQLObjectType, type GraphQLSchema, getNamedType, isObjectType } from 'graphql';

/** A selection of every field of `type`, nested objects included (the schema has no cycles below Session). */
export function selectAll(schema: GraphQLSchema, type: GraphQLObjectType): string {
  return Object.values(type.getFields())
    .map((field) => {
      const named = getNamedType(field.type);
      return isObjectType(named) ? `${field.name} { ${selectAll(schema, named)} }` : field.name;
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
