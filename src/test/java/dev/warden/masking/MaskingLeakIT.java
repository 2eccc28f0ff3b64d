package dev.warden.masking;

import static dev.warden.testing.WireMessages.bind;
import static dev.warden.testing.WireMessages.concat;
import static dev.warden.testing.WireMessages.describe;
import static dev.warden.testing.WireMessages.execute;
import static dev.warden.testing.WireMessages.int16;
import static dev.warden.testing.WireMessages.message;
import static dev.warden.testing.WireMessages.parse;
import static dev.warden.testing.WireMessages.query;
import static dev.warden.testing.WireMessages.sync;
import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.recording.ChainedRecord;
import dev.warden.store.RecordStore;
import dev.warden.store.SessionQuery;
import dev.warden.store.SessionSummary;
import dev.warden.testing.CapturingSocketFactory;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.ProcessResult;
import dev.warden.testing.ProcessRunner;
import dev.warden.testing.RawPgClient;
import dev.warden.testing.WireMessages;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.copy.CopyManager;

/**
 * The leak scanner: a corpus of read attempts against fake personal data, through the gateway, by
 * every route the masking must cover (plain and computed columns, whole rows, views, CTEs, JSON,
 * casts and encodings, COPY in text, CSV and binary, SQL cursors and portals with row limits,
 * pipelined extended protocol in text and binary, errors, notices and notifications, statistics and
 * SQL-in-text functions). Every byte each client received is searched for every sensitive value and
 * its trivial transforms (see {@link LeakScanner}); so is every record of the session store.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MaskingLeakIT {
    private static final LeakScanner SCANNER = new LeakScanner(MaskingFixtureData.SENSITIVE);
    private static final List<String> READS = List.of(
            "SELECT * FROM customers",
            "SELECT email FROM customers",
            "SELECT email AS e, phone AS p FROM customers",
            "SELECT c.email, c.ssn FROM customers c",
            "SELECT \"email\" FROM \"customers\"",
            "SELECT public.customers.email FROM public.customers",
            "SELECT upper(email) FROM customers",
            "SELECT lower(email), reverse(ssn) FROM customers",
            "SELECT email || '' FROM customers",
            "SELECT substr(ssn, 1, 11) FROM customers",
            "SELECT left(email, 3) || right(email, 30) FROM customers",
            "SELECT row_to_json(c) FROM customers c",
            "SELECT c FROM customers c",
            "SELECT c::text FROM customers c",
            "SELECT to_jsonb(c.*) FROM customers c",
            "SELECT row(c.*)::text FROM customers c",
            "SELECT json_agg(c) FROM customers c",
            "SELECT (c).email FROM customers c",
            "SELECT string_agg(email, ',') FROM customers",
            "SELECT array_agg(ssn) FROM customers",
            "SELECT * FROM customer_contacts",
            "SELECT email FROM customer_contacts",
            "SELECT upper(email) FROM customer_contacts",
            "SELECT * FROM customer_labels",
            "SELECT label || '' FROM labels_again",
            "SELECT l FROM labels_again l",
            "WITH x AS (SELECT email, ssn FROM customers) SELECT * FROM x",
            "SELECT e FROM (SELECT email AS e FROM customers) s",
            "SELECT s FROM (SELECT email FROM customers) s",
            "SELECT s::text FROM (SELECT * FROM customers) s",
            "TABLE customers",
            "SELECT encode(convert_to(email, 'UTF8'), 'hex') FROM customers",
            "SELECT encode(convert_to(ssn, 'UTF8'), 'base64') FROM customers",
            "SELECT md5(email) FROM customers",
            "SELECT sha256(convert_to(email, 'UTF8')) FROM customers",
            "SELECT convert_to(card_number, 'UTF8') FROM customers",
            "SELECT regexp_replace(phone, '[^0-9]', '', 'g') FROM customers",
            "SELECT translate(card_number, ' -', '') FROM customers",
            "SELECT profile FROM customers",
            "SELECT profile -> 'customer' ->> 'email' FROM customers",
            "SELECT profile -> 'customer' FROM customers",
            "SELECT jsonb_pretty(profile) FROM customers",
            "SELECT profile::text FROM customers",
            "SELECT notes FROM customers",
            "SELECT upper(notes) FROM customers",
            "SELECT api_key FROM customers",
            "SELECT loyalty_id FROM customers",
            "SELECT loyalty_id + 0 FROM customers",
            "SELECT loyalty_id::text FROM customers",
            "SELECT birth_date FROM customers",
            "SELECT birth_date::text FROM customers",
            "SELECT to_char(birth_date, 'YYYY-MM-DD') FROM customers",
            "SELECT iban FROM customers",
            "SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id",
            "SELECT (SELECT email FROM customers WHERE id = o.customer_id) FROM orders o",
            "SELECT ARRAY(SELECT ssn FROM customers)",
            "SELECT email FROM customers UNION ALL SELECT 'x'",
            "SELECT CASE WHEN id > 0 THEN email END FROM customers",
            "SELECT coalesce(ssn, 'none') FROM customers",
            "SELECT format('%s', card_number) FROM customers",
            "SELECT xmlelement(name e, email) FROM customers",
            "SELECT query_to_xml('select email from customers', true, false, '')",
            "SELECT table_to_xml('customers', true, false, '')",
            "SELECT * FROM ts_stat('select to_tsvector(email) from customers')",
            "SELECT * FROM pg_stats WHERE tablename = 'customers'",
            "SELECT most_common_vals::text FROM pg_stats",
            "SELECT name, email FROM customers ORDER BY email",
            "SELECT ssn::int FROM customers",
            "SELECT birth_date::text::int FROM customers",
            "SELECT email::int FROM customers",
            "SELECT to_tsvector(email), to_tsvector(ssn) FROM customers",
            "SELECT unnest(string_to_array(email, '@')) FROM customers",
            "SELECT query FROM pg_stat_activity",
            "SELECT count(*), max(id) FROM customers",
            "SELECT id, name FROM customers ORDER BY id");
    private static final String[] MODES = {"simple", "extended-text", "extended-binary"};

    private static GatewayFixture gateway;
    private static MaskingKeyFile key;
    private static final Map<String, List<String>> leaks = new LinkedHashMap<>();
    private static int attempts;

    @BeforeAll
    static void start() throws Exception {
        key = MaskingKeyFile.create();
        gateway = GatewayFixture.startWithPolicy(MaskingFixtureData.policy(key.path(), "nobody-here: []"),
                MaskingFixtureData.SCHEMA);
        awaitCatalog();
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

    /** Masked identities get NULL for everything until the target's catalog is loaded (fail closed). */
    private static void awaitCatalog() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement()) {
            while (true) {
                try (ResultSet rows = statement.executeQuery("SELECT email FROM customers WHERE id = 1")) {
                    rows.next();
                    if (rows.getString(1) != null) {
                        return;
                    }
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new AssertionError("the gateway never loaded the target catalog");
                }
                Thread.sleep(100);
            }
        }
    }

    private static Properties mode(String mode) {
        Properties properties = new Properties();
        properties.setProperty("socketFactory", CapturingSocketFactory.class.getName());
        switch (mode) {
            case "simple" -> properties.setProperty("preferQueryMode", "simple");
            case "extended-text" -> {
                properties.setProperty("preferQueryMode", "extended");
                properties.setProperty("binaryTransfer", "false");
            }
            case "extended-binary" -> {
                properties.setProperty("preferQueryMode", "extended");
                properties.setProperty("prepareThreshold", "-1");
                properties.setProperty("binaryTransfer", "true");
            }
            default -> throw new IllegalArgumentException(mode);
        }
        return properties;
    }

    private static void check(String attempt, byte[] received) {
        attempts++;
        List<String> found = SCANNER.leaks(received);
        if (!found.isEmpty()) {
            leaks.put(attempt, found);
        }
    }

    @Test
    @Order(1)
    void readsThroughPgJdbcInEveryModeLeakNothing() throws Exception {
        for (String mode : MODES) {
            CapturingSocketFactory.reset();
            try (Connection connection = gateway.connect(mode(mode))) {
                for (String sql : READS) {
                    CapturingSocketFactory.reset();
                    try (PreparedStatement statement = connection.prepareStatement(sql);
                            ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                                rows.getObject(i);
                            }
                        }
                    } catch (SQLException refusedOrFailed) {
                        // Refusals and server errors are part of the corpus: their text is scanned too.
                    }
                    check(mode + ": " + sql, CapturingSocketFactory.captured());
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    @Order(2)
    void copyInTextCsvAndBinaryLeaksNothing() throws Exception {
        List<String> copies = List.of(
                "COPY customers TO STDOUT",
                "COPY public.customers TO STDOUT WITH (FORMAT csv, HEADER)",
                "COPY customers (email, phone, notes) TO STDOUT",
                "COPY customers TO STDOUT DELIMITER '|'",
                "COPY customers TO STDOUT WITH (FORMAT binary)",
                "COPY (SELECT email, ssn FROM customers) TO STDOUT",
                "COPY (SELECT * FROM customers) TO STDOUT WITH (FORMAT csv)",
                "COPY (SELECT upper(email) FROM customers) TO STDOUT WITH (FORMAT binary)",
                "COPY (SELECT notes FROM customers) TO STDOUT",
                "COPY (SELECT id, name FROM customers ORDER BY id) TO STDOUT");
        try (Connection connection = gateway.connect(mode("simple"))) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            for (String sql : copies) {
                CapturingSocketFactory.reset();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    copy.copyOut(sql, out);
                } catch (SQLException refused) {
                    // scanned below
                }
                check("copy: " + sql, CapturingSocketFactory.captured());
                check("copy output: " + sql, out.toByteArray());
            }
            StringWriter plain = new StringWriter();
            copy.copyOut("COPY (SELECT id, name FROM customers ORDER BY id) TO STDOUT", plain);
            assertThat(plain.toString()).isEqualTo("1\tAlice Anders\n2\tBob Brown\n3\tCarol Chen\n");
            StringWriter masked = new StringWriter();
            copy.copyOut("COPY customers (id, ssn, card_number) TO STDOUT WITH (FORMAT csv)", masked);
            assertThat(masked.toString().lines()).containsExactly("1,****,****1111", "2,****,****0004", "3,****,****0005");
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    @Order(3)
    void sqlCursorsAndRowLimitedPortalsLeakNothing() throws Exception {
        try (Connection connection = gateway.connect(mode("simple")); Statement statement = connection.createStatement()) {
            CapturingSocketFactory.reset();
            statement.execute("BEGIN");
            statement.execute("DECLARE c1 CURSOR FOR SELECT upper(email), ssn, c FROM customers c");
            statement.execute("FETCH 1 FROM c1");
            statement.execute("FETCH ALL FROM c1");
            statement.execute("DECLARE c2 CURSOR FOR SELECT id, name FROM customers");
            statement.execute("FETCH ALL IN c2");
            statement.execute("COMMIT");
            check("SQL cursors (simple)", CapturingSocketFactory.captured());
        }
        try (Connection connection = gateway.connect(mode("extended-binary"))) {
            connection.setAutoCommit(false);
            CapturingSocketFactory.reset();
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, email, ssn, upper(notes), profile FROM customers")) {
                statement.setFetchSize(1); // Execute with a row limit: PortalSuspended between rows
                try (ResultSet rows = statement.executeQuery()) {
                    int count = 0;
                    while (rows.next()) {
                        count++;
                        assertThat(rows.getString(2)).isNotNull().hasSize(24);
                    }
                    assertThat(count).isEqualTo(3);
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DECLARE c3 CURSOR FOR SELECT email || '!' FROM customers");
                try (ResultSet rows = statement.executeQuery("FETCH ALL FROM c3")) {
                    while (rows.next()) {
                        assertThat(rows.getString(1)).isEqualTo("****");
                    }
                }
            }
            connection.commit();
            check("portal with fetch size, binary; cursor through extended protocol", CapturingSocketFactory.captured());
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    @Order(4)
    void rawExtendedProtocolDescribeOneExecuteAnotherPipelinedLeaksNothing() throws Exception {
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.login(Map.of("user", GatewayFixture.IDENTITY, "database", GatewayFixture.TARGET), gateway.token());
            client.readUntil('Z');
            // Describe statement s1, bind it in binary, execute with a row limit, twice; meanwhile
            // another statement is described and executed, all pipelined before one Sync.
            client.send(
                    parse("s1", "SELECT email, phone, loyalty_id, birth_date, profile, c FROM customers c ORDER BY id"),
                    describe('S', "s1"),
                    parse("s2", "SELECT upper(ssn) FROM customers"),
                    bindBinary("p1", "s1"),
                    bind("p2", "s2"),
                    describe('P', "p2"),
                    execute("p1", 1),
                    execute("p2", 0),
                    execute("p1", 0),
                    sync());
            List<RawPgClient.Message> messages = readUntilReady(client);
            assertThat(messages).extracting(RawPgClient.Message::type).contains('s', 'D', 'C');
            // The unnamed statement and portal, described only as a portal, and a cursor through Execute.
            client.send(parse("", "SELECT iban, api_key, notes FROM customers"), bind("", ""), describe('P', ""),
                    execute("", 0), sync());
            readUntilReady(client);
            client.send(query("BEGIN"), parse("", "DECLARE rc CURSOR FOR SELECT * FROM customer_contacts"), bind("", ""),
                    execute("", 0), parse("f", "FETCH ALL FROM rc"), bind("", "f"), describe('P', ""), execute("", 0),
                    sync(), query("COMMIT"));
            readUntilReady(client);
            readUntilReady(client);
            readUntilReady(client);
            // Rows whose description Warden never saw: Execute of a portal bound without any Describe.
            client.send(parse("s3", "SELECT email, ssn FROM customers"), bind("p3", "s3"), execute("p3", 0), sync());
            List<RawPgClient.Message> undescribed = readUntilReady(client);
            assertThat(undescribed).filteredOn(message -> message.type() == 'D').hasSize(3);
            check("raw extended protocol", client.received());
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    @Order(5)
    void errorsNoticesAndNotificationsLeakNothing() throws Exception {
        try (Connection connection = gateway.connect(mode("simple")); Statement statement = connection.createStatement()) {
            List<String> failing = List.of(
                    "INSERT INTO customers (id, name) VALUES (1, 'duplicate')",
                    "UPDATE customers SET name = NULL WHERE id = 1",
                    "SELECT ssn::int FROM customers",
                    "SELECT 1 / (id - id) , email FROM customers",
                    "INSERT INTO customers (id, name, email) VALUES (9, 'x', 'new@example.com')",
                    "INSERT INTO pings SELECT id FROM customers WHERE email IS NOT NULL",
                    "CREATE TABLE stolen AS SELECT email, ssn FROM customers",
                    "SELECT email, ssn INTO stolen2 FROM customers",
                    "CREATE VIEW leaky AS SELECT upper(email) AS e FROM customers",
                    "SELECT set_config('app.x', email, false) FROM customers",
                    "SELECT pg_notify('pings', email) FROM customers",
                    "SELECT lo_from_bytea(0, convert_to(ssn, 'UTF8')) FROM customers",
                    "COPY (SELECT email FROM customers) TO '/tmp/warden-leak.txt'",
                    "UPDATE orders SET amount = amount WHERE customer_id IN (SELECT id FROM customers WHERE email LIKE 'a%')",
                    "DO $$ BEGIN RAISE NOTICE '%', (SELECT string_agg(email, ',') FROM customers); END $$",
                    "COMMENT ON TABLE orders IS 'x'");
            for (String sql : failing) {
                CapturingSocketFactory.reset();
                try {
                    statement.execute(sql);
                } catch (SQLException expected) {
                    // scanned
                }
                check("error route: " + sql, CapturingSocketFactory.captured());
            }
            CapturingSocketFactory.reset();
            statement.execute("LISTEN pings");
            statement.execute("INSERT INTO pings VALUES (1), (2), (3)");
            assertThat(statement.getWarnings().getMessage()).startsWith("pinged ");
            statement.execute("SELECT 1");
            PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(2000);
            assertThat(notifications).isNotEmpty();
            check("notifications and notices from a trigger", CapturingSocketFactory.captured());
        }
        assertThat(leaks).isEmpty();
    }

    /**
     * An error about a statement on masked data has its quoted values masked, but not the names an agent
     * needs to fix its query: the misspelt column it wrote and the column PostgreSQL suggests.
     */
    @Test
    @Order(5)
    void errorsAboutMaskedDataKeepTheNamesAnAgentNeeds() throws Exception {
        try (Connection connection = gateway.connect(mode("simple")); Statement statement = connection.createStatement()) {
            CapturingSocketFactory.reset();
            org.postgresql.util.ServerErrorMessage typo = serverError(statement, "SELECT emial FROM customers");
            assertThat(typo.getSQLState()).isEqualTo("42703");
            assertThat(typo.getMessage()).isEqualTo("column \"emial\" does not exist");
            assertThat(typo.getHint()).isEqualTo("Perhaps you meant to reference the column \"customers.email\".");
            org.postgresql.util.ServerErrorMessage cast = serverError(statement, "SELECT ssn::int FROM customers");
            assertThat(cast.getSQLState()).isEqualTo("22P02");
            assertThat(cast.getMessage()).isEqualTo("invalid input syntax for type integer: \"****\"");
            check("errors that name columns", CapturingSocketFactory.captured());
        }
        assertThat(leaks).isEmpty();
    }

    private static org.postgresql.util.ServerErrorMessage serverError(Statement statement, String sql) {
        Exception failure = org.assertj.core.api.Assertions.catchException(() -> statement.execute(sql));
        assertThat(failure).as(sql).isInstanceOf(org.postgresql.util.PSQLException.class);
        return ((org.postgresql.util.PSQLException) failure).getServerErrorMessage();
    }

    /**
     * A COPY whose rows masking cannot read (a CSV quote character other than the default) ends the
     * session with XX000 before the first row leaves: fail closed, never the raw row.
     */
    @Test
    @Order(5)
    void rowsMaskingCannotReadEndTheSessionInsteadOfPassing() throws Exception {
        try (Connection connection = gateway.connect(mode("simple"))) {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            CapturingSocketFactory.reset();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Exception failure = org.assertj.core.api.Assertions.catchException(
                    () -> copy.copyOut("COPY customers TO STDOUT WITH (FORMAT csv, QUOTE '|')", out));
            assertThat(failure).isNotNull();
            assertThat(out.size()).isZero();
            byte[] received = CapturingSocketFactory.captured();
            assertThat(new String(received, java.nio.charset.StandardCharsets.UTF_8))
                    .contains("XX000").contains("Warden could not mask a result");
            check("unreadable COPY", received);
            assertThat(connection.isValid(2)).isFalse();
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    @Order(6)
    void psqlPrintsMaskedResultsAndNoSensitiveValue() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        String script = String.join("\n",
                "SELECT * FROM customers ORDER BY id;",
                "SELECT upper(email), c::text FROM customers c;",
                "\\copy customers TO STDOUT",
                "BEGIN; DECLARE c CURSOR FOR SELECT * FROM customers; FETCH ALL FROM c; COMMIT;",
                "");
        ProcessResult result = ProcessRunner.program("psql").args("-X", "-v", "ON_ERROR_STOP=1", "-f", "-", gateway.libpqUri())
                .stdin(script).timeout(Duration.ofSeconds(30)).run();
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        attempts++;
        assertThat(SCANNER.leaks(result.stdout() + result.stderr())).isEmpty();
        assertThat(result.stdout()).contains("Alice Anders").contains("****1111");
    }

    @Test
    @Order(7)
    void maskedColumnsStillReturnRowsAndUnmaskedOnesMatchADirectConnection() throws Exception {
        String sql = "SELECT o.id, o.customer_id, o.amount, o.placed_at, c.name FROM orders o JOIN customers c ON c.id = o.customer_id ORDER BY o.id";
        for (String mode : MODES) {
            try (Connection through = gateway.connect(mode(mode)); Connection direct = gateway.connectDirect(mode(mode))) {
                List<List<String>> joined = rows(through, sql);
                assertThat(joined).hasSize(12).isEqualTo(rows(direct, sql));
                List<List<String>> masked = rows(through,
                        "SELECT email, phone, ssn, card_number, birth_date, api_key, loyalty_id, profile FROM customers WHERE id <= 3 ORDER BY id");
                assertThat(masked).hasSize(3);
                assertThat(masked.get(0).get(0)).hasSize(24).doesNotContain("@");
                assertThat(masked.get(0).subList(1, 6)).containsExactly("****0142", "****", "****1111", null, null);
                assertThat(masked.get(0).get(7)).contains("\"tier\"").contains("gold").doesNotContain("private");
                // A view's columns are masked by where they come from: id and name pass, email is hashed,
                // a column computed from a masked one is masked, through views over views too.
                List<String> contact = rows(through, "SELECT id, name, email, phone FROM customer_contacts WHERE id = 1").get(0);
                assertThat(contact.subList(0, 2)).containsExactly("1", "Alice Anders");
                assertThat(contact.get(2)).isEqualTo(masked.get(0).get(0));
                assertThat(contact.get(3)).isEqualTo("****0142");
                assertThat(rows(through, "SELECT id, label, name FROM customer_labels WHERE id = 2").get(0))
                        .containsExactly("2", "****", "Bob Brown");
                assertThat(rows(through, "SELECT label, id FROM labels_again WHERE id = 3").get(0)).containsExactly("****", "3");
                // The same value always hashes alike, so GROUP BY and joins on the client still work.
                assertThat(rows(through, "SELECT email FROM customers WHERE id = 1")).isEqualTo(
                        rows(through, "SELECT email FROM customers WHERE id = 1"));
            }
        }
    }

    /**
     * Unmasked columns are byte for byte what PostgreSQL sends: the same Parse/Bind/Execute in text
     * and in binary, through the gateway and straight to the server, give identical RowDescription
     * and DataRow messages (rows without findings pass the relay untouched).
     */
    @Test
    @Order(8)
    void unmaskedRowsAreByteForByteWhatTheServerSends() throws Exception {
        String sql = "SELECT o.id, o.customer_id, o.amount, o.placed_at, c.name, c.id FROM orders o JOIN customers c"
                + " ON c.id = o.customer_id ORDER BY o.id";
        List<String> viaGateway;
        try (RawPgClient client = new RawPgClient(gateway)) {
            client.login(Map.of("user", GatewayFixture.IDENTITY, "database", GatewayFixture.TARGET), gateway.token());
            client.readUntil('Z');
            viaGateway = rowMessages(client, sql);
        }
        List<String> direct;
        try (RawPgClient client = new RawPgClient(gateway.postgres().host(), gateway.postgres().port(), Duration.ofSeconds(10))) {
            client.login(Map.of("user", gateway.upstreamRole().name(), "database", gateway.upstreamDatabase()),
                    gateway.upstreamRole().password());
            client.readUntil('Z');
            direct = rowMessages(client, sql);
        }
        assertThat(viaGateway).hasSize(2 * 13).isEqualTo(direct);
    }

    /** RowDescription and DataRow messages, hex, of the query in text and then in binary format. */
    private static List<String> rowMessages(RawPgClient client, String sql) throws Exception {
        List<String> messages = new ArrayList<>();
        client.send(parse("", sql), bind("", ""), describe('P', ""), execute("", 0), sync());
        collectRows(readUntilReady(client), messages);
        client.send(parse("", sql), bindBinary("", ""), describe('P', ""), execute("", 0), sync());
        collectRows(readUntilReady(client), messages);
        return messages;
    }

    private static void collectRows(List<RawPgClient.Message> received, List<String> into) {
        for (RawPgClient.Message message : received) {
            if (message.type() == 'T' || message.type() == 'D') {
                into.add(message.type() + java.util.HexFormat.of().formatHex(message.body()));
            }
        }
    }

    @Test
    @Order(8)
    void theSessionRecordsHoldOnlyWhatTheClientsSaw() throws Exception {
        RecordStore store = gateway.audit().store();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        List<SessionSummary> sessions = store.sessions(SessionQuery.all());
        while (sessions.stream().anyMatch(session -> session.endedMicros().isEmpty()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            sessions = store.sessions(SessionQuery.all());
        }
        StringBuilder everything = new StringBuilder();
        int results = 0;
        for (SessionSummary session : sessions) {
            for (ChainedRecord record : store.records(session.id(), 0, 10_000)) {
                everything.append(record.body()).append('\n');
                results += record.kind() == dev.warden.recording.RecordKind.RESULT ? 1 : 0;
            }
        }
        assertThat(results).isGreaterThan(50);
        assertThat(SCANNER.leaks(everything.toString())).isEmpty();
    }

    @Test
    @Order(9)
    void theCorpusIsLargeEnough() {
        assertThat(attempts).isGreaterThanOrEqualTo(150);
    }

    /** The scanner can fail: the same reads straight from PostgreSQL show every sensitive value. */
    @Test
    @Order(10)
    void theScannerFindsEveryValueInADirectRead() throws Exception {
        try (Connection direct = gateway.connectDirect(mode("simple")); Statement statement = direct.createStatement()) {
            CapturingSocketFactory.reset();
            try (ResultSet rows = statement.executeQuery("SELECT * FROM customers")) {
                while (rows.next()) {
                    rows.getString(1);
                }
            }
            List<String> found = SCANNER.leaks(CapturingSocketFactory.captured());
            for (String value : MaskingFixtureData.SENSITIVE) {
                assertThat(found).as(value).anyMatch(leak -> leak.equals("raw of " + value));
            }
        }
    }

    private static List<List<String>> rows(Connection connection, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet result = statement.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static byte[] bindBinary(String portal, String statement) {
        return message('B', concat(WireMessages.cstring(portal), WireMessages.cstring(statement), int16(0), int16(0),
                int16(1), int16(1)));
    }

    private static List<RawPgClient.Message> readUntilReady(RawPgClient client) throws Exception {
        List<RawPgClient.Message> messages = new ArrayList<>();
        while (true) {
            RawPgClient.Message message = client.read();
            if (message == null) {
                throw new AssertionError("the gateway closed the connection; got " + messages);
            }
            messages.add(message);
            if (message.type() == 'Z') {
                return messages;
            }
        }
    }

}
