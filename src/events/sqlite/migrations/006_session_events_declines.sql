-- Why a session was declined, and what the person does next (DESIGN §8): each entry keeps `Session.userAction` and
-- the categories of `Session.declineReasons` (comma-separated, most severe first) as they were when it was observed.
-- Entries appended before this read null: the columns are nullable and nothing is back-filled.
ALTER TABLE session_events ADD COLUMN user_action TEXT;
ALTER TABLE session_events ADD COLUMN decline_categories TEXT;
