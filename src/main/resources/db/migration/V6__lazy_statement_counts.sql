-- warden_sessions.statements is no longer updated by every commit (a row update per session per
-- group commit was a quarter of the record writer's work). The writer catches the counter up from
-- the records every second or so and when the session ends; counted_seq says up to which record
-- seq the counter is caught up, and readers add the STATEMENT records after it. So the count is
-- exact at every moment, also for a session whose gateway died before catching up.
ALTER TABLE warden_sessions ADD COLUMN counted_seq BIGINT NOT NULL DEFAULT 0;

-- Existing counters were kept up to date by every commit: caught up to their last record.
UPDATE warden_sessions
   SET counted_seq = COALESCE((SELECT max(r.seq) FROM warden_records r WHERE r.session_id = warden_sessions.id), 0);
