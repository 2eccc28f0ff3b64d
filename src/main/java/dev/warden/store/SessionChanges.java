package dev.warden.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.recording.ChainedRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a batch of newly stored records changes in {@code warden_sessions}: SESSION_START inserts a
 * row, a STATEMENT whose decision was {@code deny} counts as refused at once, SESSION_END closes the
 * row. The statement counter itself is not counted here: the store catches it up from the records
 * now and then ({@link #heads}: the last seq of each session in the batch), which saves a row update
 * per session per commit.
 */
record SessionChanges(List<Start> starts, Map<String, Long> refused, Map<String, Long> heads, List<End> ends) {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Start(String id, String identity, String target, String clientAddress, String applicationName,
            String authMethod, long startedMicros) {}

    record End(String id, long endedMicros, String reason) {}

    SessionChanges {
        requireNonNull(starts, "starts is null");
        requireNonNull(refused, "refused is null");
        requireNonNull(heads, "heads is null");
        requireNonNull(ends, "ends is null");
    }

    static SessionChanges of(List<ChainedRecord> stored) throws StoreException {
        List<Start> starts = new ArrayList<>();
        Map<String, Long> refused = new LinkedHashMap<>();
        Map<String, Long> heads = new LinkedHashMap<>();
        List<End> ends = new ArrayList<>();
        for (ChainedRecord record : stored) {
            heads.merge(record.sessionId(), record.seq(), Math::max);
            switch (record.kind()) {
                case SESSION_START -> starts.add(start(record, body(record)));
                case STATEMENT -> {
                    if (mayBeDenied(record) && refused(body(record))) {
                        refused.merge(record.sessionId(), 1L, Long::sum);
                    }
                }
                case SESSION_END -> ends.add(new End(record.sessionId(), record.atMicros(),
                        optionalText(body(record), "reason")));
                case RESULT, COMPLETION, APPROVAL, CHECKPOINT -> {
                    // Evidence only; nothing in the session index depends on them.
                }
            }
        }
        return new SessionChanges(starts, refused, heads, ends);
    }

    /**
     * A cheap necessary condition for a deny, so the writer parses only those bodies: the canonical
     * encoding of outcome {@code deny} contains the JSON string {@code "deny"}, and inside a JSON
     * string a quote is always escaped, so text cannot hide that sequence... but it can produce it
     * (a value ending in {@code "deny}), hence only a filter before the real check.
     */
    private static boolean mayBeDenied(ChainedRecord record) {
        return record.body().contains("\"deny\"");
    }

    private static Start start(ChainedRecord record, JsonNode body) throws StoreException {
        return new Start(record.sessionId(), requiredText(record, body, "identity"), requiredText(record, body, "target"),
                optionalText(body, "client_address"), optionalText(body, "application_name"),
                optionalText(body, "auth_method"), record.atMicros());
    }

    private static boolean refused(JsonNode body) {
        return "deny".equals(body.path("decision").path("outcome").asText(""));
    }

    private static JsonNode body(ChainedRecord record) throws StoreException {
        try {
            JsonNode body = JSON.readTree(record.body());
            if (body == null || !body.isObject()) {
                throw StoreException.rejected(where(record) + " has a body that is not a JSON object");
            }
            return body;
        }
        catch (JsonProcessingException e) {
            // The parser's message quotes the body, which may hold statement text: keep it out.
            throw StoreException.rejected(where(record) + " has a body that is not valid JSON");
        }
    }

    private static String requiredText(ChainedRecord record, JsonNode body, String field) throws StoreException {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw StoreException.rejected(where(record) + " lacks a text '" + field + "'");
        }
        return value.asText();
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static String where(ChainedRecord record) {
        return record.kind() + " record " + record.sessionId() + "#" + record.seq();
    }
}
