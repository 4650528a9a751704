import type { EventTransaction } from '../events/store.ts';

/** A column of a batch passed as one parameter: its name in the statement, and its PostgreSQL type. */
export interface BatchColumn {
  name: string;
  type: 'text' | 'bigint' | 'integer' | 'boolean' | 'timestamptz';
}

/**
 * Many rows as a subquery of one statement (`… FROM (<source>) AS r`), so a batch is one round trip whatever its
 * size. PostgreSQL: one array parameter per column, zipped by `unnest … WITH ORDINALITY`; SQLite: one JSON array of
 * rows read by `json_each`. Both yield the columns by name, plus `ord` (the row's place in the batch, from 1).
 * `first` is the number of the first placeholder the batch takes (`$first`…).
 */
export function batchRows(
  tx: EventTransaction,
  columns: readonly BatchColumn[],
  rows: readonly (readonly unknown[])[],
  first: number,
): { source: string; params: unknown[] } {
  if (tx.engine === 'postgres') {
    const arrays = columns.map((c, i) => `$${first + i}::${c.type}[]`).join(', ');
    return {
      source: `SELECT * FROM unnest(${arrays}) WITH ORDINALITY AS r(${columns.map((c) => c.name).join(', ')}, ord)`,
      params: columns.map((_, i) => rows.map((row) => row[i] ?? null)),
    };
  }
  const fields = columns.map((c, i) => `value ->> ${i} AS ${c.name}`).join(', ');
  return {
    source: `SELECT ${fields}, key + 1 AS ord FROM json_each($${first})`,
    params: [JSON.stringify(rows.map((row) => row.map((v) => (typeof v === 'boolean' ? Number(v) : (v ?? null)))))],
  };
}
