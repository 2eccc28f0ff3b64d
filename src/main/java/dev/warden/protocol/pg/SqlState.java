package dev.warden.protocol.pg;

/** The SQLSTATE codes Warden itself reports (PostgreSQL Appendix A, errcodes.txt). */
public enum SqlState {
    SUCCESSFUL_COMPLETION("00000"),
    FEATURE_NOT_SUPPORTED("0A000"),
    ACTIVE_SQL_TRANSACTION("25001"),
    SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION("08001"),
    CONNECTION_FAILURE("08006"),
    PROTOCOL_VIOLATION("08P01"),
    INVALID_AUTHORIZATION_SPECIFICATION("28000"),
    INVALID_PASSWORD("28P01"),
    INVALID_CATALOG_NAME("3D000"),
    INSUFFICIENT_PRIVILEGE("42501"),
    PROGRAM_LIMIT_EXCEEDED("54000"),
    TOO_MANY_CONNECTIONS("53300"),
    QUERY_CANCELED("57014"),
    ADMIN_SHUTDOWN("57P01"),
    IDLE_SESSION_TIMEOUT("57P05"),
    SYSTEM_ERROR("58000"),
    INTERNAL_ERROR("XX000");

    private final String code;

    SqlState(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
