-- Approval requests as every gateway node sees them, so that an approver on any node can decide a
-- statement parked on another: the owning node publishes its pending requests here, other nodes
-- record votes, and the owning node (woken by NOTIFY on PostgreSQL) applies them.
CREATE TABLE warden_approvals (
    id               TEXT PRIMARY KEY,
    node             TEXT NOT NULL,
    request          TEXT NOT NULL,
    status           TEXT NOT NULL,
    requested_micros BIGINT NOT NULL,
    expires_micros   BIGINT NOT NULL
);

CREATE INDEX warden_approvals_status ON warden_approvals (status, node);

CREATE TABLE warden_approval_votes (
    approval_id     TEXT NOT NULL,
    approver        TEXT NOT NULL,
    approver_groups TEXT NOT NULL,
    approve         INTEGER NOT NULL,
    reason          TEXT NOT NULL,
    binding         TEXT,
    voted_micros    BIGINT NOT NULL,
    applied         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (approval_id, approver)
);
