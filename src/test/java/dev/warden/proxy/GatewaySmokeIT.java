package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.testing.GatewayFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GatewaySmokeIT {
    private static GatewayFixture gateway;

    @BeforeAll
    static void start() {
        gateway = GatewayFixture.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void queriesReachTheUpstreamDatabaseAsTheHeldRole() throws Exception {
        try (Connection connection = gateway.connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_user, current_database()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo(gateway.upstreamRole().name());
            assertThat(rows.getString(2)).isEqualTo(gateway.upstreamDatabase());
        }
    }
}
