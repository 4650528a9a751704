import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providerModules } from '../src/providers/index.ts';

describe('README', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it('lists every sandbox scenario of every provider', () => {
    for (const module of providerModules()) {
      expect(module.scenarios?.length ?? 0).toBeGreaterThan(0);
      for (const s of module.scenarios ?? []) expect(readme).toContain(`| \`${s.id}\` |`);
    }
  });

  it('tells a newcomer, in order: what Verigate is, the two commands, an example, the variables, the scenarios', () => {
    const order = [
      '# Verigate',
      'npm install && npm start',
      'npm test',
      '## An example query',
      '## What `npm test` needs',
      '## Environment variables',
      '## Sandbox scenarios',
    ];
    const positions = order.map((s) => readme.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('says how long npm test takes, and lists every script a contributor runs among the other scripts', () => {
    expect(readme).toMatch(/npm test .*about \d+ min on 2 cores/);
    const other = readme.slice(readme.indexOf('Other scripts:'));
    for (const script of ['codegen', 'docs', 'typecheck', 'lint', 'format', 'build', 'playground:build'])
      expect(other).toContain(`\`npm run ${script}\``);
  });
});

describe('the template vendor (src/providers/_template)', () => {
  it('is not registered: no public enum value, no README rows; the contract suite registers it for its run only', () => {
    expect(providerModules().map((m) => m.name)).not.toContain('template');
    const enumFile = readFileSync(new URL('../schema/provider-enum.graphql', import.meta.url), 'utf8');
    expect(enumFile).not.toContain('TEMPLATE');
    expect(readFileSync(new URL('../README.md', import.meta.url), 'utf8')).not.toContain('TEMPLATE_BASE_URL');
  });
});

describe('package.json', () => {
  it('names every registered vendor in its description', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      description: string;
    };
    for (const m of providerModules()) expect(pkg.description).toContain(m.label);
  });
});

describe('docs/adding-a-provider.md', () => {
  const guide = readFileSync(new URL('../docs/adding-a-provider.md', import.meta.url), 'utf8');

  it('states the scenarios the contract suite requires, the template to copy, a vendor without webhooks, and lint', () => {
    for (const handle of ['statusScenarios', 'unknownStatus', 'unavailableId', 'notFoundId', 'piiId', 'malformedIds'])
      expect(guide).toContain(`| \`${handle}\` |`);
    expect(guide).toContain('src/providers/_template/');
    expect(guide).toContain('## A vendor without webhooks');
    expect(guide).toContain('`npm run lint`');
  });
});

describe('docs/decline-reasons.md', () => {
  const doc = readFileSync(new URL('../docs/decline-reasons.md', import.meta.url), 'utf8');

  it('is what `npm run docs` writes from the decline tables today, with a row for every code of every provider', async () => {
    const { declineReasonsDoc } = await import('../scripts/declineReasons.ts');
    expect(doc).toBe(declineReasonsDoc());
    for (const module of providerModules()) {
      for (const table of module.declineTables ?? []) {
        for (const row of table.rows) expect(doc).toContain(`| \`${row.code}\` | \`${row.category}\` |`);
      }
    }
  });
});
