package dev.warden.proxy;

import dev.warden.protocol.pg.PgError;

/**
 * One frontend message that awaits its response from the server: the unit that later stages
 * (policy, masking, recording) attach to. {@code sql} is the statement text the operation runs, when
 * known: the Query text, the Parse text, or for Bind/Execute/Describe the text of the prepared
 * statement behind the portal.
 */
public final class InFlightOperation {

    public enum Kind {
        SIMPLE_QUERY,
        PARSE,
        BIND,
        DESCRIBE_STATEMENT,
        DESCRIBE_PORTAL,
        EXECUTE,
        CLOSE_STATEMENT,
        CLOSE_PORTAL,
        SYNC,
        FUNCTION_CALL
    }

    private final Kind kind;
    private final String name;
    private final String sql;
    private long rows;
    private boolean described;
    private PgError refusal;
    private StatementGate.CompletionObserver completion;
    private long statementSeq;
    private ResultCapture capture;
    private long startedNanos;
    private int statementsCompleted;
    private String boundStatement;
    private short[] resultFormats = new short[0];

    InFlightOperation(Kind kind, String name, String sql) {
        this.kind = kind;
        this.name = name;
        this.sql = sql;
    }

    public Kind kind() {
        return kind;
    }

    /** The statement or portal name the message addressed ("" for unnamed), or null. */
    public String name() {
        return name;
    }

    public String sql() {
        return sql;
    }

    /** DataRow messages seen so far for this operation. */
    public long rows() {
        return rows;
    }

    /** Whether a RowDescription has been seen for this operation. */
    public boolean described() {
        return described;
    }

    /**
     * The error the client gets instead of the server's, when the gateway refused this operation and
     * sent the server a stand-in that fails the same way (so transaction and pipeline state on the
     * server match what the client is told); null when the operation runs as sent.
     */
    public PgError refusal() {
        return refusal;
    }

    /** Refused after the fact (approval denied or expired): the stand-in's error becomes this one. */
    void refuse(PgError error) {
        this.refusal = error;
        this.completion = null;
    }

    void apply(StatementGate.Verdict verdict) {
        this.refusal = verdict.refusal();
        this.completion = verdict.completion();
    }

    /** The sequence number of this operation's STATEMENT record, or 0 when it has none. */
    long statementSeq() {
        return statementSeq;
    }

    /** Ties this operation to its STATEMENT record; results and completion are recorded against it. */
    void recordedAs(long seq, ResultCapture resultCapture, long nanos) {
        this.statementSeq = seq;
        this.capture = resultCapture;
        this.startedNanos = nanos;
    }

    ResultCapture capture() {
        return capture;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** Counts the statements of this operation that ended; returns the index of the one that just did. */
    int nextStatementIndex() {
        return statementsCompleted++;
    }

    /** The server completed the next statement of this operation (a CommandComplete). */
    void statementCompleted() {
        if (completion != null) {
            completion.statementCompleted();
        }
    }

    /** For a Bind: the prepared statement it binds and the result format codes it asks for. */
    void bound(String statement, short[] formats) {
        this.boundStatement = statement;
        this.resultFormats = formats;
    }

    /** For a Bind: the prepared statement's name; null for other kinds. */
    String boundStatement() {
        return boundStatement;
    }

    /** For a Bind: the result format codes as sent (none = all text, one = for every column). */
    short[] resultFormats() {
        return resultFormats;
    }

    void countRow() {
        rows++;
    }

    void markDescribed() {
        described = true;
    }

    /** Operations whose ReadyForQuery closes them. */
    boolean endsAtReadyForQuery() {
        return kind == Kind.SYNC || kind == Kind.SIMPLE_QUERY || kind == Kind.FUNCTION_CALL;
    }

    @Override
    public String toString() {
        return kind + (name == null ? "" : "(" + name + ")");
    }
}
