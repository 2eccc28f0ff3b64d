package dev.warden.cli;

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

/** The CLI's side of the control plane's REST API. */
final class ControlApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final String base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    ControlApiClient(String base, String user, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    record Response(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The server's error message, or the status when it gave none. */
        String error() {
            return body.path("error").isTextual() ? body.get("error").asText() : "HTTP " + status;
        }
    }

    /** Thrown when the control plane cannot be reached at all. */
    static final class UnreachableException extends Exception {
        UnreachableException(String message) {
            super(message, null, false, false);
        }
    }

    Response get(String path) throws UnreachableException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, JsonNode body) throws UnreachableException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private URI uri(String path) throws UnreachableException {
        try {
            return URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new UnreachableException("not a valid control-plane URL: " + base);
        }
    }

    private Response send(HttpRequest.Builder request) throws UnreachableException {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", authorization).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            } catch (IOException e) {
                body = JSON.nullNode();
            }
            return new Response(response.statusCode(), body);
        } catch (IOException e) {
            throw new UnreachableException("cannot reach the control plane at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted");
        }
    }
}
