package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.recording.ChainedRecord;
import dev.warden.recording.RecordBodies;
import dev.warden.recording.RecordChain;
import dev.warden.recording.RecordKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TestGatewayMetrics {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"decision\":{\"outcome\":\"allow\",\"rule\":\"r\"},\"text\":\"SELECT 1\"}|allow",
        "{\"decision\":{\"outcome\":\"deny\",\"rule\":\"r\"}}|deny",
        "{\"decision\":{\"outcome\":\"require_approval\"}}|require_approval",
        "{\"decision\":{\"outcome\":\"something-new\"}}|unknown",
        "{\"text\":\"no decision\"}|unknown",
        "{\"decision\":{\"outcome\":\"allow|unknown",
    })
    void readsTheOutcomeOfAStatementRecord(String body, String outcome) {
        assertThat(GatewayMetrics.outcomeOf(body)).isEqualTo(outcome);
    }

    @Test
    void countsSessionsAndStatementsAsTheirRecordsPassAndForwardsEveryBatch() {
        GatewayMetrics metrics = new GatewayMetrics(Set.of("app"));
        List<List<ChainedRecord>> forwarded = new ArrayList<>();
        var sink = metrics.counting(batch -> {
            forwarded.add(batch);
            return CompletableFuture.completedFuture(null);
        });
        List<ChainedRecord> batch = List.of(
                record(1, RecordKind.SESSION_START, start("app")),
                record(2, RecordKind.STATEMENT, "{\"decision\":{\"outcome\":\"allow\"}}"),
                record(3, RecordKind.STATEMENT, "{\"decision\":{\"outcome\":\"deny\"}}"),
                record(4, RecordKind.STATEMENT, "{\"decision\":{\"outcome\":\"deny\"}}"));
        sink.submit(batch);
        assertThat(forwarded).containsExactly(batch);
        String scrape = scrape(metrics);
        assertThat(scrape).contains("warden_connections_total{target=\"app\"} 1.0", "warden_connections_active{target=\"app\"} 1.0",
                "warden_statements_total{decision=\"allow\",target=\"app\"} 1.0",
                "warden_statements_total{decision=\"deny\",target=\"app\"} 2.0");
        sink.submit(List.of(record(5, RecordKind.SESSION_END, "{}")));
        assertThat(scrape(metrics)).contains("warden_connections_active{target=\"app\"} 0.0",
                "warden_connections_total{target=\"app\"} 1.0");
    }

    @Test
    void labelsConnectionsAndStatementsByConfiguredTargetOnlyNeverByIdentityOrText() {
        GatewayMetrics metrics = new GatewayMetrics(Set.of("app", "reports"));
        var sink = metrics.counting(batch -> CompletableFuture.completedFuture(null));
        sink.submit(List.of(
                ChainedRecord.link("a", 1, 1, RecordKind.SESSION_START, start("app"), RecordChain.GENESIS),
                ChainedRecord.link("r", 1, 1, RecordKind.SESSION_START, start("reports"), RecordChain.GENESIS),
                ChainedRecord.link("x", 1, 1, RecordKind.SESSION_START, start("not-configured"), RecordChain.GENESIS),
                ChainedRecord.link("r", 2, 2, RecordKind.STATEMENT, "{\"decision\":{\"outcome\":\"deny\"},\"text\":\"DROP TABLE t\"}",
                        RecordChain.GENESIS),
                ChainedRecord.link("x", 2, 2, RecordKind.STATEMENT, "{\"decision\":{\"outcome\":\"allow\"}}", RecordChain.GENESIS),
                ChainedRecord.link("a", 2, 2, RecordKind.SESSION_END, "{}", RecordChain.GENESIS)));
        String scrape = scrape(metrics);
        assertThat(scrape).contains(
                "warden_connections_total{target=\"app\"} 1.0", "warden_connections_active{target=\"app\"} 0.0",
                "warden_connections_total{target=\"reports\"} 1.0", "warden_connections_active{target=\"reports\"} 1.0",
                "warden_connections_total{target=\"other\"} 1.0",
                "warden_statements_total{decision=\"deny\",target=\"reports\"} 1.0",
                "warden_statements_total{decision=\"allow\",target=\"other\"} 1.0");
        assertThat(scrape).doesNotContain("not-configured", "alice", "DROP", "10.0.0.5");
    }

    /** A SESSION_START body as the recorder writes it, by alice from 10.0.0.5. */
    private static String start(String target) {
        return RecordBodies.sessionStart("alice", "scram", List.of("dbas"), "10.0.0.5:5000", false, target, "psql");
    }

    @Test
    void countsErrorsBySqlstateDurationsMaskedResultsAndStoreAppends() {
        GatewayMetrics metrics = new GatewayMetrics(Set.of("app"));
        var sink = metrics.counting(batch -> CompletableFuture.completedFuture(null));
        sink.submit(List.of(
                record(1, RecordKind.COMPLETION, "{\"command_tag\":null,\"duration_micros\":1500,\"error\":{\"message\":\"x\","
                        + "\"sqlstate\":\"42501\"},\"rows\":null}"),
                record(2, RecordKind.COMPLETION, "{\"command_tag\":\"SELECT 1\",\"duration_micros\":250,\"error\":null}"),
                record(3, RecordKind.RESULT, "{\"masking\":\"masked columns [1, 2]; content detectors on\"}"),
                record(4, RecordKind.RESULT, "{\"masking\":\"masked columns []; content detectors on\"}"),
                record(5, RecordKind.RESULT, "{\"columns\":[]}")));
        String scrape = scrape(metrics);
        assertThat(scrape).contains("warden_statement_errors_total{sqlstate=\"42501\"} 1.0",
                "warden_statement_duration_seconds_count 2", "warden_results_masked_total 1.0",
                "warden_store_append_seconds_count 1");
    }

    private static ChainedRecord record(long seq, RecordKind kind, String body) {
        return ChainedRecord.link("s1", seq, seq, kind, body, RecordChain.GENESIS);
    }

    private static String scrape(GatewayMetrics metrics) {
        return metrics.registryText();
    }
}
