package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.config.TargetConfig;
import dev.warden.demo.LocalPostgres;
import dev.warden.testing.GatewayFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /readyz asks the store and every target's upstream: a second target on a PostgreSQL server of its
 * own is ready while that server runs and not once it is stopped, and the answer says which check
 * failed and why without giving the upstream's address away.
 */
class ReadinessIT {
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void readyWhileEveryUpstreamAnswersAndNotOnceOneIsStopped() throws Exception {
        LocalPostgres reports = LocalPostgres.start(0);
        boolean reportsRunning = true;
        try (GatewayFixture gateway = GatewayFixture.startWithPolicy(config -> {
            Map<String, TargetConfig> targets = new LinkedHashMap<>(config.targets());
            TargetConfig app = targets.get(GatewayFixture.TARGET);
            targets.put("reports", new TargetConfig("reports", reports.host(), reports.port(), "postgres", app.tls(),
                    app.caFile(), app.readOnly(), app.readWrite()));
            return GatewayFixture.withTargets(config, targets).withControl(ControlConfig.onLoopback(0, Map.of()));
        }, ApprovalIT.POLICY)) {
            String readyz = "http://127.0.0.1:" + gateway.fullGateway().controlPort().orElseThrow() + "/readyz";
            HttpResponse<String> ready = get(readyz);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode body = ControlPlane.JSON.readTree(ready.body());
            assertThat(body.get("status").asText()).isEqualTo("ready");
            assertThat(body.get("checks").toString()).isEqualTo("[{\"name\":\"store\",\"ok\":true},"
                    + "{\"name\":\"upstream app\",\"ok\":true},{\"name\":\"upstream reports\",\"ok\":true}]");

            reports.close();
            reportsRunning = false;
            // The last answer is kept for a few seconds (probes must not hammer the database); then it changes.
            long deadline = System.nanoTime() + UpstreamReachability.FRESH_FOR.plusSeconds(10).toNanos();
            HttpResponse<String> unready = get(readyz);
            while (unready.statusCode() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(250);
                unready = get(readyz);
            }
            assertThat(unready.statusCode()).as(unready.body()).isEqualTo(503);
            body = ControlPlane.JSON.readTree(unready.body());
            assertThat(body.get("status").asText()).isEqualTo("unavailable");
            assertThat(body.get("checks").toString()).isEqualTo("[{\"name\":\"store\",\"ok\":true},"
                    + "{\"name\":\"upstream app\",\"ok\":true},"
                    + "{\"name\":\"upstream reports\",\"ok\":false,\"reason\":\"connection refused\"}]");
            assertThat(unready.body()).doesNotContain(String.valueOf(reports.port()), reports.host());
        } finally {
            if (reportsRunning) {
                reports.close();
            }
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
