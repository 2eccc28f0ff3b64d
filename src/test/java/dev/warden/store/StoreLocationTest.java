package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreLocationTest {
    private static final Path DATA = Path.of("/var/lib/warden");

    @Test
    void anSqliteFileIsRelativeToTheDataDirectoryUnlessAbsolute() {
        assertThat(StoreLocation.parse("sqlite:warden.db", DATA, null, null))
                .isEqualTo(new StoreLocation.Sqlite(Path.of("/var/lib/warden/warden.db")));
        assertThat(StoreLocation.parse("sqlite:store/../records.db", DATA, null, null))
                .isEqualTo(new StoreLocation.Sqlite(Path.of("/var/lib/warden/records.db")));
        assertThat(StoreLocation.parse("sqlite:/srv/audit/warden.db", DATA, null, null))
                .isEqualTo(new StoreLocation.Sqlite(Path.of("/srv/audit/warden.db")));
        assertThatThrownBy(() -> StoreLocation.parse("sqlite:", DATA, null, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anSqliteStoreSyncsEveryCommitUnlessToldSynchronousNormal() throws Exception {
        StoreLocation.Sqlite full = (StoreLocation.Sqlite) StoreLocation.parse("sqlite:warden.db", DATA, null, null);
        StoreLocation.Sqlite normal = (StoreLocation.Sqlite) StoreLocation.parse("sqlite:warden.db?synchronous=normal", DATA,
                null, null);
        assertThat(full.syncEveryCommit()).isTrue();
        assertThat(normal.syncEveryCommit()).isFalse();
        assertThat(normal.file()).isEqualTo(Path.of("/var/lib/warden/warden.db"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> StoreLocation.parse("sqlite:warden.db?synchronous=off", DATA, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("synchronous=normal");

        // The writer connection really runs with what was asked (PRAGMA synchronous: 2 = FULL, 1 = NORMAL).
        java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("store-sync");
        for (StoreLocation.Sqlite location : java.util.List.of(
                (StoreLocation.Sqlite) StoreLocation.parse("sqlite:full.db", directory, null, null),
                (StoreLocation.Sqlite) StoreLocation.parse("sqlite:normal.db?synchronous=normal", directory, null, null))) {
            try (RecordStore store = RecordStore.open(location)) {
                assertThat(store.healthy()).isTrue();
            }
            try (java.sql.Connection connection = StoreConnector.of(location).openWriter();
                    java.sql.ResultSet mode = connection.createStatement().executeQuery("PRAGMA synchronous")) {
                mode.next();
                assertThat(mode.getInt(1)).isEqualTo(location.syncEveryCommit() ? 2 : 1);
            }
        }
    }

    @Test
    void aPostgresLocationTakesItsCredentialsApart() {
        StoreLocation location = StoreLocation.parse("postgresql://db.internal/audit", DATA, "warden", "s3cret");

        assertThat(location).isEqualTo(new StoreLocation.Postgres("db.internal", 5432, "audit", "warden",
                Optional.of("s3cret"), Map.of()));
        StoreLocation.Postgres postgres = (StoreLocation.Postgres) location;
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5432/audit");
        assertThat(postgres.toString()).doesNotContain("s3cret").contains("password=***");
    }

    @Test
    void aPostgresLocationMayCarryTlsAndTimeoutParametersOnly() {
        StoreLocation.Postgres postgres = (StoreLocation.Postgres) StoreLocation.parse(
                "postgres://[::1]:6432/audit?sslmode=verify-full&connectTimeout=3", DATA, "warden", null);

        assertThat(postgres.host()).isEqualTo("::1");
        assertThat(postgres.port()).isEqualTo(6432);
        assertThat(postgres.password()).isEmpty();
        assertThat(postgres.jdbcUrl()).startsWith("jdbc:postgresql://[::1]:6432/audit?")
                .contains("sslmode=verify-full").contains("connectTimeout=3");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://h/audit?password=hunter2", DATA, "warden", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'password' is not supported");
    }

    @Test
    void credentialsInTheLocationAreRefusedWithoutRepeatingThem() {
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://warden:hunter2@h/audit", DATA, "warden", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not carry credentials")
                .message().doesNotContain("hunter2");
        assertThatThrownBy(() -> StoreLocation.parse("mysql://warden:hunter2@h/audit", DATA, "warden", null))
                .isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("hunter2");
    }

    @Test
    void aPostgresLocationNeedsAUserAndADatabase() {
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://h/audit", DATA, null, "pw"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user");
        assertThatThrownBy(() -> StoreLocation.parse("postgresql://h/", DATA, "warden", "pw"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DATABASE");
    }
}
