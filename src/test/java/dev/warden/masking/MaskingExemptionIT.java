package dev.warden.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.recording.ChainedRecord;
import dev.warden.recording.RecordKind;
import dev.warden.store.SessionQuery;
import dev.warden.store.SessionSummary;
import dev.warden.testing.GatewayFixture;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who sees what: an identity in an exempt group reads clear values and its results are recorded as
 * exempt; after a policy reload puts it among the identities that must learn nothing, the same
 * session's next results are masked and predicates on masked columns are refused.
 */
class MaskingExemptionIT {
    private static GatewayFixture gateway;
    private static MaskingKeyFile key;

    @BeforeAll
    static void start() throws Exception {
        key = MaskingKeyFile.create();
        gateway = GatewayFixture.startWithPolicy(MaskingFixtureData.policy(key.path(), "pii-readers: [agent]"),
                MaskingFixtureData.SCHEMA);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (key != null) {
            key.close();
        }
    }

    private static String firstEmail(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT email FROM customers ORDER BY id")) {
            rows.next();
            return rows.getString(1);
        }
    }

    @Test
    void exemptIdentitiesSeeClearValuesUntilAReloadMasksThem() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            assertThat(firstEmail(statement)).isEqualTo("alice.anders@example.com");
            try (ResultSet rows = statement.executeQuery("SELECT id FROM customers WHERE email LIKE 'alice%'")) {
                assertThat(rows.next()).isTrue();
            }

            Files.writeString(gateway.policyFile(), MaskingFixtureData.policy(
                    key.path(), "blind-agents: [agent]"));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
            String email = firstEmail(statement);
            while (email != null && email.contains("@") && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
                email = firstEmail(statement);
            }
            assertThat(email).hasSize(24).doesNotContain("@");
            SQLException refused = catchThrowableOfType(SQLException.class,
                    () -> statement.executeQuery("SELECT id FROM customers WHERE email LIKE 'alice%'"));
            assertThat(refused.getSQLState()).isEqualTo("42501");
            assertThat(refused.getMessage()).contains("warden-masking-predicate");
        }
        List<String> notes = resultNotes();
        assertThat(notes).anySatisfy(note -> assertThat(note).contains("exempt: group pii-readers"));
        assertThat(notes).anySatisfy(note -> assertThat(note).contains("masked columns [0]").contains("content detectors on"));
    }

    private static List<String> resultNotes() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        List<SessionSummary> sessions = gateway.audit().store().sessions(SessionQuery.all());
        while (sessions.stream().anyMatch(session -> session.endedMicros().isEmpty()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            sessions = gateway.audit().store().sessions(SessionQuery.all());
        }
        List<String> notes = new ArrayList<>();
        for (SessionSummary session : sessions) {
            for (ChainedRecord record : gateway.audit().store().records(session.id(), 0, 10_000)) {
                if (record.kind() == RecordKind.RESULT && record.body().contains("\"masking\"")) {
                    notes.add(record.body());
                }
            }
        }
        return notes;
    }
}
