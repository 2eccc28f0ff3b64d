package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The live approval streams are bounded: each holds a response open, so the next one past the limit is refused. */
class ApprovalEventsIT {
    static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void atMostMaxClientsStreamsAreOpenAtOnce() throws Exception {
        String token = ServiceTokens.newToken(RANDOM);
        try (GatewayFixture gateway = GatewayFixture.startWithPolicy(config -> GatewayFixture.withIdentity(config,
                new Identity("auditor", ScramVerifier.create(token, RANDOM), List.of("auditors"), UpstreamAccess.READ_ONLY))
                .withControl(ControlConfig.onLoopback(0, Map.of("auditor", Set.of("auditors")))), ApprovalIT.POLICY)) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + gateway.fullGateway().controlPort().orElseThrow() + "/api/v1/approvals/events"))
                    .header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("auditor:" + token).getBytes(StandardCharsets.UTF_8)))
                    .GET().build();
            List<InputStream> streams = new ArrayList<>();
            try {
                for (int i = 0; i < ApprovalEvents.MAX_CLIENTS; i++) {
                    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    assertThat(response.statusCode()).isEqualTo(200);
                    streams.add(response.body());
                }
                HttpResponse<String> refused = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).contains("too many live approval streams");
            } finally {
                for (InputStream stream : streams) {
                    stream.close();
                }
            }
        }
    }
}
