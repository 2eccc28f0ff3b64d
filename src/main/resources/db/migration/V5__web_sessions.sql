-- Web UI sessions of people logged in through OIDC (or SAML), kept in the store so that any gateway
-- node sharing it can serve the browser. The cookie value is never stored: only its SHA-256, so
-- reading this table does not let anyone log in. Same portable subset as V1 (TEXT, BIGINT, INTEGER,
-- plain indexes) so that SQLite and PostgreSQL share it.
CREATE TABLE warden_web_sessions (
    id_hash         TEXT    NOT NULL PRIMARY KEY,  -- hex SHA-256 of the cookie value
    identity        TEXT    NOT NULL,
    groups_list     TEXT    NOT NULL,              -- one group name per line
    read_only       INTEGER NOT NULL,              -- 1 when the identity is read-only in the database
    created_micros  BIGINT  NOT NULL,
    expires_micros  BIGINT  NOT NULL
);

-- Pruning deletes expired sessions, and the oldest ones when the table is full.
CREATE INDEX warden_web_sessions_expiry ON warden_web_sessions (expires_micros);
