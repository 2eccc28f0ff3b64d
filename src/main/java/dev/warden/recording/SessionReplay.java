package dev.warden.recording;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints a recorded session as it happened: who connected, each statement with its decision,
 * intent, approval and parameters, the result table as the client saw it, and how each statement
 * completed, each line stamped with its offset from the session's first record. Prints what is
 * stored; whether it was tampered with is {@link ChainVerifier}'s question.
 */
public final class SessionReplay {

    /** Waits between records; paced replay sleeps, tests record the waits. */
    @FunctionalInterface
    public interface Pacer {
        void waitMicros(long micros) throws InterruptedException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS 'UTC'").withZone(ZoneOffset.UTC);
    /** PostgreSQL types psql right-aligns: the integer, floating point, numeric and money types. */
    private static final Set<Integer> NUMERIC_TYPES = Set.of(20, 21, 23, 26, 700, 701, 790, 1700);
    private static final Map<Integer, String> TYPE_NAMES = Map.ofEntries(
            Map.entry(16, "bool"), Map.entry(17, "bytea"), Map.entry(20, "int8"), Map.entry(21, "int2"),
            Map.entry(23, "int4"), Map.entry(25, "text"), Map.entry(26, "oid"), Map.entry(114, "json"),
            Map.entry(700, "float4"), Map.entry(701, "float8"), Map.entry(1043, "varchar"), Map.entry(1082, "date"),
            Map.entry(1114, "timestamp"), Map.entry(1184, "timestamptz"), Map.entry(1700, "numeric"),
            Map.entry(2950, "uuid"), Map.entry(3802, "jsonb"));

    private final PrintWriter out;
    private final Pacer pacer;

    public SessionReplay(PrintWriter out, Pacer pacer) {
        this.out = requireNonNull(out, "out is null");
        this.pacer = requireNonNull(pacer, "pacer is null");
    }

    public void print(SessionInfo session, Iterator<ChainedRecord> records) throws InterruptedException {
        printHeader(session);
        long firstMicros = -1;
        long previousMicros = -1;
        while (records.hasNext()) {
            ChainedRecord record = records.next();
            if (firstMicros < 0) {
                firstMicros = record.atMicros();
            } else if (record.atMicros() > previousMicros) {
                out.flush();
                pacer.waitMicros(record.atMicros() - previousMicros);
            }
            previousMicros = Math.max(previousMicros, record.atMicros());
            printRecord(record, record.atMicros() - firstMicros);
        }
        out.flush();
    }

    private void printHeader(SessionInfo session) {
        out.println("Session " + TerminalText.line(session.sessionId()));
        out.println("  identity  " + TerminalText.line(session.identity()));
        out.println("  target    " + TerminalText.line(session.target()));
        out.println("  client    " + TerminalText.line(session.clientAddress()));
        if (session.applicationName() != null) {
            out.println("  app       " + TerminalText.line(session.applicationName()));
        }
        out.println("  started   " + TIMESTAMP.format(session.startedAt()));
        out.println("  ended     " + session.endedAt().map(TIMESTAMP::format).orElse("(active)")
                + session.endReason().map(reason -> " (" + TerminalText.line(reason) + ")").orElse(""));
        out.println();
    }

