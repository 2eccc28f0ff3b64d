package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.recording.ChainedRecord;
import dev.warden.store.RecordStore;
import dev.warden.store.SessionQuery;
import dev.warden.store.SessionStatus;
import dev.warden.store.SessionSummary;
import dev.warden.store.StoreException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recorded sessions for auditors: the list with filters, one session, and its records in pages (the
 * web UI plays them back and follows a live session by asking for records after the last seq it has).
 */
public final class SessionsApi {
    static final int MAX_SESSIONS = 500;
    static final int MAX_RECORDS = 500;

    private final RecordStore store;

    public SessionsApi(RecordStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/api/v1/sessions", this::list, Role.AUDITOR, Role.ADMIN),
                Endpoint.get("/api/v1/sessions/{id}", this::show, Role.AUDITOR, Role.ADMIN),
                Endpoint.get("/api/v1/sessions/{id}/records", this::records, Role.AUDITOR, Role.ADMIN));
    }

    private void list(Context ctx) throws StoreException {
        SessionQuery query = SessionQuery.all();
        Optional<String> identity = nonBlank(ctx.queryParam("identity"));
        Optional<String> target = nonBlank(ctx.queryParam("target"));
        Optional<String> status = nonBlank(ctx.queryParam("status"));
        if (identity.isPresent()) {
            query = query.withIdentity(identity.get());
        }
        if (target.isPresent()) {
            query = query.withTarget(target.get());
        }
        if (status.isPresent()) {
            switch (status.get()) {
                case "active" -> query = query.withStatus(SessionStatus.ACTIVE);
                case "ended" -> query = query.withStatus(SessionStatus.ENDED);
                case "refused" -> query = query.withRefusalsOnly();
                default -> {
                    ControlPlane.problem(ctx, 400, "status must be active, ended or refused");
                    return;
                }
            }
        }
        Optional<Integer> limit = number(ctx, "limit", 1, MAX_SESSIONS);
        if (limit == null) {
            return;
        }
        query = query.withLimit(limit.orElse(SessionQuery.DEFAULT_LIMIT));
        List<Map<String, Object>> items = new ArrayList<>();
        for (SessionSummary summary : store.sessions(query)) {
            items.add(toJson(summary));
        }
        ControlPlane.json(ctx, 200, Map.of("sessions", items));
    }

    private void show(Context ctx) throws StoreException {
        Optional<SessionSummary> summary = store.session(ctx.pathParam("id"));
        if (summary.isEmpty()) {
            ControlPlane.problem(ctx, 404, "no recorded session with that id");
            return;
        }
        ControlPlane.json(ctx, 200, toJson(summary.get()));
    }

    private void records(Context ctx) throws StoreException {
        String id = ctx.pathParam("id");
        Optional<Integer> after = number(ctx, "after", 0, Integer.MAX_VALUE);
        Optional<Integer> limit = after == null ? null : number(ctx, "limit", 1, MAX_RECORDS);
        if (after == null || limit == null) {
            return;
        }
        if (store.session(id).isEmpty()) {
            ControlPlane.problem(ctx, 404, "no recorded session with that id");
            return;
        }
        List<ChainedRecord> records = store.records(id, after.orElse(0), limit.orElse(200));
        List<Map<String, Object>> items = new ArrayList<>();
        long last = after.orElse(0);
        for (ChainedRecord record : records) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("seq", record.seq());
            item.put("at", instant(record.atMicros()));
            item.put("kind", record.kind().name().toLowerCase(java.util.Locale.ROOT));
            item.put("body", parse(record.body()));
            items.add(item);
            last = record.seq();
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("records", items);
        page.put("next_after", last);
        page.put("more", records.size() == limit.orElse(200));
        ControlPlane.json(ctx, 200, page);
    }

    private static JsonNode parse(String body) {
        try {
            return ControlPlane.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // The store holds what the recorder wrote; show it as text rather than lose it.
            return ControlPlane.JSON.getNodeFactory().textNode(body);
        }
    }

    /** Empty when absent; null (after answering 400) when present but not a whole number in range. */
    private static Optional<Integer> number(Context ctx, String name, int min, int max) {
        Optional<String> text = nonBlank(ctx.queryParam(name));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value >= min && value <= max) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        ControlPlane.problem(ctx, 400, name + " must be a whole number from " + min + " to " + max);
        return null;
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(text -> !text.isBlank());
    }

    static String instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).toString();
    }

    static Map<String, Object> toJson(SessionSummary summary) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", summary.id());
        json.put("identity", summary.identity());
        json.put("target", summary.target());
        json.put("client_address", summary.clientAddress().orElse(null));
        json.put("application_name", summary.applicationName().orElse(null));
        json.put("auth_method", summary.authMethod().orElse(null));
        json.put("started_at", instant(summary.startedMicros()));
        json.put("ended_at", summary.endedMicros().isPresent() ? instant(summary.endedMicros().getAsLong()) : null);
        json.put("end_reason", summary.endReason().orElse(null));
        json.put("status", summary.status().name().toLowerCase(java.util.Locale.ROOT));
        json.put("statements", summary.statements());
        json.put("refused", summary.refused());
        return json;
    }
}
