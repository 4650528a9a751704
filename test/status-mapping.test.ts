import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { statusMappingDoc } from '../scripts/statusMapping.ts';
import { providerModules } from '../src/providers/index.ts';
import { isTerminal, mapStatus } from '../src/providers/status.ts';

interface DocumentedRow {
  value: string;
  status: string;
  final: string;
}

/** Reads docs/status-mapping.md back into tables keyed `PROVIDER / field`, as a reader of the page would. */
function documentedTables(markdown: string): Map<string, DocumentedRow[]> {
  const tables = new Map<string, DocumentedRow[]>();
  let provider = '';
  let field = '';
  for (const line of markdown.split('\n')) {
    const heading = /^## .*\(`provider: ([A-Z]+)`\)$/.exec(line);
    if (heading) provider = heading[1] ?? '';
    if (line.startsWith('### ')) {
      field = line.slice(4).replaceAll('\\|', '|');
      tables.set(`${provider} / ${field}`, []);
    }
    const row = /^\| `(.+?)` \| `([A-Z_]+)` \| (yes|no) \|/.exec(line);
    if (row) {
      tables
        .get(`${provider} / ${field}`)
        ?.push({ value: (row[1] ?? '').replaceAll('\\|', '|'), status: row[2] ?? '', final: row[3] ?? '' });
    }
  }
  return tables;
}

describe('docs/status-mapping.md', () => {
  const doc = readFileSync(new URL('../docs/status-mapping.md', import.meta.url), 'utf8');

  it('is what `npm run docs` writes from the code today', () => {
    expect(doc).toBe(statusMappingDoc());
  });

  it('documents every status table of every provider, row for row, as the code maps it', () => {
    const documented = documentedTables(doc);
    const expected = new Map<string, DocumentedRow[]>();
    for (const module of providerModules()) {
      expect(module.statusTables.length).toBeGreaterThan(0);
      for (const table of module.statusTables) {
        expected.set(
          `${module.provider} / ${table.field}`,
          table.rows.map((row) => ({
            value: row.value,
            // The code's own lookup, not the table literal: what a session with this value really reports.
            status: mapStatus(table, row.value),
            final: isTerminal(row.status) ? 'yes' : 'no',
          })),
        );
      }
    }
    expect(documented).toEqual(expected);
  });
});
