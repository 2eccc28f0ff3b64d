package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.recording.RecordBodies;
import dev.warden.recording.StatementIntent;
import dev.warden.sql.SqlLexException;
import dev.warden.sql.SqlLexer;
import dev.warden.sql.Token;
import dev.warden.recording.RecordKind;
import dev.warden.recording.SessionLog;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the relay records about one session: each statement before it may run (with its parameters
 * and the gateway's decision), the rows the client received (capped), how each statement ended, and
 * the end of the session. Runs on the session's event loop; the {@link SessionLog} batches to the store.
 */
public final class SessionRecording {
    /** Recording caps per statement, from configuration. */
    public record Caps(int maxRows, int maxBytes) {}

    /** How long results and completions may wait to travel with the next statement's record. */
    private static final long LAZY_FLUSH_MICROS = Long.getLong("warden.lazyFlushMicros", 2_000);

    private final SessionLog log;
    private final Caps caps;
    private String applicationName;
    private final EventExecutor executor;
    private boolean flushScheduled;

    SessionRecording(SessionLog log, Caps caps, String applicationName, EventExecutor executor) {
        this.log = requireNonNull(log, "log is null");
        this.caps = requireNonNull(caps, "caps is null");
        this.applicationName = applicationName;
        this.executor = requireNonNull(executor, "executor is null");
    }

    /**
     * Results and completions need not hold anything up: they go with the next statement's record,
     * or at the latest a moment later, so a busy session pays one commit per statement, not three.
     */
    private void flushSoon() {
        if (!flushScheduled) {
            flushScheduled = true;
            executor.schedule(() -> {
                flushScheduled = false;
                log.flush();
            }, LAZY_FLUSH_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    String sessionId() {
        return log.sessionId();
    }

    /** Records a statement the client sent; returns its sequence number. */
    long statement(RecordBodies.ProtocolPath path, String text, List<BoundParameter> parameters,
            StatementGate.Verdict verdict) {
        return statement(path, text, parameters, verdict, null);
    }

    /** @param approvalId the approval request the statement is held for, or null */
    long statement(RecordBodies.ProtocolPath path, String text, List<BoundParameter> parameters,
            StatementGate.Verdict verdict, String approvalId) {
        return statement(path, text, parameters, verdict, approvalId, null);
    }

    /** @param estimatedRows the planner's estimate the decision was made with, or null */
    long statement(RecordBodies.ProtocolPath path, String text, List<BoundParameter> parameters,
            StatementGate.Verdict verdict, String approvalId, Long estimatedRows) {
        RecordBodies.ProtocolPath recordedPath = path != RecordBodies.ProtocolPath.FUNCTION_CALL && isCopy(text)
                ? RecordBodies.ProtocolPath.COPY : path;
        return log.append(RecordKind.STATEMENT, RecordBodies.statement(recordedPath, text, parameterValues(parameters),
                verdict.decision(), intent(text), approvalId, estimatedRows));
    }

    /** What the client said it is doing (application_name or a leading intent comment), if anything. */
    String intent(String text) {
        return StatementIntent.extract(applicationName, text).orElse(null);
    }

    /** A step of an approval (requested, approved, denied, expired, voided). */
    void approval(String approvalId, String event, String actor, String comment) {
        log.append(RecordKind.APPROVAL, RecordBodies.approval(approvalId, event, actor, comment));
    }

    /**
     * The server reported a parameter change: pgJDBC and others set application_name with SET after
     * the startup, and intents written there ({@code intent: ...}) must still be attributed.
     */
    void parameterChanged(String name, String value) {
        if ("application_name".equals(name)) {
            applicationName = value;
        }
    }

    /** Whether the statement is a COPY (its data then flows as CopyData, recorded as such). */
    private static boolean isCopy(String text) {
        if (!SqlLexer.mayContainWord(text, "copy")) {
            return false; // nearly every statement: no need to lex it again just for this
        }
        try {
            List<Token> tokens = SqlLexer.tokenize(text);
            return !tokens.isEmpty() && tokens.get(0).isWord("copy");
        } catch (SqlLexException e) {
            return false;
        }
    }

    ResultCapture newCapture() {
        return new ResultCapture(caps.maxRows(), caps.maxBytes());
    }

    /** Completes when everything recorded so far is durable: what must happen before a statement runs. */
    CompletableFuture<Void> durable() {
        return log.durable();
    }

    int backlog() {
        return log.backlog();
    }

    /** A statement of {@code operation} completed with this CommandComplete tag. */
    void completed(InFlightOperation operation, String commandTag) {
        end(operation, commandTag, null);
    }

    /** A statement of {@code operation} ended with an error, as the client saw it. */
    void failed(InFlightOperation operation, String sqlState, String message) {
        end(operation, null, new RecordBodies.StatementError(sqlState == null ? "" : sqlState, message == null ? "" : message));
    }

    private void end(InFlightOperation operation, String commandTag, RecordBodies.StatementError error) {
        if (operation.statementSeq() == 0) {
            return;
        }
        int index = operation.nextStatementIndex();
        ResultCapture capture = operation.capture();
        Long rows = null;
        if (capture != null && !capture.isEmpty()) {
            rows = capture.rowCount();
            log.append(RecordKind.RESULT, capture.drain(operation.statementSeq(), index));
        }
        Long tagged = commandTag == null ? null : rowsOfTag(commandTag);
        long durationMicros = (System.nanoTime() - operation.startedNanos()) / 1_000;
        log.append(RecordKind.COMPLETION, RecordBodies.completion(operation.statementSeq(), index, commandTag,
                tagged != null ? tagged : rows, durationMicros, error));
        flushSoon();
    }

    /** The row count at the end of a command tag ("UPDATE 3", "INSERT 0 1", "SELECT 5"), if any. */
    private static Long rowsOfTag(String tag) {
        int space = tag.lastIndexOf(' ');
        if (space < 0) {
            return null;
        }
        try {
            return Long.parseLong(tag.substring(space + 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    void sessionEnd(String reason) {
        log.append(RecordKind.SESSION_END, RecordBodies.sessionEnd(reason));
        log.checkpoint();
        log.flush();
    }

    /** Parameter values as sent: text format as text, binary as base64, with the type the client declared (0: inferred). */
    private static List<RecordBodies.Parameter> parameterValues(List<BoundParameter> parameters) {
        List<RecordBodies.Parameter> values = new ArrayList<>(parameters.size());
        for (BoundParameter parameter : parameters) {
            if (parameter.format() == 0) {
                values.add(RecordBodies.Parameter.text(parameter.typeOid(),
                        parameter.value() == null ? null : new String(parameter.value(), StandardCharsets.UTF_8)));
            } else {
                values.add(RecordBodies.Parameter.binary(parameter.typeOid(), parameter.value()));
            }
        }
        return values;
    }
}
