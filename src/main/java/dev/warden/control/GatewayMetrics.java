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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Prometheus metrics of the gateway. Connections and statements are counted from the records the
 * sessions write (every session and statement is recorded before anything runs), so the proxy needs
 * no metrics code of its own: {@link #counting(RecordSink)} wraps its sink. Approvals are counted as
 * the approval service announces them.
 *
 * <p>Connections and statements carry a {@code target} label. Its values are the configured target
 * names and {@value #OTHER_TARGET}, so the number of series is fixed by the configuration; identities,
 * addresses and SQL never become labels. A statement's record names only its session, so the session's
 * target is remembered from its start record until its end record.
 */
public final class GatewayMetrics implements ApprovalNotifier {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** The label of a session whose target is not configured (the store's records say otherwise). */
    static final String OTHER_TARGET = "other";
    /** Sessions remembered at once; past it (an end record lost many times over) new ones count as "other". */
    private static final int MAX_OPEN_SESSIONS = 100_000;
    private final Set<String> targets;
    private final Map<String, String> targetOfSession = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> activeSessions = new ConcurrentHashMap<>();
    private final Map<String, Counter> sessionsStarted = new ConcurrentHashMap<>();
    private final Counter approvalsRequested;
    private final Timer approvalWait;
    private final Map<String, Counter> statements = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Timer statementDuration;
    private final Timer storeAppend;
    private final Counter maskedResults;
    /** SQLSTATEs are five characters from a fixed alphabet; past this many kinds the rest count as "other". */
    private static final int MAX_SQLSTATES = 200;
    private final Map<String, Counter> approvalsDecided = new ConcurrentHashMap<>();

    /** @param targets the configured target names: the only values of the {@code target} label besides "other" */
    public GatewayMetrics(Set<String> targets) {
        this.targets = Set.copyOf(targets);
        for (String target : this.targets) {
            connectionsTo(target);
        }
        connectionsTo(OTHER_TARGET);
        approvalsRequested = Counter.builder("warden_approvals_requested")
                .description("Statements held for approval").register(registry);
        approvalWait = Timer.builder("warden_approval_wait").description("Time from request to decision or expiry")
                .register(registry);
        statementDuration = Timer.builder("warden_statement_duration")
                .description("From a statement's record to its completion, as the client waited for it")
                .publishPercentileHistogram().register(registry);
        storeAppend = Timer.builder("warden_store_append")
                .description("From handing records to the store to their commit (group commit included)")
                .publishPercentileHistogram().register(registry);
        maskedResults = Counter.builder("warden_results_masked")
                .description("Results with columns masked by rule (as their RESULT records say)").register(registry);
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
            long started = System.nanoTime();
            CompletableFuture<Void> durable = sink.submit(batch);
            durable.whenComplete((ignored, failure) -> {
                if (failure == null) {
                    storeAppend.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                }
            });
            return durable;
        };
    }

    private void count(List<ChainedRecord> batch) {
        for (ChainedRecord record : batch) {
            switch (record.kind()) {
                case SESSION_START -> started(record);
                case SESSION_END -> {
                    String target = targetOfSession.remove(record.sessionId());
                    if (target != null) {
                        activeSessions.get(target).decrementAndGet();
                    }
                }
                case STATEMENT -> statementCounter(outcomeOf(record.body()),
                        targetOfSession.getOrDefault(record.sessionId(), OTHER_TARGET)).increment();
                case COMPLETION -> completed(record.body());
                case RESULT -> {
                    if (masksColumns(record.body())) {
                        maskedResults.increment();
                    }
                }
                default -> {
                    // results, completions, approvals and checkpoints are not counted here
                }
            }
        }
    }

    private void started(ChainedRecord record) {
        String target = targetLabel(record.body());
        sessionsStarted.get(target).increment();
        if (targetOfSession.size() < MAX_OPEN_SESSIONS) {
            targetOfSession.put(record.sessionId(), target);
            activeSessions.get(target).incrementAndGet();
        }
    }

    /** The target label of a SESSION_START body: parsed, once per session, since the body holds client-chosen text. */
    private String targetLabel(String body) {
        try {
            String target = ControlPlane.JSON.readTree(body).path("target").asText("");
            return targets.contains(target) ? target : OTHER_TARGET;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return OTHER_TARGET;
        }
    }

    /** Registers the connection meters of one label value (all of them up front: a scrape shows every target). */
    private void connectionsTo(String target) {
        sessionsStarted.put(target, Counter.builder("warden_connections").description("Client sessions started, by target")
                .tag("target", target).register(registry));
        AtomicLong active = new AtomicLong();
        activeSessions.put(target, active);
        Gauge.builder("warden_connections_active", active, AtomicLong::get)
                .description("Client sessions open now, by target").tag("target", target).register(registry);
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

    /** Whether a RESULT record says masking rules hid columns of it (not counting content detectors). */
    static boolean masksColumns(String body) {
        int at = body.indexOf("\"masking\":\"");
        if (at < 0) {
            return false;
        }
        String note = body.substring(at + "\"masking\":\"".length());
        return note.startsWith("every column masked") || note.startsWith("COPY rows masked")
                || note.startsWith("masked columns [") && !note.startsWith("masked columns []");
    }

    /** A completion's duration, and its SQLSTATE when it failed; found by search, as {@link #outcomeOf}. */
    private void completed(String body) {
        long micros = numberAfter(body, "\"duration_micros\":");
        if (micros >= 0) {
            statementDuration.record(micros, TimeUnit.MICROSECONDS);
        }
        int at = body.indexOf("\"sqlstate\":\"");
        if (at >= 0) {
            int start = at + "\"sqlstate\":\"".length();
            String state = start + 5 <= body.length() ? body.substring(start, start + 5) : "other";
            String tag = state.matches("[0-9A-Z]{5}") && (errors.size() < MAX_SQLSTATES || errors.containsKey(state))
                    ? state : "other";
            errors.computeIfAbsent(tag, s -> Counter.builder("warden_statement_errors")
                    .description("Statements that ended in an error, by SQLSTATE as the client saw it").tag("sqlstate", s)
                    .register(registry)).increment();
        }
    }

    private static long numberAfter(String body, String key) {
        int at = body.indexOf(key);
        if (at < 0) {
            return -1;
        }
        long value = 0;
        int i = at + key.length();
        boolean any = false;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            value = value * 10 + (body.charAt(i++) - '0');
            any = true;
        }
        return any ? value : -1;
    }

    private Counter statementCounter(String outcome, String target) {
        return statements.computeIfAbsent(outcome + " " + target, key -> Counter.builder("warden_statements")
                .description("Statements decided, by outcome and target").tag("decision", outcome).tag("target", target)
                .register(registry));
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
