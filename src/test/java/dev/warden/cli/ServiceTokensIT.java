package dev.warden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.warden.config.ServiceTokenConfig;
import dev.warden.proxy.AuditTrail;
import dev.warden.store.SessionQuery;
import dev.warden.store.StoreLocation;
import dev.warden.testing.GatewayFixture;
import dev.warden.testing.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * Service tokens kept in the gateway's store, end to end: created, listed and revoked with the CLI
 * against the store a running gateway uses, and used by pgJDBC to log in through that gateway.
 */
class ServiceTokensIT {
    private static final Pattern TOKEN = Pattern.compile("^    (wdn_[A-Za-z0-9_-]{43})$", Pattern.MULTILINE);
    private static final Pattern ID = Pattern.compile("Service token (tok_[0-9a-f]{12}) for ");

    private GatewayFixture gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private GatewayFixture start(boolean endSessionsOnRevoke) {
        gateway = GatewayFixture.start(config -> config.withServiceTokens(
                new ServiceTokenConfig(endSessionsOnRevoke, Duration.ofMillis(200))));
        return gateway;
    }

    /** The fixture gateway's own store, as an absolute {@code --store} URL. */
    private String store() {
        StoreLocation.Sqlite location = (StoreLocation.Sqlite) AuditTrail.storeLocation(gateway.config().audit());
        return "sqlite:" + location.file().toAbsolutePath();
    }

    private String create(String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "token";
        args[1] = "create";
        args[2] = extra[0];
        System.arraycopy(extra, 1, args, 3, extra.length - 1);
        args[args.length - 2] = "--store";
        args[args.length - 1] = store();
        CommandResult result = CommandResult.run(args);
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isZero();
        return find(TOKEN, result.out());
    }

    private Connection connect(String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(gateway.jdbcUrl(), properties);
    }