    private void printRecord(ChainedRecord record, long offsetMicros) {
        String stamp = String.format("[+%d.%03ds] #%d ", offsetMicros / 1_000_000, offsetMicros % 1_000_000 / 1000, record.seq());
        JsonNode body;
        try {
            body = JSON.readTree(record.body());
        } catch (JsonProcessingException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            out.println(stamp + record.kind() + " (body is not a JSON object): " + TerminalText.line(record.body()));
            return;
        }
        switch (record.kind()) {
            case SESSION_START -> out.println(stamp + "session start: " + text(body, "identity") + " via " + text(body, "auth_method")
                    + " (groups: " + String.join(", ", strings(body.path("groups"))) + ") from " + text(body, "client_address")
                    + (body.path("tls").asBoolean() ? " with TLS" : " without TLS") + " to " + text(body, "target")
                    + (body.path("application_name").isTextual() ? ", application " + text(body, "application_name") : ""));
            case STATEMENT -> printStatement(stamp, body);
            case RESULT -> printResult(stamp, body);
            case COMPLETION -> printCompletion(stamp, body);
            case APPROVAL -> out.println(stamp + "approval " + text(body, "approval_id") + " " + text(body, "event")
                    + (body.path("actor").isTextual() ? " by " + text(body, "actor") : "")
                    + (body.path("comment").isTextual() ? ": " + text(body, "comment") : ""));
            case CHECKPOINT -> out.println(stamp + "checkpoint up to record " + body.path("upto_seq").asLong()
                    + " (key " + text(body, "key_id") + ")");
            case SESSION_END -> out.println(stamp + "session end: " + text(body, "reason"));
        }
    }

    private void printStatement(String stamp, JsonNode body) {
        JsonNode decision = body.path("decision");
        String version = text(decision, "policy_version");
        out.println(stamp + "statement (" + text(body, "protocol_path") + "): " + text(decision, "outcome").replace('_', ' ')
                + " by rule " + text(decision, "rule") + ", policy " + version.substring(0, Math.min(12, version.length())));
        if (body.path("intent").isTextual()) {
            out.println("  intent: " + text(body, "intent"));
        }
        if (body.path("approval_id").isTextual()) {
            out.println("  approval: " + text(body, "approval_id"));
        }
        for (String line : TerminalText.lines(body.path("text").asText()).split("\n", -1)) {
            out.println(("  | " + line).stripTrailing());
        }
        int index = 1;
        for (JsonNode parameter : body.path("parameters")) {
            JsonNode value = parameter.path("value");
            String shown = value.isNull() || value.isMissingNode() ? "NULL"
                    : "binary".equals(parameter.path("format").asText()) ? "base64:" + TerminalText.line(value.asText())
                    : "'" + TerminalText.line(value.asText()).replace("'", "''") + "'";
            out.println("  $" + index++ + " " + typeName(parameter.path("type_oid").asInt()) + " = " + shown);
        }
    }

    private void printResult(String stamp, JsonNode body) {
        List<String> headers = new ArrayList<>();
        List<Boolean> numeric = new ArrayList<>();
        for (JsonNode column : body.path("columns")) {
            headers.add(column.path("name").asText());
            numeric.add("text".equals(column.path("format").asText()) && NUMERIC_TYPES.contains(column.path("type_oid").asInt()));
        }
        out.println(stamp + "result");
        TextTable table = new TextTable(headers, numeric);
        long recorded = 0;
        for (JsonNode row : body.path("rows")) {
            List<String> cells = new ArrayList<>();
            for (JsonNode cell : row) {
                cells.add(cell.isNull() ? null : cell.asText());
            }
            if (cells.size() == headers.size()) {
                table.addRow(cells);
                recorded++;
            }
        }
        table.print(out, "  ");
        long rowCount = body.path("row_count").asLong(recorded);
        String rows = "(" + rowCount + (rowCount == 1 ? " row" : " rows");
        out.println("  " + rows + (body.path("truncated").asBoolean() ? "; only the first " + recorded + " recorded)" : ")"));
    }

    private void printCompletion(String stamp, JsonNode body) {
        long micros = body.path("duration_micros").asLong();
        String duration = String.format("%d.%03d ms", micros / 1000, micros % 1000);
        JsonNode error = body.path("error");
        if (error.isObject()) {
            out.println(stamp + "error " + text(error, "sqlstate") + ": " + text(error, "message") + " (after " + duration + ")");
        } else {
            out.println(stamp + "completed " + text(body, "command_tag") + " in " + duration);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? TerminalText.line(value.asText()) : "?";
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : array) {
            values.add(TerminalText.line(value.asText()));
        }
        return values;
    }

    private static String typeName(int oid) {
        return TYPE_NAMES.getOrDefault(oid, "oid " + oid);
    }
}
