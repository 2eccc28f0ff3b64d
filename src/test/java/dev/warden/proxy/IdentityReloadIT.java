package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.testing.GatewayFixture;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Identities are reloaded from warden.yaml (as on SIGHUP): new logins see them; an invalid file changes nothing. */
class IdentityReloadIT {
    private static final String POLICY = """
            targets:
              "*": { default: allow }
            rules: []
            """;

    private static Connection connect(GatewayFixture gateway, String user, String token) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", token);
        return DriverManager.getConnection(gateway.jdbcUrl(), properties);
    }

    private static String configWith(GatewayFixture gateway, String identities) {
        return """
                listeners:
                  - { host: 127.0.0.1, port: 6432 }
                targets:
                  - name: %s
                    host: %s
                    port: %d
                    database: %s
                    credentials:
                      read_only: { user: %s, password: "file:%s" }
                      read_write: { user: %s, password: "file:%s" }
                policy: policy.yaml
                %s
                """.formatted(GatewayFixture.TARGET, gateway.postgres().host(), gateway.postgres().port(),
                gateway.upstreamDatabase(), gateway.upstreamRole().name(), gateway.directory().resolve("upstream-password"),
                gateway.upstreamRole().name(), gateway.directory().resolve("upstream-password"), identities);
    }

    @Test
    void newLoginsSeeTheReloadedIdentitiesAndABrokenFileKeepsTheRunningOnes() throws Exception {
        SecureRandom random = new SecureRandom();
        String token = ServiceTokens.newToken(random);
        try (GatewayFixture gateway = GatewayFixture.startWithPolicy(POLICY)) {
            assertThatThrownBy(() -> connect(gateway, "newcomer", token)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            Files.writeString(gateway.config().source(), configWith(gateway, """
                    identities:
                      - name: newcomer
                        verifier: "%s"
                        access: read_write
                    """.formatted(ScramVerifier.create(token, random).encode())));
            assertThat(gateway.fullGateway().reloadIdentities()).isTrue();
            try (Connection newcomer = connect(gateway, "newcomer", token)) {
                assertThat(newcomer.isValid(5)).isTrue();
            }
            // The identity the gateway started with is no longer in the file: its new logins fail.
            assertThatThrownBy(() -> gateway.connect()).isInstanceOf(SQLException.class);

            Files.writeString(gateway.config().source(), "identities: [ { name: broken\n");
            assertThat(gateway.fullGateway().reloadIdentities()).isFalse();
            try (Connection stillThere = connect(gateway, "newcomer", token)) {
                assertThat(stillThere.isValid(5)).isTrue();
            }
        }
    }
}
