import type { EventTransaction } from './store.ts';

/**
 * SQL written once for both engines, for the tables beside the timeline: `$n` placeholders (SQLite reads them as
 * `?n`), and lists passed as one JSON array parameter, so a statement's text does not grow with its batch.
 */

/** `$1` → `?1` on SQLite. */
export function dialect(tx: EventTransaction, text: string): string {
  return tx.engine === 'sqlite' ? text.replace(/\$(\d+)/g, '?$1') : text;
}

/** Runs `text` in `tx`, in the engine's placeholder style. */
export const runSql = (tx: EventTransaction, text: string, params: readonly unknown[]) =>
  tx.run(dialect(tx, text), params);

/** The integers of a JSON array parameter (`$n`), as a subquery each engine accepts: `id IN (${idList(tx, 2)})`. */
export const idList = (tx: EventTransaction, n: number) =>
  tx.engine === 'postgres'
    ? `SELECT json_array_elements_text($${n}::json)::bigint`
    : `SELECT value FROM json_each($${n})`;
