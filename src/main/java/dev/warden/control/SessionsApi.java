package dev.warden.control;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.recording.ChainedRecord;
import dev.warden.recording.JsonLinesExport;
import dev.warden.store.RecordStore;
import dev.warden.store.SessionQuery;
import dev.warden.store.SessionStatus;
import dev.warden.store.SessionSummary;
import dev.warden.store.StoreException;
import dev.warden.store.StoreRecordSource;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recorded sessions for auditors: the list with filters, one session, its records in pages (the web
 * UI plays them back and follows a live session by asking for records after the last seq it has), and
 * its export as JSON lines.
 */
public final class SessionsApi {
    static final int MAX_SESSIONS = 500;
    static final int MAX_RECORDS = 500;

    private static final Logger log = LoggerFactory.getLogger(SessionsApi.class);

    private final RecordStore store;

    public SessionsApi(RecordStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    public List<Endpoint> endpoints() {
        return List.of(
                Endpoint.get("/api/v1/sessions", this::list, Role.AUDITOR, Role.ADMIN),
                Endpoint.get("/api/v1/sessions/{id}", this::show, Role.AUDITOR, Role.ADMIN),
                Endpoint.get("/api/v1/sessions/{id}/records", this::records, Role.AUDITOR, Role.ADMIN),
                Endpoint.get("/api/v1/sessions/{id}/export", this::export, Role.AUDITOR, Role.ADMIN));
    }

    private void list(Context ctx) throws StoreException {
        Optional<SessionQuery> query = query(ctx);
        if (query.isEmpty()) {
            return;
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (SessionSummary summary : store.sessions(query.get())) {
            items.add(toJson(summary));
        }
        ControlPlane.json(ctx, 200, Map.of("sessions", items));
    }

    /** The list's filters as a store query; empty after answering 400 for a malformed one. */
    private static Optional<SessionQuery> query(Context ctx) {
        Optional<Instant> since = QueryParameters.instant(ctx, "since");
        Optional<Instant> until = since == null ? null : QueryParameters.instant(ctx, "until");
        Optional<Integer> limit = until == null ? null : QueryParameters.number(ctx, "limit", 1, MAX_SESSIONS);
        if (limit == null) {
            return Optional.empty();
        }
        if (since.isPresent() && until.isPresent() && !since.get().isBefore(until.get())) {
            ControlPlane.problem(ctx, 400, "since must be before until");
            return Optional.empty();
        }
        SessionQuery query = SessionQuery.all().withLimit(limit.orElse(SessionQuery.DEFAULT_LIMIT));
        query = QueryParameters.text(ctx, "identity").map(query::withIdentity).orElse(query);
        query = QueryParameters.text(ctx, "target").map(query::withTarget).orElse(query);
        query = since.map(query::withSince).orElse(query);
        query = until.map(query::withUntil).orElse(query);
        Optional<String> status = QueryParameters.text(ctx, "status");
        if (status.isPresent()) {
            switch (status.get()) {
                case "active" -> query = query.withStatus(SessionStatus.ACTIVE);
                case "ended" -> query = query.withStatus(SessionStatus.ENDED);
                // Kept for callers written before has_denials: the same filter.
                case "refused" -> query = query.withRefusalsOnly();
                default -> {
                    ControlPlane.problem(ctx, 400, "status must be active or ended");
                    return Optional.empty();
                }
            }
        }
        Optional<String> denials = QueryParameters.text(ctx, "has_denials");
        if (denials.isPresent()) {
            if (!denials.get().equals("true")) {
                // The store cannot list "sessions without refusals"; false would silently mean "all".
                ControlPlane.problem(ctx, 400, "has_denials takes only true (leave it out for sessions with or without)");
                return Optional.empty();
            }
            query = query.withRefusalsOnly();
        }
        return Optional.of(query);
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
        Optional<Integer> after = QueryParameters.number(ctx, "after", 0, Integer.MAX_VALUE);
        Optional<Integer> limit = after == null ? null : QueryParameters.number(ctx, "limit", 1, MAX_RECORDS);
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

    /**
     * The session as JSON lines, exactly what {@code warden export --format jsonl --session ID} writes
     * (one {@link JsonLinesExport} line per record, hashes included), streamed a page at a time so a
     * long session never sits in memory. A live session is exported up to its latest record.
     */
    private void export(Context ctx) throws StoreException, IOException {
        String id = ctx.pathParam("id");
        if (store.session(id).isEmpty()) {
            ControlPlane.problem(ctx, 404, "no recorded session with that id");
            return;
        }
        // Not closed: closing this view would close the gateway's store.
        Iterator<ChainedRecord> records = new StoreRecordSource(store, "the record store").records(id);
        ChainedRecord first = records.hasNext() ? records.next() : null;
        ctx.status(200).contentType("application/x-ndjson; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"warden-session-" + id.replaceAll("[^A-Za-z0-9._-]", "_")
                + ".jsonl\"");
        OutputStream out = ctx.outputStream();
        try {
            for (ChainedRecord record = first; record != null; record = records.hasNext() ? records.next() : null) {
                out.write((JsonLinesExport.line(record) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        } catch (IllegalStateException e) {
            // The store failed after the answer began: the status is sent, so cut the connection rather
            // than end the download normally, which would pass a partial export off as a whole one.
            log.error("control plane: exporting session {} failed part-way; the download is aborted", id, e);
            ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel().abort(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return ControlPlane.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // The store holds what the recorder wrote; show it as text rather than lose it.
            return ControlPlane.JSON.getNodeFactory().textNode(body);
        }
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
