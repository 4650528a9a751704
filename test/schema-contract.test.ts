import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  buildFromFiles,
  CHANGELOG_FILE,
  checkSchema,
  intendedBreakingChanges,
  printReleased,
  RELEASED_FILE,
  readSchemaFiles,
  report,
  type SchemaCheckResult,
} from '../scripts/schema-check.ts';

const RELEASED = `
"Root."
type Query {
  "A session."
  session(provider: Provider!, id: String!): Session
  providers: [Provider!]!
}
enum Provider { VERATAD DIDIT }
type Session { id: ID! status: String! reasonCode: String }
`;

const files = (sdl: string) => [{ name: 'schema/test.graphql', sdl }];
const summary = (r: SchemaCheckResult) => ({
  intended: r.intended.map((c) => c.path),
  unintended: r.unintended.map((c) => c.path),
  dangerous: r.dangerous.map((c) => c.path),
  safe: r.safe.map((c) => c.path),
  deprecationsWithoutReason: r.deprecationsWithoutReason,
});
const changelog = (breaking: string) =>
  `# Changelog\n\n## Unreleased\n\n### Breaking changes\n\n${breaking}\n\n### Added\n\n- \`Session.extra\`\n\n## 0.1.0\n\n- \`Session.status\`: old news\n`;

describe('the schema check', () => {
  it('passes additions and reports nothing else', async () => {
    const current = RELEASED.replace('reasonCode: String }', 'reasonCode: String extra: Int }');
    const result = await checkSchema(RELEASED, files(current), changelog(''));
    expect(summary(result)).toEqual({
      intended: [],
      unintended: [],
      dangerous: [],
      safe: ['Session.extra'],
      deprecationsWithoutReason: [],
    });
    expect(report(result)).toEqual([
      'schema: 1 safe, 0 dangerous, 0 breaking change(s) since the released schema',
      true,
    ]);
  });

  it('fails a removed field and a changed argument that CHANGELOG.md does not record', async () => {
    const current = RELEASED.replace(' reasonCode: String', '').replace('id: String!', 'id: ID!');
    const result = await checkSchema(RELEASED, files(current), changelog(''));
    expect(summary(result)).toMatchObject({ unintended: ['Query.session.id', 'Session.reasonCode'] });
    const [text, ok] = report(result);
    expect(ok).toBe(false);
    expect(text).toContain("- `Session.reasonCode`: Field 'reasonCode' was removed from object type 'Session'");
    expect(text).toContain('"### Breaking changes" in the "## Unreleased" section of CHANGELOG.md');
  });

  it('passes a breaking change recorded as intended, by Inspector path or schema coordinate', async () => {
    const current = RELEASED.replace(' reasonCode: String', '').replace('id: String!', 'id: ID!');
    const entries = '- `Session.reasonCode`: removed.\n- `Query.session(id:)`: now an `ID!`.';
    const result = await checkSchema(RELEASED, files(current), changelog(entries));
    expect(summary(result)).toMatchObject({ intended: ['Query.session.id', 'Session.reasonCode'], unintended: [] });
    expect(report(result)[1]).toBe(true);
  });

  it('counts only list items under Breaking changes in Unreleased, not comments, other sections or releases', () => {
    const text = `${changelog('<!--\n- `Query.providers`: an example\n-->\nSee `Query.node` for why.')}`;
    expect([...intendedBreakingChanges(text)]).toEqual([]);
    expect([...intendedBreakingChanges(changelog('- `Session.id`: now opaque'))]).toEqual(['Session.id']);
  });

  it('reports a new enum value as dangerous without failing', async () => {
    const result = await checkSchema(RELEASED, files(RELEASED.replace('DIDIT }', 'DIDIT VERIFA }')), changelog(''));
    expect(summary(result)).toMatchObject({ dangerous: ['Provider.VERIFA'], unintended: [] });
    expect(report(result)[1]).toBe(true);
  });

  it('fails a deprecation without a reason, and accepts one with', async () => {
    const bare = RELEASED.replace('reasonCode: String', 'reasonCode: String @deprecated');
    const result = await checkSchema(RELEASED, files(bare), changelog(''));
    expect(result.deprecationsWithoutReason).toEqual(['schema/test.graphql:9: Session.reasonCode']);
    expect(report(result)[1]).toBe(false);
    const reasoned = RELEASED.replace('reasonCode: String', 'reasonCode: String @deprecated(reason: "Use `code`.")');
    const ok = await checkSchema(RELEASED, files(reasoned), changelog(''));
    expect(summary(ok)).toMatchObject({ unintended: [], deprecationsWithoutReason: [] });
  });
});

describe('the released schema', () => {
  it('is a printed schema with its version, the baseline of the check', () => {
    const released = readFileSync(RELEASED_FILE, 'utf8');
    expect(released).toMatch(/^# Verigate \d+\.\d+\.\d+: the released GraphQL schema/);
    const version = /^# Verigate (\S+):/.exec(released)?.[1] ?? '';
    // Re-printing what was released gives the same text: the file is exactly what schema:release writes.
    expect(printReleased(buildFromFiles([{ name: 'released', sdl: released }]), version)).toBe(released);
  });

  it('today: schema/ breaks nothing that CHANGELOG.md does not record, and every deprecation has a reason', async () => {
    const result = await checkSchema(
      readFileSync(RELEASED_FILE, 'utf8'),
      readSchemaFiles(),
      readFileSync(CHANGELOG_FILE, 'utf8'),
    );
    expect(result.unintended.map((c) => `${c.path}: ${c.message}`)).toEqual([]);
    expect(result.deprecationsWithoutReason).toEqual([]);
  });

  it('npm run schema:check passes on this tree', () => {
    const out = execFileSync(process.execPath, ['scripts/schema-check.ts'], {
      cwd: new URL('../', import.meta.url),
      encoding: 'utf8',
    });
    expect(out).toMatch(/^schema: \d+ safe, \d+ dangerous, \d+ breaking change\(s\) since the released schema\n/);
  });
});
