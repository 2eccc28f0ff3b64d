package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.recording.ChainBuilder;
import dev.warden.recording.ChainedRecord;
import dev.warden.recording.RecordBodies;
import dev.warden.recording.RecordKind;
import dev.warden.recording.RecordSource;
import dev.warden.recording.SampleSession;
import dev.warden.recording.SessionInfo;
import dev.warden.recording.SessionReplay;
import dev.warden.recording.TestingRecordSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestRecordingCommands {

    private static final String STORE = "memory:test";
    private static final Instant LATER = SampleSession.START.plusSeconds(3600);

    private TestingRecordSource source;
    /** The waits paced replay asked for, in microseconds. */
    private final List<Long> waits = new ArrayList<>();
    private Function<String, RecordSource> originalStore;
    private SessionReplay.Pacer originalSleeper;

    @BeforeEach
    void installStore() {
        source = new TestingRecordSource()
                .add(SampleSession.info(true), SampleSession.records())
                .add(new SessionInfo("sess-2", "bob", "appdb", "10.0.0.6:40000", null, LATER, Optional.empty(), Optional.empty()),
                        new ChainBuilder("sess-2")
                                .add(LATER.getEpochSecond() * 1_000_000, RecordKind.SESSION_START, RecordBodies.sessionStart(
                                        "bob", "oidc", List.of(), "10.0.0.6:40000", true, "appdb", null))
                                .build());
        originalStore = RecordSources.use(url -> {
            if (!url.equals(STORE)) {
                throw new IllegalArgumentException("cannot open " + url);
            }
            return source;
        });
        originalSleeper = ReplayCommand.sleeper;
        ReplayCommand.sleeper = waits::add;
    }

    @AfterEach
    void restore() {
        RecordSources.use(originalStore);
        ReplayCommand.sleeper = originalSleeper;
    }

    @Test
    void sessionsTable() {
        CommandResult result = CommandResult.run("sessions", "--store", STORE);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                 session | identity | target |     client     |       started       |        ended        |    reason
                ---------+----------+--------+----------------+---------------------+---------------------+---------------
                 sess-2  | bob      | appdb  | 10.0.0.6:40000 | 2026-11-25 11:00:00 | active              |
                 sess-1  | alice    | appdb  | 10.0.0.5:51234 | 2026-11-25 10:00:00 | 2026-11-25 10:00:05 | client closed
                (2 sessions)
                """);
    }

    @Test
    void sessionsFilters() {
        assertThat(CommandResult.run("sessions", "--store", STORE, "--status", "active").out())
                .contains("sess-2").doesNotContain("sess-1").endsWith("(1 session)\n");
        assertThat(CommandResult.run("sessions", "--store", STORE, "--identity", "alice").out())
                .contains("sess-1").doesNotContain("sess-2");
        assertThat(CommandResult.run("sessions", "--store", STORE, "--since", "2026-11-25T10:30").out())
                .contains("sess-2").doesNotContain("sess-1");
        assertThat(CommandResult.run("sessions", "--store", STORE, "--until", "2026-11-25T10:30:00Z").out())
                .contains("sess-1").doesNotContain("sess-2");
        CommandResult bad = CommandResult.run("sessions", "--store", STORE, "--status", "paused");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--status must be active or ended");
        assertThat(CommandResult.run("sessions", "--store", STORE, "--since", "yesterday").err()).contains("is not a time");
    }

    @Test
    void verifyCleanStore(@TempDir Path directory) throws Exception {
        Path key = directory.resolve("key");
        Files.writeString(key, "test-checkpoint-key-0123456789-abcdef\n");

        CommandResult result = CommandResult.run("audit", "verify", "--store", STORE, "--checkpoint-key", "k1=file:" + key);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                sess-2: OK (1 record, 0 checkpoints verified)
                sess-1: OK (9 records, 2 checkpoints verified)
                verified 2 sessions, 10 records: intact
                """);
    }

    @Test
    void verifyWithoutKeySaysSignaturesWereNotChecked() {
        CommandResult result = CommandResult.run("audit", "verify", "--store", STORE, "--session", "sess-1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("sess-1: OK (9 records, 2 checkpoint signatures not checked (no --checkpoint-key))");
    }

    @Test
    void verifyReportsTamperingPrecisely() {
        List<ChainedRecord> records = new ArrayList<>(SampleSession.records());
        ChainedRecord result = records.get(2);
        records.set(2, new ChainedRecord(result.sessionId(), 3, result.atMicros(), result.kind(),
                result.body().replace("19.99", "0.01"), result.previousHash(), result.hash()));
        records.remove(6);
        source.add(SampleSession.info(true), records);

        CommandResult run = CommandResult.run("audit", "verify", "--store", STORE);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo("""
                sess-2: OK (1 record, 0 checkpoints verified)
                sess-1: 2 problems (8 records, 2 checkpoint signatures not checked (no --checkpoint-key))
                  record 3 (RESULT) modified: its content does not match its hash
                  record 7 deleted
                1 of 2 sessions have problems
                """);
    }

    @Test
    void verifyWithAWrongKey(@TempDir Path directory) throws Exception {
        Path key = directory.resolve("key");
        Files.writeString(key, "not-the-key-that-signed-these-records-0123");

        CommandResult result = CommandResult.run("audit", "verify", "--store", STORE, "--session", "sess-1",
                "--checkpoint-key", "file:" + key);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("checkpoint at 5 has a bad signature (key k1)")
                .contains("checkpoint at 9 has a bad signature (key k1)")
                .contains("SESSION_END at record 8 is not covered by a signed checkpoint");
    }

    @Test
    void verifyRefusesUnreadableKeysAndUnknownSessions() {
        CommandResult literal = CommandResult.run("audit", "verify", "--store", STORE, "--checkpoint-key", "hunter2");
        assertThat(literal.exitCode()).isEqualTo(2);
        assertThat(literal.err()).contains("must be a reference").doesNotContain("hunter2");

        CommandResult missing = CommandResult.run("audit", "verify", "--store", STORE, "--checkpoint-key", "env:WARDEN_TEST_UNSET_KEY");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("environment variable WARDEN_TEST_UNSET_KEY is not set");

        CommandResult unknown = CommandResult.run("audit", "verify", "--store", STORE, "--session", "nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no session nope in memory:test");
    }

    @Test
    void storeThatCannotBeOpened() {
        CommandResult result = CommandResult.run("audit", "verify", "--store", "sqlite:/nowhere");

        assertThat(result.exitCode()).isEqualTo(RecordSources.STORE_UNAVAILABLE);
        assertThat(result.err()).contains("cannot read the record store sqlite:/nowhere: cannot open sqlite:/nowhere");
    }

    @Test
    void replayPrintsTheGolden() {
        CommandResult result = CommandResult.run("replay", "sess-1", "--store", STORE);

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo(SampleSession.REPLAY);
        assertThat(waits).isEmpty();
    }

    @Test
    void replayPacedByTheRecordedTimes() {
        CommandResult result = CommandResult.run("replay", "sess-1", "--store", STORE, "--speed", "2");

        assertThat(result.exitCode()).isZero();
        assertThat(waits).containsExactly(5_000L, 1_250L, 250L, 993_500L, 250L, 1_499_750L);
        assertThat(CommandResult.run("replay", "sess-1", "--store", STORE, "--speed", "-1").exitCode()).isEqualTo(2);
        assertThat(CommandResult.run("replay", "nope", "--store", STORE).exitCode()).isEqualTo(1);
    }

    @Test
    void exportJsonLines() throws Exception {
        CommandResult result = CommandResult.run("export", "--format", "jsonl", "--store", STORE);

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(10);
        ObjectMapper json = new ObjectMapper();
        // Oldest session first, each in record order.
        assertThat(json.readTree(lines.get(0)).get("session_id").asText()).isEqualTo("sess-1");
        assertThat(json.readTree(lines.get(8)).get("seq").asLong()).isEqualTo(9);
        assertThat(json.readTree(lines.get(9)).get("session_id").asText()).isEqualTo("sess-2");

        CommandResult one = CommandResult.run("export", "--session", "sess-2", "--store", STORE);
        assertThat(one.out().lines()).hasSize(1);
        assertThat(CommandResult.run("export", "--format", "csv", "--store", STORE).exitCode()).isEqualTo(2);
    }
}
