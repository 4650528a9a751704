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
