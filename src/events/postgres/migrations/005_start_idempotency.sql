-- startVerification's idempotency records (DESIGN §8): one row per (API key name, idempotency key), kept 24 h.
-- A start inserts its row as `pending` before any vendor call (the insert that wins owns the start; a concurrent
-- twin waits for it), records the first step of a two-step vendor in `first_step_id`, then `started` with the
-- session. No secret is stored (no link, no token) and no personal data: the input is kept as its SHA-256 only.
-- Times are timestamptz.
CREATE TABLE start_idempotency (
  api_key TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  input_sha256 TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'started')),
  -- The provider being tried (pending) or that started the session (started).
  provider TEXT,
  provider_session_id TEXT,
  -- A two-step vendor's first object (Onfido applicant, Sumsub applicant, Persona inquiry): resumed, not redone.
  first_step_id TEXT,
  -- The attempts as answered: JSON [{"provider", "code"}], codes only.
  attempts TEXT NOT NULL DEFAULT '[]',
  -- When the vendor said the link lapses (not a secret), for a replay's `expiresAt`.
  expires_at TIMESTAMPTZ,
  -- The owner's lease on a pending row: past it, another call takes the start over.
  lease_until TIMESTAMPTZ NOT NULL,
  lease_token TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (api_key, idempotency_key)
);
CREATE INDEX start_idempotency_created ON start_idempotency (created_at);
