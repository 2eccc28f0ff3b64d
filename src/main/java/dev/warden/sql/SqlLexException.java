package dev.warden.sql;

/** The text is not lexically valid PostgreSQL; a statement containing it is not understood. */
public final class SqlLexException extends Exception {
    private final int offset;

    public SqlLexException(String message, int offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
