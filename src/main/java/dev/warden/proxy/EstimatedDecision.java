package dev.warden.proxy;

import dev.warden.approval.ApprovalException;
import dev.warden.approval.Grant;
import dev.warden.policy.RowEstimate;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A statement whose decision waits for the planner's row estimate. It waits as a placeholder among
 * the held messages; once the estimate is in (on the event loop) it is decided and the placeholder
 * becomes the statement itself, its stand-in, or an approval request (handed to the parking).
 * {@link #released} completes when what replaced it may go upstream.
 */
final class EstimatedDecision {
    final RelayedStatement statement;
    final ByteBuf placeholder;
    final CompletableFuture<Void> released = new CompletableFuture<>();
    private final ByteBuf original;
    private final ByteBuf standIn;
    private InFlightOperation operation;

    /** Takes ownership of {@code original} and {@code standIn}. */
    EstimatedDecision(RelayedStatement statement, ByteBuf original, ByteBuf standIn) {
        this.statement = statement;
        this.original = original;
        this.standIn = standIn;
        this.placeholder = original.alloc().buffer(0, 0);
    }

    /** The in-flight operation the held message became. */
    void attach(InFlightOperation inFlight) {
        this.operation = inFlight;
    }

    /** The session ended while the estimate was pending. */
    void abandon() {
        original.release();
        standIn.release();
        released.complete(null);
    }

    /**
     * Decides with the estimate's verdict.
     *
     * @param parking null when this gateway cannot hold statements for approval
     */
    void decide(StatementGate.Verdict verdict, RowEstimate estimate, SessionRecording recording, HeldForwarding forward,
            ApprovalParking parking) {
        Long rows = estimate.known() ? estimate.rows() : null;
        if (verdict.needsApproval() && parking == null) {
            verdict = StatementGate.Verdict.refuse(PolicyGate.errorFor(verdict.decision(), List.of()), verdict.decision());
        }
        if (!verdict.needsApproval()) {
            long seq = recording.statement(statement.path(), statement.text(), statement.parameters(), verdict, null, rows);
            settle(verdict, seq, verdict.refused() ? standIn : original, verdict.refused() ? original : standIn,
                    recording, forward);
            return;
        }
        Optional<Grant> grant = statement.single() ? parking.coveringGrant(verdict.decision()) : Optional.empty();
        if (grant.isPresent()) {
            long seq = recording.statement(statement.path(), statement.text(), statement.parameters(), verdict,
                    grant.get().id(), rows);
            parking.recordUnderGrant(grant.get());
            settle(verdict, seq, original, standIn, recording, forward);
            return;
        }
        ByteBuf freshStandIn = StandIns.of(statement.type(), placeholder.alloc());
        try {
            ApprovalParking.ParkedStatement parked = parking.park(statement.path(), statement.text(),
                    statement.parameters(), verdict, original, standIn, placeholder, Optional.ofNullable(rows));
            freshStandIn.release();
            attach(verdict, parked.statementSeq, recording);
            parked.attach(operation);
            parked.released.whenComplete((ignored, failure) -> complete(failure));
        } catch (ApprovalException e) {
            // park() released the original and its stand-in: a fresh stand-in goes where the statement waited.
            StatementGate.Verdict refused = StatementGate.Verdict.refuse(
                    ApprovalParking.unavailable(verdict.decision(), e), verdict.decision());
            long seq = recording.statement(statement.path(), statement.text(), statement.parameters(), refused, null, rows);
            settle(refused, seq, freshStandIn, null, recording, forward);
        }
    }

    /** Puts {@code sent} where the statement waited (dropping {@code unused}) once its record is durable. */
    private void settle(StatementGate.Verdict verdict, long seq, ByteBuf sent, ByteBuf unused, SessionRecording recording,
            HeldForwarding forward) {
        attach(verdict, seq, recording);
        if (unused != null) {
            unused.release();
        }
        forward.substitute(placeholder, sent);
        recording.durable().whenComplete((ignored, failure) -> complete(failure));
    }

    private void attach(StatementGate.Verdict verdict, long seq, SessionRecording recording) {
        if (operation != null) {
            operation.apply(verdict);
            operation.recordedAs(seq, recording.newCapture(), System.nanoTime());
        }
    }

    private void complete(Throwable failure) {
        if (failure != null) {
            released.completeExceptionally(failure);
        } else {
            released.complete(null);
        }
    }
}
