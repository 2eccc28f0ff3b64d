-- Service tokens issued by `warden token create --store`: expiring, scoped to targets, revocable.
-- Only the SCRAM-SHA-256 verifier is kept, never the token. Same portable subset as V1 (TEXT, BIGINT,
-- plain indexes) so that SQLite and PostgreSQL share it. (V2 is the approvals migration.)
CREATE TABLE warden_service_tokens (
    id             TEXT   NOT NULL PRIMARY KEY,  -- a public handle for listing and revoking, not a secret
    name           TEXT   NOT NULL,              -- the identity: the PostgreSQL user name the client connects as
    verifier       TEXT   NOT NULL,              -- SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>
    targets        TEXT   NOT NULL,              -- the targets it may connect to, one name per line
    groups_list    TEXT   NOT NULL,              -- its groups, one name per line (names have no whitespace)
    access         TEXT   NOT NULL,              -- read_only or read_write
    created_micros BIGINT NOT NULL,
    expires_micros BIGINT NOT NULL,
    revoked_micros BIGINT
);

-- Logins look a name up; the gateway's revocation check looks ids up (primary key).
CREATE INDEX warden_service_tokens_name ON warden_service_tokens (name, expires_micros);
