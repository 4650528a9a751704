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
      '## Environment variables',
      '## Sandbox scenarios',
    ];
    const positions = order.map((s) => readme.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
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
