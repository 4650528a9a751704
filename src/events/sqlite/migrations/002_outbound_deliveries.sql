-- The outbox of outbound webhooks (DESIGN §7): one row per event and endpoint, written in the transaction that
-- appends the timeline entry; the dispatcher claims due rows with a lease. No personal data: the body is the
-- event as sent (statuses and ids), errors are codes, never a URL. Times are ISO-8601 UTC text (they sort as time).
CREATE TABLE outbound_deliveries (
  -- Insertion order: per-session delivery order and paging.
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  -- The `webhook-id`, the same on every attempt.
  id TEXT NOT NULL UNIQUE,
  endpoint TEXT NOT NULL,
  event_type TEXT NOT NULL,
  provider TEXT,
  provider_session_id TEXT,
  event_id INTEGER,
  sequence INTEGER,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  -- A dispatcher's claim: until then it is not taken again; past it, it is due again.
  lease_until TEXT,
  lease_token TEXT,
  last_status_code INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX outbound_deliveries_due ON outbound_deliveries (next_attempt_at, seq) WHERE status = 'pending';
CREATE INDEX outbound_deliveries_session
  ON outbound_deliveries (endpoint, provider, provider_session_id, seq) WHERE status = 'pending';
CREATE INDEX outbound_deliveries_endpoint ON outbound_deliveries (endpoint, status, seq);

-- An endpoint's state across restarts: disabled when its receiver answered 410 Gone (for that URL).
CREATE TABLE outbound_endpoints (
  name TEXT PRIMARY KEY,
  url_sha256 TEXT NOT NULL,
  disabled_at TEXT NOT NULL
);
