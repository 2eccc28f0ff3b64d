package dev.warden.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Service tokens over REST: administrators create (shown once), list and revoke; others may not. */
class TokensApiIT {
    static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void anAdministratorCreatesAListedTokenThatLogsInUntilRevoked() throws Exception {
        String adminToken = ServiceTokens.newToken(RANDOM);
        String dbaToken = ServiceTokens.newToken(RANDOM);
        try (GatewayFixture gateway = GatewayFixture.startWithPolicy(config -> {
            config = GatewayFixture.withIdentity(config, new Identity("root", ScramVerifier.create(adminToken, RANDOM),
                    List.of("admins"), UpstreamAccess.READ_ONLY));
            config = GatewayFixture.withIdentity(config, new Identity("dba", ScramVerifier.create(dbaToken, RANDOM),
                    List.of("dbas"), UpstreamAccess.READ_ONLY));
            return config.withControl(ControlConfig.onLoopback(0, Map.of("admin", Set.of("admins"))));
        }, ApprovalIT.POLICY, ApprovalIT.SETUP)) {
            ControlClient control = new ControlClient(gateway.fullGateway().controlPort().orElseThrow());
            ControlClient.Response created = control.post("/api/v1/tokens", "root", adminToken,
                    "{\"name\": \"ci-bot\", \"targets\": [\"app\"], \"ttl\": \"2h\", \"groups\": [\"agents\"]}");
            assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
            String token = created.body().get("token").asText();
            assertThat(token).startsWith("wdn_");
            JsonNode listed = control.get("/api/v1/tokens", "root", adminToken).body().get("tokens");
            assertThat(listed.toString()).contains("ci-bot").doesNotContain(token).doesNotContain("SCRAM-SHA-256");
            try (Connection bot = connect(gateway, "ci-bot", token)) {
                assertThat(bot.isValid(5)).isTrue();
            }
            assertThat(control.post("/api/v1/tokens", "dba", dbaToken, "{\"name\": \"x\", \"targets\": [\"app\"]}").status())
                    .as("only administrators create service tokens").isEqualTo(403);
            assertThat(control.post("/api/v1/tokens", "root", adminToken,
                    "{\"name\": \"ci-bot\", \"targets\": [\"elsewhere\"]}").status()).isEqualTo(400);
            assertThat(control.post("/api/v1/tokens", "root", adminToken,
                    "{\"name\": \"ci-bot\", \"targets\": [\"app\"], \"ttl\": \"400d\"}").status()).isEqualTo(400);
            ControlClient.Response revoked = control.post("/api/v1/tokens/" + created.body().get("id").asText() + "/revoke",
                    "root", adminToken, "");
            assertThat(revoked.status()).isEqualTo(200);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> connect(gateway, "ci-bot", token))
                    .isInstanceOf(SQLException.class);
            assertThat(control.post("/api/v1/tokens/tok_none/revoke", "root", adminToken, "").status()).isEqualTo(404);
        }
    }

    private static Connection connect(GatewayFixture gateway, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(gateway.jdbcUrl(), properties);
    }
}
