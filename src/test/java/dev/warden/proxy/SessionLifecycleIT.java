package dev.warden.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.LimitsConfig;
import dev.warden.testing.GatewayFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Idle timeout and graceful shutdown, end to end with pgJDBC. */
class SessionLifecycleIT {

    @Test
    void shutdownLetsTheRunningStatementFinishThenEndsEverySessionWith57P01() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start();
                Connection idle = gateway.connect(); Connection busy = gateway.connect()) {
            assertThat(scalar(idle, "SELECT 1")).isEqualTo("1");
            CompletableFuture<String> running = scalarInTheBackground(busy, "SELECT 'finished' FROM pg_sleep(1.5)");
            Thread.sleep(300);
            long started = System.nanoTime();
            gateway.close();
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("finished");
            assertThat(tookMillis).isGreaterThanOrEqualTo(800).isLessThan(10_000);
            assertThatThrownBy(() -> scalar(idle, "SELECT 1"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("57P01", "08006", "08003"));
            assertThat(gateway.gateway().sessions().size()).isZero();
        }
    }

    @Test
    void duringShutdownNewConnectionsAndNewStatementsAreRefusedWhileTheRunningOneFinishes() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(); Connection busy = gateway.connect()) {
            // Known before the stop: a closed listener has no address to ask for.
            String url = gateway.jdbcUrl();
            CompletableFuture<String> running = scalarInTheBackground(busy, "SELECT 'finished' FROM pg_sleep(2)");
            Thread.sleep(300);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(gateway::close);
            SQLException refused = null;
            boolean finishedBeforeTheRefusal = true;
            while (refused == null && !running.isDone()) {
                try (Connection late = java.sql.DriverManager.getConnection(url, GatewayFixture.IDENTITY, gateway.token())) {
                    Thread.sleep(20);
                } catch (SQLException e) {
                    refused = e;
                    finishedBeforeTheRefusal = running.isDone();
                }
            }
            assertThat((Throwable) refused).as("a connection attempt during the shutdown is refused").isNotNull();
            assertThat(refused.getSQLState()).isIn("08001", "08006", "57P01");
            assertThat(finishedBeforeTheRefusal).as("refused while the running statement was still running").isFalse();
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("finished");
            // The statement it was running is done; a next one is not started.
            assertThatThrownBy(() -> scalar(busy, "SELECT 1")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("57P01", "08006", "08003"));
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIdleSessionIsClosedWithTheIdleSessionTimeoutCode() throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(config -> GatewayFixture.withLimits(config,
                new LimitsConfig(config.limits().maxMessageBytes(), config.limits().connectTimeout(),
                        config.limits().authenticationTimeout(), Duration.ofMillis(700),
                        config.limits().shutdownGracePeriod())));
                Connection connection = gateway.connect()) {
            // Busy longer than the idle timeout: a running statement is not idleness.
            assertThat(scalar(connection, "SELECT 'ok' FROM pg_sleep(1.2)")).isEqualTo("ok");
            Thread.sleep(1_500);
            assertThatThrownBy(() -> scalar(connection, "SELECT 1")).isInstanceOf(SQLException.class);
            assertThat(gateway.gateway().sessions().size()).isZero();
        }
    }

    private static CompletableFuture<String> scalarInTheBackground(Connection connection, String sql) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return scalar(connection, sql);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String scalar(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
