package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceToken;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.TestPostgres;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service-token table on both store kinds: the V3 migration must run on SQLite and PostgreSQL alike. */
class ServiceTokenStoreTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MICROS);

    abstract static class Suite {
        abstract ServiceTokenStore open() throws Exception;

        static ServiceToken token(String id, String name, Instant expiresAt) {
            return new ServiceToken(id, name, ScramVerifier.create("wdn_secret-" + id, RANDOM), List.of("app", "reporting"),
                    List.of("bots"), UpstreamAccess.READ_WRITE, NOW, expiresAt, Optional.empty());
        }

        @Test
        void storesAndFindsAUsableToken() throws Exception {
            ServiceTokenStore store = open();
            ServiceToken token = token("tok_1", "bot", NOW.plus(Duration.ofHours(1)));
            store.create(token);

            ServiceToken found = store.findUsable("bot", NOW).orElseThrow();
            assertThat(found).isEqualTo(token);
            assertThat(found.verifier().matches("wdn_secret-tok_1")).isTrue();
            assertThat(store.findUsable("other", NOW)).isEmpty();
            assertThat(store.list()).containsExactly(token);
        }

        @Test
        void expiredAndRevokedTokensAreNotUsable() throws Exception {
            ServiceTokenStore store = open();
            store.create(token("tok_1", "bot", NOW.plus(Duration.ofMinutes(1))));
            assertThat(store.findUsable("bot", NOW.plus(Duration.ofMinutes(2)))).isEmpty();
            assertThat(store.unusableAmong(Set.of("tok_1", "tok_gone"), NOW)).containsExactly("tok_gone");

            assertThat(store.revoke("bot", NOW)).isEqualTo(1);
            assertThat(store.findUsable("bot", NOW)).isEmpty();
            assertThat(store.unusableAmong(Set.of("tok_1"), NOW)).containsExactly("tok_1");
            assertThat(store.list().get(0).revokedAt()).contains(NOW);
            assertThat(store.revoke("bot", NOW)).isZero();
        }

        @Test
        void oneUsableTokenPerName() throws Exception {
            ServiceTokenStore store = open();
            store.create(token("tok_1", "bot", NOW.plus(Duration.ofHours(1))));
            assertThatThrownBy(() -> store.create(token("tok_2", "bot", NOW.plus(Duration.ofHours(1)))))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("already has a usable service token");
            store.revoke("tok_1", NOW);
            store.create(token("tok_2", "bot", NOW.plus(Duration.ofHours(1))));
            assertThat(store.findUsable("bot", NOW).orElseThrow().id()).isEqualTo("tok_2");
        }

        @Test
        void manyLiveTokensAreCheckedInChunks() throws Exception {
            ServiceTokenStore store = open();
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                ids.add("tok_missing_" + i);
            }
            store.create(token("tok_1", "bot", NOW.plus(Duration.ofHours(1))));
            ids.add("tok_1");
            assertThat(store.unusableAmong(ids, NOW)).hasSize(1_200).doesNotContain("tok_1");
        }
    }

    @Nested
    class OnSqlite extends Suite {
        @TempDir
        Path directory;

        @Override
        ServiceTokenStore open() throws Exception {
            return ServiceTokenStore.open(new StoreLocation.Sqlite(directory.resolve("warden.db")));
        }
    }

    @Nested
    class OnPostgres extends Suite {
        @Override
        ServiceTokenStore open() throws Exception {
            TestPostgres postgres = TestPostgres.shared();
            String database = postgres.createDatabase("tokens");
            TestPostgres.TestRole role = postgres.createRole("token_owner");
            try (var admin = postgres.superuserConnection(database); var statement = admin.createStatement()) {
                statement.execute("ALTER DATABASE " + database + " OWNER TO " + role.name());
                statement.execute("ALTER SCHEMA public OWNER TO " + role.name());
            }
            return ServiceTokenStore.open(StoreLocation.parse("postgresql://" + postgres.host() + ":" + postgres.port()
                    + "/" + database, Path.of("/nonexistent"), role.name(), role.password()));
        }
    }
}
