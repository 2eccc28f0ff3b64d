package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.approval.ApprovalIT;
import dev.warden.config.ControlConfig;
import dev.warden.identity.Identity;
import dev.warden.identity.ScramVerifier;
import dev.warden.identity.ServiceTokens;
import dev.warden.identity.UpstreamAccess;
import dev.warden.testing.GatewayFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live approval streams are bounded: each holds a response (and a thread) open, so the next one
 * past the limit is refused; a browser that goes away gives its place back within two heartbeats; a
 * request that does not ask for a stream takes no place. Streams are raw sockets, so "the browser
 * went away" is a real TCP close.
 */
class ApprovalEventsIT {
    static final SecureRandom RANDOM = new SecureRandom();
    static final String TOKEN = ServiceTokens.newToken(RANDOM);
    /** One gateway per test: a place freed by a test's closing streams comes back only after heartbeats. */
    GatewayFixture gateway;
    int port;
    final List<Socket> streams = new ArrayList<>();

    @BeforeEach
    void start() {
        gateway = GatewayFixture.startWithPolicy(config -> GatewayFixture.withIdentity(config,
                new Identity("auditor", ScramVerifier.create(TOKEN, RANDOM), List.of("auditors"), UpstreamAccess.READ_ONLY))
                .withControl(ControlConfig.onLoopback(0, Map.of("auditor", Set.of("auditors")))), ApprovalIT.POLICY);
        port = gateway.fullGateway().controlPort().orElseThrow();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket stream : streams) {
            stream.close();
        }
        gateway.close();
    }

    @Test
    void atMostMaxClientsStreamsAreOpenAndAGoneBrowserGivesItsPlaceBackWithinTwoHeartbeats() throws Exception {
        fill();
        Answer refused = ask("text/event-stream");
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.text()).contains("too many live approval streams", "Retry-After: " + 2 * ApprovalEvents.HEARTBEAT_SECONDS);

        streams.remove(0).close();
        long started = System.nanoTime();
        Answer admitted = null;
        while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2L * ApprovalEvents.HEARTBEAT_SECONDS + 3)) {
            Answer attempt = ask("text/event-stream");
            if (attempt.status() == 200) {
                admitted = attempt;
                streams.add(attempt.socket());
                break;
            }
            attempt.socket().close();
            Thread.sleep(250);
        }
        assertThat(admitted).as("a place is free again within two heartbeats of the browser leaving").isNotNull();
        assertThat(admitted.text()).contains("event: hello");
        assertThat(ask("text/event-stream").status()).as("and the bound still holds").isEqualTo(503);
    }

    @Test
    void requestsThatDoNotAskForAStreamAreRefusedAndTakeNoPlace() throws Exception {
        for (int i = 0; i < ApprovalEvents.MAX_CLIENTS + 5; i++) {
            Answer plain = ask("application/json");
            assertThat(plain.status()).isEqualTo(406);
            plain.socket().close();
        }
        fill();
    }

    /** Opens every place, each a stream that has said hello. */
    private void fill() throws Exception {
        for (int i = 0; i < ApprovalEvents.MAX_CLIENTS; i++) {
            Answer stream = ask("text/event-stream");
            assertThat(stream.status()).as("stream " + (i + 1)).isEqualTo(200);
            assertThat(stream.text()).contains("event: hello");
            streams.add(stream.socket());
        }
    }

    record Answer(Socket socket, int status, String text) {}

    /** A GET of the event stream: for a stream, what came up to its hello; otherwise the whole answer. */
    private Answer ask(String accept) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        String credentials = Base64.getEncoder().encodeToString(("auditor:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/approvals/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: " + accept
                + "\r\nAuthorization: Basic " + credentials + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String statusLine = in.readLine();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        StringBuilder text = new StringBuilder(statusLine).append('\n');
        // A refusal ends with the connection (Connection: close); a stream is read up to its hello.
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            text.append(line).append('\n');
            if (status == 200 && line.equals("event: hello")) {
                break;
            }
        }
        return new Answer(socket, status, text.toString());
    }
}
