import { logger } from '../logger.ts';
import type { Provider, VerificationStatus } from '../model/session.ts';
import { TERMINAL_STATUSES } from '../model/session.ts';

/** One row of a provider-to-unified status table; `note` explains non-obvious choices (docs/status-mapping.md). */
export interface StatusRow {
  value: string;
  status: VerificationStatus;
  note?: string;
}

/** A named status vocabulary of one provider (e.g. Verifa "result status"), as data so docs can be generated. */
export interface StatusTable {
  provider: Provider;
  /** Which provider field the values come from. */
  field: string;
  rows: readonly StatusRow[];
}

const warned = new Set<string>();

/** Looks a raw value up; unknown values map to UNKNOWN and are logged once per (provider, field, value). */
export function mapStatus(table: StatusTable, raw: string): VerificationStatus {
  const row = table.rows.find((r) => r.value === raw);
  if (row) return row.status;
  const key = `${table.provider}\u0000${table.field}\u0000${raw}`;
  if (!warned.has(key)) {
    warned.add(key);
    // Status words are vendor vocabulary, not personal data; cap the length in case a vendor sends garbage.
    logger.warn(
      { provider: table.provider, field: table.field, value: raw.slice(0, 64) },
      'unknown provider status mapped to UNKNOWN',
    );
  }
  return 'UNKNOWN';
}

/** The word's unified status when the table has it, else null (quietly: for optional vocabulary such as history). */
export function knownStatus(table: StatusTable, raw: string): VerificationStatus | null {
  return table.rows.find((r) => r.value === raw)?.status ?? null;
}

export function isTerminal(status: VerificationStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
