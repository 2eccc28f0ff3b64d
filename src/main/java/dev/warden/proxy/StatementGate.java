package dev.warden.proxy;

import dev.warden.protocol.pg.PgError;

/**
 * The decision point the relay consults before a statement reaches the server, one instance per
 * session. Implementations run on the event loop: they must answer from memory.
 */
public interface StatementGate {

    /** A simple Query message: all of its statements, decided together (one refused, none runs). */
    Verdict checkQuery(String sql);

    /**
     * A Parse message. Parse runs nothing, but a statement the policy flatly denies (or that cannot
     * be analysed) must not reach the server at all: the server would plan it, and planning can call
     * functions. Statements that need approval pass here and are decided again at Execute.
     */
    default Verdict checkParse(String sql) {
        return Verdict.ALLOW;
    }

    /**
     * An Execute of a portal.
     *
     * @param sql the text of the prepared statement behind the portal, or null when the gateway does
     *     not know it (then the answer must be a refusal: unknown is never safe)
     */
    Verdict checkExecute(String sql);

    /** A FunctionCall message (the protocol's fast-path call) of the function with this OID. */
    Verdict checkFunctionCall(int functionOid);

    /** The server reported ReadyForQuery with this transaction status ('I', 'T' or 'E'). */
    default void onReadyForQuery(byte transactionStatus) {}

    /**
     * What the gate decided about one message.
     *
     * @param refusal the error the client gets instead of running it; null when it runs
     * @param completion told once per statement the server completes (CommandComplete), in order,
     *     so session state (search_path, SQL-level PREPARE) follows only what really happened; may be null
     */
    record Verdict(PgError refusal, CompletionObserver completion) {
        public static final Verdict ALLOW = new Verdict(null, null);

        public static Verdict refuse(PgError refusal) {
            return new Verdict(java.util.Objects.requireNonNull(refusal, "refusal is null"), null);
        }

        public static Verdict allow(CompletionObserver completion) {
            return new Verdict(null, completion);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    /** Receives the server's confirmation that the next statement of an operation completed. */
    @FunctionalInterface
    interface CompletionObserver {
        void statementCompleted();
    }
}
