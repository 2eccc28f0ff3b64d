package dev.warden.control;

import dev.warden.approval.ApprovalService;
import dev.warden.approval.ApprovalSnapshot;
import java.util.concurrent.TimeUnit;

/** Waiting for an agent's statement to park on approval, for tests that drive the control plane. */
final class PendingApprovals {
    private PendingApprovals() {}

    /** Waits until a request for a statement containing {@code marker} is pending; returns its id. */
    static String await(ApprovalService approvals, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (ApprovalSnapshot snapshot : approvals.pending()) {
                if (snapshot.request().draft().statement().contains(marker)) {
                    return snapshot.request().id();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no pending approval for a statement containing " + marker);
    }
}
