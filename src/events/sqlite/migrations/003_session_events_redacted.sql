-- A vendor redaction is a change of its own (DESIGN §7): entries say whether the vendor had removed the session's
-- personal data when it was observed. Entries appended before this read 0 (false); they are kept as they are.
ALTER TABLE session_events ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;
