-- Time-boxed grants: an identity (or a group) may run statements that a require_approval rule
-- holds, on one target, without per-statement approval until expires_micros. Rows are never
-- deleted by the gateway: a revoked or expired grant stays as evidence of who could do what when.
CREATE TABLE warden_grants (
    id             TEXT PRIMARY KEY,
    identity       TEXT,
    group_name     TEXT,
    target         TEXT NOT NULL,
    rule           TEXT NOT NULL,
    reason         TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_micros BIGINT NOT NULL,
    expires_micros BIGINT NOT NULL,
    approval_id    TEXT,
    revoked_by     TEXT,
    revoked_micros BIGINT
);

CREATE INDEX warden_grants_expiry ON warden_grants (expires_micros);
