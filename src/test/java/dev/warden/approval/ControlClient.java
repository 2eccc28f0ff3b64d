package dev.warden.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Calls the control plane's REST API the way an approver's script would: HTTP Basic, JSON. */
final class ControlClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    ControlClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Response(int status, JsonNode body) {}

    Response get(String path, String identity, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), identity, token);
    }

    Response post(String path, String identity, String token, String jsonBody) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)), identity, token);
    }

    Response approve(String id, String identity, String token, String reason) throws IOException, InterruptedException {
        return post("/api/v1/approvals/" + id + "/approve", identity, token,
                JSON.createObjectNode().put("reason", reason).toString());
    }

    Response deny(String id, String identity, String token, String reason) throws IOException, InterruptedException {
        return post("/api/v1/approvals/" + id + "/deny", identity, token,
                JSON.createObjectNode().put("reason", reason).toString());
    }

    private Response send(HttpRequest.Builder request, String identity, String token)
            throws IOException, InterruptedException {
        if (identity != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((identity + ":" + token).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Response(response.statusCode(), text.isEmpty() ? JSON.nullNode() : JSON.readTree(text));
    }
}
