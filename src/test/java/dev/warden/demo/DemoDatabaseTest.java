package dev.warden.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.testing.LogCapture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoDatabaseTest {
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String INVALID_PASSWORD = "28P01";

    private static DemoDatabase demo;
    private static List<String> startupLogLines;

    @BeforeAll
    static void start() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            demo = DemoDatabase.start();
            startupLogLines = logs.lines();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
    }

    @Test
    void describesWhereItListens() {
        assertThat(demo.host()).isEqualTo("127.0.0.1");
        assertThat(demo.port()).isPositive();
        assertThat(demo.database()).isEqualTo("shop");
        assertThat(demo.toString())
                .doesNotContain(demo.readOnlyPassword())
                .doesNotContain(demo.readWritePassword());
    }

    @Test
    void startingDoesNotLogThePasswords() {
        // zonky logs initdb's and the server's output; none of it may carry a password.
        assertThat(startupLogLines).isNotEmpty();
        assertThat(startupLogLines)
                .noneMatch(line -> line.contains(demo.readOnlyPassword()))
                .noneMatch(line -> line.contains(demo.readWritePassword()))
                .noneMatch(line -> line.contains(superuserPassword()));
    }

    @Test
    void generatesDistinctStrongPasswords() {
        assertThat(demo.readOnlyPassword()).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(demo.readWritePassword());
        assertThat(demo.readWritePassword()).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void readOnlyRoleReadsTheSampleData() throws SQLException {
        try (Connection connection = readOnly()) {
            assertThat(count(connection, "customers")).isEqualTo(50);
            assertThat(count(connection, "orders")).isEqualTo(200);
            assertThat(count(connection, "payments")).isEqualTo(200);
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery(
                            "SELECT full_name, email, ssn FROM customers WHERE card_number = '4111111111111111'")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString("email")).endsWith("@example.com");
                assertThat(rows.getString("ssn")).matches("9\\d\\d-\\d\\d-\\d{4}");
            }
        }
    }

    @Test
    void everyCardNumberPassesLuhnAndEveryValueIsFake() throws SQLException {
        try (Connection connection = readOnly(); Statement statement = connection.createStatement()) {
            List<String> cards = column(statement,
                    "SELECT card_number FROM customers UNION ALL SELECT card_number FROM payments WHERE card_number IS NOT NULL");
            assertThat(cards).hasSize(50 + 134).allMatch(DemoDatabaseTest::passesLuhn);
            assertThat(cards).contains("4111111111111111", "5555555555554444", "378282246310005");
            assertThat(column(statement, "SELECT email FROM customers")).doesNotHaveDuplicates()
                    .allMatch(email -> email.matches("[a-z]+\\.[a-z]+@example\\.com"));
            assertThat(column(statement, "SELECT phone FROM customers")).allMatch(phone -> phone.startsWith("+1 202-555-01"));
            assertThat(column(statement, "SELECT DISTINCT iban FROM payments WHERE iban IS NOT NULL"))
                    .contains("DE89370400440532013000", "GB82WEST12345698765432");
        }
    }

    @Test
    void readOnlyRoleCannotWrite() throws SQLException {
        try (Connection connection = readOnly(); Statement statement = connection.createStatement()) {
            for (String write : List.of(
                    "INSERT INTO orders (customer_id, total, status, created_at) VALUES (1, 1.00, 'paid', now())",
                    "UPDATE customers SET email = 'x@example.com' WHERE id = 1",
                    "DELETE FROM payments",
                    "CREATE TABLE notes (id int)")) {
                assertThatThrownBy(() -> statement.execute(write))
                        .as(write)
                        .isInstanceOf(SQLException.class)
                        .extracting(e -> ((SQLException) e).getSQLState())
                        .isEqualTo(INSUFFICIENT_PRIVILEGE);
            }
        }
    }

    @Test
    void readWriteRoleCanWrite() throws SQLException {
        try (Connection connection = demo.connect(demo.readWriteUser(), demo.readWritePassword())) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                assertThat(statement.executeUpdate(
                        "INSERT INTO orders (customer_id, total, status, created_at) VALUES (1, 9.99, 'pending', now())"))
                        .isEqualTo(1);
                assertThat(statement.executeUpdate("UPDATE orders SET status = 'paid' WHERE id = 201")).isEqualTo(1);
                assertThat(statement.executeUpdate("DELETE FROM orders WHERE id = 201")).isEqualTo(1);
            }
            finally {
                connection.rollback();
            }
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        for (String user : List.of(demo.readOnlyUser(), demo.readWriteUser(), "postgres")) {
            assertThatThrownBy(() -> demo.connect(user, "not-the-password").close())
                    .as(user)
                    .isInstanceOf(SQLException.class)
                    .extracting(e -> ((SQLException) e).getSQLState())
                    .isEqualTo(INVALID_PASSWORD);
        }
    }

    @Test
    void serverTrustsNoOneAndRequiresScram() throws SQLException {
        try (Connection connection = DriverManager.getConnection(demo.superuserJdbcUrl());
                Statement statement = connection.createStatement()) {
            assertThat(column(statement, "SELECT DISTINCT auth_method FROM pg_hba_file_rules WHERE type = 'host'"))
                    .containsExactly("scram-sha-256");
            assertThat(column(statement, "SELECT rolpassword FROM pg_authid WHERE rolname LIKE 'warden_%'"))
                    .hasSize(2)
                    .allMatch(verifier -> verifier.startsWith("SCRAM-SHA-256$"));
        }
    }

    private static String superuserPassword() {
        String url = demo.superuserJdbcUrl();
        return url.substring(url.indexOf("password=") + "password=".length());
    }

    private static Connection readOnly() throws SQLException {
        return demo.connect(demo.readOnlyUser(), demo.readOnlyPassword());
    }

    private static int count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static List<String> column(Statement statement, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static boolean passesLuhn(String number) {
        int sum = 0;
        for (int i = 0; i < number.length(); i++) {
            int digit = number.charAt(number.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return sum % 10 == 0;
    }
}
