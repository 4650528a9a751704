/**
 * The schema as a contract. Compares the published schema (schema/*.graphql) with the last released version
 * (docs/schema/released.graphql) using GraphQL Inspector, and fails on a breaking change unless CHANGELOG.md
 * records it as intended: its schema coordinate, in backticks, under `### Breaking changes` in `## Unreleased`.
 * Also fails on a `@deprecated` without a `reason:`.
 *
 * `npm run schema:check` (part of `npm test`) checks; `npm run schema:release` writes the current schema as the
 * new released version.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import {
  buildASTSchema,
  concatAST,
  type DirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
  Kind,
  type Location,
  lexicographicSortSchema,
  parse,
  Source,
  visit,
} from 'graphql';

const root = fileURLToPath(new URL('..', import.meta.url));
export const SCHEMA_DIR = join(root, 'schema');
export const RELEASED_FILE = join(root, 'docs/schema/released.graphql');
export const CHANGELOG_FILE = join(root, 'CHANGELOG.md');

/** One schema file: its name (for messages) and its SDL. */
export interface SchemaFile {
  name: string;
  sdl: string;
}

export interface SchemaCheckResult {
  /** Breaking changes that CHANGELOG.md records as intended. */
  intended: Change[];
  /** Breaking changes nobody recorded: each fails the check. */
  unintended: Change[];
  /** Changes that can break some clients (a new enum value, a changed default): reported, not failed. */
  dangerous: Change[];
  safe: Change[];
  /** `@deprecated` without a reason, as `file:line: coordinate`. */
  deprecationsWithoutReason: string[];
}

/** schema/*.graphql in a stable order. */
export function readSchemaFiles(dir: string = SCHEMA_DIR): SchemaFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => ({ name: `schema/${f}`, sdl: readFileSync(join(dir, f), 'utf8') }));
}

export function buildFromFiles(files: readonly SchemaFile[]): GraphQLSchema {
  return buildASTSchema(withoutFederation(concatAST(files.map((f) => parse(new Source(f.sdl, f.name))))));
}

/**
 * The document without its Apollo Federation markup: the `extend schema @link(...)` and every directive it imports
 * (`@key`, `@shareable`, `@inaccessible`, or any `@federation__*`). They say how a router composes Verigate, not
 * what clients can query, so the contract is diffed without them (composition is tested in test/supergraph.*).
 */
export function withoutFederation(document: DocumentNode): DocumentNode {
  const imported = new Set<string>();
  for (const def of document.definitions) {
    if (def.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of def.directives?.filter((d) => d.name.value === 'link') ?? []) {
      const names = link.arguments?.find((a) => a.name.value === 'import')?.value;
      if (names?.kind !== Kind.LIST) continue;
      for (const name of names.values) if (name.kind === Kind.STRING) imported.add(name.value.replace(/^@/, ''));
    }
  }
  const isFederation = (name: string) => name === 'link' || imported.has(name) || name.startsWith('federation__');
  return visit(document, {
    Directive(node) {
      return isFederation(node.name.value) ? null : undefined;
    },
    SchemaExtension(node) {
      const kept = node.operationTypes?.length || node.directives?.some((d) => !isFederation(d.name.value));
      return kept ? undefined : null;
    },
  });
}

/** The released form: the whole schema in one file, sorted so that a release diff shows only real changes. */
export function printReleased(schema: GraphQLSchema, version: string): string {
  return [
    `# Verigate ${version}: the released GraphQL schema, the baseline of \`npm run schema:check\`.`,
    '# Written by `npm run schema:release` from schema/*.graphql; do not edit by hand.',
    '',
    printSchemaWithDirectives(lexicographicSortSchema(schema)),
    '',
  ].join('\n');
}

type Directed = { readonly directives?: readonly DirectiveNode[]; readonly loc?: Location };

/** Where `@deprecated` is used without `reason:` (GraphQL would say "No longer supported", which helps nobody). */
export function deprecationsWithoutReason(files: readonly SchemaFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const check = (node: Directed, coordinate: string) => {
      const deprecated = node.directives?.find((d) => d.name.value === 'deprecated');
      if (deprecated && !deprecated.arguments?.some((a) => a.name.value === 'reason'))
        found.push(`${file.name}:${deprecated.loc?.startToken.line ?? 0}: ${coordinate}`);
    };
    for (const def of parse(new Source(file.sdl, file.name)).definitions) {
      if (!('name' in def) || !def.name) continue;
      const type = def.name.value;
      if ('fields' in def) {
        for (const field of def.fields ?? []) {
          check(field, `${type}.${field.name.value}`);
          const args = 'arguments' in field ? (field.arguments ?? []) : [];
          for (const arg of args) check(arg, `${type}.${field.name.value}(${arg.name.value}:)`);
        }
      }
      if ('values' in def) for (const value of def.values ?? []) check(value, `${type}.${value.name.value}`);
    }
  }
  return found;
}

