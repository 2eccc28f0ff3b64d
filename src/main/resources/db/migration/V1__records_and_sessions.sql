-- One schema for SQLite and PostgreSQL: only types and statements both accept (TEXT, BIGINT,
-- composite primary keys, plain indexes). Later tables (approvals, grants, tokens) come as V2, V3...

-- The append-only log. A record is the unit of the per-session hash chain, so its fields are
-- stored exactly as they were hashed: body is TEXT, never jsonb, because jsonb would reorder keys
-- and normalise numbers, and the stored bytes would no longer match the hash.
CREATE TABLE warden_records (
    session_id    TEXT   NOT NULL,
    seq           BIGINT NOT NULL,
    at_micros     BIGINT NOT NULL,
    kind          TEXT   NOT NULL,
    body          TEXT   NOT NULL,
    previous_hash TEXT   NOT NULL,
    hash          TEXT   NOT NULL,
    PRIMARY KEY (session_id, seq)
);

-- One row per session, derived from its records in the same transaction (SESSION_START inserts,
-- SESSION_END updates, STATEMENT counts). It is an index for listing, not evidence: the records
-- are the evidence, and this row can always be rebuilt from them.
CREATE TABLE warden_sessions (
    id               TEXT   NOT NULL PRIMARY KEY,
    identity         TEXT   NOT NULL,
    target           TEXT   NOT NULL,
    client_address   TEXT,
    application_name TEXT,
    auth_method      TEXT,
    started_micros   BIGINT NOT NULL,
    ended_micros     BIGINT,
    end_reason       TEXT,
    statements       BIGINT NOT NULL DEFAULT 0,
    refused          BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX warden_sessions_started ON warden_sessions (started_micros);
CREATE INDEX warden_sessions_identity ON warden_sessions (identity, started_micros);
CREATE INDEX warden_sessions_target ON warden_sessions (target, started_micros);
-- Retention looks for ended sessions older than a cutoff.
CREATE INDEX warden_sessions_ended ON warden_sessions (ended_micros);
