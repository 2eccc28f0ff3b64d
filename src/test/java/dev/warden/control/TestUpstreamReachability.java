package dev.warden.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.config.SecretReference;
import dev.warden.config.TargetConfig;
import dev.warden.config.UpstreamCredential;
import dev.warden.config.UpstreamTlsMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Readiness probes against real sockets: a listening one, a closed port, and one that opens later. */
class TestUpstreamReachability {
    final TestWebSessions.MovableClock clock = new TestWebSessions.MovableClock();

    @Test
    void aListeningUpstreamIsReachableAndIsConnectedToOncePerInterval() throws Exception {
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                UpstreamReachability reachability = new UpstreamReachability(List.of(target("app", upstream.getLocalPort())), clock)) {
            AtomicInteger accepted = countConnections(upstream);
            for (int probe = 0; probe < 20; probe++) {
                assertThat(reachability.checks()).containsExactly(new UpstreamReachability.Check("app", Optional.empty()));
            }
            awaitCount(accepted, 1);
            clock.now = clock.now.plus(UpstreamReachability.FRESH_FOR);
            reachability.checks();
            awaitCount(accepted, 2);
            Thread.sleep(200);
            assertThat(accepted).as("twenty probes, two intervals: two connections").hasValue(2);
        }
    }

    @Test
    void aClosedPortIsRefusedAndTheAnswerStandsUntilItIsStale() throws Exception {
        int port;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = taken.getLocalPort();
        }
        try (UpstreamReachability reachability = new UpstreamReachability(List.of(target("down", port)), clock)) {
            assertThat(reachability.checks()).containsExactly(new UpstreamReachability.Check("down",
                    Optional.of("connection refused")));
            try (ServerSocket upstream = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
                clock.now = clock.now.plus(UpstreamReachability.FRESH_FOR).minusMillis(1);
                assertThat(reachability.checks().get(0).failure()).as("still fresh").isPresent();
                clock.now = clock.now.plusMillis(1);
                assertThat(reachability.checks().get(0).failure()).isEmpty();
            }
        }
    }

    private static TargetConfig target(String name, int port) {
        UpstreamCredential credential = new UpstreamCredential("nobody", SecretReference.parse("env:UNUSED"));
        return new TargetConfig(name, "127.0.0.1", port, "db", UpstreamTlsMode.DISABLE, null, credential, Optional.empty());
    }

    private static AtomicInteger countConnections(ServerSocket upstream) {
        AtomicInteger accepted = new AtomicInteger();
        Thread acceptor = new Thread(() -> {
            while (!upstream.isClosed()) {
                try (Socket connection = upstream.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "test-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return accepted;
    }

    private static void awaitCount(AtomicInteger count, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (count.get() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(count).hasValue(expected);
    }
}
