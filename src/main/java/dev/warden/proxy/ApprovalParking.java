package dev.warden.proxy;

import static java.util.Objects.requireNonNull;

import dev.warden.approval.ApprovalDraft;
import dev.warden.approval.ApprovalException;
import dev.warden.approval.ApprovalOutcome;
import dev.warden.approval.Grant;
import dev.warden.policy.Subject;
import dev.warden.approval.PendingApproval;
import dev.warden.policy.Decision;
import dev.warden.protocol.pg.BackendMessages;
import dev.warden.protocol.pg.PgError;
import dev.warden.protocol.pg.SqlState;
import dev.warden.recording.RecordBodies;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parks a session's statements that need approval: records the request, tells the client where it
 * waits, and when approvers decide puts either the statement itself or a failing stand-in where it
 * waited among the held messages. Confined to the session's event loop, except {@link #cancelAll}.
 */
final class ApprovalParking {
    private static final Logger log = LoggerFactory.getLogger(ApprovalParking.class);

    private final Session session;
    private final ApprovalSetup setup;
    private final SessionRecording recording;
    private final HeldForwarding forward;
    private final Set<String> groups;
    private final Map<String, ParkedStatement> parked = new LinkedHashMap<>();
    private final WriterConnector writer;
    private final StatementGate gate;

    /** Opens a connection to the session's target with its read-write credential. */
    @FunctionalInterface
    interface WriterConnector {
        /** @param parameters startup parameters beyond the client's own (search_path) */
        io.netty.util.concurrent.Future<UpstreamConnection> connect(Map<String, String> parameters);
    }

    ApprovalParking(Session session, ApprovalSetup setup, SessionRecording recording, HeldForwarding forward,
            Set<String> groups) {
        this(session, setup, recording, forward, groups, null, null);
    }

    /**
     * @param writer how approved writes of a read-only identity reach the database, or null when
     *     they cannot (the policy gate then refuses them before asking anyone)
     * @param gate the session's gate (its search_path, so the writer resolves names as analysed)
     */
    ApprovalParking(Session session, ApprovalSetup setup, SessionRecording recording, HeldForwarding forward,
            Set<String> groups, WriterConnector writer, StatementGate gate) {
        this.writer = writer;
        this.gate = gate;
        this.session = requireNonNull(session, "session is null");
        this.setup = requireNonNull(setup, "setup is null");
        this.recording = requireNonNull(recording, "recording is null");
        this.forward = requireNonNull(forward, "forward is null");
        this.groups = Set.copyOf(groups);
    }

    /** A statement waiting for its decision, in place of which {@link #placeholder} sits in the held messages. */
    static final class ParkedStatement {
        final String id;
        final long statementSeq;
        final ByteBuf placeholder;
        final CompletableFuture<Void> released;
        private final boolean runsAsWriter;
        private final ByteBuf original;
        private final ByteBuf standIn;
        private final String statement;
        private InFlightOperation operation;

        private ParkedStatement(String id, long statementSeq, ByteBuf placeholder, ByteBuf original, ByteBuf standIn,
                String statement, CompletableFuture<Void> released, boolean runsAsWriter) {
            this.runsAsWriter = runsAsWriter;
            this.id = id;
            this.statementSeq = statementSeq;
            this.placeholder = placeholder;
            this.original = original;
            this.standIn = standIn;
            this.statement = statement;
            this.released = released;
        }

        /** The in-flight operation the parked message became (its error is replaced if refused). */
        void attach(InFlightOperation inFlight) {
            this.operation = inFlight;
        }
    }

    /**
     * Records and opens the request. Takes ownership of {@code original} and {@code standIn}.
     *
     * @throws ApprovalException when approval cannot be asked for now (the caller refuses the
     *     statement with {@link #unavailable}); the buffers are released then
     */
    ParkedStatement park(RecordBodies.ProtocolPath path, String text, List<BoundParameter> parameters,
            StatementGate.Verdict verdict, ByteBuf original, ByteBuf standIn) throws ApprovalException {
        return park(path, text, parameters, verdict, original, standIn, null, Optional.empty());
    }

