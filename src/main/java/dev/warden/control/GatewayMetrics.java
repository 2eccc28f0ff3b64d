package dev.warden.control;

import dev.warden.approval.ApprovalNotifier;
import dev.warden.approval.ApprovalService;
import dev.warden.approval.ApprovalSnapshot;
import dev.warden.recording.ChainedRecord;
import dev.warden.recording.RecordSink;
import dev.warden.store.RecordStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics of the gateway. Connections and statements are counted from the records the
 * sessions write (every session and statement is recorded before anything runs), so the proxy needs
 * no metrics code of its own: {@link #counting(RecordSink)} wraps its sink. Approvals are counted as
 * the approval service announces them.
 */
public final class GatewayMetrics implements ApprovalNotifier {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong activeSessions = new AtomicLong();
    private final Counter sessionsStarted;
    private final Counter approvalsRequested;
    private final Timer approvalWait;
    private final Map<String, Counter> statements = new ConcurrentHashMap<>();
    private final Map<String, Counter> approvalsDecided = new ConcurrentHashMap<>();

    public GatewayMetrics() {
        sessionsStarted = Counter.builder("warden_connections").description("Client sessions started").register(registry);
        Gauge.builder("warden_connections_active", activeSessions, AtomicLong::get)
                .description("Client sessions open now").register(registry);
        approvalsRequested = Counter.builder("warden_approvals_requested")
                .description("Statements held for approval").register(registry);
        approvalWait = Timer.builder("warden_approval_wait").description("Time from request to decision or expiry")
                .register(registry);
    }

    /** Reports the store's health and the approval queue on every scrape. */
    void watch(RecordStore store, ApprovalService approvals) {
        Gauge.builder("warden_store_up", store, s -> s.healthy() ? 1 : 0)
                .description("1 when the record store answers, else 0 (statements are refused then)").register(registry);
        Gauge.builder("warden_approvals_pending", approvals, a -> a.pending().size())
                .description("Statements waiting for approval now").register(registry);
    }

    /** A sink that counts sessions and statements (by decision) as their records pass to {@code sink}. */
    public RecordSink counting(RecordSink sink) {
        return batch -> {
            count(batch);
            return sink.submit(batch);
        };
    }

    private void count(List<ChainedRecord> batch) {
        for (ChainedRecord record : batch) {
            switch (record.kind()) {
                case SESSION_START -> {
                    sessionsStarted.increment();
                    activeSessions.incrementAndGet();
                }
                case SESSION_END -> activeSessions.decrementAndGet();
                case STATEMENT -> statementCounter(outcomeOf(record.body())).increment();
                default -> {
                    // results, completions, approvals and checkpoints are not counted here
                }
            }
        }
    }

    /**
     * The decision's outcome from a STATEMENT body. Canonical JSON writes {@code "outcome":"..."} once
     * (inside {@code decision}), so a search is enough and keeps JSON parsing off the hot path.
     */
    static String outcomeOf(String body) {
        String key = "\"outcome\":\"";
        int start = body.indexOf(key);
        if (start < 0) {
            return "unknown";
        }
        int end = body.indexOf('"', start + key.length());
        String outcome = end < 0 ? "unknown" : body.substring(start + key.length(), end);
        return switch (outcome) {
            case "allow", "deny", "require_approval" -> outcome;
            default -> "unknown";
        };
    }

    private Counter statementCounter(String outcome) {
        return statements.computeIfAbsent(outcome, o -> Counter.builder("warden_statements")
                .description("Statements decided, by outcome").tag("decision", o).register(registry));
    }

    @Override
    public void requested(ApprovalSnapshot request) {
        approvalsRequested.increment();
    }

    @Override
    public void decided(ApprovalSnapshot request) {
        String status = request.status().word();
        approvalsDecided.computeIfAbsent(status, s -> Counter.builder("warden_approvals_decided")
                .description("Approval requests settled, by how").tag("status", s).register(registry)).increment();
        request.decidedAt().ifPresent(at -> approvalWait.record(Duration.between(request.request().requestedAt(), at)));
    }

    void scrape(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registryText());
    }

    /** The Prometheus text exposition of every metric. */
    String registryText() {
        return registry.scrape();
    }
}
