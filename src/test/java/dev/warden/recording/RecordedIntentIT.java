package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.store.RecordStore;
import dev.warden.store.SessionSummary;
import dev.warden.testing.GatewayFixture;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Why an agent ran a statement, as it said so, ends up next to the statement in the record. */
class RecordedIntentIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void intentsFromAStatementCommentAndFromAnApplicationNameSetAfterStartupAreRecorded() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start()) {
            Properties properties = new Properties();
            // pgJDBC sends this with SET after the startup; the server's ParameterStatus tells Warden.
            properties.setProperty("ApplicationName", "intent: clean up stale carts (ticket 42)");
            try (Connection connection = gateway.connect(properties); Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1 AS from_application_name");
                statement.execute("/* intent: check the order count before the report */ SELECT 2 AS from_comment");
            }
            RecordStore store = gateway.audit().store();
            SessionSummary session = RecordingIT.awaitEndedSession(store);
            List<JsonNode> statements = new ArrayList<>();
            for (ChainedRecord record : store.records(session.id(), 0, 1000)) {
                if (record.kind() == RecordKind.STATEMENT) {
                    statements.add(JSON.readTree(record.body()));
                }
            }
            assertThat(intentOf(statements, "from_application_name")).isEqualTo("clean up stale carts (ticket 42)");
            assertThat(intentOf(statements, "from_comment")).isEqualTo("check the order count before the report");
        }
    }

    private static String intentOf(List<JsonNode> statements, String marker) {
        return statements.stream().filter(statement -> statement.get("text").asText().contains(marker)).findFirst()
                .orElseThrow().get("intent").asText();
    }
}