    /**
     * @param placeholder what already waits among the held messages in the statement's place, or null
     *     to make one
     * @param estimatedRows the planner's estimate, shown to approvers
     */
    ParkedStatement park(RecordBodies.ProtocolPath path, String text, List<BoundParameter> parameters,
            StatementGate.Verdict verdict, ByteBuf original, ByteBuf standIn, ByteBuf placeholder,
            Optional<Long> estimatedRows) throws ApprovalException {
        Decision decision = verdict.decision();
        PendingApproval pending;
        try {
            pending = setup.service().open(new ApprovalDraft(recording.sessionId(), session.identity(), groups,
                    session.target(), text, displayed(parameters), decision.rule(), decision.reason(),
                    decision.approval().orElseThrow(), decision.policyVersion(), Optional.ofNullable(recording.intent(text)),
                    estimatedRows));
        } catch (ApprovalException e) {
            log.warn("session {}: cannot ask for approval: {}", session.id(), e.getMessage());
            original.release();
            standIn.release();
            throw e;
        }
        String id = pending.request().id();
        long seq = recording.statement(path, text, parameters, verdict, id, estimatedRows.orElse(null));
        recording.approval(id, "requested", session.identity(), "rule " + decision.rule() + ": " + decision.reason());
        CompletableFuture<Void> settled = new CompletableFuture<>();
        CompletableFuture<Void> released = recording.durable().thenCompose(ignored -> settled);
        ParkedStatement statement = new ParkedStatement(id, seq, placeholder != null ? placeholder : original.alloc().buffer(0, 0),
                original, standIn, text, released, verdict.runsAsWriter());
        parked.put(id, statement);
        notifyClient(pending, decision);
        pending.outcome().whenComplete((outcome, failure) -> session.client().eventLoop().execute(
                () -> settle(statement, outcome, settled)));
        log.info("session {}: statement held for approval {} (rule {})", session.id(), id, decision.rule());
        return statement;
    }

    /** The active grant that lets this session's identity run what the decision's rule holds, if any. */
    Optional<Grant> coveringGrant(Decision decision) {
        if (setup.grants().isEmpty()) {
            return Optional.empty();
        }
        Set<String> allGroups = setup.groupsOf().apply(new Subject(session.identity(), groups, false));
        return setup.grants().get().covering(session.identity(), allGroups, session.target(), decision.rule());
    }

    /** Marks in the record that a statement ran under a grant instead of its own approval. */
    void recordUnderGrant(Grant grant) {
        recording.approval(grant.id(), "granted", grant.createdBy(), "under grant " + grant.id() + " for "
                + grant.grantee() + " until " + grant.expiresAt() + ": " + grant.reason());
        log.info("session {}: statement runs under grant {} (rule {})", session.id(), grant.id(), grant.rule());
    }

    /** The refusal when approval could not be asked for: fail closed, saying why. */
    static PgError unavailable(Decision decision, ApprovalException why) {
        return new PgError(PgError.Severity.ERROR, SqlState.INSUFFICIENT_PRIVILEGE,
                "Approval required by rule \"" + decision.rule() + "\", but it cannot be requested now: " + why.getMessage(),
                "The statement did not run.", "Retry later, or ask an administrator.");
    }

    /** The NoticeResponse that tells the client its statement waits, and where an approver acts. */
    private void notifyClient(PendingApproval pending, Decision decision) {
        String id = pending.request().id();
        Duration timeout = decision.approval().orElseThrow().timeout();
        String where = setup.linkTo(id).map(link -> "approve at " + link + " or with `warden approve " + id + "`")
                .orElse("approve with `warden approve " + id + "`");
        PgError notice = new PgError(PgError.Severity.NOTICE, SqlState.SUCCESSFUL_COMPLETION,
                "approval required: request " + id + ", rule \"" + decision.rule() + "\"; " + where,
                decision.reason() + " The statement waits up to " + format(timeout) + " for a decision.",
                decision.hint().isEmpty() ? "Keep the connection open; the statement runs as soon as it is approved."
                        : decision.hint());
        ByteBuf message = BackendMessages.errorResponse(session.client().alloc(), notice);
        UpstreamRelayHandler relay = session.upstream().pipeline().get(UpstreamRelayHandler.class);
        if (relay == null) {
            message.release();
            return;
        }
        relay.sendBetweenMessages(message);
    }

