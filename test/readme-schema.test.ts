import { readFileSync } from 'node:fs';
import {
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  LoneAnonymousOperationRule,
  parse,
  specifiedRules,
  validate,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchema } from '../src/graphql/schema.ts';

/** Every field name the README mentions is one the schema has: coordinates, root-field descriptions, examples. */

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** The README without its fenced code blocks: the prose. */
const PROSE = README.replaceAll(/^ *```[\s\S]*?^ *```/gm, '');
/** Each fenced block: its language and text. */
const BLOCKS = [...README.matchAll(/^ *```(\w*)\n([\s\S]*?)^ *```/gm)].map((m) => ({
  lang: m[1],
  text: m[2] as string,
}));

let schema: GraphQLSchema;
beforeAll(() => {
  schema = buildSchema();
});

/** The names a type has: fields of an object, interface or input, values of an enum; null for other types. */
function memberNames(typeName: string): string[] | null {
  const type = schema.getType(typeName);
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) return Object.keys(type.getFields());
  if (isEnumType(type)) return type.getValues().map((v) => v.name);
  return null;
}

function rootField(name: string): GraphQLField<unknown, unknown> | undefined {
  return schema.getQueryType()?.getFields()[name];
}

describe('the README against the schema', () => {
  it('names only fields that exist in every `Type.field` of its prose', () => {
    const coordinates = [...PROSE.matchAll(/`([A-Z]\w*)\.(\w+)`/g)].map(
      (m) => [m[1] as string, m[2] as string] as const,
    );
    const checked = coordinates.filter(([type]) => memberNames(type) !== null);
    expect(checked.length).toBeGreaterThan(3);
    const missing = checked.filter(([type, field]) => !memberNames(type)?.includes(field)).map((c) => c.join('.'));
    expect(missing).toEqual([]);
  });

  it('describes a root field by its own fields where it lists them in parentheses', () => {
    const described = [...PROSE.matchAll(/`(\w+)` \(([^)]*)\)/g)].filter((m) => rootField(m[1] as string));
    const wrong: string[] = [];
    for (const [, name, inside] of described) {
      const field = rootField(name as string);
      const type = getNamedType(field?.type);
      const names = [...(inside as string).matchAll(/`(\w+)`/g)].map((m) => m[1] as string);
      const known = [...(memberNames(type?.name ?? '') ?? []), ...(field?.args.map((a) => a.name) ?? [])];
      for (const n of names) if (!known.includes(n)) wrong.push(`${name}: ${n}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lists every field of `providers` where it introduces the root fields', () => {
    const intro = /and `providers` \(([^)]*)\)/.exec(PROSE.replaceAll('\n', ' '));
    expect(intro, 'the "Other root fields" sentence describes `providers`').not.toBeNull();
    const listed = [...(intro?.[1] ?? '').matchAll(/`(\w+)`/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual(memberNames('ProviderInfo')?.sort());
  });

  it('has examples that validate against the schema (GraphQL blocks and curl queries)', () => {
    const documents = [
      ...BLOCKS.filter((b) => b.lang === 'graphql').map((b) => b.text),
      ...BLOCKS.filter((b) => b.lang === 'sh').flatMap((b) =>
        [...b.text.matchAll(/-d '(\{.*\})'/g)].map((m) => (JSON.parse(m[1] as string) as { query: string }).query),
      ),
    ];
    const rules = specifiedRules.filter((r) => r !== LoneAnonymousOperationRule);
    let operations = 0;
    for (const text of documents) {
      const document = parse(text);
      // Each operation on its own (a block may show several), SDL blocks (a subgraph's stub) aside.
      for (const definition of document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION)) {
        operations += 1;
        const errors = validate(schema, { kind: Kind.DOCUMENT, definitions: [definition] }, rules);
        expect(
          errors.map((e) => e.message),
          text,
        ).toEqual([]);
      }
    }
    expect(operations).toBeGreaterThanOrEqual(5);
  });
});