    private static String queryOne(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    @Test
    void createdTokenLogsInIsListedAndRevocationEndsItsSession() throws Exception {
        start(true);
        String token = create("bot-1", "--target", GatewayFixture.TARGET, "--ttl", "1h", "--groups", "bots");

        try (Connection live = connect("bot-1", token)) {
            assertThat(queryOne(live, "SELECT 1")).isEqualTo("1");
            assertThat(queryOne(live, "SHOW default_transaction_read_only")).isEqualTo("on");
            assertThat(gateway.audit().store().sessions(SessionQuery.all().withIdentity("bot-1")).get(0).authMethod())
                    .contains("service-token");

            CommandResult list = CommandResult.run("token", "list", "--store", store());
            assertThat(list.exitCode()).isZero();
            assertThat(list.out()).containsPattern("tok_[0-9a-f]{12} \\| bot-1 +\\| app +\\| bots +\\| read_only +\\| .* \\| active")
                    .doesNotContain(token).doesNotContain("SCRAM-SHA-256");

            CommandResult revoke = CommandResult.run("token", "revoke", "bot-1", "--store", store());
            assertThat(revoke.exitCode()).isZero();
            assertThat(revoke.out()).contains("revoked 1 token");

            PSQLException ended = catchThrowableOfType(PSQLException.class, () -> pollUntilRefused(live));
            assertThat(ended.getSQLState()).isEqualTo("57P01");
            assertThat(ended.getMessage()).contains("service token was revoked");
        }
        PSQLException refused = catchThrowableOfType(PSQLException.class, () -> connect("bot-1", token).close());
        assertThat(refused.getSQLState()).isEqualTo("28P01");
        assertThat(CommandResult.run("token", "list", "--store", store()).out()).contains("revoked ");
        assertThat(gateway.audit().store().sessions(SessionQuery.all().withIdentity("bot-1")).get(0).endReason())
                .contains("service token revoked or expired");
    }

    @Test
    void revocationLeavesLiveSessionsAloneWhenConfiguredSo() throws Exception {
        start(false);
        String token = create("bot-2", "--target", GatewayFixture.TARGET);
        try (Connection live = connect("bot-2", token)) {
            CommandResult revoke = CommandResult.run("token", "revoke", "bot-2", "--store", store());
            assertThat(revoke.exitCode()).isZero();
            Thread.sleep(600);
            assertThat(queryOne(live, "SELECT 1")).isEqualTo("1");
            PSQLException refused = catchThrowableOfType(PSQLException.class, () -> connect("bot-2", token).close());
            assertThat(refused.getSQLState()).isEqualTo("28P01");
        }
    }

    @Test
    void expiredTokenEndsItsSessionAndLogsInNoMore() throws Exception {
        start(true);
        String token = create("bot-3", "--target", GatewayFixture.TARGET, "--ttl", "3s");
        try (Connection live = connect("bot-3", token)) {
            assertThat(queryOne(live, "SELECT 1")).isEqualTo("1");
            PSQLException ended = catchThrowableOfType(PSQLException.class, () -> pollUntilRefused(live));
            assertThat(ended.getSQLState()).isEqualTo("57P01");
        }
        PSQLException refused = catchThrowableOfType(PSQLException.class, () -> connect("bot-3", token).close());
        assertThat(refused.getSQLState()).isEqualTo("28P01");
        assertThat(CommandResult.run("token", "list", "--store", store()).out()).contains("expired");
    }

    @Test
    void tokenReachesOnlyItsTargets() {
        start(true);
        String token = create("bot-4", "--target", "reporting");
        PSQLException refused = catchThrowableOfType(PSQLException.class, () -> connect("bot-4", token).close());
        assertThat(refused.getSQLState()).isEqualTo("28000");
        assertThat(refused.getMessage()).contains("not valid for target \"app\"").contains("It is valid for: reporting");
    }

    @Test
    void aSecondUsableTokenForOneNameIsRefusedUntilTheFirstIsRevoked() {
        start(true);
        create("bot-5", "--target", GatewayFixture.TARGET);
        CommandResult second = CommandResult.run("token", "create", "bot-5", "--target", GatewayFixture.TARGET,
                "--store", store());
        assertThat(second.exitCode()).isEqualTo(TokenCommand.Create.REFUSED);
        assertThat(second.err()).contains("already has a usable service token; revoke it first");
        assertThat(CommandResult.run("token", "revoke", "bot-5", "--store", store()).exitCode()).isZero();
        create("bot-5", "--target", GatewayFixture.TARGET);
    }

    @Test
    void revokingByIdRevokesThatTokenOnly() {
        start(true);
        CommandResult created = CommandResult.run("token", "create", "bot-6", "--target", GatewayFixture.TARGET,
                "--store", store());
        String id = find(ID, created.out());
        assertThat(CommandResult.run("token", "revoke", id, "--store", store()).out()).contains("revoked 1 token");
        CommandResult again = CommandResult.run("token", "revoke", id, "--store", store());
        assertThat(again.exitCode()).isEqualTo(TokenCommand.Revoke.NOT_FOUND);
        assertThat(again.err()).contains("no unrevoked token");
    }

    @Test
    void theTokenIsNeitherInTheStoreNorInTheLog() throws Exception {
        start(true);
        try (LogCapture log = LogCapture.start()) {
            String token = create("bot-7", "--target", GatewayFixture.TARGET);
            try (Connection connection = connect("bot-7", token)) {
                queryOne(connection, "SELECT 1");
            }
            catchThrowableOfType(PSQLException.class, () -> connect("bot-7", token + "x").close());
            CommandResult.run("token", "revoke", "bot-7", "--store", store());
            catchThrowableOfType(PSQLException.class, () -> connect("bot-7", token).close());
            assertThat(log.anyLineContains(token)).isFalse();
            StoreLocation.Sqlite location = (StoreLocation.Sqlite) AuditTrail.storeLocation(gateway.config().audit());
            for (Path file : new Path[] {location.file(), Path.of(location.file() + "-wal")}) {
                if (Files.exists(file)) {
                    assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .doesNotContain(token);
                }
            }
        }
    }

    @Test
    void badCommandLinesAreRefusedClearly() {
        start(true);
        assertThat(CommandResult.run("token", "create", "x", "--store", store()).err())
                .contains("--target is required with --store");
        assertThat(CommandResult.run("token", "create", "x", "--target", "app", "--ttl", "0", "--store", store()).err())
                .contains("--ttl must be more than 0");
        assertThat(CommandResult.run("token", "create", "x", "--target", "app", "--ttl", "soon", "--store", store()).err())
                .contains("--ttl must be a duration");
        assertThat(CommandResult.run("token", "create", "x", "--target", "app").err())
                .contains("--ttl and --target apply to tokens kept in a store");
        assertThat(CommandResult.run("token", "list").err()).contains("--store");
    }

    /** Runs queries until the gateway ends the session (the checker runs every 200 ms), up to 10 s. */
    private static void pollUntilRefused(Connection connection) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            queryOne(connection, "SELECT 1");
            Thread.sleep(100);
        }
        throw new AssertionError("the session was not ended");
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
        return matcher.group(1);
    }
}
