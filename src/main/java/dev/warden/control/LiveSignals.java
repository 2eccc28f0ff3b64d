package dev.warden.control;

import dev.warden.approval.ApprovalNotifier;

/**
 * What the running gateway tells the control plane as it happens: approval requests and decisions
 * (for the web UI's live queue and for metrics) and, through {@link GatewayMetrics#counting}, the
 * records of sessions and statements. Created before the approval service, which needs its notifier.
 */
public final class LiveSignals implements AutoCloseable {
    private final ApprovalEvents events = new ApprovalEvents();
    private final GatewayMetrics metrics;

    /** @param targets the configured target names (the values of the metrics' target label) */
    public LiveSignals(java.util.Set<String> targets) {
        this.metrics = new GatewayMetrics(targets);
    }

    public ApprovalNotifier approvalNotifier() {
        return events.andThen(metrics);
    }

    public ApprovalEvents events() {
        return events;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        events.close();
    }
}
