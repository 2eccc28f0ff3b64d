package dev.warden.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Approvers are told: a generic JSON webhook and a Slack-format one, received by a real HTTP server, with retries. */
class WebhookIT {
    static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void requestsAndDecisionsArePostedToBothFormatsAndFailuresAreRetried() throws Exception {
        BlockingQueue<JsonNode> generic = new LinkedBlockingQueue<>();
        BlockingQueue<JsonNode> slack = new LinkedBlockingQueue<>();
        AtomicInteger slackAttempts = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/generic", exchange -> {
            generic.add(ControlClient.JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.createContext("/slack", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // The first delivery fails: the notifier must try again.
            if (slackAttempts.incrementAndGet() == 1) {
                exchange.sendResponseHeaders(503, -1);
            } else {
                slack.add(ControlClient.JSON.readTree(body));
                exchange.sendResponseHeaders(200, -1);
            }
            exchange.close();
        });
        receiver.start();
        System.setProperty("warden.webhookFirstRetryMillis", "50");
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        String dbaToken = ServiceTokens.newToken(RANDOM);
        try (GatewayFixture gateway = GatewayFixture.startWithPolicy(config -> GatewayFixture.withIdentity(config,
                        new Identity("dba", ScramVerifier.create(dbaToken, RANDOM), List.of("dbas"), UpstreamAccess.READ_WRITE))
                .withControl(ControlConfig.onLoopback(0, Map.of()).withWebhooks(List.of(
                        new ControlConfig.Webhook(ControlConfig.WebhookFormat.GENERIC, Optional.of(base + "/generic"),
                                Optional.empty()),
                        new ControlConfig.Webhook(ControlConfig.WebhookFormat.SLACK, Optional.of(base + "/slack"),
                                Optional.empty())))), ApprovalIT.POLICY, ApprovalIT.SETUP);
                Connection agent = gateway.connect(); Statement statement = agent.createStatement()) {
            CompletableFuture<Integer> update = CompletableFuture.supplyAsync(() -> {
                try {
                    return statement.executeUpdate("UPDATE accounts SET balance = 7 WHERE id = 1 /* hooked */");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonNode requested = generic.poll(10, TimeUnit.SECONDS);
            assertThat(requested).isNotNull();
            assertThat(requested.get("event").asText()).isEqualTo("approval.requested");
            JsonNode approval = requested.get("approval");
            String id = approval.get("id").asText();
            assertThat(approval.get("requester").asText()).isEqualTo("agent");
            assertThat(approval.get("target").asText()).isEqualTo("app");
            assertThat(approval.get("rule").asText()).isEqualTo("approve-account-writes");
            assertThat(approval.get("statement").asText()).contains("UPDATE accounts SET balance = 7");
            assertThat(approval.get("approvers").get("groups").get(0).asText()).isEqualTo("dbas");
            assertThat(approval.get("binding").asText()).hasSize(64);
            int controlPort = gateway.fullGateway().controlPort().orElseThrow();
            assertThat(requested.get("link").asText()).isEqualTo("http://127.0.0.1:" + controlPort + "/approvals/" + id);

            JsonNode slackRequested = slack.poll(10, TimeUnit.SECONDS);
            assertThat(slackRequested).as("the Slack message arrives after a retry").isNotNull();
            assertThat(slackAttempts.get()).isGreaterThanOrEqualTo(2);
            assertThat(slackRequested.get("text").asText()).contains("agent needs approval on app").contains(id);
            JsonNode blocks = slackRequested.get("blocks");
            assertThat(blocks.get(0).get("text").get("text").asText()).contains("UPDATE accounts SET balance = 7");
            assertThat(blocks.get(1).get("elements").get(0).get("url").asText()).endsWith("/approvals/" + id);

            new ControlClient(controlPort).approve(id, "dba", dbaToken, "fine");
            assertThat(update.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            JsonNode decided = generic.poll(10, TimeUnit.SECONDS);
            assertThat(decided.get("event").asText()).isEqualTo("approval.decided");
            assertThat(decided.get("approval").get("status").asText()).isEqualTo("approved");
            assertThat(decided.get("approval").get("decided_by").get(0).asText()).isEqualTo("dba");
            assertThat(slack.poll(10, TimeUnit.SECONDS).get("text").asText()).contains("approved by dba");
        } finally {
            System.clearProperty("warden.webhookFirstRetryMillis");
            receiver.stop(0);
        }
    }
}