    /** On the event loop: the approvers decided (or time ran out, or the request was voided). */
    private void settle(ParkedStatement statement, ApprovalOutcome outcome, CompletableFuture<Void> settled) {
        parked.remove(statement.id);
        if (outcome == null || session.closed() || !session.client().isActive()) {
            statement.original.release();
            statement.standIn.release();
            settled.complete(null);
            return;
        }
        if (outcome.approved() && statement.runsAsWriter) {
            recording.approval(statement.id, outcome.status().word(), outcome.actors(),
                    outcome.reason() + " (runs with the target's read-write credential on a connection of its own)");
            runAsWriter(statement, outcome, settled);
            return;
        }
        recording.approval(statement.id, outcome.status().word(), outcome.actors().isEmpty() ? null : outcome.actors(),
                outcome.reason());
        if (!outcome.approved()) {
            log.info("session {}: approval {} {}; the held statement does not run", session.id(), statement.id,
                    outcome.status().word());
            refuseParked(statement, refusal(statement, outcome), settled);
            return;
        }
        statement.standIn.release();
        forward.substitute(statement.placeholder, statement.original);
        log.info("session {}: approval {} granted by {}; running the held statement", session.id(), statement.id,
                outcome.actors());
        settleWhenDurable(settled);
    }

    /** What was decided is on record before the statement (or its stand-in) goes upstream. */
    private void settleWhenDurable(CompletableFuture<Void> settled) {
        recording.durable().whenComplete((ignored, failure) -> {
            if (failure != null) {
                settled.completeExceptionally(failure);
            } else {
                settled.complete(null);
            }
        });
    }

    /**
     * An approved write of a read-only identity: the session's own connection is read-only in the
     * database, so the held Query runs on a new connection with the writer credential, resolving
     * names with the session's search_path, and only outside a transaction block (a write cannot join
     * the session's transaction on another connection). The results reach the client as if from
     * its own connection; the writer connection is closed after the statement's ReadyForQuery.
     */
    private void runAsWriter(ParkedStatement statement, ApprovalOutcome outcome, CompletableFuture<Void> settled) {
        if (writer == null) {
            refuseParked(statement, PgError.error(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                    "Approved, but this gateway cannot run writes of a read-only identity with a writer credential",
                    "Ask an administrator to add a read_write credential to the target."), settled);
            return;
        }
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        gate.searchPathSetting().ifPresent(path -> parameters.put("search_path", path));
        writer.connect(parameters).addListener(connected -> session.client().eventLoop().execute(() -> {
            if (!connected.isSuccess()) {
                log.warn("session {}: approval {}: the writer connection failed: {}", session.id(), statement.id,
                        connected.cause().toString());
                refuseParked(statement, PgError.error(SqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION,
                        "Approved, but Warden could not connect with the target's writer credential, so it did not run",
                        "Retry the statement; an administrator must check the gateway log."), settled);
                return;
            }
            io.netty.channel.Channel channel = ((UpstreamConnection) connected.getNow()).channel();
            boolean ready = statement.operation != null && session.inFlight().head() == statement.operation
                    && session.inFlight().transactionStatus() == 'I' && !session.closed();
            if (!ready) {
                channel.close();
                refuseParked(statement, PgError.error(SqlState.ACTIVE_SQL_TRANSACTION,
                        "Approved, but a read-only identity's write runs with the writer credential only outside a"
                                + " transaction block, with nothing else running", "Send it on its own, outside BEGIN ... COMMIT."),
                        settled);
                return;
            }
            channel.pipeline().remove(UpstreamStartupHandler.class);
            // The writer's results are masked exactly as the session's own connection's would be.
            channel.pipeline().addLast("relay", new UpstreamRelayHandler(session, gate, recording, () -> {
                // Settled first: closing can complete at once, and the close listener must see it done.
                settled.complete(null);
                channel.writeAndFlush(dev.warden.protocol.pg.FrontendMessages.terminate(channel.alloc()))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }, session.masking()));
            channel.closeFuture().addListener(closed -> {
                if (!settled.isDone()) {
                    session.closeWith(PgError.fatal(SqlState.CONNECTION_FAILURE,
                            "the writer connection for an approved statement closed before it finished"));
                    settled.completeExceptionally(new IllegalStateException("writer connection closed"));
                }
            });
            statement.standIn.release();
            // The session's own connection gets nothing in the statement's place.
            forward.substitute(statement.placeholder, io.netty.buffer.Unpooled.EMPTY_BUFFER);
            ByteBuf message = statement.original;
            // The approval (and that it runs as writer) is on record before the statement runs.
            recording.durable().whenComplete((ignored, failure) -> session.client().eventLoop().execute(() -> {
                if (failure != null) {
                    message.release();
                    channel.close();
                    settled.completeExceptionally(failure);
                    return;
                }
                log.info("session {}: approval {} granted by {}; running the held statement with the writer credential",
                        session.id(), statement.id, outcome.actors());
                channel.writeAndFlush(message);
                channel.config().setAutoRead(true);
            }));
        }));
    }

