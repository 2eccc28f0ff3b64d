package dev.warden.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.cli.WardenCli;
import dev.warden.config.AuditConfig;
import dev.warden.config.SecretReference;
import dev.warden.store.RecordStore;
import dev.warden.store.SessionQuery;
import dev.warden.store.SessionSummary;
import dev.warden.testing.GatewayFixture;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * What a session through the gateway leaves in the store: one pgJDBC session exercising the simple and
 * extended protocols (text and binary parameters), a multi-statement query, an error, a refusal, COPY in
 * both directions and a result larger than the recording cap; then the records are read back and
 * checked field by field, and the chain verified with the checkpoint key.
 */
class RecordingIT {
    static final String POLICY = """
            targets:
              "*": { default: allow }
            rules:
              - name: no-drop
                outcome: deny
                match:
                  statements: [drop]
                reason: "Tables are not dropped through Warden."
            """;
    static final int RESULT_ROWS = 10;
    static final byte[] BLOB = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXECUTIONS = 3;

    private static GatewayFixture gateway;
    private static Path checkpointKey;
    private static String sessionId;
    private static List<ChainedRecord> records;
    private static String policyVersion;

    @BeforeAll
    static void recordOneSession() throws Exception {
        Path keyDirectory = Files.createTempDirectory("warden-key-");
        checkpointKey = keyDirectory.resolve("checkpoint.key");
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(checkpointKey, HexFormat.of().formatHex(key));
        gateway = GatewayFixture.startWithPolicy(config -> GatewayFixture.withAudit(config, audit -> new AuditConfig(
                        audit.dataDirectory(), audit.storeUrl(), audit.storeUser(), audit.storePassword(), RESULT_ROWS,
                        audit.resultBytes(), 5, Optional.of(SecretReference.parse("file:" + checkpointKey)), audit.retention())),
                POLICY,
                "CREATE TABLE items (id int PRIMARY KEY, name text, data bytea)",
                "CREATE TABLE doomed (x int)");
        policyVersion = gateway.policies().policy().version();

        Properties properties = new Properties();
        properties.setProperty("prepareThreshold", "1");
        properties.setProperty("binaryTransfer", "true");
        // Plain Statements go as simple Query messages, PreparedStatements through Parse/Bind/Execute.
        properties.setProperty("preferQueryMode", "extendedForPrepared");
        properties.setProperty("ApplicationName", "recording-it");
        // Sends application_name in the startup packet rather than as a SET afterwards.
        properties.setProperty("assumeMinServerVersion", "10");
        try (Connection connection = gateway.connect(properties); Statement statement = connection.createStatement()) {
            try (ResultSet one = statement.executeQuery("SELECT 1 AS one")) {
                assertThat(one.next()).isTrue();
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO items (id, name, data) VALUES (?, ?, ?)")) {
                insert.setInt(1, 7);
                insert.setString(2, "seven");
                insert.setBytes(3, BLOB);
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            // A named statement: after the first execution pgJDBC sends Bind/Execute only, and the server
            // no RowDescription; binary transfer asks for int4 and bytea in binary.
            try (PreparedStatement select = connection.prepareStatement("SELECT id, name, data FROM items WHERE id = ?")) {
                for (int i = 0; i < EXECUTIONS; i++) {
                    select.setInt(1, 7);
                    try (ResultSet row = select.executeQuery()) {
                        assertThat(row.next()).isTrue();
                    }
                }
            }
            statement.execute("SELECT 'a' AS first; SELECT 'b' AS second");
            assertThatThrownBy(() -> statement.execute("SELECT 1/0"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22012"));
            assertThatThrownBy(() -> statement.execute("DROP TABLE doomed")).isInstanceOf(SQLException.class);
            // Parse, Bind, Describe, Execute, Sync in one batch: refused at Parse, and the server skips the rest.
            try (PreparedStatement drop = connection.prepareStatement("DROP TABLE IF EXISTS doomed")) {
                assertThatThrownBy(drop::execute).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            }
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            assertThat(copy.copyIn("COPY items (id, name) FROM STDIN", new StringReader("1\tone\n2\ttwo\n"))).isEqualTo(2);
            StringWriter copied = new StringWriter();
            assertThat(copy.copyOut("COPY (SELECT id, name FROM items ORDER BY id) TO STDOUT", copied)).isEqualTo(3);
            int rows = 0;
            try (ResultSet many = statement.executeQuery("SELECT g FROM generate_series(1, 1000) g")) {
                while (many.next()) {
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(1000);
        }
        RecordStore store = gateway.audit().store();
        sessionId = awaitEndedSession(store).id();
        records = store.records(sessionId, 0, 10_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        Files.deleteIfExists(checkpointKey);
        Files.deleteIfExists(checkpointKey.getParent());
    }

    static SessionSummary awaitEndedSession(RecordStore store) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            List<SessionSummary> sessions = store.sessions(SessionQuery.all());
            if (sessions.size() == 1 && sessions.get(0).endedMicros().isPresent()) {
                return sessions.get(0);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the session was not recorded as ended: " + sessions);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void theSessionStartSaysWhoConnectedFromWhereToWhat() throws Exception {
        assertThat(records.get(0).kind()).isEqualTo(RecordKind.SESSION_START);
        JsonNode start = body(records.get(0));
        assertThat(start.get("identity").asText()).isEqualTo(GatewayFixture.IDENTITY);
        assertThat(start.get("target").asText()).isEqualTo(GatewayFixture.TARGET);
        assertThat(start.get("application_name").asText()).isEqualTo("recording-it");
        assertThat(start.get("auth_method").asText()).isEqualTo("scram-sha-256");
        assertThat(start.get("client_address").asText()).startsWith("/127.0.0.1:");
        assertThat(start.get("tls").asBoolean()).isFalse();
        assertThat(start.get("groups").get(0).asText()).isEqualTo("agents");

        SessionSummary summary = gateway.audit().store().session(sessionId).orElseThrow();
        assertThat(summary.applicationName()).contains("recording-it");
        assertThat(summary.statements()).isEqualTo(9 + EXECUTIONS);
        assertThat(summary.refused()).isEqualTo(2);
    }

    @Test
    void everyStatementIsRecordedAsSentWithItsProtocolPathAndDecision() throws Exception {
        assertThat(statements()).extracting(record -> body(record).get("text").asText()).containsExactly(
                "SELECT 1 AS one",
                "INSERT INTO items (id, name, data) VALUES ($1, $2, $3)",
                "SELECT id, name, data FROM items WHERE id = $1",
                "SELECT id, name, data FROM items WHERE id = $1",
                "SELECT id, name, data FROM items WHERE id = $1",
                "SELECT 'a' AS first; SELECT 'b' AS second",
                "SELECT 1/0",
                "DROP TABLE doomed",
                "DROP TABLE IF EXISTS doomed",
                "COPY items (id, name) FROM STDIN",
                "COPY (SELECT id, name FROM items ORDER BY id) TO STDOUT",
                "SELECT g FROM generate_series(1, 1000) g");
        for (ChainedRecord record : statements()) {
            JsonNode statement = body(record);
            String text = statement.get("text").asText();
            boolean extended = text.startsWith("INSERT") || text.startsWith("DROP TABLE IF")
                    || text.startsWith("SELECT id, name, data");
            String path = extended ? "extended" : text.startsWith("COPY") ? "copy" : "simple";
            assertThat(statement.get("protocol_path").asText()).as(record.body()).isEqualTo(path);
            JsonNode decision = statement.get("decision");
            assertThat(decision.get("policy_version").asText()).isEqualTo(policyVersion);
            if (statement.get("text").asText().startsWith("DROP")) {
                assertThat(decision.get("outcome").asText()).isEqualTo("deny");
                assertThat(decision.get("rule").asText()).isEqualTo("no-drop");
                assertThat(decision.get("reason").asText()).isEqualTo("Tables are not dropped through Warden.");
            } else {
                assertThat(decision.get("outcome").asText()).as(record.body()).isEqualTo("allow");
                assertThat(decision.get("rule").asText()).isEqualTo("default");
            }
        }
    }

    @Test
    void parametersAreRecordedAsSentTextAsTextAndBinaryAsBase64() throws Exception {
        JsonNode parameters = body(statement("INSERT INTO items")).get("parameters");
        assertThat(parameters).hasSize(3);
        // pgJDBC with binaryTransfer sends int4 and bytea in binary, a String as text.
        assertThat(parameters.get(0).get("format").asText()).isEqualTo("binary");
        assertThat(Base64.getDecoder().decode(parameters.get(0).get("value").asText())).containsExactly(0, 0, 0, 7);
        assertThat(parameters.get(1).get("format").asText()).isEqualTo("text");
        assertThat(parameters.get(1).get("value").asText()).isEqualTo("seven");
        assertThat(parameters.get(2).get("format").asText()).isEqualTo("binary");
        assertThat(Base64.getDecoder().decode(parameters.get(2).get("value").asText())).containsExactly(BLOB);
        // The types pgJDBC declared in Parse: int4, varchar, bytea.
        assertThat(parameters.findValuesAsText("type_oid")).containsExactly("23", "1043", "17");
        assertThat(body(statement("SELECT 1 AS one")).get("parameters")).isEmpty();
    }

    @Test
    void resultsAreRecordedAsTheClientSawThemUpToTheCap() throws Exception {
        JsonNode one = single(resultsOf(statement("SELECT 1 AS one")));
        assertThat(one.get("columns").get(0).get("name").asText()).isEqualTo("one");
        assertThat(one.get("columns").get(0).get("type_oid").asInt()).isEqualTo(23);
        assertThat(one.get("rows").toString()).isEqualTo("[[\"1\"]]");
        assertThat(one.get("truncated").asBoolean()).isFalse();
        assertThat(one.get("row_count").asLong()).isEqualTo(1);

        JsonNode many = single(resultsOf(statement("SELECT g FROM generate_series")));
        assertThat(many.get("rows")).hasSize(RESULT_ROWS);
        List<String> firstRows = new ArrayList<>();
        many.get("rows").forEach(row -> firstRows.add(row.get(0).asText()));
        assertThat(firstRows).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        assertThat(many.get("truncated").asBoolean()).isTrue();
        assertThat(many.get("row_count").asLong()).isEqualTo(1000);
        JsonNode completion = single(completionsOf(statement("SELECT g FROM generate_series")));
        assertThat(completion.get("command_tag").asText()).isEqualTo("SELECT 1000");
        assertThat(completion.get("rows").asLong()).isEqualTo(1000);
    }

    @Test
    void executionsOfANamedStatementRecordItsColumnsAndTheirFormatsFromTheEarlierDescribe() throws Exception {
        List<ChainedRecord> executions = statements().stream()
                .filter(record -> body(record).get("text").asText().startsWith("SELECT id, name, data FROM items")).toList();
        assertThat(executions).hasSize(EXECUTIONS);
        for (ChainedRecord execution : executions) {
            JsonNode result = single(resultsOf(execution));
            JsonNode columns = result.get("columns");
            assertThat(columns.findValuesAsText("name")).as(result.toString()).containsExactly("id", "name", "data");
            assertThat(columns.findValuesAsText("type_oid")).containsExactly("23", "25", "17");
            JsonNode row = result.get("rows").get(0);
            assertThat(decoded(columns.get(0), row.get(0))).containsExactly(0, 0, 0, 7);
            assertThat(decoded(columns.get(1), row.get(1))).isEqualTo("seven".getBytes(StandardCharsets.UTF_8));
            assertThat(decoded(columns.get(2), row.get(2))).containsExactly(BLOB);
        }
    }

    /** A recorded value as the bytes the client received: binary ones are base64, int4 text becomes binary here. */
    private static byte[] decoded(JsonNode column, JsonNode value) {
        if (column.get("format").asText().equals("binary")) {
            return Base64.getDecoder().decode(value.asText());
        }
        if (column.get("type_oid").asInt() == 23) {
            return java.nio.ByteBuffer.allocate(4).putInt(Integer.parseInt(value.asText())).array();
        }
        if (column.get("type_oid").asInt() == 17) {
            return HexFormat.of().parseHex(value.asText().substring(2)); // bytea text form \x...
        }
        return value.asText().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMultiStatementQueryHasAResultAndCompletionPerStatementInOrder() throws Exception {
        ChainedRecord multi = statement("SELECT 'a' AS first");
        List<JsonNode> results = resultsOf(multi);
        assertThat(results).extracting(result -> result.get("statement_index").asInt()).containsExactly(0, 1);
        assertThat(results).extracting(result -> result.get("rows").toString()).containsExactly("[[\"a\"]]", "[[\"b\"]]");
        assertThat(completionsOf(multi)).extracting(completion -> completion.get("statement_index").asInt() + " "
                + completion.get("command_tag").asText()).containsExactly("0 SELECT 1", "1 SELECT 1");
    }

    @Test
    void completionsCarryTagsRowsAndErrorsAsTheClientSawThem() throws Exception {
        JsonNode insert = single(completionsOf(statement("INSERT INTO items")));
        assertThat(insert.get("command_tag").asText()).isEqualTo("INSERT 0 1");
        assertThat(insert.get("rows").asLong()).isEqualTo(1);
        assertThat(insert.get("error").isNull()).isTrue();

        JsonNode division = single(completionsOf(statement("SELECT 1/0")));
        assertThat(division.get("command_tag").isNull()).isTrue();
        assertThat(division.get("error").get("sqlstate").asText()).isEqualTo("22012");
        assertThat(division.get("error").get("message").asText()).isEqualTo("division by zero");

        JsonNode refused = single(completionsOf(statement("DROP TABLE doomed")));
        assertThat(refused.get("error").get("sqlstate").asText()).isEqualTo("42501");
        assertThat(refused.get("error").get("message").asText()).contains("no-drop");
        assertThat(resultsOf(statement("DROP TABLE doomed"))).isEmpty();

        // One record for the refused Parse; the Execute behind it, which the server skipped, has none.
        JsonNode refusedAtParse = single(completionsOf(statement("DROP TABLE IF EXISTS")));
        assertThat(refusedAtParse.get("error").get("sqlstate").asText()).isEqualTo("42501");
        assertThat(refusedAtParse.get("error").get("message").asText()).contains("no-drop");

        assertThat(single(completionsOf(statement("COPY items"))).get("command_tag").asText()).isEqualTo("COPY 2");
        assertThat(single(completionsOf(statement("COPY (SELECT"))).get("command_tag").asText()).isEqualTo("COPY 3");
    }

    @Test
    void copyDataIsRecordedInBothDirectionsAsItFlowed() throws Exception {
        JsonNode in = single(resultsOf(statement("COPY items")));
        assertThat(in.get("columns").get(0).get("name").asText()).isEqualTo("copy");
        // What the client sent, in the CopyData chunks it chose.
        assertThat(String.join("", texts(in.get("rows")))).isEqualTo("1\tone\n2\ttwo\n");
        JsonNode out = single(resultsOf(statement("COPY (SELECT")));
        assertThat(out.get("row_count").asInt()).isEqualTo(3);
        assertThat(texts(out.get("rows"))).hasSize(3).contains("1\tone\n", "2\ttwo\n").allMatch(line -> line.endsWith("\n"));
    }

    private static java.util.List<String> texts(JsonNode rows) {
        java.util.List<String> values = new java.util.ArrayList<>();
        rows.forEach(row -> values.add(row.get(0).asText()));
        return values;
    }

    @Test
    void theSessionEndsWithItsReasonAndIsSealedByACheckpoint() throws Exception {
        ChainedRecord last = records.get(records.size() - 1);
        ChainedRecord end = records.get(records.size() - 2);
        assertThat(end.kind()).isEqualTo(RecordKind.SESSION_END);
        assertThat(body(end).get("reason").asText()).isEqualTo("client terminated the session");
        assertThat(last.kind()).isEqualTo(RecordKind.CHECKPOINT);
        assertThat(body(last).get("upto_seq").asLong()).isEqualTo(end.seq());
        assertThat(gateway.audit().store().session(sessionId).orElseThrow().endReason())
                .contains("client terminated the session");
    }

    @Test
    void theChainVerifiesWithTheCheckpointKey() throws Exception {
        CheckpointSigner key = CheckpointSigner.fromReference("any", SecretReference.parse("file:" + checkpointKey));
        VerificationReport report = ChainVerifier.withKeyForAnyId(key).verify(sessionId, true, records.iterator());
        assertThat(report.problems()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.checkpointsVerified()).isGreaterThanOrEqualTo(records.size() / 6);

        CheckpointSigner wrongKey = new CheckpointSigner("any", new byte[32]);
        assertThat(ChainVerifier.withKeyForAnyId(wrongKey).verify(sessionId, true, records.iterator()).ok()).isFalse();
    }

    @Test
    void wardenAuditVerifyPassesOnTheStore() {
        String store = "sqlite:" + gateway.config().audit().dataDirectory().resolve("warden.db");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = WardenCli.run(new PrintWriter(out, true), new PrintWriter(err, true), "audit", "verify", "--store", store,
                "--checkpoint-key", "file:" + checkpointKey);
        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(out.toString()).contains(sessionId + ": OK (" + records.size() + " records").contains("intact");
    }

    private static JsonNode body(ChainedRecord record) {
        try {
            return JSON.readTree(record.body());
        } catch (java.io.IOException e) {
            throw new AssertionError(record.body(), e);
        }
    }

    private static List<ChainedRecord> statements() {
        return records.stream().filter(record -> record.kind() == RecordKind.STATEMENT).toList();
    }

    private static ChainedRecord statement(String textStart) {
        return statements().stream().filter(record -> body(record).get("text").asText().startsWith(textStart))
                .reduce((a, b) -> {
                    throw new AssertionError("two statements start with " + textStart);
                })
                .orElseThrow(() -> new AssertionError("no statement starts with " + textStart));
    }

    private static List<JsonNode> resultsOf(ChainedRecord statement) {
        return of(RecordKind.RESULT, statement);
    }

    private static List<JsonNode> completionsOf(ChainedRecord statement) {
        return of(RecordKind.COMPLETION, statement);
    }

    /** The records of {@code kind} that name {@code statement} by its seq, which must come after it. */
    private static List<JsonNode> of(RecordKind kind, ChainedRecord statement) {
        List<JsonNode> found = new ArrayList<>();
        for (ChainedRecord record : records) {
            if (record.kind() == kind && body(record).get("statement_seq").asLong() == statement.seq()) {
                assertThat(record.seq()).isGreaterThan(statement.seq());
                found.add(body(record));
            }
        }
        return found;
    }

    private static JsonNode single(List<JsonNode> nodes) {
        assertThat(nodes).hasSize(1);
        return nodes.get(0);
    }
}
