package dev.warden.protocol.pg;

import static java.util.Objects.requireNonNull;

/**
 * An error or notice as Warden reports it to a client. The fields map to ErrorResponse fields
 * S/V (severity), C (SQLSTATE), M (message), D (detail) and H (hint); detail and hint may be null.
 */
public record PgError(Severity severity, SqlState sqlState, String message, String detail, String hint) {

    public enum Severity {
        ERROR,
        FATAL,
        NOTICE,
        WARNING
    }

    public PgError {
        requireNonNull(severity, "severity is null");
        requireNonNull(sqlState, "sqlState is null");
        requireNonNull(message, "message is null");
    }

    public static PgError fatal(SqlState state, String message) {
        return new PgError(Severity.FATAL, state, message, null, null);
    }

    public static PgError fatal(SqlState state, String message, String hint) {
        return new PgError(Severity.FATAL, state, message, null, hint);
    }

    public static PgError error(SqlState state, String message, String hint) {
        return new PgError(Severity.ERROR, state, message, null, hint);
    }
}
