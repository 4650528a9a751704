-- The session timeline: one row per observed change of a session. No personal data.
CREATE TABLE session_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  provider TEXT NOT NULL,
  provider_session_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  -- ISO-8601 UTC with milliseconds: sorts as time.
  at TEXT NOT NULL,
  source TEXT NOT NULL,
  status TEXT NOT NULL,
  previous_status TEXT,
  provider_status TEXT NOT NULL,
  reason_code TEXT,
  vendor_event_id TEXT,
  UNIQUE (provider, provider_session_id, sequence)
);
CREATE UNIQUE INDEX session_events_vendor_event
  ON session_events (provider, provider_session_id, vendor_event_id) WHERE vendor_event_id IS NOT NULL;
CREATE INDEX session_events_at ON session_events (at);
CREATE INDEX session_events_provider ON session_events (provider, id);
CREATE INDEX session_events_status ON session_events (status, id);
