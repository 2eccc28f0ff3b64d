package dev.warden.proxy;

import dev.warden.protocol.pg.PgError;
import dev.warden.policy.Decision;
import java.util.List;

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
     * The session's search_path as a setting value (for a connection that must resolve names as
     * this session does), or empty when the gate does not follow it.
     */
    default java.util.Optional<String> searchPathSetting() {
        return java.util.Optional.empty();
    }

    /**
     * What the gate decided about one message.
     *
     * @param refusal the error the client gets instead of running it; null when it runs
     * @param completion told once per statement the server completes (CommandComplete), in order,
     *     so session state (search_path, SQL-level PREPARE) follows only what really happened; may be null
     * @param decision what the session record says about the decision (outcome, rule, policy version)
     * @param estimation when the decision waits for the planner's row estimate: what to estimate and
     *     how to decide then; null when {@code decision} is final
     * @param runsAsWriter once approved, the statement runs with the target's read-write credential
     *     on a connection of its own (a write of a read-only identity)
     */
    record Verdict(PgError refusal, CompletionObserver completion, Decision decision, Estimation estimation,
            boolean runsAsWriter) {
        /** Without a policy behind it (the bare relay): recorded as such. */
        private static final Decision UNDECIDED_ALLOW =
                Decision.allow("warden-pass-through", "The bare relay decides nothing.", "none", List.of());

        public static final Verdict ALLOW = new Verdict(null, null, UNDECIDED_ALLOW);

        public Verdict(PgError refusal, CompletionObserver completion, Decision decision) {
            this(refusal, completion, decision, null, false);
        }

        /** The same verdict for a statement that, once approved, runs with the writer credential. */
        public Verdict asWriter() {
            return new Verdict(refusal, completion, decision, estimation, true);
        }

        /** Decided only once the planner has estimated the rows {@code statement} touches. */
        public static Verdict afterEstimate(Decision provisional, Estimation estimation) {
            return new Verdict(null, null, provisional, java.util.Objects.requireNonNull(estimation, "estimation is null"),
                    false);
        }

        /** Whether the relay must ask the planner before this decision is final. */
        public boolean needsEstimate() {
            return estimation != null;
        }

        public Verdict {
            java.util.Objects.requireNonNull(decision, "decision is null");
        }

        /** A refusal by something other than the policy (a test gate): recorded with a generic rule. */
        public static Verdict refuse(PgError refusal) {
            return refuse(refusal, Decision.deny("warden-refused", refusal.message(), "", "none"));
        }

        public static Verdict refuse(PgError refusal, Decision decision) {
            return new Verdict(java.util.Objects.requireNonNull(refusal, "refusal is null"), null, decision);
        }

        public static Verdict allow(CompletionObserver completion) {
            return new Verdict(null, completion, UNDECIDED_ALLOW);
        }

        public static Verdict allow(CompletionObserver completion, Decision decision) {
            return new Verdict(null, completion, decision);
        }

        public boolean refused() {
            return refusal != null;
        }

        /** The statement may run only once approvers agree: the relay parks the session for it. */
        public boolean needsApproval() {
            return refusal == null && estimation == null && decision.outcome() == dev.warden.policy.Outcome.REQUIRE_APPROVAL;
        }
    }

    /**
     * A decision that waits for a row estimate.
     *
     * @param statement the SQL to estimate (with {@code $n} placeholders for the bound parameters)
     * @param exact count by a dry run, rolled back, instead of asking the planner
     * @param decide the verdict given the estimate (called on the session's event loop)
     */
    record Estimation(String statement, boolean exact,
            java.util.function.Function<dev.warden.policy.RowEstimate, Verdict> decide) {
        public Estimation {
            java.util.Objects.requireNonNull(statement, "statement is null");
            java.util.Objects.requireNonNull(decide, "decide is null");
        }
    }

    /** Receives the server's confirmation that the next statement of an operation completed. */
    @FunctionalInterface
    interface CompletionObserver {
        void statementCompleted();
    }
}
