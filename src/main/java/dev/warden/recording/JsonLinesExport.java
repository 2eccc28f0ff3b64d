package dev.warden.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One JSON object per record, for SIEM ingestion: the record's fields, its time both as an ISO-8601
 * instant and in microseconds, and the body as a nested object so that a SIEM can index its fields.
 * The hashes go with it, so an exported stream can be checked against the store later.
 */
public final class JsonLinesExport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLinesExport() {}

    /** One line of JSON, without the line terminator. */
    public static String line(ChainedRecord record) {
        ObjectNode line = JSON.createObjectNode();
        line.put("session_id", record.sessionId());
        line.put("seq", record.seq());
        line.put("at", Instant.EPOCH.plus(record.atMicros(), ChronoUnit.MICROS).toString());
        line.put("at_micros", record.atMicros());
        line.put("kind", record.kind().name());
        JsonNode body = parse(record.body());
        if (body != null) {
            line.set("body", body);
        } else {
            // Exported as found: a body that is not JSON is itself evidence, and verify will name it.
            line.put("body_text", record.body());
        }
        line.put("previous_hash", record.previousHash());
        line.put("hash", record.hash());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
