package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TestJsonLinesExport {

    @Test
    void oneObjectPerRecordWithTheBodyNested() throws Exception {
        ChainedRecord record = SampleSession.records().get(5);

        String line = JsonLinesExport.line(record);

        assertThat(line).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("session_id").asText()).isEqualTo("sess-1");
        assertThat(json.get("seq").asLong()).isEqualTo(6);
        assertThat(json.get("at").asText()).isEqualTo("2026-11-25T10:00:02Z");
        assertThat(json.get("kind").asText()).isEqualTo("STATEMENT");
        assertThat(json.at("/body/decision/outcome").asText()).isEqualTo("deny");
        assertThat(json.at("/body/parameters/1/value").asText()).isEqualTo("AAAAKg==");
        assertThat(json.get("hash").asText()).isEqualTo(record.hash());
        assertThat(json.get("previous_hash").asText()).isEqualTo(record.previousHash());
        // What was exported can be checked against the chain: the body re-encodes to the hashed text.
        assertThat(CanonicalJson.encode(new ObjectMapper().convertValue(json.get("body"), java.util.Map.class)))
                .isEqualTo(record.body());
    }

    @Test
    void aBodyThatIsNotJsonIsExportedAsText() throws Exception {
        ChainedRecord record = ChainedRecord.link("s", 1, 1, RecordKind.SESSION_START, "{broken", RecordChain.GENESIS);

        JsonNode json = new ObjectMapper().readTree(JsonLinesExport.line(record));

        assertThat(json.has("body")).isFalse();
        assertThat(json.get("body_text").asText()).isEqualTo("{broken");
        assertThat(json.get("at").asText()).isEqualTo("1970-01-01T00:00:00.000001Z");
    }
}
