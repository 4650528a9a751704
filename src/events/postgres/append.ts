import { categoriesText } from '../declineColumns.ts';
import type { Observation } from '../store.ts';

/**
 * A whole batch of observations as ONE PostgreSQL statement (one round trip, one plan, whatever its size): each field
 * is an array parameter, zipped back into rows by `unnest … WITH ORDINALITY`, and every session's observations are
 * walked in batch order by a recursive query, one step per observation of the session (all sessions step together),
 * carrying the session's latest entry: what the SQLite engine does one statement at a time. An observation becomes an
 * entry when it differs from the latest in a `change` column, its vendor event is new (in the table and earlier in the
 * batch), and, for the vendor's history (`PROVIDER`), it is not older than the latest.
 *
 * Replicas racing compute the same sequence; the unique (provider, session, sequence) constraint refuses the later
 * one, which re-runs (engine.ts) and then finds the change there. Before anything is inserted, the statement takes a
 * transaction lock per session of the batch, in one order for everyone: two batches holding the same sessions in
 * different orders would otherwise each wait on the other's uncommitted entries (a deadlock, found after a second).
 */

interface Field {
  /** The `session_events` column. */
  column: string;
  /** Its PostgreSQL type: the parameter is an array of it. */
  type: string;
  /** True when a new value is a change of its own (an entry even if nothing else moved). */
  change?: true;
  value: (o: Observation) => unknown;
}

/** Every column an observation fills. A new column is one line here (and one in the engine's `toEvent`). */
const FIELDS: readonly Field[] = [
  { column: 'provider', type: 'text', value: (o) => o.provider },
  { column: 'provider_session_id', type: 'text', value: (o) => o.providerSessionId },
  { column: 'at', type: 'timestamptz', value: (o) => o.at },
  { column: 'source', type: 'text', value: (o) => o.source },
  { column: 'status', type: 'text', change: true, value: (o) => o.status },
  { column: 'provider_status', type: 'text', change: true, value: (o) => o.providerStatus },
  { column: 'reason_code', type: 'text', value: (o) => o.reasonCode },
  { column: 'vendor_event_id', type: 'text', value: (o) => o.vendorEventId },
  { column: 'redacted', type: 'boolean', change: true, value: (o) => o.redacted },
  { column: 'user_action', type: 'text', value: (o) => o.userAction },
  { column: 'decline_categories', type: 'text', value: (o) => categoriesText(o.declineCategories) },
];

const columns = FIELDS.map((f) => f.column);
const changes = FIELDS.filter((f) => f.change).map((f) => f.column);
const list = (names: readonly string[], prefix = '') => names.map((c) => `${prefix}${c}`).join(', ');
/** The walk's state of a session: its latest entry, as far as the batch has got. */
const state = ['sequence', 'at', ...changes.filter((c) => c !== 'at')];
/** The advisory-lock class of a session's appends (two-key locks: apart from the migrations' one-key lock). */
const SESSION_LOCK_CLASS = 1_986_356_513;
const kept = (c: string) => `CASE WHEN k.change THEN n.${c} ELSE w.${c} END`;

export const APPEND_BATCH = `
WITH RECURSIVE input AS (
  SELECT * FROM unnest(${FIELDS.map((f, i) => `$${i + 1}::${f.type}[]`).join(', ')}) WITH ORDINALITY
    AS i(${list(columns)}, ord)
),
steps AS (
  SELECT i.*, row_number() OVER (PARTITION BY i.provider, i.provider_session_id ORDER BY i.ord) AS step,
    i.vendor_event_id IS NOT NULL AND EXISTS (
      SELECT 1 FROM session_events v WHERE v.provider = i.provider AND v.provider_session_id = i.provider_session_id
        AND v.vendor_event_id = i.vendor_event_id) AS recorded
  FROM input i
),
locked AS (
  SELECT provider, provider_session_id,
    pg_advisory_xact_lock(${SESSION_LOCK_CLASS}, hashtext(provider || '/' || provider_session_id)) AS locked
  FROM (SELECT DISTINCT provider, provider_session_id FROM input ORDER BY provider, provider_session_id) AS d
),
walk (provider, provider_session_id, step, ord, appended, previous_status, vendor_events, ${list(state)}) AS (
  SELECT s.provider, s.provider_session_id, 0::bigint, 0::bigint, false, NULL::text, ARRAY[]::text[], ${list(state, 'l.')}
  FROM locked AS s
  LEFT JOIN LATERAL (
    SELECT * FROM session_events e WHERE e.provider = s.provider AND e.provider_session_id = s.provider_session_id
    ORDER BY e.sequence DESC LIMIT 1
  ) AS l ON true
  UNION ALL
  SELECT n.provider, n.provider_session_id, n.step, n.ord, k.change,
    CASE WHEN k.change THEN w.status ELSE w.previous_status END,
    CASE WHEN k.change AND n.vendor_event_id IS NOT NULL THEN w.vendor_events || n.vendor_event_id ELSE w.vendor_events END,
    CASE WHEN k.change THEN coalesce(w.sequence, 0) + 1 ELSE w.sequence END,
    ${state
      .slice(1)
      .map((c) => kept(c))
      .join(', ')}
  FROM walk AS w
  JOIN steps AS n ON n.provider = w.provider AND n.provider_session_id = w.provider_session_id AND n.step = w.step + 1
  CROSS JOIN LATERAL (SELECT
    (w.sequence IS NULL OR (${list(changes, 'w.')}) IS DISTINCT FROM (${list(changes, 'n.')}))
    AND (n.source <> 'PROVIDER' OR w.sequence IS NULL OR w.at <= n.at)
    AND NOT n.recorded AND (n.vendor_event_id IS NULL OR n.vendor_event_id <> ALL (w.vendor_events)) AS change
  ) AS k
),
inserted AS (
  INSERT INTO session_events (sequence, previous_status, ${list(columns)})
  SELECT w.sequence, w.previous_status, ${list(columns, 'n.')}
  FROM walk AS w JOIN steps AS n ON n.ord = w.ord
  WHERE w.appended
  ORDER BY w.ord
  RETURNING *
)
SELECT * FROM inserted ORDER BY id`;

/** The statement's parameters: one array per field, the observations in batch order. */
export function appendParameters(observations: readonly Observation[]): unknown[][] {
  return FIELDS.map((f) => observations.map(f.value));
}
