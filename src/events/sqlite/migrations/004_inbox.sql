-- The inbox of vendor webhooks (DESIGN §8): one row per verified delivery, committed before the vendor is answered
-- 2xx, then worked by every replica's inbox worker under a lease. No body and no personal data: the session id, the
-- event's name, an HMAC of the delivery (the replay key) and codes. Times are ISO-8601 UTC text (they sort as time).
CREATE TABLE inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- The delivery's name in the replay log (an HMAC under the endpoint's secret): a replay is a duplicate.
  replay_key TEXT NOT NULL UNIQUE,
  provider TEXT NOT NULL,
  provider_session_id TEXT NOT NULL,
  event TEXT,
  vendor_event_id TEXT,
  received_at TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'done')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  -- A worker's claim: until then no other worker takes the row; past it (the replica died), it is due again.
  lease_until TEXT,
  lease_token TEXT,
  -- The last failure's code (UPSTREAM_UNAVAILABLE, STORE_UNAVAILABLE, ...), never a message.
  last_error TEXT,
  done_at TEXT,
  -- changed | unchanged | not_found | failed
  outcome TEXT
);
CREATE INDEX inbox_due ON inbox (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX inbox_done ON inbox (done_at, id) WHERE status = 'done';
