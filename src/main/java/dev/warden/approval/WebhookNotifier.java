package dev.warden.approval;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.ControlConfig;
import dev.warden.config.SecretUnavailableException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts approval events to the configured webhooks, off the data path: each delivery runs on the
 * HTTP client's own threads, failures are retried with exponential back-off, and at most
 * {@link #MAX_IN_FLIGHT} deliveries are outstanding (beyond that, events are dropped with an error
 * in the log; the session record, not the webhook, is the evidence).
 */
public final class WebhookNotifier implements ApprovalNotifier {
    private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
    static final int MAX_IN_FLIGHT = 256;
    static final int MAX_ATTEMPTS = 5;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<ControlConfig.Webhook> webhooks;
    private final long firstRetryMillis;
    private final HttpClient client;
    private final ScheduledThreadPoolExecutor retries;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private volatile Optional<String> publicUrl;

    WebhookNotifier(List<ControlConfig.Webhook> webhooks, Optional<String> publicUrl, long firstRetryMillis) {
        this.webhooks = List.copyOf(webhooks);
        this.publicUrl = requireNonNull(publicUrl, "publicUrl is null");
        this.firstRetryMillis = firstRetryMillis;
        this.client = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.retries = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "warden-webhook-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The notifier for a configuration: posts to its webhooks, or does nothing when there are none. */
    public static WebhookNotifier forConfig(ControlConfig control) {
        return new WebhookNotifier(control.webhooks(), control.publicUrl(),
                Long.getLong("warden.webhookFirstRetryMillis", 1_000));
    }

    /** Sets the control plane's address for links, when it was only known after it started. */
    public void publicUrlIfUnset(String url) {
        if (publicUrl.isEmpty()) {
            publicUrl = Optional.of(url);
        }
    }

    @Override
    public void requested(ApprovalSnapshot request) {
        post("approval.requested", request);
    }

    @Override
    public void decided(ApprovalSnapshot request) {
        post("approval.decided", request);
    }

    private void post(String event, ApprovalSnapshot snapshot) {
        Optional<String> link = publicUrl.map(base -> (base.endsWith("/") ? base : base + "/") + "approvals/"
                + snapshot.request().id());
        for (ControlConfig.Webhook webhook : webhooks) {
            Map<String, Object> payload = webhook.format() == ControlConfig.WebhookFormat.SLACK
                    ? WebhookPayloads.slack(event, snapshot, link)
                    : WebhookPayloads.generic(event, snapshot, link);
            if (!inFlight.tryAcquire()) {
                log.error("webhook {}: {} deliveries outstanding; dropping {} for approval {}", webhook.describe(),
                        MAX_IN_FLIGHT, event, snapshot.request().id());
                continue;
            }
            try {
                deliver(webhook, JSON.writeValueAsString(payload), event, snapshot.request().id(), 1);
            } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
                inFlight.release();
                log.error("webhook {}: cannot send {} for approval {}: {}", webhook.describe(), event,
                        snapshot.request().id(), e.toString());
            }
        }
    }

    private void deliver(ControlConfig.Webhook webhook, String body, String event, String id, int attempt) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(webhook.resolveUrl())).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json").header("User-Agent", "warden")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        } catch (SecretUnavailableException | IllegalArgumentException e) {
            inFlight.release();
            log.error("webhook {}: address unavailable, {} for approval {} not sent: {}", webhook.describe(), event, id,
                    e.getMessage());
            return;
        }
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            boolean delivered = failure == null && response.statusCode() / 100 == 2;
            if (delivered) {
                inFlight.release();
                log.debug("webhook {}: {} for approval {} delivered", webhook.describe(), event, id);
                return;
            }
            String why = failure != null ? failure.toString() : "HTTP " + response.statusCode();
            if (attempt >= MAX_ATTEMPTS || failure == null && response.statusCode() / 100 == 4
                    && response.statusCode() != 429) {
                inFlight.release();
                log.error("webhook {}: giving up on {} for approval {} after {} attempt(s): {}", webhook.describe(), event,
                        id, attempt, why);
                return;
            }
            long delay = firstRetryMillis << (attempt - 1);
            log.warn("webhook {}: {} for approval {} failed ({}); retrying in {} ms", webhook.describe(), event, id, why,
                    delay);
            retries.schedule(() -> deliver(webhook, body, event, id, attempt + 1), delay, TimeUnit.MILLISECONDS);
        });
    }
}