    /** The held statement does not run after all: the client gets {@code error} through the stand-in. */
    private void refuseParked(ParkedStatement statement, PgError error, CompletableFuture<Void> settled) {
        statement.original.release();
        if (statement.operation != null) {
            statement.operation.refuse(error);
        }
        forward.substitute(statement.placeholder, statement.standIn);
        settleWhenDurable(settled);
    }

    private static PgError refusal(ParkedStatement statement, ApprovalOutcome outcome) {
        String detail = "Statement: " + PolicyGate.abbreviate(statement.statement);
        return switch (outcome.status()) {
            case DENIED -> new PgError(PgError.Severity.ERROR, SqlState.INSUFFICIENT_PRIVILEGE,
                    "Approval denied for request " + statement.id + " by " + outcome.actors() + ": " + outcome.reason(),
                    detail, "The statement did not run. Change it, or talk to " + outcome.actors() + " before asking again.");
            case EXPIRED -> new PgError(PgError.Severity.ERROR, SqlState.QUERY_CANCELED,
                    "Approval request " + statement.id + " expired: " + outcome.reason(), detail,
                    "The statement did not run. Ask an approver to watch for the request, then retry.");
            default -> new PgError(PgError.Severity.ERROR, SqlState.QUERY_CANCELED,
                    "canceling statement due to user request", detail + "\nApproval request " + statement.id
                            + " was withdrawn: " + outcome.reason(), null);
        };
    }

    /** The client cancelled (CancelRequest): withdraw what waits. Any thread. */
    void cancelAll(String why) {
        session.client().eventLoop().execute(() -> {
            for (String id : List.copyOf(parked.keySet())) {
                setup.service().voidRequest(id, why);
            }
        });
    }

    /** The session is ending: nobody needs to decide what it held. On the event loop. */
    void voidAll(String why) {
        for (String id : List.copyOf(parked.keySet())) {
            setup.service().voidRequest(id, why);
        }
    }

    private static List<String> displayed(List<BoundParameter> parameters) {
        List<String> shown = new ArrayList<>(parameters.size());
        for (BoundParameter parameter : parameters) {
            if (parameter.value() == null) {
                shown.add(null);
            } else if (parameter.format() == 0) {
                shown.add(new String(parameter.value(), StandardCharsets.UTF_8));
            } else {
                shown.add(binaryAsText(parameter.typeOid(), parameter.value()));
            }
        }
        return shown;
    }

    /** The values as SQL text for a row estimate; empty when one cannot be written as text. */
    static Optional<List<String>> asText(List<BoundParameter> parameters) {
        List<String> shown = displayed(parameters);
        for (String value : shown) {
            if (value != null && value.startsWith("base64:")) {
                return Optional.empty();
            }
        }
        return Optional.of(shown);
    }

    /**
     * Binary parameters of common types as an approver would read them (drivers such as pgJDBC send
     * integers in binary); anything else as base64, which is exact if not readable.
     */
    static String binaryAsText(int typeOid, byte[] value) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(value);
        switch (typeOid) {
            case 16 -> {
                if (value.length == 1) {
                    return value[0] != 0 ? "true" : "false";
                }
            }
            case 21 -> {
                if (value.length == 2) {
                    return Short.toString(bytes.getShort());
                }
            }
            case 23 -> {
                if (value.length == 4) {
                    return Integer.toString(bytes.getInt());
                }
            }
            case 20 -> {
                if (value.length == 8) {
                    return Long.toString(bytes.getLong());
                }
            }
            case 700 -> {
                if (value.length == 4) {
                    return Float.toString(bytes.getFloat());
                }
            }
            case 701 -> {
                if (value.length == 8) {
                    return Double.toString(bytes.getDouble());
                }
            }
            case 25, 1043, 1042, 19 -> {
                return new String(value, StandardCharsets.UTF_8);
            }
            default -> {
                // below
            }
        }
        return "base64:" + Base64.getEncoder().encodeToString(value);
    }


    static String format(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + "h";
        }
        if (seconds % 60 == 0 && seconds > 0) {
            return seconds / 60 + "m";
        }
        return seconds > 0 ? seconds + "s" : duration.toMillis() + "ms";
    }
}
