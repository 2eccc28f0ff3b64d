package dev.warden.control;

import dev.warden.approval.ApprovalNotifier;
import dev.warden.approval.ApprovalSnapshot;
import io.javalin.http.Handler;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events for the web UI's live approvals queue. An event says only that a request changed
 * ({@code id} and {@code status}); the page then asks the REST API, with its own credentials, what it
 * may see. So the stream carries nothing a listener could not already read.
 *
 * <p>Bounded: at most {@link #MAX_CLIENTS} streams at once (each holds a server thread), the next is
 * answered 503 and the page polls instead; events go out from one sender thread so the approval
 * service is never held by a slow browser. A browser that goes away is noticed only when a write to
 * it fails (the server does not read an open GET), and TCP fails the second write after the peer
 * closed, not the first: so a comment every {@link #HEARTBEAT_SECONDS} s frees a gone browser's
 * place within two heartbeats. Only requests that ask for an event stream take a place.
 */
public final class ApprovalEvents implements ApprovalNotifier, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApprovalEvents.class);
    static final int MAX_CLIENTS = 32;
    static final int HEARTBEAT_SECONDS = 5;
    private static final String EVENT_STREAM = "text/event-stream";

    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "warden-approval-events");
        thread.setDaemon(true);
        return thread;
    });

    public ApprovalEvents() {
        sender.scheduleAtFixedRate(() -> forEachClient(client -> client.sendComment("heartbeat")), HEARTBEAT_SECONDS,
                HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    /** The handler of {@code GET /api/v1/approvals/events}. */
    Handler handler() {
        return ctx -> {
            String accept = ctx.header("Accept");
            if (accept == null || !accept.contains(EVENT_STREAM)) {
                // Javalin's SSE handler would answer nothing and never close, so the place would never be freed.
                ControlPlane.problem(ctx, 406, "this endpoint is an event stream: ask with Accept: " + EVENT_STREAM);
                return;
            }
            // Counted until the stream closes (detach): the SSE handler hands the stream to another
            // thread, which holds it open, and returns at once.
            if (open.incrementAndGet() > MAX_CLIENTS) {
                open.decrementAndGet();
                ctx.header("Retry-After", String.valueOf(2 * HEARTBEAT_SECONDS));
                ControlPlane.problem(ctx, 503, "too many live approval streams are open (at most " + MAX_CLIENTS
                        + "); poll GET /api/v1/approvals instead, as the web UI does");
                return;
            }
            try {
                new SseHandler(this::attach).handle(ctx);
            } catch (Exception e) {
                open.decrementAndGet();
                throw e;
            }
        };
    }

    private void attach(SseClient client) {
        clients.add(client);
        client.onClose(() -> detach(client));
        client.sendEvent("hello", "{}");
        client.keepAlive();
    }

    private void detach(SseClient client) {
        if (clients.remove(client)) {
            open.decrementAndGet();
        }
    }

    @Override
    public void requested(ApprovalSnapshot request) {
        publish(request);
    }

    @Override
    public void decided(ApprovalSnapshot request) {
        publish(request);
    }

    private void publish(ApprovalSnapshot snapshot) {
        String data;
        try {
            data = ControlPlane.JSON.writeValueAsString(Map.of("id", snapshot.request().id(),
                    "status", snapshot.status().word()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        sender.execute(() -> forEachClient(client -> client.sendEvent("approval", data)));
    }

    private void forEachClient(java.util.function.Consumer<SseClient> action) {
        for (SseClient client : clients) {
            try {
                if (client.terminated()) {
                    detach(client);
                } else {
                    action.accept(client);
                }
            } catch (RuntimeException e) {
                log.debug("approval event stream closed: {}", e.toString());
                detach(client);
            }
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        for (SseClient client : clients) {
            try {
                client.close();
            } catch (RuntimeException e) {
                log.debug("closing an approval event stream failed: {}", e.toString());
            }
        }
        clients.clear();
    }
}
