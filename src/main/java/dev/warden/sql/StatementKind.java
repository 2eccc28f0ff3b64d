package dev.warden.sql;

/**
 * What a statement does, in the words policy rules use (lower-case in YAML: {@code select},
 * {@code drop}, {@code alter} ...). DDL kinds are refined by {@link StatementAnalysis#objectType()}.
 */
public enum StatementKind {
    // Data
    SELECT,
    INSERT,
    UPDATE,
    DELETE,
    MERGE,
    COPY_FROM,
    COPY_TO,
    // Schema
    CREATE,
    ALTER,
    DROP,
    TRUNCATE,
    COMMENT,
    REFRESH_MATERIALIZED_VIEW,
    // Privileges and roles
    GRANT,
    REVOKE,
    ROLE,
    // Session and transaction
    TRANSACTION,
    SET,
    RESET,
    SHOW,
    DISCARD,
    PREPARE,
    EXECUTE,
    DEALLOCATE,
    DECLARE_CURSOR,
    FETCH,
    CLOSE_CURSOR,
    LISTEN,
    NOTIFY,
    UNLISTEN,
    LOCK,
    EXPLAIN,
    // Code the gateway cannot see into
    CALL,
    DO,
    // Server administration
    VACUUM,
    ANALYZE,
    CLUSTER,
    REINDEX,
    CHECKPOINT,
    ALTER_SYSTEM,
    LOAD,
    SECURITY_LABEL,
    // Anything else: never treated as safe
    UNKNOWN
}