/**
 * The coordinates CHANGELOG.md records as intended breaking changes: backticked names in list items under
 * `### Breaking changes` of `## Unreleased`. `Type.field(arg:)` is read as Inspector's `Type.field.arg`.
 */
export function intendedBreakingChanges(changelog: string): Set<string> {
  const text = changelog.replace(/<!--[\s\S]*?-->/g, '');
  const unreleased = /^## Unreleased\b.*$([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(text)?.[1] ?? '';
  const breaking = /^### Breaking changes\b.*$([\s\S]*?)(?=^#{2,3} |(?![\s\S]))/m.exec(unreleased)?.[1] ?? '';
  const coordinates = new Set<string>();
  for (const line of breaking.split('\n')) {
    if (!/^\s*[-*] /.test(line)) continue;
    for (const [, name = ''] of line.matchAll(/`([A-Za-z_][\w.]*(?:\([A-Za-z_]\w*:\))?)`/g)) {
      coordinates.add(name.replace(/\(([A-Za-z_]\w*):\)$/, '.$1'));
    }
  }
  return coordinates;
}

export async function checkSchema(
  released: string,
  current: readonly SchemaFile[],
  changelog: string,
): Promise<SchemaCheckResult> {
  const changes = await diff(buildASTSchema(parse(released)), buildFromFiles(current));
  const intended = intendedBreakingChanges(changelog);
  const result: SchemaCheckResult = {
    intended: [],
    unintended: [],
    dangerous: [],
    safe: [],
    deprecationsWithoutReason: deprecationsWithoutReason(current),
  };
  for (const change of changes) {
    const level = change.criticality.level;
    if (level === CriticalityLevel.Breaking) {
      (change.path && intended.has(change.path) ? result.intended : result.unintended).push(change);
    } else if (level === CriticalityLevel.Dangerous) {
      result.dangerous.push(change);
    } else {
      result.safe.push(change);
    }
  }
  return result;
}

/** The report printed by `npm run schema:check`; the second value says whether the check passed. */
export function report(result: SchemaCheckResult): [string, boolean] {
  const line = (c: Change) => `  - ${c.path ? `\`${c.path}\`: ` : ''}${c.message}`;
  const out: string[] = [];
  const ok = result.unintended.length === 0 && result.deprecationsWithoutReason.length === 0;
  out.push(
    `schema: ${result.safe.length} safe, ${result.dangerous.length} dangerous, ` +
      `${result.intended.length + result.unintended.length} breaking change(s) since the released schema`,
  );
  if (result.dangerous.length > 0)
    out.push('dangerous (may break clients that assume a closed set):', ...result.dangerous.map(line));
  if (result.intended.length > 0)
    out.push('breaking, recorded as intended in CHANGELOG.md:', ...result.intended.map(line));
  if (result.unintended.length > 0) {
    out.push(
      'BREAKING, and not recorded as intended:',
      ...result.unintended.map(line),
      'Keep the old field (deprecate it with @deprecated(reason: "...")) or, if the break is intended, add each',
      'coordinate under "### Breaking changes" in the "## Unreleased" section of CHANGELOG.md, e.g.',
      `  - \`${result.unintended[0]?.path ?? 'Type.field'}\`: what changed and what clients should do instead.`,
    );
  }
  if (result.deprecationsWithoutReason.length > 0) {
    out.push(
      '@deprecated without a reason (say what to use instead: @deprecated(reason: "Use `x` instead.")):',
      ...result.deprecationsWithoutReason.map((d) => `  - ${d}`),
    );
  }
  return [out.join('\n'), ok];
}

if (import.meta.main) {
  const files = readSchemaFiles();
  if (process.argv.includes('--release')) {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(RELEASED_FILE, printReleased(buildFromFiles(files), version));
    process.stdout.write(`schema: wrote docs/schema/released.graphql (Verigate ${version})\n`);
  } else {
    const result = await checkSchema(readFileSync(RELEASED_FILE, 'utf8'), files, readFileSync(CHANGELOG_FILE, 'utf8'));
    const [text, ok] = report(result);
    (ok ? process.stdout : process.stderr).write(`${text}\n`);
    if (!ok) process.exit(1);
  }
}
