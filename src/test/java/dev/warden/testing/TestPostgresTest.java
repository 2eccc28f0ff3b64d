package dev.warden.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.warden.testing.TestPostgres.TestRole;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestPostgresTest {
    private final TestPostgres postgres = TestPostgres.shared();

    @Test
    void isSharedWithinTheJvm() {
        assertThat(TestPostgres.shared()).isSameAs(postgres);
        assertThat(postgres.host()).isEqualTo("127.0.0.1");
        assertThat(postgres.port()).isPositive();
    }

    @Test
    void createsFreshDatabasesAndRoles() throws SQLException {
        String first = postgres.createDatabase("Sample");
        String second = postgres.createDatabase("sample");
        assertThat(first).startsWith("sample_").isNotEqualTo(second);

        TestRole role = postgres.createRole("upstream");
        assertThat(role.toString()).doesNotContain(role.password());
        try (Connection connection = postgres.superuserConnection(first);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE items (id int)");
            statement.execute("GRANT SELECT ON items TO " + role.name());
        }
        try (Connection connection = postgres.connect(first, role);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_user, count(*) FROM items")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo(role.name());
            assertThat(rows.getInt(2)).isZero();
        }
    }

    @Test
    void roleMustPresentItsPassword() throws SQLException {
        String database = postgres.createDatabase("auth");
        TestRole role = postgres.createRole("upstream");
        assertThatThrownBy(() -> postgres.connect(database, new TestRole(role.name(), "wrong")).close())
                .isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("28P01");
    }

    @Test
    void psqlAuthenticatesWithScram() throws Exception {
        assumeTrue(ProcessRunner.available("psql"), "psql is not installed");
        String database = postgres.createDatabase("psql");
        TestRole role = postgres.createRole("psql");

        ProcessResult result = ProcessRunner.program("psql")
                .args("-X", "-A", "-t", "-w", "-h", postgres.host(), "-p", postgres.port(),
                        "-U", role.name(), "-d", database, "-c", "SELECT current_user")
                .env("PGPASSWORD", role.password())
                .timeout(Duration.ofSeconds(30))
                .run();

        assertThat(result.succeeded()).as(result.stderr()).isTrue();
        assertThat(result.stdout().strip()).isEqualTo(role.name());
    }

    @Test
    void rejectsPrefixesThatAreNotPlainIdentifiers() {
        assertThatThrownBy(() -> postgres.createDatabase("x; DROP"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
